/* The image formats hop loads with kexec_load on x86_64, in probe order. */
#include <stddef.h>

#include "elfcore.h"
#include "plan.h"

/* a bzImage first (what kexec_file_load takes too); then multiboot2
 * before multiboot v1 (Xen carries both headers, v2 is the newer
 * protocol); plain ELF last, since multiboot kernels are ELF files too */
const struct image_format *const arch_formats[] = { &fmt_bzimage,
#if HOP_FEAT_MULTIBOOT
	&fmt_multiboot2, &fmt_multiboot,
#endif
#if HOP_FEAT_ELF
	&fmt_elf,
#endif
	NULL };
const char arch_format_names[] = "bzImage"
#if HOP_FEAT_MULTIBOOT
	", multiboot2, multiboot"
#endif
#if HOP_FEAT_ELF
	", ELF"
#endif
	;
/* KEXEC_FILE_FORCE_DTB (x86 only) is too new to rely on */
const int arch_file_takes_dtb = 0;
const int arch_uses_dtb = 0;
const int arch_elf_machine = ELFCORE_EM_X86_64;
const int arch_pe_machine = 0x8664;
const char arch_fit_arch[] = "x86_64";
