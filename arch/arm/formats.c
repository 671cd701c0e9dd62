/* The image formats hop loads with kexec_load on arm, in probe order
 * (there is no kexec_file_load on arm). */
#include <stddef.h>

#include "elfcore.h"
#include "plan.h"

const struct image_format *const arch_formats[] = { &fmt_uimage, &fmt_zimage,
	NULL };
const char arch_format_names[] = "zImage, uImage";
const int arch_file_takes_dtb = 0;
const int arch_uses_dtb = 1;
const int arch_elf_machine = ELFCORE_EM_ARM;
const int arch_pe_machine = 0x01c2;
const char arch_fit_arch[] = "arm";
