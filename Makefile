# Build, test and maintenance commands of the book. `make book` and `make test` are all a newcomer needs.
# Works on a fresh machine with python3 (+venv), make, node/npm and access to the package registries.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON    ?= python3
VENV      := .venv
BIN       := $(VENV)/bin
PY        := $(BIN)/python
PY_STAMP  := $(VENV)/.installed-stamp
NODE_STAMP := node_modules/.installed-stamp
MATHJAX_SRC := node_modules/mathjax/es5
# html_extra_path (see _config.yml) copies _extra/ into the site root, so this lands in _build/html/_static/mathjax/.
MATHJAX_DIR := _extra/_static/mathjax
MATHJAX_STAMP := $(MATHJAX_DIR)/.stamp
JB_FLAGS  := -W -n --keep-going
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Notebooks: every .ipynb under chapters/ (checkpoints excluded); `make execute NB=path` runs just one.
NOTEBOOKS  = $(shell find chapters -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' -not -path '*/_build/*' | sort)
NB        ?=

.PHONY: help install lock results book lab test test-lib test-notebooks test-notebooks-baseline test-build test-browser test-lab chromium bench execute linkcheck clean distclean

help:
	@echo "make book       build the site into _build/html (installs .venv and node_modules when needed)"
	@echo "make lab        JupyterLab on chapters/ from .venv (prints the URL with its token; Ctrl-C stops it)"
	@echo "make test       library/tool tests, strict nbval on every notebook, the -W build, browser tests"
	@echo "make execute    re-run notebooks in place (NB=chapters/x/01_y.ipynb for one)"
	@echo "make lock       upgrade the locked requirements.txt from requirements.in, then make execute"
	@echo "make results    re-run the chaotic experiments and store them in results/ (NAMES=ranking for one)"
	@echo "make bench      run benchmarks/run.py"
	@echo "make linkcheck  check external links (needs internet; not part of make test)"
	@echo "make clean      remove the build; make distclean also removes .venv and node_modules"

# --- environment -------------------------------------------------------------------------------
# requirements.txt is the lock (pip-compile output of requirements.in): every package, one version.
# tools/check_python.py refuses a Python other than the one named in the lock's header: the
# committed outputs are made with that one.

$(PY_STAMP): requirements.txt pyproject.toml
	@$(PYTHON) tools/check_python.py requirements.txt
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	@$(PY) tools/check_python.py requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip-sync --quiet requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

# Upgrade every pin of the lock to the newest release that requirements.in allows. Afterwards:
# make execute (new outputs), make test, then commit requirements.txt with the notebooks.
lock: $(PY_STAMP)
	$(BIN)/pip-compile --quiet --upgrade --strip-extras --allow-unsafe --no-emit-index-url \
	    --no-emit-find-links --no-emit-trusted-host --output-file=requirements.txt requirements.in
	@echo "requirements.txt upgraded: now run make execute, make test, and commit the lock with the outputs."

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

$(MATHJAX_STAMP): $(NODE_STAMP)
	rm -rf $(MATHJAX_DIR)
	mkdir -p $(MATHJAX_DIR)/output/chtml $(MATHJAX_DIR)/input/tex
	cp $(MATHJAX_SRC)/tex-mml-chtml.js $(MATHJAX_DIR)/
	cp -R $(MATHJAX_SRC)/output/chtml/fonts $(MATHJAX_DIR)/output/chtml/
	cp -R $(MATHJAX_SRC)/input/tex/extensions $(MATHJAX_DIR)/input/tex/
	@touch $@

# The theme's fontawesome.js (1.4 MB, every icon) replaced by the ~30 icons the themes use (17 kB).
FA_JS := _extra/_static/scripts/fontawesome.js
$(FA_JS): $(NODE_STAMP) $(PY_STAMP) tools/fontawesome_subset.js
	node tools/fontawesome_subset.js $@ $$($(PY) -c "import os, pydata_sphinx_theme as p, sphinx_book_theme as b; print(os.path.dirname(p.__file__), os.path.dirname(b.__file__))")

install: $(PY_STAMP) $(MATHJAX_STAMP) $(FA_JS)

# --- the book --------------------------------------------------------------------------------------
# Sphinx is incremental: only changed pages are re-read and re-written.
book: install
	$(BIN)/jupyter-book build . $(JB_FLAGS)
	$(PY) tools/check_site.py _build/html

# --- tests (in this order) -------------------------------------------------------------------------
test: test-lib test-notebooks test-notebooks-baseline test-build test-browser test-lab

# pytest-xdist: one worker per core (-n auto); nbval keeps each notebook's cells in one worker (loadscope).
test-lib: $(PY_STAMP)
	$(PY) -m pytest -n auto tests --ignore=tests/browser --ignore=tests/jupyterlab

# Strict nbval: every committed output must be reproduced (never the lax mode).
NBVAL = $(PY) -m pytest --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
    -n auto --dist loadscope -p no:cacheprovider --ignore-glob='*/.ipynb_checkpoints/*' \
    --ignore-glob='*/_build/*' chapters
SIMD_BASELINE = NPY_DISABLE_CPU_FEATURES="$$($(PY) tools/simd_baseline.py)"

test-notebooks: $(PY_STAMP)
	$(NBVAL)

# The same strict nbval once more with NumPy limited to its baseline SIMD path (no AVX2/AVX-512 loops):
# the committed outputs must not depend on which SIMD path this CPU takes.
test-notebooks-baseline: $(PY_STAMP)
	$(SIMD_BASELINE) $(PY) tools/simd_baseline.py --check
	$(SIMD_BASELINE) $(NBVAL)

test-build: book

# Browser tests of the built site; skipped cleanly while tests/browser has no test files.
# Browser tests of the built site, on every core: a test file stays in one worker (loadfile), so each
# page is loaded once per worker; the workers' report tables are merged at the end.
test-browser: install
	@$(MAKE) --no-print-directory chromium
	$(PY) -m pytest -p no:cacheprovider -n auto --dist loadfile tests/browser

# Debian's chromium, and a small CJK font so the seeds' Japanese and Chinese quotations render in
# the review screenshots (readers' systems bring their own CJK fonts).
chromium:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list :lang=ja | grep -q .; then \
	    $(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y chromium fonts-wqy-microhei; \
	fi

# The chapters in a real JupyterLab (Playwright + Debian's chromium): Run All, sliders, quiz, checker.
test-lab: $(PY_STAMP)
	@$(MAKE) --no-print-directory chromium
	$(PY) -m pytest -p no:cacheprovider tests/jupyterlab

# --- reading the notebooks ------------------------------------------------------------------------
# JupyterLab from the locked environment on 127.0.0.1, serving chapters/ (tools/lab.py; Ctrl-C stops it).
lab: $(PY_STAMP)
	$(PY) tools/lab.py

# --- other tasks -----------------------------------------------------------------------------------
# Chaotic experiments are stored as data (results/*.json, see CONTRIBUTING): regenerate them after a
# change of their code or config (NAMES=ranking for one), then make execute and commit both.
NAMES ?=
results: $(PY_STAMP)
	$(PY) tools/make_results.py $(NAMES)

bench: $(PY_STAMP)
	@$(MAKE) --no-print-directory chromium
	$(PY) benchmarks/run.py

execute: $(PY_STAMP)
	$(PY) tools/execute_notebooks.py $(if $(NB),$(NB),$(NOTEBOOKS))

linkcheck: install
	$(BIN)/jupyter-book build . --builder linkcheck

clean:
	rm -rf _build $(MATHJAX_DIR) $(FA_JS)

distclean: clean
	rm -rf $(VENV) node_modules
