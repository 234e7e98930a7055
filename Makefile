# thaiplan: `make run` and `make test` do their own set-up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    ?= warehouse

# Debian packages: LibreOffice and Thai fonts build the PDF test fixtures; tesseract reads
# scans (OCR: its library, in process through tesserocr, built here against Debian's
# libtesseract-dev with g++ and pkg-config; the command line is the bench's yardstick);
# Chromium renders the HTML reports in the tests; poppler is the speed yardstick; gcc builds
# the PDF character pass (extractors/_fastchars.c). Installed when missing (as root), else
# the command to run is printed.
APT_PACKAGES := libreoffice-writer-nogui fonts-thai-tlwg fonts-tlwg-laksaman poppler-utils \
                tesseract-ocr tesseract-ocr-tha libtesseract-dev libleptonica-dev pkg-config g++ \
                chromium gcc

.PHONY: setup system run test bench screenshots clean

setup: system $(VENV)/.installed

system:
	@command -v dpkg >/dev/null || { echo "not Debian: install $(APT_PACKAGES) by hand"; exit 0; }; \
	missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else echo "missing Debian packages, run: sudo apt-get install$$missing"; exit 1; fi; \
	fi

$(VENV)/.installed: pyproject.toml setup.py extractors/_fastchars.c
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# tesserocr from source, against Debian's tesseract (PyPI's wheel bundles another version,
	# which reads the scan fixtures differently: README, OCR)
	$(BIN)/pip install --quiet --no-binary tesserocr -e '.[test]'
	touch $@

run: setup
	$(BIN)/thaiplan extract samples/ --out $(OUT); test $$? -le 1
	$(BIN)/thaiplan audit samples/ --out $(OUT) --min-f1 0.99
	$(BIN)/thaiplan report $(OUT)
	@echo "reports: $(OUT)/_report.html and $(OUT)/_audit/report.html"

test: setup
	$(BIN)/python -m pytest -q

screenshots: run
	$(BIN)/python tests/screenshots.py $(OUT)

bench: setup
	$(BIN)/pip install --quiet pdfplumber
	$(BIN)/python tests/bench.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache *.egg-info build extractors/_fastchars*.so
