# ratsdaten – the two commands of the README are `make demo` and `make test`
# (`make test-fast` and `make lint` for the inner loop).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SYSTEM_PACKAGES := tesseract-ocr tesseract-ocr-deu wngerman poppler-utils chromium qpdf
STAMP := $(VENV)/.installed
# OCRmyPDF, the OCR benchmark's baseline, needs these (bench only)
BENCH_PACKAGES := ghostscript unpaper pngquant

.PHONY: demo test test-fast lint bench system-deps install serve build clean publish

demo: install
	$(BIN)/ratsdaten demo

test: install
	$(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

bench: install
	$(BIN)/pip install -q -e '.[test,cluster,bench]'
	@command -v wrk >/dev/null || { SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get install -y -qq wrk >/dev/null; }
	@missing=""; for p in $(BENCH_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; fi
	$(BIN)/python -m bench $(BENCH_ARGS)

# System packages: OCR (tesseract + German model), pdftotext for the benchmark
# baseline, chromium for the browser tests, qpdf to make encrypted fixtures.
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

$(STAMP): pyproject.toml
	$(MAKE) system-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,cluster]'
	touch $(STAMP)

install: $(STAMP)

build: install
	$(BIN)/ratsdaten build

serve: install
	$(BIN)/ratsdaten serve

FLYCTL ?= flyctl

# Deploy the built database: into the image when small, else published for the machine
# to fetch on start (scripts/deploy-fly; the nightly calls the same script).
publish: install
	test -f data/ratsdaten.db || $(BIN)/ratsdaten build
	FLYCTL=$(FLYCTL) VENV_BIN=$(BIN) scripts/deploy-fly

clean:
	rm -rf $(VENV) data/state.db data/ratsdaten.db data/files data/sample

# Lint: ruff (rules in pyproject.toml) on the code and tests, mypy (not strict) on etl/.
lint: install
	$(BIN)/ruff check etl plugins bench tests
	$(BIN)/mypy

# The inner loop: everything but the slow and browser tests (CI runs them all: `make test`).
test-fast: install
	$(BIN)/python -m pytest -q -p no:cacheprovider -m "not slow and not browser" $(PYTEST_ARGS)
