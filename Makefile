# nsfind - find every Linux namespace, including the hidden ones.

PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build

CC      ?= cc
PKGS     = smartcols libmnl
CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -Isrc
CFLAGS  += $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null)
VERSION  = $(shell git describe --tags --always --dirty 2>/dev/null || echo 0.1)

ifeq ($(SANITIZE),1)
BUILD    = build-san
CFLAGS  += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
endif

LIBSRC  = $(filter-out src/main.c,$(wildcard src/*.c))
LIBOBJ  = $(LIBSRC:src/%.c=$(BUILD)/obj/%.o)
UNITSRC = $(wildcard tests/unit/test_*.c)
UNITBIN = $(UNITSRC:tests/unit/%.c=$(BUILD)/tests/%)
# Small programs scenario tests use to build namespaces (threads, sockets, tun).
HELPSRC = $(filter-out tests/helpers/hangfs.c,$(wildcard tests/helpers/*.c))
HELPBIN = $(HELPSRC:tests/helpers/%.c=$(BUILD)/tests/helpers/%) \
	$(BUILD)/tests/helpers/hangfs

# Debian packages the build and the tests need.
DEPS_PKGS = build-essential pkg-config libsmartcols-dev libmnl-dev libcmocka-dev \
	iproute2 util-linux libcap2-bin procps kmod valgrind jq python3 python3-yaml \
	libfuse3-dev fuse3 strace \
	prometheus prometheus-node-exporter podman runc busybox-static

.PHONY: all deps run check unit scenario bench install install-contrib uninstall clean sanitize valgrind

all: $(BUILD)/nsfind

$(BUILD)/obj/%.o: src/%.c $(wildcard src/*.h) | $(BUILD)/obj
	$(CC) $(CFLAGS) -DNSFIND_VERSION='"$(VERSION)"' -c -o $@ $<

$(BUILD)/libnsfind.a: $(LIBOBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/nsfind: $(BUILD)/obj/main.o $(BUILD)/libnsfind.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libnsfind.a | $(BUILD)/tests
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libnsfind.a $(LDLIBS) -lcmocka

$(BUILD)/tests/helpers/%: tests/helpers/%.c | $(BUILD)/tests/helpers
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< -lpthread

# A FUSE server that can be made to hang (t_robust_hang.sh), with libfuse3.
$(BUILD)/tests/helpers/hangfs: tests/helpers/hangfs.c | $(BUILD)/tests/helpers
	$(CC) $(CFLAGS) $$(pkg-config --cflags fuse3) $(LDFLAGS) -o $@ $< \
		$$(pkg-config --libs fuse3)

$(BUILD)/obj $(BUILD)/tests $(BUILD)/tests/helpers:
	mkdir -p $@

# Install what is missing, only what is missing, and only on Debian-like systems.
deps:
	@missing=""; for p in $(DEPS_PKGS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

run: deps
	$(MAKE) all
	./$(BUILD)/nsfind

unit: $(UNITBIN) $(HELPBIN)

check: deps
	$(MAKE) all unit
	BUILD=$(BUILD) tests/run.sh

sanitize:
	$(MAKE) SANITIZE=1 check

valgrind: all unit
	BUILD=$(BUILD) NSFIND_WRAP="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99" tests/run.sh

bench: deps all
	bench/run.sh $(BUILD)

install: all install-contrib
	install -D -m 0755 $(BUILD)/nsfind $(DESTDIR)$(PREFIX)/bin/nsfind
	install -D -m 0644 man/nsfind.8 $(DESTDIR)$(PREFIX)/share/man/man8/nsfind.8
	install -D -m 0644 completion/nsfind $(DESTDIR)$(PREFIX)/share/bash-completion/completions/nsfind

# The textfile writer, its systemd units (with this PREFIX's paths), the
# DaemonSet and the alert rules.  Needs no build: tests install it alone.
UNITDIR ?= $(PREFIX)/lib/systemd/system
CONTRIB_SHARE = $(PREFIX)/share/nsfind
CONTRIB_SUBST = sed -e 's|@BINDIR@|$(PREFIX)/bin|g'
install-contrib:
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(UNITDIR) \
		$(DESTDIR)$(CONTRIB_SHARE)/kubernetes $(DESTDIR)$(CONTRIB_SHARE)/prometheus
	$(CONTRIB_SUBST) contrib/nsfind-textfile >$(DESTDIR)$(PREFIX)/bin/nsfind-textfile
	chmod 0755 $(DESTDIR)$(PREFIX)/bin/nsfind-textfile
	$(CONTRIB_SUBST) contrib/systemd/nsfind-textfile.service >$(DESTDIR)$(UNITDIR)/nsfind-textfile.service
	install -m 0644 contrib/systemd/nsfind-textfile.timer $(DESTDIR)$(UNITDIR)/nsfind-textfile.timer
	install -m 0644 contrib/kubernetes/nsfind-daemonset.yaml $(DESTDIR)$(CONTRIB_SHARE)/kubernetes/
	install -m 0644 contrib/prometheus/alerts.yml contrib/prometheus/alerts_test.yml \
		$(DESTDIR)$(CONTRIB_SHARE)/prometheus/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/nsfind $(DESTDIR)$(PREFIX)/share/man/man8/nsfind.8 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/nsfind
	rm -f $(DESTDIR)$(PREFIX)/bin/nsfind-textfile \
		$(DESTDIR)$(UNITDIR)/nsfind-textfile.service $(DESTDIR)$(UNITDIR)/nsfind-textfile.timer
	rm -rf $(DESTDIR)$(CONTRIB_SHARE)

clean:
	rm -rf build build-san
