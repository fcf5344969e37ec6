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
#   make bench      lhv against KVM in every test VM (not part of check)
#   make demo       boot the svm-tcg test VM and show lhv.ko working
#   make clean

KDIR ?= $(shell $(CURDIR)/scripts/find-kdir.sh 2>/dev/null)

CC ?= gcc
USER_CFLAGS := -O2 -g -Wall -Wextra -Werror -std=gnu11 \
	       -I$(CURDIR)/include/uapi -I$(CURDIR)/include \
	       -I$(CURDIR)/launcher -I$(CURDIR)/guests
SAN_CFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
	      -fno-sanitize-recover=all

LAUNCHER := launcher/lhv-run
LAUNCHER_SRCS := $(wildcard launcher/*.c launcher/dev/*.c)
# liblhv: the launcher minus its main(); the in-VM tests link it too.
LIBLHV_SRCS := $(filter-out launcher/lhv-run.c,$(LAUNCHER_SRCS))
LIBLHV_DEPS := $(LIBLHV_SRCS) $(wildcard launcher/*.h launcher/dev/*.h) include/uapi/linux/lhv.h
UNIT_TESTS := tests/unit/test_caps tests/unit/test_memslot tests/unit/test_vcpu_state
UNIT_TESTS += tests/unit/test_emulate tests/unit/test_decode tests/unit/test_gwalk
UNIT_TESTS += tests/unit/test_alu
UNIT_TESTS += tests/unit/test_policy
UNIT_TESTS += tests/unit/test_vmx_bits
UNIT_TESTS += tests/unit/test_loader tests/unit/test_longmode
UNIT_TESTS += tests/unit/test_boot_info tests/unit/test_cpuinfo
UNIT_TESTS += tests/unit/test_runstate tests/unit/test_icr tests/unit/test_dest
UNIT_TESTS += tests/unit/test_msi tests/unit/test_apicbase tests/unit/test_x2apic
UNIT_TESTS += tests/unit/test_e820 tests/unit/test_multiboot tests/unit/test_bzimage
UNIT_TESTS += tests/unit/test_acpi tests/unit/test_mptable tests/unit/test_format
UNIT_TESTS += tests/unit/test_dev_uart tests/unit/test_dev_fwcfg tests/unit/test_dev_cmos
UNIT_TESTS += tests/unit/test_dev_pm tests/unit/test_dev_pit tests/unit/test_dev_bus tests/unit/test_dev_pc
UNIT_TESTS += tests/unit/test_dev_pic
UNIT_TESTS += tests/unit/test_dev_ioapic tests/unit/test_dev_pci tests/unit/test_virtq
UNIT_TESTS += tests/unit/test_virtio_pci tests/unit/test_disk
# In-VM test helpers, static like the launcher.
SELFTEST_PROGS := selftests/lhv/kvm_create_vm selftests/lhv/test_pcpu \
		  selftests/lhv/test_memory selftests/lhv/test_regs \
		  selftests/lhv/test_run selftests/lhv/test_lifecycle \
		  selftests/lhv/test_apic selftests/lhv/test_smp

# Freestanding test guests (Documentation/guests.rst).  The 64-bit ones
# are C on guests/lib, linked at 1 MiB by guests/guest.ld.
GUESTS_64 := hello mmio cpuid triple-fault spin isolation apic quiet smp bench
GUEST_IMAGES := $(GUESTS_64:%=guests/%.elf) guests/hello-realmode.bin
# The multiboot test kernel builds by its own Makefile (32-bit, QEMU-runnable).
GUEST_IMAGES += guests/multiboot/mb-smp.elf
# So do the conformance guests (multiboot images of 64-bit code, one per area).
CONFORM_IMAGES := $(patsubst %,guests/conform/%.elf,conf-exc conf-hc conf-apic conf-self conf-mmio)
GUEST_IMAGES += $(CONFORM_IMAGES)
GUEST_LIB := guests/lib/start.S guests/lib/rt.c guests/lib/gdt.S
GUEST_CFLAGS := -O2 -g -Wall -Wextra -Werror -std=gnu11 -ffreestanding \
		-fno-pic -fno-stack-protector -fno-asynchronous-unwind-tables \
		-mno-red-zone -mgeneral-regs-only -Iguests/lib -Iguests \
		-Ilauncher -Iinclude
GUEST_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none \
		 -Wl,-z,noexecstack -Wl,-z,max-page-size=4096

.PHONY: all module userspace guests unit check bench demo clean print-selftest-progs \
	print-guest-images ksft kvm-selftests

all: module userspace

module:
	@test -n "$(KDIR)" || { scripts/find-kdir.sh; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

userspace: $(LAUNCHER) $(UNIT_TESTS) $(SELFTEST_PROGS) guests

guests: $(GUEST_IMAGES)

$(GUESTS_64:%=guests/%.elf): guests/%.elf: guests/%.c $(GUEST_LIB) \
		$(wildcard guests/lib/*.h) guests/guest.ld $(wildcard guests/*.h)
	$(CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -Wl,-T,guests/guest.ld -o $@ \
		$(GUEST_LIB) $< $(filter-out $(GUEST_LIB),$(filter %.S,$^))
# A guest's own assembly, linked in by the rule above.
guests/smp.elf: guests/smp-ap.S
guests/bench.elf: guests/bench-ap.S guests/bench.h

# The kselftest suite for /dev/lhv (Documentation/testing.rst): its own
# Makefile, against kselftest_harness.h from the kernel source.
ksft:
	$(MAKE) -C selftests/lhv/ksft

# The nested INIT/SIPI tests of the L0 KVM (selftests/kvm/README.rst).
kvm-selftests:
	$(MAKE) -C selftests/kvm

.PHONY: guests/multiboot/mb-smp.elf
guests/multiboot/mb-smp.elf:
	$(MAKE) -C guests/multiboot

.PHONY: $(CONFORM_IMAGES)
$(CONFORM_IMAGES):
	$(MAKE) -C guests/conform $(@F)

# Real mode: a 64 KiB flat image for GPA 0xFFFF0000 with the reset vector
# at its offset 0xFFF0 (guests/realmode.ld).
guests/hello-realmode.bin: guests/hello-realmode.S guests/realmode.ld
	$(CC) -m32 -nostdlib -static -no-pie -Wl,--build-id=none \
		-Wl,-T,guests/realmode.ld -o $(@:.bin=.elf16) $<
	objcopy -O binary $(@:.bin=.elf16) $@
	@test $$(stat -c %s $@) -eq 65536 || { echo "$@ is not 64 KiB"; rm -f $@; exit 1; }

# Static, so it runs in the busybox test VMs as well as on the host.
$(LAUNCHER): $(LAUNCHER_SRCS) $(wildcard launcher/*.h launcher/dev/*.h) include/uapi/linux/lhv.h
	$(CC) $(USER_CFLAGS) -static -o $@ $(LAUNCHER_SRCS)

selftests/lhv/%: selftests/lhv/%.c $(wildcard selftests/lhv/*.h) $(LIBLHV_DEPS) $(wildcard guests/*.h)
	$(CC) $(USER_CFLAGS) -static -o $@ $< $(LIBLHV_SRCS)

# Each unit test links the pure sources it tests, built for userspace.
tests/unit/test_caps: nvmx/vmx_caps.c nvmx/vmx_caps.h nsvm/svm_caps.c nsvm/svm_caps.h
tests/unit/test_memslot: module/memslot_check.c module/memslot_check.h
tests/unit/test_vcpu_state: module/vcpu_state.c module/vcpu_state.h
tests/unit/test_policy: module/cpuid.c module/cpuid.h module/msr_policy.c module/msr_policy.h
tests/unit/test_vmx_bits: nvmx/vmx_bits.c nvmx/vmx_bits.h
EMUL_SRCS := module/decode.c module/decode.h module/gwalk.c module/gwalk.h \
	     module/emulate.c module/emulate.h tests/unit/emul_fixture.h \
	     module/alu.c module/alu.h
tests/unit/test_emulate tests/unit/test_gwalk tests/unit/test_alu: $(EMUL_SRCS)
# test_decode checks against objdump: its table is generated with binutils.
tests/unit/test_decode: $(EMUL_SRCS) build/unit/insns.h
tests/unit/test_decode: USER_CFLAGS += -I$(CURDIR)/build/unit
build/unit/insns.h: tests/unit/gen_insns.sh
	@mkdir -p $(@D)
	tests/unit/gen_insns.sh $@
tests/unit/test_loader: launcher/reason.c launcher/reason.h launcher/loader.c launcher/loader.h launcher/guest_ram.h
tests/unit/test_boot_info: launcher/boot_info.c launcher/boot_info.h guests/bootinfo.h \
			   launcher/guest_ram.h
tests/unit/test_cpuinfo: launcher/cpuinfo.c launcher/cpuinfo.h
tests/unit/test_longmode: launcher/longmode.c launcher/longmode.h launcher/guest_ram.h \
			  module/vcpu_state.c module/vcpu_state.h
tests/unit/test_runstate: lapic/runstate.c lapic/runstate.h lapic/icr.c lapic/icr.h \
			  module/vcpu_state.c module/vcpu_state.h
tests/unit/test_icr: lapic/icr.c lapic/icr.h
tests/unit/test_apicbase: lapic/apicbase.c lapic/apicbase.h
tests/unit/test_x2apic: lapic/x2apic.c lapic/x2apic.h
tests/unit/test_dest: lapic/dest.c lapic/dest.h lapic/icr.h
tests/unit/test_msi: lapic/msi.c lapic/msi.h lapic/dest.c lapic/dest.h lapic/icr.h
tests/unit/test_e820: launcher/e820.c launcher/e820.h launcher/platform.h
tests/unit/test_multiboot: launcher/reason.c launcher/reason.h launcher/multiboot.c launcher/multiboot.h launcher/e820.c launcher/e820.h \
			   launcher/loader.c launcher/loader.h launcher/guest_ram.h launcher/platform.h
tests/unit/test_bzimage: launcher/reason.c launcher/reason.h launcher/bzimage.c launcher/bzimage.h launcher/e820.c launcher/e820.h \
			 launcher/guest_ram.h launcher/platform.h
tests/unit/test_acpi: tests/unit/bios_ram.h launcher/reason.c launcher/reason.h launcher/acpi.c launcher/acpi.h launcher/aml.c launcher/aml.h launcher/guest_ram.h launcher/platform.h
tests/unit/test_mptable: tests/unit/bios_ram.h launcher/reason.c launcher/reason.h launcher/mptable.c launcher/mptable.h launcher/guest_ram.h launcher/platform.h
tests/unit/test_format: launcher/reason.c launcher/reason.h launcher/format.c launcher/format.h launcher/multiboot.c launcher/multiboot.h \
			launcher/bzimage.h launcher/loader.c launcher/e820.c launcher/platform.h
DEV_HDRS := launcher/dev/dev.h launcher/platform.h
tests/unit/test_dev_uart: launcher/dev/uart.c launcher/dev/uart.h $(DEV_HDRS)
tests/unit/test_dev_fwcfg: launcher/dev/fwcfg.c launcher/dev/fwcfg.h $(DEV_HDRS)
tests/unit/test_dev_cmos: launcher/dev/cmos.c launcher/dev/cmos.h $(DEV_HDRS)
tests/unit/test_dev_pm: launcher/dev/pm.c launcher/dev/pm.h $(DEV_HDRS)
tests/unit/test_dev_pit: launcher/dev/pit.c launcher/dev/pit.h $(DEV_HDRS)
tests/unit/test_dev_bus: launcher/dev/bus.c launcher/dev/bus.h launcher/dev/sysctl.c launcher/dev/sysctl.h $(DEV_HDRS)
tests/unit/test_dev_pc: $(wildcard launcher/dev/*.c launcher/dev/*.h) launcher/platform.h
tests/unit/test_dev_pic: launcher/dev/pic.c launcher/dev/pic.h $(DEV_HDRS)
tests/unit/test_dev_ioapic: launcher/dev/ioapic.c launcher/dev/ioapic.h $(DEV_HDRS)
tests/unit/test_dev_pci: launcher/dev/pci.c launcher/dev/pci.h $(DEV_HDRS)
tests/unit/test_virtq: launcher/dev/virtq.c launcher/dev/virtq.h launcher/guest_ram.h
tests/unit/test_virtio_pci: launcher/dev/virtio_pci.c launcher/dev/virtio_pci.h launcher/dev/virtio_blk.c \
			    launcher/dev/virtio_blk.h launcher/dev/virtq.c launcher/dev/virtq.h \
			    launcher/dev/virtio_console.c launcher/dev/virtio_console.h \
			    launcher/dev/virtio_net.c launcher/dev/virtio_net.h \
			    launcher/dev/pci.c launcher/dev/pci.h $(DEV_HDRS)
tests/unit/test_disk: launcher/disk.c launcher/disk.h launcher/thread.c launcher/thread.h \
		      launcher/dev/virtio_pci.c launcher/dev/virtio_pci.h launcher/dev/virtio_blk.c \
		      launcher/dev/virtio_blk.h launcher/dev/virtq.c launcher/dev/virtq.h \
		      launcher/dev/pci.c launcher/dev/pci.h $(DEV_HDRS)
tests/unit/test_disk: USER_CFLAGS += -pthread
$(UNIT_TESTS): tests/unit/%: tests/unit/%.c tests/unit/unit.h include/lhv/types.h include/lhv/abi.h
	$(CC) $(USER_CFLAGS) $(SAN_CFLAGS) -o $@ $(filter %.c,$^)

unit: $(UNIT_TESTS)
	@for t in $(UNIT_TESTS); do ./$$t || exit 1; done

check:
	scripts/check.sh

bench:
	scripts/bench.sh

# For scripts/mkimage.sh: what goes into the test VM's selftest directory.
print-selftest-progs:
	@echo $(SELFTEST_PROGS)

# ... and what goes into its guest directory, /usr/libexec/lhv/guests.
print-guest-images:
	@echo $(GUEST_IMAGES)

demo:
	scripts/demo.sh

# Installing (Documentation/install.rst): make install/uninstall (DESTDIR,
# PREFIX), the module's source for DKMS, the manual pages generated from
# Documentation/ by rst2man, the Debian packages lhv-dkms and lhv-tools.
.PHONY: man tools install uninstall install-tools install-module install-tests \
	install-dkms uninstall-dkms deb
VERSION := $(shell sed -n '1s/^lhv (\([^ ]*\)).*/\1/p' $(CURDIR)/debian/changelog)
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBEXECDIR ?= $(PREFIX)/libexec
MANDIR ?= $(PREFIX)/share/man
# The release of KDIR's kernel, e.g. 6.1.0-57-amd64 (Debian's headers give
# their upstream version as kernelrelease; UTS_RELEASE is what uname says).
KVER ?= $(shell sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h 2>/dev/null)
MODULE_DIR := /lib/modules/$(KVER)/extra
DKMS_DIR := /usr/src/lhv-$(VERSION)
MAN_PAGES := build/man/lhv-run.1 build/man/lhv.4
# The installed lhv-run: linked as distributions link programs (dynamic,
# the caller's CFLAGS, CPPFLAGS and LDFLAGS); launcher/lhv-run stays
# static for the test VMs.
TOOLS_LAUNCHER := build/tools/lhv-run

man: $(MAN_PAGES)

build/man/lhv-run.1: Documentation/lhv-run.rst
build/man/lhv.4: Documentation/man/lhv.4.rst Documentation/ioctl.rst Documentation/install.rst
$(MAN_PAGES):
	@mkdir -p $(@D)
	rst2man --halt=warning $< $@

$(TOOLS_LAUNCHER): $(LAUNCHER_SRCS) $(wildcard launcher/*.h launcher/dev/*.h) include/uapi/linux/lhv.h
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $(LAUNCHER_SRCS)

tools: $(TOOLS_LAUNCHER) man guests

install: install-module install-tools

install-module: module
	install -d $(DESTDIR)$(MODULE_DIR)
	install -m 644 lhv.ko $(DESTDIR)$(MODULE_DIR)/
	$(if $(DESTDIR),,depmod -a $(KVER))

install-tools: tools
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man4 \
		$(DESTDIR)$(LIBEXECDIR)/lhv/guests
	install -m 755 $(TOOLS_LAUNCHER) $(DESTDIR)$(BINDIR)/
	install -m 644 build/man/lhv-run.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 build/man/lhv.4 $(DESTDIR)$(MANDIR)/man4/
	install -m 644 $(GUEST_IMAGES) $(DESTDIR)$(LIBEXECDIR)/lhv/guests/

# The kselftest suite, to check an installed lhv (as root: sh run_tests.sh).
install-tests: ksft
	install -d $(DESTDIR)$(LIBEXECDIR)/lhv/ksft
	install -m 755 selftests/lhv/ksft/run_tests.sh $$(find selftests/lhv/ksft -maxdepth 1 \
		-name 'lhv_*_test' -type f -perm -u+x) $(DESTDIR)$(LIBEXECDIR)/lhv/ksft/

uninstall:
	rm -f $(DESTDIR)$(MODULE_DIR)/lhv.ko $(DESTDIR)$(BINDIR)/lhv-run
	rm -f $(DESTDIR)$(MANDIR)/man1/lhv-run.1 $(DESTDIR)$(MANDIR)/man4/lhv.4
	rm -rf $(DESTDIR)$(LIBEXECDIR)/lhv
	$(if $(DESTDIR),,depmod -a $(KVER))

# DKMS builds from these (/usr/src/lhv-VERSION, whatever PREFIX says).
install-dkms:
	install -d $(DESTDIR)$(DKMS_DIR)
	cp --parents Kbuild $$(find include module nvmx nsvm lapic -name '*.[chS]' | sort) \
		$(DESTDIR)$(DKMS_DIR)/
	sed 's/#MODULE_VERSION#/$(VERSION)/' dkms.conf > $(DESTDIR)$(DKMS_DIR)/dkms.conf

uninstall-dkms:
	rm -rf $(DESTDIR)$(DKMS_DIR)

deb:
	scripts/mkdeb.sh

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -f $(LAUNCHER) $(UNIT_TESTS) $(SELFTEST_PROGS) $(GUEST_IMAGES) guests/*.elf16
	$(MAKE) -C guests/multiboot clean
	$(MAKE) -C guests/conform clean
	$(MAKE) -C selftests/lhv/ksft clean
	$(MAKE) -C selftests/kvm clean
	rm -rf build
