/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A boot sector that loads a Linux bzImage and its initramfs from the
 * disk it was booted from, for the Bochs test VM (scripts/bochs-boot.sh).
 *
 * Boot loaders that run in the BIOS environment spend most of a minute
 * under Bochs moving a few megabytes; this one does only what is needed:
 * large EDD reads (INT 13h AH=42h) into a bounce buffer below 1 MiB, each
 * copied to its place by the BIOS block move (INT 15h AH=87h).  The host
 * script fills in the extent table at EXTENTS: up to four entries of
 * { first sector, sector count, destination address }, a zero count ends
 * it.  The real-mode setup code must go to 0x90000 with the command line
 * inside it; the setup header has been filled in by the host.
 */
	.code16
	.text
	.globl _start

#define BOUNCE_SEG	0x1000		/* bounce buffer at 0x10000 */
#define CHUNK		64		/* sectors per read: 32 KiB */
#define EXTENTS		0x1b0		/* offset of the extent table */
#define COM1		0x3f8

_start:
	cli
	xorw	%ax, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	$0x7c00, %sp
	sti
	movb	%dl, drive

	movw	$0x7c00 + EXTENTS, %bx
next_extent:
	movl	4(%bx), %ecx			/* sectors left */
	jecxz	extents_done
read_chunk:
	movl	4(%bx), %ecx
	jecxz	extent_done
	cmpl	$CHUNK, %ecx
	jbe	1f
	movl	$CHUNK, %ecx
1:	movw	%cx, dap_count
	movl	0(%bx), %eax
	movl	%eax, dap_lba
	movw	$dap, %si
	movb	drive, %dl
	movb	$0x42, %ah
	pushw	%bx
	pushw	%cx
	int	$0x13
	popw	%cx
	popw	%bx
	jc	fail

	/* Copy CX sectors from the bounce buffer to the destination. */
	movl	8(%bx), %eax
	movw	%ax, gdt_dst + 2
	shrl	$16, %eax
	movb	%al, gdt_dst + 4
	movb	%ah, gdt_dst + 7
	pushw	%bx
	pushw	%cx
	shlw	$8, %cx				/* words */
	movw	$gdt87, %si
	movb	$0x87, %ah
	int	$0x15
	popw	%cx
	popw	%bx
	jc	fail

	movzwl	%cx, %ecx
	addl	%ecx, 0(%bx)			/* next sector */
	subl	%ecx, 4(%bx)			/* fewer left */
	shll	$9, %ecx
	addl	%ecx, 8(%bx)			/* further along */
	jmp	read_chunk
extent_done:
	addw	$12, %bx
	jmp	next_extent

extents_done:
	/* Enter the kernel's real-mode setup as the boot protocol says. */
	cli
	movw	$0x9000, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	$0xe000, %sp
	ljmp	$0x9020, $0

fail:	/* Tell the serial console, which scripts/run-vm is reading. */
	movw	$msg, %si
	movw	$COM1, %dx
1:	lodsb
	testb	%al, %al
	jz	2f
	outb	%al, %dx
	jmp	1b
2:	cli
	hlt
	jmp	2b

msg:	.asciz	"lhv-boot: disk read failed\r\n"
drive:	.byte	0

	.balign	4
dap:	.byte	0x10, 0			/* EDD disk address packet */
dap_count:
	.word	0
	.word	0, BOUNCE_SEG		/* buffer offset, segment */
dap_lba:
	.long	0, 0

	/* INT 15h AH=87h descriptor table: null, null, source, dest, 2 BIOS. */
gdt87:	.quad	0, 0
	.word	0xffff, (BOUNCE_SEG << 4) & 0xffff
	.byte	(BOUNCE_SEG >> 12) & 0xff, 0x93, 0, 0
gdt_dst:
	.word	0xffff, 0
	.byte	0, 0x93, 0, 0
	.quad	0, 0

	.org	EXTENTS
	.fill	48, 1, 0
	.org	0x1fe
	.word	0xaa55
