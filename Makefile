# WPZF — the README's two commands are `make demo` and `make test`.
# Both install what is missing on a fresh Debian 12 machine (apt as root, then a venv).

SHELL := /bin/bash
SYSTEM_PYTHON := /usr/bin/python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha256sum requirements-dev.txt | cut -c1-12)
APT_PACKAGES := python3-qgis qgis-providers qgis python3-gdal gdal-bin python3-venv python3-pip \
	xvfb xauth pyqt5-dev-tools qttools5-dev-tools poppler-utils fonts-noto-cjk fonts-dejavu-core git zip python3-pil \
	postgresql-15 postgresql-15-postgis-3 python3-psycopg2 python3-matplotlib libreoffice-calc-nogui
export QT_QPA_PLATFORM ?= offscreen
export PYTHONDONTWRITEBYTECODE := 1
SIZE ?= full

.PHONY: help system venv deps translations test test-fast demo bench lint package clean
.PHONY: test-qgis340

help:
	@echo "make demo   - build a sample district and run the whole job on it (results in demo/)"
	@echo "make test   - install what is missing, then run every test"
	@echo "make test-qgis340 - every test again on QGIS 3.40 LTR in a Debian 13 chroot (root)"
	@echo "make bench | lint | package | translations | clean"

system:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:" $$missing; \
		if [ "$$(id -u)" != 0 ]; then echo "run as root or: sudo apt-get install" $$missing; exit 1; fi; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(STAMP): requirements-dev.txt
	@test -x $(PY) || $(SYSTEM_PYTHON) -m venv --system-site-packages $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	@rm -f $(VENV)/.installed-*; touch $@

venv: system $(STAMP)

deps: venv translations

i18n/wpzf_zh_CN.qm: i18n/wpzf_zh_CN.ts
	lrelease -silent $< -qm $@

translations: system
	bash devtools/translations.sh

test: deps
	$(PY) -m pytest -q tests

# QGIS 3.40 LTR (Debian 13, Python 3.13, numpy 2): the chroot is built once under
# /var/cache/wpzf-qgis340 (WPZF_QGIS340_ROOT) and reused; PostGIS tests skip there.
test-qgis340: translations
	bash devtools/qgis340_chroot.sh tests

test-fast: venv i18n/wpzf_zh_CN.qm
	$(PY) -m pytest -q -x tests/unit

demo: deps
	$(PY) devtools/demo.py --size $(SIZE) --out demo

bench: deps
	$(PY) bench/run.py
	$(PY) bench/workflow.py
	$(PY) bench/imagery_speed.py
	$(PY) bench/big_features.py

lint: venv
	$(PY) -m ruff check .
	@# ruff parses newer syntax than the Pythons QGIS ships (3.9 on OSGeo4W's 3.22): compile with the system one
	$(SYSTEM_PYTHON) -c "import compileall, re, sys; sys.exit(not compileall.compile_dir('.', quiet=1, legacy=False, rx=re.compile(r'[/\\\\](\.venv|build|demo|\.git)[/\\\\]')))"
	$(PY) devtools/typecheck.py

package: deps
	bash devtools/package.sh

clean:
	rm -rf build dist demo tests/output
