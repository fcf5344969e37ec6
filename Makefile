# SPDX-License-Identifier: GPL-2.0
#
# lhv top-level Makefile.  The module is built by Kbuild (see ./Kbuild);
# everything else is userspace built here.
#
#   make            lhv.ko against KDIR, the launcher, test programs, unit tests
#   make C=2        ... running sparse on every lhv source
#   make W=1        ... with the kernel's extra warnings
#   make unit       build and run the host unit tests under sanitizers
#   make check      everything: deps, build, unit tests, every test VM
#   make demo       boot the svm-tcg test VM and show lhv.ko working
#   make clean

KDIR ?= $(shell $(CURDIR)/scripts/find-kdir.sh 2>/dev/null)

CC ?= gcc
USER_CFLAGS := -O2 -g -Wall -Wextra -Werror -std=gnu11 \
	       -I$(CURDIR)/include/uapi -I$(CURDIR)/include
SAN_CFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
	      -fno-sanitize-recover=all

LAUNCHER := launcher/lhv-run
LAUNCHER_SRCS := $(wildcard launcher/*.c)
UNIT_TESTS := tests/unit/test_caps tests/unit/test_memslot tests/unit/test_vcpu_state
UNIT_TESTS += tests/unit/test_emulate tests/unit/test_decode tests/unit/test_gwalk
UNIT_TESTS += tests/unit/test_policy
UNIT_TESTS += tests/unit/test_vmx_bits
# In-VM test helpers, static like the launcher.
SELFTEST_PROGS := selftests/lhv/kvm_create_vm selftests/lhv/test_pcpu \
		  selftests/lhv/test_memory selftests/lhv/test_regs

.PHONY: all module userspace unit check demo clean print-selftest-progs

all: module userspace

module:
	@test -n "$(KDIR)" || { scripts/find-kdir.sh; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

userspace: $(LAUNCHER) $(UNIT_TESTS) $(SELFTEST_PROGS)

# Static, so it runs in the busybox test VMs as well as on the host.
$(LAUNCHER): $(LAUNCHER_SRCS) $(wildcard launcher/*.h) include/uapi/linux/lhv.h
	$(CC) $(USER_CFLAGS) -static -o $@ $(LAUNCHER_SRCS)

selftests/lhv/%: selftests/lhv/%.c selftests/lhv/tap.h include/uapi/linux/lhv.h
	$(CC) $(USER_CFLAGS) -static -o $@ $<

# Each unit test links the pure sources it tests, built for userspace.
tests/unit/test_caps: nvmx/vmx_caps.c nvmx/vmx_caps.h nsvm/svm_caps.c nsvm/svm_caps.h
tests/unit/test_memslot: module/memslot_check.c module/memslot_check.h
tests/unit/test_vcpu_state: module/vcpu_state.c module/vcpu_state.h
tests/unit/test_policy: module/cpuid.c module/cpuid.h module/msr_policy.c module/msr_policy.h
tests/unit/test_vmx_bits: nvmx/vmx_bits.c nvmx/vmx_bits.h
EMUL_SRCS := module/decode.c module/decode.h module/gwalk.c module/gwalk.h \
	     module/emulate.c module/emulate.h tests/unit/emul_fixture.h
tests/unit/test_emulate tests/unit/test_gwalk: $(EMUL_SRCS)
# test_decode checks against objdump: its table is generated with binutils.
tests/unit/test_decode: $(EMUL_SRCS) build/unit/insns.h
tests/unit/test_decode: USER_CFLAGS += -I$(CURDIR)/build/unit
build/unit/insns.h: tests/unit/gen_insns.sh
	@mkdir -p $(@D)
	tests/unit/gen_insns.sh $@
$(UNIT_TESTS): tests/unit/%: tests/unit/%.c tests/unit/unit.h include/lhv/types.h include/lhv/abi.h
	$(CC) $(USER_CFLAGS) $(SAN_CFLAGS) -o $@ $(filter %.c,$^)

unit: $(UNIT_TESTS)
	@for t in $(UNIT_TESTS); do ./$$t || exit 1; done

check:
	scripts/check.sh

# For scripts/mkimage.sh: what goes into the test VM's selftest directory.
print-selftest-progs:
	@echo $(SELFTEST_PROGS)

demo:
	scripts/demo.sh

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -f $(LAUNCHER) $(UNIT_TESTS) $(SELFTEST_PROGS)
	rm -rf build
