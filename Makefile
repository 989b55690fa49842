# dsmcert: one non-recursive Makefile.
#
#   make               build bin/dsmcert
#   make check         the fast pass: cppcheck, unit and end-to-end tests
#                      on the plain build, JOBS (nproc) scripts at a time
#   make check-san     the sanitizer pass: the same tests built with
#                      AddressSanitizer and UBSan (build/san); CI runs both
#   make demo          a worked example under ./demo/
#   make install       PREFIX (/usr/local) and DESTDIR honoured
#   make check-ansible the Ansible role against localhost, and the fleet's
#                      playbooks against 30 simulated hosts (not in check)
#   make check-prometheus  contrib/prometheus's rules, promtool check and test
#   make deb, make rpm packages in build/packages/; make check-packages
#                      tests them, installing the .deb (root; not in check)
#   make fuzz          libFuzzer targets, FUZZ_SECONDS each (clang)
#   make bench         benchmarks against certutil (by hand, not in check)

PREFIX   ?= /usr/local
DESTDIR  ?=
BUILD    ?= build
SANITIZE ?=
CC       ?= cc
FUZZ_SECONDS ?= 60
JOBS     ?= $(shell nproc 2>/dev/null || echo 1)

ifeq ($(BUILD),build)
BINDIR := bin
else
BINDIR := $(BUILD)/bin
endif

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

# NSS headers are not -Wextra clean; -isystem keeps their warnings out of
# ours. Deferred (=) so pkg-config runs after scripts/deps.sh has.
PKG_CFLAGS = $(shell pkg-config --cflags nss sqlite3 jansson libpkcs11-helper-1 | sed 's/-I/-isystem /g')
# libpkcs11-helper is loaded by the commands that read tokens
# (keydb/p11load.c); NSS's libraries are all linked.
PKG_LIBS   = $(shell pkg-config --libs nss sqlite3 jansson) -liniparser
CHECK_CFLAGS = $(shell pkg-config --cflags check)
CHECK_LIBS   = $(shell pkg-config --libs check)

WARN     := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes \
            -Wmissing-prototypes -Wno-missing-field-initializers
CFLAGS   ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -D_FILE_OFFSET_BITS=64 \
            -DDSMCERT_VERSION='"$(VERSION)"' -I. $(WARN) $(CFLAGS) $(PKG_CFLAGS)
ifneq ($(SANITIZE),)
ALL_CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=all \
              -fno-omit-frame-pointer
LDSAN := -fsanitize=address,undefined
endif

DEPS_STAMP := $(BUILD)/deps.stamp

COMMON_SRC  := $(wildcard common/*.c)
OPTFILE_SRC := $(wildcard optfile/*.c)
KEYDB_SRC   := $(wildcard keydb/*.c)
CORE_SRC    := $(filter-out dsmcert/main.c,$(wildcard dsmcert/*.c dsmcert/trust/*.c))
UNIT_SRC    := $(wildcard tests/unit/*.c)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

COMMON_LIB  := $(BUILD)/lib/libcommon.a
OPTFILE_LIB := $(BUILD)/lib/liboptfile.a
KEYDB_LIB   := $(BUILD)/lib/libkeydb.a
CORE_LIB    := $(BUILD)/lib/libdsmcert.a
DSMCERT     := $(BINDIR)/dsmcert
UNIT        := $(BUILD)/tests/unit
LIBS         = $(CORE_LIB) $(KEYDB_LIB) $(OPTFILE_LIB) $(COMMON_LIB)

.PHONY: all deps check check-san check-one check-build unit e2e demo install \
        uninstall clean \
        check-ansible check-prometheus \
        fuzz bench cppcheck valgrind

all: $(DSMCERT)

$(DEPS_STAMP): scripts/deps.sh
	@mkdir -p $(@D)
	@sh scripts/deps.sh
	@touch $@

deps: $(DEPS_STAMP)

$(BUILD)/obj/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/obj/tests/unit/%.o: tests/unit/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -MMD -MP -c -o $@ $<

$(COMMON_LIB): $(call obj,$(COMMON_SRC))
$(OPTFILE_LIB): $(call obj,$(OPTFILE_SRC))
$(KEYDB_LIB): $(call obj,$(KEYDB_SRC))
$(CORE_LIB): $(call obj,$(CORE_SRC))
$(COMMON_LIB) $(OPTFILE_LIB) $(KEYDB_LIB) $(CORE_LIB):
	@mkdir -p $(@D)
	@rm -f $@
	$(AR) rcs $@ $^

$(DSMCERT): $(call obj,dsmcert/main.c) $(LIBS)
	@mkdir -p $(@D)
	$(CC) $(LDSAN) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(UNIT): $(call obj,$(UNIT_SRC)) $(LIBS)
	@mkdir -p $(@D)
	$(CC) $(LDSAN) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(CHECK_LIBS) \
	    $(shell pkg-config --libs sqlite3)

# Tests run from the top of the tree; they make their own temporary files.
unit: $(UNIT)
	@LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp $(UNIT)

# The end-to-end tests' RSA keys (tests/e2e/keys.sh), made once.
E2E_KEYS := $(BUILD)/tests/keys

$(E2E_KEYS)/.done: tests/e2e/keys.sh
	@E2E_JOBS=$(JOBS) sh tests/e2e/keys.sh $(E2E_KEYS) 16

e2e: $(DSMCERT) $(E2E_KEYS)/.done
	@DSMCERT=$(CURDIR)/$(DSMCERT) SANITIZE=$(SANITIZE) E2E_JOBS=$(JOBS) \
	    E2E_KEYS=$(CURDIR)/$(E2E_KEYS) sh tests/e2e/run.sh

# Each pass: build JOBS at a time (or as make -j says), then the unit
# tests, then the end-to-end scripts (side by side, see tests/e2e/run.sh).
check-one: $(DEPS_STAMP)
	@$(MAKE) --no-print-directory \
	    $(if $(findstring jobserver,$(MAKEFLAGS)),,-j$(JOBS)) check-build
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory e2e

# What the tests need; the empty recipe keeps make from saying "up to date".
check-build: $(DSMCERT) $(UNIT)
	@:

check: $(DEPS_STAMP)
	@$(MAKE) --no-print-directory cppcheck
	@$(MAKE) --no-print-directory check-one

check-san:
	@echo "== the suite under AddressSanitizer and UndefinedBehaviorSanitizer"
	@$(MAKE) --no-print-directory BUILD=build/san SANITIZE=1 check-one

demo: $(DSMCERT)
	@sh scripts/demo.sh $(CURDIR)/$(DSMCERT)

valgrind: $(DSMCERT)
	@sh tests/valgrind.sh $(CURDIR)/$(DSMCERT)

# Benchmarks against the NSS API's floor and certutil, by hand only: a
# timing on a shared machine is no test. mkcerts needs libcrypto
# (libssl-dev, which deps.sh gets with libpkcs11-helper1-dev). Knobs:
# see bench/run.sh; method: bench/README.
bench: $(DSMCERT)
	@mkdir -p $(BUILD)/bench
	@set -e; for p in peakrss limit_import limit_list; do \
	    echo "$(CC) bench/$$p.c"; \
	    $(CC) $(ALL_CFLAGS) -o $(BUILD)/bench/$$p bench/$$p.c \
	        $$(pkg-config --libs nss); \
	done
	$(CC) $(ALL_CFLAGS) -o $(BUILD)/bench/mkcerts bench/mkcerts.c \
	    $$(pkg-config --libs libcrypto)
	@DSMCERT=$(CURDIR)/$(DSMCERT) BENCH_BIN=$(CURDIR)/$(BUILD)/bench \
	    sh bench/run.sh

# The build directory keeps cppcheck's results per file, so that only
# what changed is analysed again.
cppcheck: $(DEPS_STAMP)
	@mkdir -p $(BUILD)/cppcheck
	cppcheck --quiet --error-exitcode=1 --std=c11 --enable=warning,portability \
	    --inline-suppr --cppcheck-build-dir=$(BUILD)/cppcheck \
	    -I. common dsmcert keydb optfile

# libFuzzer targets: fuzz/NAME.c is built with clang against the library
# sources in FUZZ_SRC_NAME (default: optfile/ and keydb/) and run for
# FUZZ_SECONDS on a copy of fuzz/corpus/NAME/ (new inputs stay in the
# build directory). Crashing inputs land in $(BUILD)/fuzz/crashes/; keep
# each as a unit test. Not part of check.
FUZZ_TARGETS := $(basename $(notdir $(wildcard fuzz/*.c)))
FUZZ_SRC_optfile := $(OPTFILE_SRC) $(COMMON_SRC)
FUZZ_SRC_certinput := $(KEYDB_SRC) $(COMMON_SRC)
FUZZ_SRC_inventory := dsmcert/trust/inventory.c dsmcert/trust/ack.c \
		      dsmcert/warndays.c dsmcert/iniscan.c \
		      dsmcert/trust/srvversion.c $(COMMON_SRC)
FUZZ_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -D_FILE_OFFSET_BITS=64 -I. -g -O1 \
	      -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	      $(PKG_CFLAGS)

$(BUILD)/fuzz/%: fuzz/%.c $(OPTFILE_SRC) $(KEYDB_SRC) $(COMMON_SRC) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -o $@ $< \
	    $(or $(FUZZ_SRC_$*),$(OPTFILE_SRC) $(KEYDB_SRC) $(COMMON_SRC)) \
	    $(PKG_LIBS)

fuzz: $(addprefix $(BUILD)/fuzz/,$(FUZZ_TARGETS))
	@set -e; for t in $(FUZZ_TARGETS); do \
	    mkdir -p $(BUILD)/fuzz/corpus/$$t $(BUILD)/fuzz/crashes fuzz/corpus/$$t; \
	    echo "== fuzz $$t for $(FUZZ_SECONDS)s"; \
	    $(BUILD)/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	        -artifact_prefix=$(BUILD)/fuzz/crashes/$$t- \
	        $(BUILD)/fuzz/corpus/$$t fuzz/corpus/$$t; \
	done

# contrib/ansible/ run for real with ansible-playbook against localhost,
# into a temporary root, twice, installing dsmcert from the .deb (as root;
# see the script); then report.yml and renew.yml against 30 simulated
# hosts (scripts/check-ansible-fleet.sh). Not part of check: it needs
# ansible-core. ANSIBLE_PACKAGE=no leaves the .deb out (the role then runs
# the tree's dsmcert), where the packaging tools are not installed.
ANSIBLE_PACKAGE ?= yes
check-ansible: $(DSMCERT)
	@command -v ansible-playbook >/dev/null 2>&1 || sh scripts/deps.sh ansible
	@if [ '$(ANSIBLE_PACKAGE)' = yes ]; then \
	    $(MAKE) --no-print-directory deb DEB_BUILD_OPTIONS=nocheck && \
	    sh scripts/check-ansible.sh $(CURDIR)/$(DSMCERT) \
	        $(CURDIR)/$(PKG_DIR)/dsmcert_$(VERSION)_$$(dpkg --print-architecture).deb; \
	else sh scripts/check-ansible.sh $(CURDIR)/$(DSMCERT); fi
	@sh scripts/check-ansible-fleet.sh $(CURDIR)/$(DSMCERT)

# contrib/prometheus/: the rules as Prometheus loads them, and their unit
# tests. Not part of check: it needs promtool.
check-prometheus:
	@command -v promtool >/dev/null 2>&1 || sh scripts/deps.sh prometheus
	@promtool check rules contrib/prometheus/dsmcert-rules.yml
	@cd contrib/prometheus && promtool test rules dsmcert-rules.test.yml

# DSMCERT_BIN: the binary to install; the install test passes the one it
# tests, so that install never rebuilds it.
DSMCERT_BIN ?= $(DSMCERT)

install: $(DSMCERT_BIN)
	@PREFIX='$(PREFIX)' sh scripts/install.sh install '$(DESTDIR)$(PREFIX)' '$(DSMCERT_BIN)'

uninstall:
	@sh scripts/install.sh uninstall '$(DESTDIR)$(PREFIX)' '$(DSMCERT_BIN)'

# Packages an admin installs, each built from a copy of the tree into
# build/packages/ (not part of check):
#   make deb             dsmcert_VERSION_ARCH.deb, from debian/
#   make rpm             dsmcert-VERSION-RELEASE.ARCH.rpm, from dsmcert.spec
#   make check-packages  both, checked; the .deb installed on this machine,
#                        used and removed again (root)
# DEB_BUILD_OPTIONS=nocheck and RPM_NOCHECK=1 leave out the test run that
# each package build has; check-packages sets both, since make check runs
# those tests on the same tree.
PKG_DIR   := build/packages
PKG_TOOLS := dpkg-buildpackage dh lintian rpmbuild man
# deps.sh is for Debian. On a Red Hat system make rpm wants rpm-build and
# the spec's BuildRequires (dnf builddep dsmcert.spec) instead.
ifneq ($(wildcard /etc/debian_version),)
PKG_DEPS  := $(DEPS_STAMP) pkg-tools
endif

.PHONY: deb rpm check-packages pkg-tools

pkg-tools:
	@for t in $(PKG_TOOLS); do command -v $$t >/dev/null 2>&1 || \
	    { sh scripts/deps.sh packages; break; }; done

deb rpm: $(PKG_DEPS)
	@sh scripts/package.sh $@ $(PKG_DIR)

check-packages: $(DEPS_STAMP) pkg-tools
	@$(MAKE) --no-print-directory deb rpm DEB_BUILD_OPTIONS=nocheck \
	    RPM_NOCHECK=1
	@sh scripts/check-packages.sh $(PKG_DIR)

clean:
	rm -rf build bin demo

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
