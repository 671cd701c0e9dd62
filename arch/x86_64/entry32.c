/* The 64-to-32-bit trampoline for kernels entered in 32-bit protected
 * mode: multiboot v1 and v2 (eax = magic, ebx = the information
 * structure) and 32-bit ELF kernels (esi = boot_params for a Linux one).
 * relocate_kernel jumps here in long mode, paging on with every segment
 * identity mapped, GPRs zero and maybe a null GDTR (docs/kernel-abi.md
 * §2.4); multiboot wants paging off, flat 4 GiB code and data segments and
 * interrupts off (multiboot spec 3.2 "Machine state"), as does boot.rst's
 * 32-bit protocol, whose __BOOT_CS/__BOOT_DS 0x10/0x18 the GDT has too.
 * Leaving long mode follows the SDM (vol. 3 9.8.5.4) as kexec-tools'
 * purgatory entry32 does: into a 32-bit code segment first, then
 * CR0.PG off (clears EFER.LMA), EFER.LME off, CR4 (PAE) cleared.
 * Position independent: one page anywhere below 4 GiB, patched at plan
 * time. Assembled with gas from this listing (tests/unit/x86_elf_test.c
 * checks the patch points):
 *   .code64
 *   00 fc                     cld
 *   01 0f 01 15 68 00 00 00   lgdt   0x68(%rip)          # gdtr at 0x70
 *   08 48 8d 25 f1 0f 00 00   lea    0x1000+start(%rip),%rsp  # page top
 *   0f 6a 10                  push   $0x10               # 32-bit code
 *   11 48 8d 05 03 00 00 00   lea    1f(%rip),%rax
 *   18 50                     push   %rax
 *   19 48 cb                  lretq                      # compat. mode
 *   .code32
 *   1b b8 18 00 00 00       1: mov    $0x18,%eax
 *   20 8e d8 / 8e c0 / 8e d0 / 8e e0 / 8e e8   mov %eax,%ds/es/ss/fs/gs
 *   2a 0f 20 c0               mov    %cr0,%eax
 *   2d 25 ff ff ff 7f         and    $0x7fffffff,%eax    # PG off
 *   32 0f 22 c0               mov    %eax,%cr0
 *   35 b9 80 00 00 c0         mov    $0xc0000080,%ecx    # EFER
 *   3a 0f 32                  rdmsr
 *   3c 25 ff fe ff ff         and    $0xfffffeff,%eax    # LME off
 *   41 0f 30                  wrmsr
 *   43 31 c0                  xor    %eax,%eax
 *   45 0f 22 e0               mov    %eax,%cr4
 *   48 be <imm32>             mov    $esi,%esi           E32_ESI
 *   4d bb <imm32>             mov    $ebx,%ebx           E32_EBX
 *   52 b9 <imm32>             mov    $entry,%ecx         E32_ENTRY
 *   57 b8 <imm32>             mov    $eax,%eax           E32_EAX
 *   5c 31 d2 / 31 ff / 31 ed  xor %edx,%edx / %edi,%edi / %ebp,%ebp
 *   62 ff e1                  jmp    *%ecx
 *   70 gdtr: u16 limit 0x1f, u64 base                    E32_GDTR_BASE
 *   80 gdt: null, null, 0x00cf9a000000ffff (0x10 code32),
 *      0x00cf92000000ffff (0x18 data32) */
#include <string.h>

#include "x86.h"

enum {
	E32_ESI = 0x49,
	E32_EBX = 0x4e,
	E32_ENTRY = 0x53,
	E32_EAX = 0x58,
	E32_GDTR_BASE = 0x72,
	E32_GDT = 0x80,
};

static const uint8_t entry32_code[] = {
	0xfc, 0x0f, 0x01, 0x15, 0x68, 0x00, 0x00, 0x00, 0x48, 0x8d, 0x25, 0xf1,
	0x0f, 0x00, 0x00, 0x6a, 0x10, 0x48, 0x8d, 0x05, 0x03, 0x00, 0x00, 0x00,
	0x50, 0x48, 0xcb, 0xb8, 0x18, 0x00, 0x00, 0x00, 0x8e, 0xd8, 0x8e, 0xc0,
	0x8e, 0xd0, 0x8e, 0xe0, 0x8e, 0xe8, 0x0f, 0x20, 0xc0, 0x25, 0xff, 0xff,
	0xff, 0x7f, 0x0f, 0x22, 0xc0, 0xb9, 0x80, 0x00, 0x00, 0xc0, 0x0f, 0x32,
	0x25, 0xff, 0xfe, 0xff, 0xff, 0x0f, 0x30, 0x31, 0xc0, 0x0f, 0x22, 0xe0,
	0xbe, 0, 0, 0, 0, 0xbb, 0, 0, 0, 0, 0xb9, 0,
	0, 0, 0, 0xb8, 0, 0, 0, 0, 0x31, 0xd2, 0x31, 0xff,
	0x31, 0xed, 0xff, 0xe1, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xff, 0xff, 0x00, 0x00, 0x00, 0x9a, 0xcf, 0x00, 0xff, 0xff, 0x00, 0x00,
	0x00, 0x92, 0xcf, 0x00,
};

_Static_assert(sizeof(entry32_code) == E32_GDT + 0x20, "listing length");

void entry32_fill(uint8_t *t, uint64_t addr, uint32_t entry, uint32_t eax,
	uint32_t ebx, uint32_t esi)
{
	memset(t, 0, ENTRY32_SIZE);
	memcpy(t, entry32_code, sizeof(entry32_code));
	put_le32(t + E32_ESI, esi);
	put_le32(t + E32_EBX, ebx);
	put_le32(t + E32_ENTRY, entry);
	put_le32(t + E32_EAX, eax);
	put_le64(t + E32_GDTR_BASE, addr + E32_GDT);
}
