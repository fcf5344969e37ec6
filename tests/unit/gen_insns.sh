#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Generate the instruction table tests/unit/test_decode.c checks the
# decoder and the emulator against: a list of encodings in 16-, 32- and
# 64-bit code, assembled with binutils' as and disassembled with objdump,
# written as a C array of {mode, length, bytes, objdump's text, source}.
# objdump is the reference for the length and the operands; the test
# checks the decoder against that text and runs each instruction through
# lhv_emulate_mmio/io against a model driven by the same text.
#
# Usage: gen_insns.sh OUTPUT.h
set -euo pipefail

out=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Memory operands by mode.  Each has a base register (or none) the test
# can point at the MMIO window; no operand uses one register twice.
mem64=('(%rbx)' '0x10(%rsi)' '-0x80(%rdi,%rcx,4)' '0x12345(%r12)'
       '(%r13,%r14,8)' '0x7c(%rsp)' '(%rbp)' '0x20(,%rdx,2)'
       '%fs:0x10(%rax)' '%gs:(%rbx)' '(%ebx)' '0x10(%r8d,%r9d,2)'
       '0x90000(%rip)' '-0x4(%r11,%r10,1)')
mem32=('(%ebx)' '0x10(%esi)' '-0x80(%edi,%ecx,4)' '0x12345(%eax)'
       '(%ebp,%edx,8)' '0x7c(%esp)' '%es:(%ebx)' '%fs:0x10(%eax)'
       '(%bx,%si)' '0x20(,%edx,2)')
mem16=('(%bx)' '0x10(%si)' '-0x10(%bp,%di)' '(%bx,%si)' '0x7f(%di)'
       '%es:(%bx)' '%fs:0x100(%bp)' '(%ebx)' '0x10(%eax,%ecx,2)'
       '0x1234(%bx,%di)')

# Registers by size, cycled through so the forms see many of them.
regs64_1=(%al %cl %dl %bl %ah %ch %dh %bh %sil %dil %r8b %r15b)
regs64_2=(%ax %cx %dx %bx %si %di %r9w %r14w)
regs64_4=(%eax %ecx %edx %ebx %esi %edi %r10d %r13d)
regs64_8=(%rax %rcx %rdx %rbx %rsi %rdi %r11 %r12)
regs_1=(%al %cl %dl %bl %ah %ch %dh %bh)
regs_2=(%ax %cx %dx %bx %si %di %bp %sp)
regs_4=(%eax %ecx %edx %ebx %esi %edi %ebp %esp)

n=0
# reg MODE SIZE: set R to a register of SIZE bytes that the memory operand
# $m (of the caller) does not use, cycling through the registers.
reg() {
	local r tries=0 name
	if [ "$1" = 64 ]; then name=regs64_$2; else name=regs_$2; fi
	local -n arr=$name
	while :; do
		r=${arr[$((n % ${#arr[@]}))]}
		n=$((n + 1))
		tries=$((tries + 1))
		# %ah-%bh cannot be encoded with a REX prefix.
		case "$1:$r:$m" in
		64:%[abcd]h:*%r[0-9]*) continue ;;
		64:%[abcd]h:*) ;;
		esac
		local base=${r#%}
		base=${base#[er]}
		base=${base%[lhxwdb]}
		base=${base%il}
		[ $tries -gt 20 ] && break
		case "$m" in
		*"$base"*) continue ;;
		esac
		break
	done
	R=$r
}

emit() {
	echo "$*" >>"$tmp/$mode.s"
}

suffix() {
	case $1 in 1) echo b ;; 2) echo w ;; 4) echo l ;; 8) echo q ;; esac
}

for mode in 16 32 64; do
	echo ".code$mode" >"$tmp/$mode.s"
	if [ $mode = 64 ]; then
		mems=("${mem64[@]}")
		sizes="1 2 4 8"
	elif [ $mode = 32 ]; then
		mems=("${mem32[@]}")
		sizes="1 2 4"
	else
		mems=("${mem16[@]}")
		sizes="1 2 4"
	fi
	nsz=$(echo $sizes | wc -w)
	i=0
	for m in "${mems[@]}"; do
		for s in $sizes; do
			sf=$(suffix $s)
			reg $mode $s
			emit "mov$sf $R,$m"
			reg $mode $s
			emit "mov$sf $m,$R"
		done
		s=$(echo $sizes | cut -d' ' -f$((i % 3 + 1)))
		sf=$(suffix $s)
		emit "mov$sf \$0x5a,$m"
		for op in add or adc sbb and sub xor cmp; do
			s=$(echo $sizes | cut -d' ' -f$(((i + ${#op}) % nsz + 1)))
			sf=$(suffix $s)
			reg $mode $s
			emit "$op$sf $R,$m"
			reg $mode $s
			emit "$op$sf $m,$R"
			emit "$op$sf \$-0x3,$m"
			[ $s != 1 ] && emit "$op$sf \$0x1234,$m"
		done
		# Shifts and rotates by 1, by CL and by imm8; the unary ops.
		k=0
		for op in rol ror rcl rcr shl shr sar not neg inc dec; do
			k=$((k + 1))
			sf=$(suffix $(echo $sizes | cut -d' ' -f$(((i + k) % nsz + 1))))
			emit "$op$sf $m"
			case $op in
			not|neg|inc|dec) continue ;;
			esac
			emit "$op$sf %cl,$m"
			emit "$op$sf \$0x$((i % 4 * 8 + 3)),$m"
		done
		# shld and shrd by imm8 (0 to 33: 16 and past it for words,
		# 32 and 33 masked) and by CL; no 8-bit form.
		for op in shld shrd; do
			k=$((k + 1))
			s=$(echo $sizes | cut -d' ' -f$(((i + k) % (nsz - 1) + 2)))
			sf=$(suffix $s)
			reg $mode $s
			emit "$op$sf \$$(((i * 7 + k) % 34)),$R,$m"
			reg $mode $s
			emit "$op$sf %cl,$R,$m"
		done
		s=$(echo $sizes | cut -d' ' -f$((i % (nsz - 1) + 2)))
		sf=$(suffix $s)
		reg $mode $s
		emit "test$sf $R,$m"
		emit "testb \$0x81,$m"
		emit "test$sf \$0x4001,$m"
		for op in bt bts btr btc; do
			reg $mode $s
			emit "$op$sf $R,$m"
			emit "$op$sf \$0x$((i * 5 % 64)),$m"
		done
		reg $mode $s
		emit "xchg$sf $R,$m"
		reg $mode 1
		emit "xchgb $R,$m"
		for op in cmpxchg xadd; do
			k=$(echo $sizes | cut -d' ' -f$(((i + ${#op}) % nsz + 1)))
			reg $mode $k
			emit "$op$(suffix $k) $R,$m"
		done
		emit "lock orl \$0x10,$m"
		reg $mode $s
		emit "movzb$sf $m,$R"
		reg $mode 4
		emit "movsbl $m,$R"
		reg $mode 4
		emit "movzwl $m,$R"
		reg $mode 4
		emit "movswl $m,$R"
		if [ $mode = 64 ]; then
			reg $mode 8
			emit "movzwq $m,$R"
			reg $mode 8
			emit "movsbq $m,$R"
			reg $mode 8
			emit "movslq $m,$R"
			emit "movq \$-0x2,$m"
		fi
		i=$((i + 1))
	done
	# moffs forms and the string and port instructions.
	if [ $mode = 64 ]; then
		emit "movabs 0xd0000100,%al"
		emit "movabs %eax,0xd0000104"
		emit "movabs 0xd0000108,%rax"
		emit "movabs %ax,0xd000010c"
	elif [ $mode = 32 ]; then
		emit "mov 0xd0000100,%al"
		emit "mov %eax,0xd0000104"
		emit "mov 0xd0000108,%ax"
	else
		emit "mov 0x1234,%al"
		emit "mov %ax,0x1236"
		emit "mov 0x1238,%eax"
	fi
	for s in $sizes; do
		sf=$(suffix $s)
		for op in movs stos lods; do
			emit "$op$sf"
			emit "rep $op$sf"
		done
		for op in cmps scas; do
			emit "$op$sf"
			emit "repz $op$sf"
			emit "repnz $op$sf"
		done
	done
	emit "fs movsb"
	emit "gs cmpsw"
	# The other address size: addr16 in 32-bit code, addr32 elsewhere.
	ad=addr32
	[ $mode = 32 ] && ad=addr16
	emit "$ad rep movsw"
	emit "$ad stosl"
	emit "rep $ad lodsb"
	emit "$ad repz cmpsb"
	emit "repnz $ad scasl"
	for s in 1 2 4; do
		sf=$(suffix $s)
		emit "in$sf \$0x60"
		emit "out$sf \$0x80"
		emit "in$sf (%dx)"
		emit "out$sf (%dx)"
		emit "ins$sf"
		emit "rep ins$sf"
		emit "outs$sf"
		emit "rep outs$sf"
	done
	for i in cpuid rdmsr wrmsr xsetbv hlt vmcall vmmcall; do
		emit "$i"
	done
	# Forms only .byte can write: 82 (group 1 again, not in 64-bit
	# mode), group 2's /6 (sal as shl); and the bug report's adc.
	if [ $mode = 64 ]; then
		emit "adcl %ebx,0x12345678(%r12)"
		emit "lock sbbq %rax,-0x8(%r12)"
	else
		emit ".byte 0x82, 0x07, 0x05"
		emit ".byte 0x66, 0x82, 0x2f, 0x80"
	fi
	emit ".byte 0xd1, 0x37"
	emit ".byte 0xd2, 0x37"
	# Register-only forms: decoded (lengths), never MMIO.
	emit "mov %ecx,%edx"
	emit "add %al,%bh"
	emit "cmp \$0x7f,%si"
	emit "add \$0x12345678,%eax"
	emit "xor \$0x12,%al"
	emit "adc \$0x1,%ecx"
	emit "shl %cl,%edx"
	emit "rcr %bh"
	emit "not %eax"
	emit "bts %eax,%edx"
	emit "cmpxchg %ecx,%edx"
	emit "shld \$3,%eax,%edx"
	emit "shrd %cl,%ebx,%esi"
done

as --64 -o "$tmp/64.o" "$tmp/64.s"
as --32 -o "$tmp/32.o" "$tmp/32.s"
as --32 -o "$tmp/16.o" "$tmp/16.s"

{
	echo "/* Generated by tests/unit/gen_insns.sh: do not edit. */"
	for mode in 16 32 64; do
		case $mode in
		16) arch=i8086 ;;
		32) arch=i386 ;;
		64) arch=i386:x86-64 ;;
		esac
		objdump -d -m $arch -M suffix --insn-width=15 "$tmp/$mode.o" |
			grep -P '^ +[0-9a-f]+:\t' >"$tmp/$mode.dis"
		tail -n +2 "$tmp/$mode.s" >"$tmp/$mode.src"
		if [ "$(wc -l <"$tmp/$mode.dis")" != "$(wc -l <"$tmp/$mode.src")" ]; then
			echo "gen_insns: $mode-bit: objdump's lines do not match the source" >&2
			exit 1
		fi
		paste -d '\n' "$tmp/$mode.dis" "$tmp/$mode.src" |
		awk -v mode=$mode -F '\t' '
		NR % 2 == 1 {
			hex = $2; text = $3
			sub(/ +#.*$/, "", text)
			sub(/ +$/, "", text)
			gsub(/ +$/, "", hex)
			nb = split(hex, b, " ")
			bytes = ""
			for (i = 1; i <= nb; i++)
				bytes = bytes "\\x" b[i]
			next
		}
		{
			printf "{ %d, %d, \"%s\", \"%s\", \"%s\" },\n", mode, nb, bytes, text, $0
		}'
	done
} >"$out.tmp"
mv "$out.tmp" "$out"
