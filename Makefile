# thaiplan: `make run` and `make test` do their own set-up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    ?= warehouse

.PHONY: setup run test clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

run: setup
	$(BIN)/thaiplan extract samples/ --out $(OUT); test $$? -le 1
	$(BIN)/thaiplan audit samples/ --out $(OUT) --min-f1 0.99
	$(BIN)/thaiplan report $(OUT)

test: setup
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache *.egg-info
