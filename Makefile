# SPDX-License-Identifier: GPL-2.0
#
# kcage top-level Makefile.  The two commands a newcomer needs:
#
#   make demo    build everything, boot Debian's kernel in QEMU, load kcage
#                and an example driver, show what happened
#   make check   all tests: unit (user space), VM (stock kernel), KUnit and
#                VM on the debug kernel; ends with "N passed, N failed"
#
# Both install what is missing (as root) and cache downloads and kernels
# under ~/.cache/kcage.  See README.md and docs/ for the rest.

BUILD := $(CURDIR)/build
export KCAGE_CACHE ?= $(HOME)/.cache/kcage

# Host packages, the stock kernel image, the Zydis source: see scripts/deps.sh.
$(BUILD)/env.mk: scripts/deps.sh
	@mkdir -p $(BUILD)
	scripts/deps.sh > $@.tmp && mv $@.tmp $@
# make install (on a machine that only runs kcage) needs no test kernel:
# only then is env.mk, whose rule fetches one, left out.
INSTALL_GOALS := install uninstall
ifeq ($(MAKECMDGOALS),)
-include $(BUILD)/env.mk
else ifneq ($(filter-out $(INSTALL_GOALS),$(MAKECMDGOALS)),)
-include $(BUILD)/env.mk
endif

STOCK_KDIR = /usr/src/linux-headers-$(KVER)
STOCK_IMAGE = $(KCAGE_CACHE)/kernel/$(KVER)/root/boot/vmlinuz-$(KVER)
STOCK_MODROOT = $(KCAGE_CACHE)/kernel/$(KVER)/root/lib/modules/$(KVER)

# Out-of-tree modules: kcage itself, example drivers, test-only modules.
KO_DIRS := examples/modules/kc_hello examples/modules/kc_forms tests/vm/modules/kc_warn \
	tests/vm/modules/kc_peek tests/vm/modules/kc_faults tests/vm/modules/kc_bytes \
	tests/vm/modules/kc_crash tests/vm/modules/kc_hammer tests/vm/modules/kc_attack \
	tests/attacks tests/bench/modules/kc_raid6bench tests/bench/modules/kc_cross

.PHONY: all deps kmod modules user unit-check vm vm-debug check stress demo bench bench-vm bench-user compat compat-check \
	fuzz fuzz-keep install uninstall install-check \
	debug-kernel kmod-debug modules-debug clean distclean

all: kmod modules user

deps: $(BUILD)/env.mk

# kbuild has its own dependency tracking; always ask it.
kmod: deps
	scripts/kbuild.sh $(STOCK_KDIR) kmod $(BUILD)/stock/kmod

modules: deps
	@mkdir -p $(BUILD)/stock/ko
	@set -e; for d in $(KO_DIRS); do \
		scripts/kbuild.sh $(STOCK_KDIR) $$d $(BUILD)/stock/$$d -s; \
		if [ -x $$d/patch-elf.py ]; then $$d/patch-elf.py $(BUILD)/stock/$$d; fi; \
		cp $(BUILD)/stock/$$d/*.ko $(BUILD)/stock/ko/; \
	done

# The debug/KUnit kernel (built once, ~10 min on 2 cores, then cached).
$(BUILD)/debug-env.mk: scripts/debug-kernel.sh tests/kunit/debug-kernel.config | deps
	scripts/debug-kernel.sh > $@.tmp && mv $@.tmp $@
debug-kernel: $(BUILD)/debug-env.mk
# Included (and so first remade, with make restarting to read it) only when
# a goal needs the debug kernel: plain "make kmod" must not build a kernel.
DEBUG_GOALS := debug-kernel kmod-debug modules-debug vm-debug stress
ifneq ($(filter $(DEBUG_GOALS),$(MAKECMDGOALS)),)
include $(BUILD)/debug-env.mk
endif

kmod-debug: debug-kernel
	scripts/kbuild.sh $(KDBG_TREE) kmod $(BUILD)/debug/kmod

modules-debug: debug-kernel
	@mkdir -p $(BUILD)/debug/ko
	@set -e; for d in $(KO_DIRS); do \
		scripts/kbuild.sh $(KDBG_TREE) $$d $(BUILD)/debug/$$d -s; \
		if [ -x $$d/patch-elf.py ]; then $$d/patch-elf.py $(BUILD)/debug/$$d; fi; \
		cp $(BUILD)/debug/$$d/*.ko $(BUILD)/debug/ko/; \
	done

# User space: unit tests, policyc, the kcage tool, the netlink fuzzer.
# Everything in build/user/bin is shipped into the test VM.
user: deps
	$(MAKE) -C tests/unit BUILD=$(BUILD)/user ZYDIS=$(KCAGE_CACHE)/zydis/4.0.0/src
	@# build/user/bin/policyc finds the base policies as an installed one does
	@mkdir -p $(BUILD)/user/share/kcage && ln -sfn $(CURDIR)/policy/base $(BUILD)/user/share/kcage/base
	$(MAKE) -C policyc BUILD=$(BUILD)/user
	$(MAKE) -C tools BUILD=$(BUILD)/user
	$(MAKE) -C tests/fuzz BUILD=$(BUILD)/user
	$(MAKE) -C tests/bench/tools BUILD=$(BUILD)/user

unit-check: user
	$(MAKE) -C tests/unit BUILD=$(BUILD)/user ZYDIS=$(KCAGE_CACHE)/zydis/4.0.0/src \
		MODROOT=$(STOCK_MODROOT) RESULTS=$(or $(RESULTS),/dev/null) check
	@out=$$(python3 scripts/check-layers.py kmod); rc=$$?; \
		echo "$$out" | tee -a $(or $(RESULTS),/dev/null); exit $$rc
	@out=$$(scripts/check-kernel-doc.sh $(STOCK_KDIR) kmod); rc=$$?; \
		echo "$$out" | tee -a $(or $(RESULTS),/dev/null); exit $$rc
	@out=$$(python3 tests/vm/test_parse.py); rc=$$?; \
		echo "$$out" | tee -a $(or $(RESULTS),/dev/null); exit $$rc
	@out=$$(tests/policyc/run.sh $(BUILD)/user/bin/policyc); rc=$$?; \
		echo "$$out" | tee -a $(or $(RESULTS),/dev/null); exit $$rc
	@out=$$($(MAKE) -s -C tools BUILD=$(BUILD)/user check); rc=$$?; \
		echo "$$out" | tee -a $(or $(RESULTS),/dev/null); exit $$rc
	@out=$$($(MAKE) -s -C tests/fuzz BUILD=$(BUILD)/user check); rc=$$?; \
		echo "$$out" | tee -a $(or $(RESULTS),/dev/null); exit $$rc

# Extra harness arguments: STREAM=1 shows the console live; RESULTS and
# RESULT_PREFIX record PASS/FAIL lines for scripts/check.sh; TESTS_DIR picks
# another directory of tests (tests/vm/broken for the harness self-test).
VM_ARGS = $(if $(STREAM),--stream) $(if $(RESULTS),--results $(RESULTS)) \
	  $(if $(RESULT_PREFIX),--prefix $(RESULT_PREFIX)) $(if $(TESTS_DIR),--tests-dir $(TESTS_DIR)) \
	  $(if $(STRESS),--stress $(STRESS))

# Run VM tests on the stock kernel:  make vm [TESTS=a,b] [STREAM=1]
vm: kmod modules
	python3 tests/vm/run.py --kernel stock --image $(STOCK_IMAGE) \
		--modroot $(STOCK_MODROOT) --ko $(BUILD)/stock/kmod/kcage.ko \
		--modules $(BUILD)/stock/ko --tools $(BUILD)/user/bin \
		--work $(BUILD)/stock/vm$(WORK_SUFFIX) --tests "$(TESTS)" $(VM_ARGS)

# The same on the debug kernel (KASAN, lockdep), plus the KUnit suites.
vm-debug: kmod-debug modules-debug
	python3 tests/vm/run.py --kernel debug --image $(KDBG_IMAGE) \
		--modroot $(wildcard $(KDBG_MODS)/lib/modules/*) \
		--ko $(BUILD)/debug/kmod/kcage.ko \
		--modules $(BUILD)/debug/ko --tools $(BUILD)/user/bin \
		--work $(BUILD)/debug/vm$(WORK_SUFFIX) --tests "$(TESTS)" $(VM_ARGS)

check:
	@scripts/check.sh

# The long stress (opt-in): the "# stress: yes" VM tests for
# STRESS_SECONDS each (make check runs them for a minute), on the stock
# and then the debug kernel.
STRESS_SECONDS ?= 900
STRESS_TESTS := stress_cycles,stress_hammer
stress: kmod modules user kmod-debug modules-debug
	$(MAKE) vm TESTS=$(STRESS_TESTS) WORK_SUFFIX=-stress STRESS=$(STRESS_SECONDS)
	$(MAKE) vm-debug TESTS=$(STRESS_TESTS) WORK_SUFFIX=-stress STRESS=$(STRESS_SECONDS)

# libFuzzer targets (need clang), each run for FUZZ_SECONDS (default 60):
# the translator core against native execution, and the policy decoder
# with ASan and UBSan from tests/unit/policy/corpus.
fuzz: deps
	$(MAKE) -C tests/unit BUILD=$(BUILD)/user ZYDIS=$(KCAGE_CACHE)/zydis/4.0.0/src \
		$(if $(FUZZ_SECONDS),FUZZ_SECONDS=$(FUZZ_SECONDS)) fuzz

# After a long make fuzz: keep its corpus as regression inputs (see
# tests/unit/Makefile), then commit tests/unit/diff/regress and
# tests/unit/policy/corpus.
fuzz-keep: deps
	$(MAKE) -C tests/unit BUILD=$(BUILD)/user ZYDIS=$(KCAGE_CACHE)/zydis/4.0.0/src fuzz-keep

# Benchmarks (tests/bench): the VM half, then the user-space half (run
# even when a VM workload failed; make bench fails if either did).
bench:
	@rc=0; $(MAKE) bench-vm || rc=1; $(MAKE) bench-user || rc=1; exit $$rc

# The VM workloads (tests/bench/vm), each native, translate-only and
# enforced, in two boots of one CPU: under QEMU's -icount (printk time
# counts guest instructions) and without (host time, each phase three
# times, the fastest counting); one table, and build/bench/vm.json.  Workloads whose enforced run fails (translator
# bugs) go last, so that what they leave behind cannot spoil the others.
BENCH_VM_TESTS := forms,crossing,crc32c,sha256,ext4,ext4_first,raid6,aes,vfat
BENCH_VM = python3 tests/vm/run.py --kernel stock --image $(STOCK_IMAGE) \
	--modroot $(STOCK_MODROOT) --ko $(BUILD)/stock/kmod/kcage.ko \
	--modules $(BUILD)/stock/ko --tools $(BUILD)/user/bin \
	--tests-dir tests/bench/vm --tests $(BENCH_VM_TESTS)
bench-vm: kmod modules user
	@rc=0; \
	$(BENCH_VM) --work $(BUILD)/stock/bench --qemu-arg=-icount --qemu-arg=shift=0 || rc=1; \
	$(BENCH_VM) --work $(BUILD)/stock/bench-wall --append kcage_bench_reps=3 || rc=1; \
	cat /proc/loadavg > $(BUILD)/stock/bench-wall/loadavg; \
	python3 tests/bench/report.py --icount $(BUILD)/stock/bench/console.log \
		--wall $(BUILD)/stock/bench-wall/console.log --json $(BUILD)/bench/vm.json || rc=1; \
	exit $$rc

# The compatibility corpus (tests/compat): real Debian modules, each
# workload native, translate-only, learning, and enforcing what it
# learned, in one boot; the table goes to build/compat/table.md and, with
# COMPAT_DOCS=1, into docs/compatibility.md, the learned policies to
# build/compat/learned.  make check runs COMPAT_CHECK.
COMPAT_TESTS := vfat,ext4,xfs,isofs,squashfs,loop,zram,crypto,raid6,net,bridge,wireguard,pcnet32,e1000
COMPAT_CHECK := vfat
compat: kmod modules user
	@mkdir -p $(BUILD)/compat
	@rc=0; python3 tests/vm/run.py --kernel stock --image $(STOCK_IMAGE) \
		--modroot $(STOCK_MODROOT) --ko $(BUILD)/stock/kmod/kcage.ko \
		--modules $(BUILD)/stock/ko --tools $(BUILD)/user/bin \
		--tests-dir tests/compat --tests $(COMPAT_TESTS) \
		--work $(BUILD)/stock/compat$(WORK_SUFFIX) $(VM_ARGS) || rc=1; \
	python3 tests/compat/table.py $(BUILD)/stock/compat$(WORK_SUFFIX)/console.log \
		--date "$$(date -u '+%F %H:%M UTC')" $(if $(COMPAT_DOCS),--docs docs/compatibility.md) \
		--learned $(BUILD)/compat/learned \
		> $(BUILD)/compat/table.md || rc=1; \
	cat $(BUILD)/compat/table.md; exit $$rc
compat-check:
	$(MAKE) compat COMPAT_TESTS=$(COMPAT_CHECK)

# The user-space half of the benchmarks (tests/bench/user): the
# translator core translate-only against native, valgrind and qemu-user on
# the differential test's corpus; a table, and build/bench/user.json.
bench-user: deps
	$(MAKE) -C tests/unit BUILD=$(BUILD)/user ZYDIS=$(KCAGE_CACHE)/zydis/4.0.0/src bench
	python3 tests/bench/user/run.py $(BUILD)/user/bench/bench_user $(BUILD)/bench/user.json

demo:
	@scripts/demo.sh

# make install [DESTDIR=...] [PREFIX=/usr]: the tools, man pages, base
# policies, UAPI headers, shell completion, boot service and init script,
# and kcage.ko's DKMS source tree (then: dkms install kcage/$(VERSION)).
# docs/installing.md.  Files in /etc (where kcage
# looks, whatever PREFIX is) are installed only where none is, so that an
# administrator's edits are kept.
VERSION := $(shell sed -n 's/^\#define KCAGE_TOOL_VERSION\t"\(.*\)"/\1/p' tools/kcage.h)
PREFIX ?= /usr
BINDIR ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
INCLUDEDIR ?= $(PREFIX)/include
UNITDIR ?= $(PREFIX)/lib/systemd/system
COMPLETIONDIR ?= $(DATADIR)/bash-completion/completions
DKMSDIR ?= /usr/src
INSTALL_OBJ := $(BUILD)/install-obj
ZYDIS_SRC = $(KCAGE_CACHE)/zydis/4.0.0/src
SUBST = sed 's|@SBINDIR@|$(SBINDIR)|g'

install:
	scripts/deps.sh --install-only >/dev/null
	$(MAKE) -C policyc BUILD=$(INSTALL_OBJ)
	$(MAKE) -C tools BUILD=$(INSTALL_OBJ)
	install -D -m 755 $(INSTALL_OBJ)/bin/policyc $(DESTDIR)$(BINDIR)/policyc
	install -D -m 755 $(INSTALL_OBJ)/bin/kcage $(DESTDIR)$(SBINDIR)/kcage
	install -D -m 644 -t $(DESTDIR)$(MANDIR)/man1 dist/man/policyc.1
	install -D -m 644 -t $(DESTDIR)$(MANDIR)/man5 dist/man/kcage.conf.5
	install -D -m 644 -t $(DESTDIR)$(MANDIR)/man8 dist/man/kcage.8
	install -D -m 644 -t $(DESTDIR)$(DATADIR)/kcage/base policy/base/*.yaml
	install -D -m 644 -t $(DESTDIR)$(INCLUDEDIR)/kcage include/uapi/kcage/*.h
	install -D -m 644 dist/bash-completion/kcage $(DESTDIR)$(COMPLETIONDIR)/kcage
	install -D -m 644 dist/bash-completion/policyc $(DESTDIR)$(COMPLETIONDIR)/policyc
	install -d $(DESTDIR)$(UNITDIR) $(DESTDIR)/etc/init.d
	$(SUBST) dist/systemd/kcage.service.in > $(DESTDIR)$(UNITDIR)/kcage.service
	$(SUBST) dist/init.d/kcage.in > $(DESTDIR)/etc/init.d/kcage
	chmod 755 $(DESTDIR)/etc/init.d/kcage
	install -d -m 755 $(DESTDIR)/etc/kcage/policies.d $(DESTDIR)/etc/modprobe.d
	[ -e $(DESTDIR)/etc/kcage/kcage.conf ] || \
		install -m 644 dist/etc/kcage.conf $(DESTDIR)/etc/kcage/kcage.conf
	[ -e $(DESTDIR)/etc/modprobe.d/kcage.conf ] || \
		$(SUBST) dist/etc/modprobe.conf > $(DESTDIR)/etc/modprobe.d/kcage.conf
	scripts/dkms-tree.sh $(DESTDIR)$(DKMSDIR)/kcage-$(VERSION) $(VERSION) $(ZYDIS_SRC)

# The install tests: make install DESTDIR=build/install/root
# PREFIX=/usr, checked on the host (tests/install/host.sh), kcage.ko built
# from the installed DKMS tree by dkms, the host's kmod as the guest's
# modprobe; then the tests in tests/install/vm boot with that tree as the
# guest's root (run.py --overlay), in the order of INSTALL_TESTS.
INSTALL_TEST := $(BUILD)/install
INSTALL_TESTS := install_modprobe,install_fail_closed,install_boot
INSTALL_ROOT := $(INSTALL_TEST)/root
install-check: kmod modules user
	@rm -rf $(INSTALL_TEST)
	$(MAKE) --no-print-directory install DESTDIR=$(INSTALL_ROOT) PREFIX=/usr
	@install -D -m 755 $$(command -v kmod) $(INSTALL_ROOT)/sbin/kmod
	@for t in modprobe depmod insmod rmmod lsmod modinfo; do ln -s kmod $(INSTALL_ROOT)/sbin/$$t; done
	@out=$$(tests/install/host.sh $(INSTALL_ROOT)); rc=$$?; \
		echo "$$out" | tee -a $(or $(RESULTS),/dev/null); exit $$rc
	scripts/dkms-build.sh $(INSTALL_ROOT) $(KVER) $(VERSION) $(INSTALL_TEST)
	@install -D -m 644 -t $(INSTALL_ROOT)/lib/modules/$(KVER)/extra $(BUILD)/stock/ko/kc_hello.ko
	@cp $(STOCK_MODROOT)/modules.builtin $(STOCK_MODROOT)/modules.builtin.modinfo \
		$(STOCK_MODROOT)/modules.order $(INSTALL_ROOT)/lib/modules/$(KVER)/
	python3 tests/vm/run.py --kernel stock --image $(STOCK_IMAGE) \
		--modroot $(STOCK_MODROOT) --ko $(INSTALL_ROOT)/lib/modules/$(KVER)/updates/dkms/kcage.ko \
		--modules $(BUILD)/stock/ko --tools $(BUILD)/user/bin \
		--tests-dir tests/install/vm --tests $(INSTALL_TESTS) --overlay $(INSTALL_ROOT) \
		--work $(BUILD)/stock/install-vm$(WORK_SUFFIX) $(VM_ARGS)

# Removes what make install installed, except the files in /etc.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/policyc $(DESTDIR)$(SBINDIR)/kcage \
		$(DESTDIR)$(MANDIR)/man1/policyc.1 $(DESTDIR)$(MANDIR)/man5/kcage.conf.5 \
		$(DESTDIR)$(MANDIR)/man8/kcage.8 $(DESTDIR)$(UNITDIR)/kcage.service \
		$(DESTDIR)/etc/init.d/kcage \
		$(DESTDIR)$(COMPLETIONDIR)/kcage $(DESTDIR)$(COMPLETIONDIR)/policyc
	rm -rf $(DESTDIR)$(DATADIR)/kcage $(DESTDIR)$(INCLUDEDIR)/kcage \
		$(DESTDIR)$(DKMSDIR)/kcage-$(VERSION)

clean:
	rm -rf $(BUILD)

# Also forget cached downloads and kernels (they take ~15 min to rebuild).
distclean: clean
	rm -rf $(KCAGE_CACHE)
