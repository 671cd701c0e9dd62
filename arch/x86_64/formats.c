/* The image formats hop loads with kexec_load on x86_64, in probe order. */
#include <stddef.h>

#include "elfcore.h"
#include "plan.h"

const struct image_format *const arch_formats[] = { &fmt_bzimage, NULL };
const char arch_format_names[] = "bzImage";
/* KEXEC_FILE_FORCE_DTB (x86 only) is too new to rely on */
const int arch_file_takes_dtb = 0;
const int arch_uses_dtb = 0;
const int arch_elf_machine = ELFCORE_EM_X86_64;
