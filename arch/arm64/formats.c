/* The image formats hop loads with kexec_load on arm64, in probe order. */
#include <stddef.h>

#include "elfcore.h"
#include "plan.h"

const struct image_format *const arch_formats[] = { &fmt_arm64_image, NULL };
const char arch_format_names[] = "Image, Image.gz, EFI zboot with gzip";
/* kexec_file_load always passes the running kernel's tree */
const int arch_file_takes_dtb = 0;
const int arch_uses_dtb = 1;
const int arch_elf_machine = ELFCORE_EM_AARCH64;
const int arch_pe_machine = 0xaa64;
const char arch_fit_arch[] = "arm64";
