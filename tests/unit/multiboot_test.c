#include "test.h"
void test_multiboot(void) {}
