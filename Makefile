# SPDX-License-Identifier: GPL-2.0
#
# kgraft: one Makefile for the whole tree; every output goes to build/.
#
#   make deps    install Debian packages, fetch the stock kernel, build libperf
#   make         build what exists: modules, BPF objects, bench, tests
#   make test    deps + build + host unit tests + the guest suite (TAP)
#   make run     deps + build + bench run --strategy=kgraft (the main job)
#   make check   checkpatch.pl over the kernel code
#
# KDIR defaults to the stock Debian kernel's headers (never `uname -r`: the
# host kernel runs no modules); override with make KDIR=...

BUILD   := $(CURDIR)/build
Q       := $(if $(filter 1,$(V)),,@)

RELEASE ?= $(shell cat $(BUILD)/kernel/release 2>/dev/null)
KDIR    ?= /usr/src/linux-headers-$(RELEASE)
KTREE   := $(BUILD)/kernel/$(RELEASE)
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

CC      ?= gcc
CLANG   ?= clang
BPFTOOL ?= bpftool
CFLAGS  ?= -O2 -g
# snprintf truncation is bounded on purpose; paths are checked where it matters.
WARN    := -Wall -Wextra -Werror -Wno-format-truncation
# Includes name their folder from the top of the tree ("lib/json.h").
CPPFLAGS += -D_GNU_SOURCE -I$(CURDIR) -I$(BUILD)/bpf -I$(BUILD)/include \
	    -I$(BUILD)/libperf/include
LIBPERF := $(BUILD)/libperf/lib/libperf.a $(BUILD)/libperf/lib/libapi.a
LDLIBS  := $(LIBPERF) -lbpf -lelf -lz -lm -lpthread -ljansson

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

# Userspace: bench/bench.c is the binary's main; the rest of bench/ (the
# CLI and what runs a guest), analysis/ (results to answers) and lib/ (what
# both share) are libraries that the host tests link too. Link order
# follows the include rule: bench may use analysis and lib, analysis only lib.
BENCH_MAIN   := bench/bench.c
# The population's sleeper, a program of its own (bench/sleeper.c).
SLEEPER_MAIN := bench/sleeper.c
LIBBENCH_SRC := $(filter-out $(BENCH_MAIN) $(SLEEPER_MAIN),$(shell find bench -name '*.c' | sort))
ANALYSIS_SRC := $(shell find analysis -name '*.c' | sort)
LIB_SRC      := $(shell find lib -name '*.c' | sort)
# The patch builder (source fix -> object diff -> patch module).
PB_SRC       := $(shell find patch-builder -name '*.c' | sort)
HOST_TESTS   := $(patsubst tests/host/%.c,$(BUILD)/tests/%,$(wildcard tests/host/test_*.c))
LIBS         := $(BUILD)/libbench.a $(BUILD)/libpatchbuild.a $(BUILD)/libanalysis.a \
		$(BUILD)/libkgraft.a

# BPF: bpf/<probe>.bpf.c -> build/bpf/<probe>.bpf.o -> <probe>.skel.h
BPF_SRC  := $(wildcard bpf/*.bpf.c)
BPF_OBJ  := $(patsubst bpf/%.bpf.c,$(BUILD)/bpf/%.bpf.o,$(BPF_SRC))
BPF_SKEL := $(patsubst bpf/%.bpf.c,$(BUILD)/bpf/%.skel.h,$(BPF_SRC))

# Kernel modules: every directory with a Kbuild file, built in one kbuild
# run over a tree of symlinks in build/kmod (kbuild writes next to sources).
# Module BTF is off: the headers package has no vmlinux to base it on, and
# probes attach to module tracepoints by name.
KMOD_DIRS := $(patsubst %/Kbuild,%,$(shell find kgraft-core strategies tests/modules -name Kbuild 2>/dev/null | sort))

GUEST := $(KTREE)/vmlinux $(BUILD)/guest/initramfs.cpio.gz

.PHONY: all deps modules bpf bench guest host-tests test run check clean help FORCE
.DELETE_ON_ERROR:
.SECONDARY:

all: guest modules bench host-tests

# Building needs the stock kernel that 'make deps' fetches: say so, rather
# than fail on a missing file.
NEEDS_KERNEL := all guest modules bpf bench host-tests paper
ifeq ($(RELEASE),)
ifneq ($(filter $(or $(MAKECMDGOALS),all),$(NEEDS_KERNEL)),)
$(error no stock kernel in $(BUILD)/kernel yet: run 'make deps' first (or 'make test', which runs it); 'make help' lists the targets)
endif
endif

help:
	@echo "kgraft: targets (every output goes to build/)"
	@echo "  make deps     install Debian packages (as root), fetch the stock kernel, build libperf"
	@echo "  make          build modules, BPF objects, bench and the host tests (after make deps)"
	@echo "  make test     deps + build + every test; ends with 'N passed, N failed, N skipped'"
	@echo "  make run      deps + build + bench run --strategy=kgraft (RUN_ARGS=... adds options)"
	@echo "  make paper    the paper from RESULTS (default paper/data/sweep) into build/paper"
	@echo "  make check    checkpatch.pl over the kernel code"
	@echo "  make clean    remove build outputs (not the kernel image, libperf or build/patch, the patch builder's kernel source)"
	@echo "  parts: make modules | bpf | bench | guest | host-tests; V=1 shows commands"

deps:
	$(Q)scripts/deps.sh

need-kernel = $(if $(RELEASE),,$(error no stock kernel in $(BUILD)/kernel: run 'make deps'))

guest: $(GUEST)

$(KTREE)/vmlinux: $(KTREE)/.unpacked scripts/extract-vmlinux.sh
	$(call need-kernel)
	@echo "  EXTRACT $@"
	$(Q)scripts/extract-vmlinux.sh $(KTREE)/boot/vmlinuz-$(RELEASE) $@

$(BUILD)/guest/initramfs.cpio.gz: guest/init scripts/mkinitramfs.sh $(KTREE)/.unpacked
	$(call need-kernel)
	@echo "  CPIO    $@"
	$(Q)mkdir -p $(@D)
	$(Q)scripts/mkinitramfs.sh $(KTREE) $(RELEASE) $@

modules:
ifneq ($(KMOD_DIRS),)
	$(call need-kernel)
	$(Q)mkdir -p $(BUILD)/kmod
	$(Q)for d in $(KMOD_DIRS); do mkdir -p $(BUILD)/kmod/$$d && \
		cp -rs --remove-destination $(CURDIR)/$$d/. $(BUILD)/kmod/$$d/; done
	$(Q)find $(BUILD)/kmod -xtype l -delete
	$(Q)printf 'obj-m += %s/\n' $(KMOD_DIRS) > $(BUILD)/kmod/Kbuild.new
	$(Q)cmp -s $(BUILD)/kmod/Kbuild.new $(BUILD)/kmod/Kbuild || \
		mv $(BUILD)/kmod/Kbuild.new $(BUILD)/kmod/Kbuild
	$(Q)rm -f $(BUILD)/kmod/Kbuild.new
	$(Q)$(MAKE) --no-print-directory -C $(KDIR) M=$(BUILD)/kmod \
		KCFLAGS=-Werror CONFIG_DEBUG_INFO_BTF_MODULES= \
		$(if $(Q),,V=1) modules
endif

$(BUILD)/bpf/vmlinux.h: $(KTREE)/vmlinux
	@echo "  BTF     $@"
	$(Q)mkdir -p $(@D)
	$(Q)$(BPFTOOL) btf dump file $< format c > $@

$(BUILD)/bpf/%.bpf.o: bpf/%.bpf.c $(BUILD)/bpf/vmlinux.h $(wildcard bpf/*.h)
	@echo "  BPF     $@"
	$(Q)$(CLANG) -g -O2 -Wall -Werror -target bpf -D__TARGET_ARCH_x86 \
		-I$(BUILD)/bpf -Ibpf -c $< -o $@
	$(Q)llvm-strip -g $@

$(BUILD)/bpf/%.skel.h: $(BUILD)/bpf/%.bpf.o
	@echo "  SKEL    $@"
	$(Q)$(BPFTOOL) gen skeleton $< > $@

bpf: $(BPF_SKEL)

$(BUILD)/obj/%.o: %.c $(BPF_SKEL)
	@echo "  CC      $@"
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -MMD -MP -c $< -o $@

$(BUILD)/libbench.a: $(call obj,$(LIBBENCH_SRC))
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/libpatchbuild.a: $(call obj,$(PB_SRC))
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/libanalysis.a: $(call obj,$(ANALYSIS_SRC))
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/libkgraft.a: $(call obj,$(LIB_SRC))
	$(Q)rm -f $@ && ar rcs $@ $^

bench: $(BUILD)/bench $(BUILD)/bench-sleeper

# Rewritten only when the revision changes, so that only bench.c recompiles.
$(BUILD)/include/version.h: FORCE
	$(Q)mkdir -p $(@D)
	$(Q)echo '#define KGRAFT_VERSION "$(VERSION)"' > $@.new
	$(Q)cmp -s $@.new $@ && rm $@.new || mv $@.new $@

$(BUILD)/obj/bench/bench.o: $(BUILD)/include/version.h

$(BUILD)/bench: $(call obj,$(BENCH_MAIN)) $(LIBS) $(LIBPERF)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) -o $@ $< $(LIBS) $(LDLIBS)

# Static: exec'd thousands of times in the guest, it must stay small.
$(BUILD)/bench-sleeper: $(SLEEPER_MAIN)
	@echo "  LD      $@"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -static -o $@ $<

host-tests: $(HOST_TESTS)

$(BUILD)/tests/%: $(BUILD)/obj/tests/host/%.o $(LIBS) $(LIBPERF)
	@echo "  LD      $@"
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -o $@ $< $(LIBS) -lcmocka $(LDLIBS)

$(LIBPERF):
	$(Q)scripts/build-libperf.sh

# The README's test command: set-up, build, every test, one summary line.
test:
	$(Q)scripts/deps.sh
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tests/run.sh

# The main job: set-up, build, then one kgraft run in the stock-kernel guest.
# RUN_ARGS adds bench run options, e.g. make run RUN_ARGS="--cycles 20".
run:
	$(Q)scripts/deps.sh
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(BUILD)/bench run --strategy=kgraft $(RUN_ARGS)

# The paper, built from a results tree (default: the small sweep kept as
# data in paper/data) into $(PAPER_OUT)/paper.pdf; see paper/README.md.
RESULTS   ?= paper/data/sweep
# The real-server compare runs kept as data (none: no such section).
APPS      ?= $(patsubst %/status.json,%,$(wildcard paper/data/apps/*/status.json))
# The headline comparison the abstract states (paper/data/headline).
HEADLINE  ?= $(patsubst %/status.json,%,$(wildcard paper/data/headline/status.json))
MODELS    ?= $(patsubst %/status.json,%,$(wildcard paper/data/models/status.json))
REPLACE   ?= $(patsubst %/status.json,%,$(wildcard paper/data/replace/status.json))
PAPER_OUT ?= $(BUILD)/paper
.PHONY: paper
paper: $(BUILD)/bench
	$(Q)paper/build.sh $(if $(HEADLINE),--headline $(HEADLINE)) \
		$(if $(MODELS),--models $(MODELS)) \
		$(if $(REPLACE),--replace $(REPLACE)) $(RESULTS) $(PAPER_OUT) $(APPS)

check:
	$(Q)tests/host/checkpatch.sh

clean:
	rm -rf $(BUILD)/obj $(BUILD)/bench $(BUILD)/tests $(BUILD)/kmod \
		$(BUILD)/bpf $(BUILD)/lib*.a $(BUILD)/test-results

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
