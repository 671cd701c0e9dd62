/* The test kernel's headers and entry (what it checks: kernel.c's top
 * comment). Built three times: MB=1 gives a multiboot v1 ELF (load
 * addresses from the ELF), MB=2 a multiboot2 flat binary (load addresses
 * from the header's address tag, no ELF left to read), MB=0 a plain ELF32
 * kernel entered by boot.rst's 32-bit protocol (esi = boot_params). */
	.section .multiboot, "a"
#if MB == 0
	/* no header: hop takes it as an ELF32 kernel */
#elif MB == 1
	.balign 4
	/* magic, flags (page-aligned modules, memory info), checksum */
	.long 0x1badb002, 0x3, -(0x1badb002 + 0x3)
#else
	.balign 8
mb2:	.long 0xe85250d6, 0, mb2_end - mb2, -(0xe85250d6 + (mb2_end - mb2))
	/* information request: command line, modules, memory map */
	.balign 8
	.word 1, 0
	.long 20, 1, 3, 6
	/* address tag: the flat binary starts with this header */
	.balign 8
	.word 2, 0
	.long 24, mb2, _start_load, _edata, _end
	/* entry address tag */
	.balign 8
	.word 3, 0
	.long 12, _start
	/* module alignment */
	.balign 8
	.word 6, 0
	.long 8
	.balign 8
	.word 0, 0
	.long 8
mb2_end:
#endif

	.text
	.globl _start
_start:
	cli
	mov	$stack_top, %esp
	push	%esi		/* boot_params (32-bit Linux protocol) */
	push	%ebx		/* the information structure */
	push	%eax		/* the boot magic */
	call	kmain
1:	hlt
	jmp	1b

	.section .note.GNU-stack, "", @progbits
	.bss
	.balign 16
	.space 16384
stack_top:
