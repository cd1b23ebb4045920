# One entry point per task. `make test` and `make serve` work on a fresh machine: they build .venv themselves.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
EXTRAS ?= dev,data,serving

.PHONY: setup test test-slow test-browser test-all lint format serve data docs model report clean

# The stamp records which extras were installed, so changing pyproject.toml or EXTRAS reinstalls.
$(VENV)/.installed-$(EXTRAS): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[$(EXTRAS)]'
	rm -f $(VENV)/.installed-*
	touch $@

setup: $(VENV)/.installed-$(EXTRAS)

test: setup
	$(BIN)/python -m pytest

# The slow tests (base-model conversion parity, a training + export smoke run) need the training extra.
test-slow:
	$(MAKE) setup EXTRAS=dev,data,serving,training
	$(BIN)/python -m pytest -m slow

# The review page in headless chromium: Debian's chromium, chromium-driver and a CJK font are installed
# when missing (root or passwordless apt needed).
test-browser:
	command -v chromedriver >/dev/null && fc-list :lang=zh | grep -q . || (apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver fonts-wqy-microhei)
	$(MAKE) setup EXTRAS=dev,data,serving,browser
	$(BIN)/python -m pytest -m browser

# Everything, including the slow (training) and integration (Label Studio) markers.
test-all:
	$(MAKE) setup EXTRAS=dev,data,serving,training
	$(BIN)/python -m pytest -m ''

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The labelled data set (synthetic + filled corpus templates) with its data card, in datasets/build/.
data: setup
	$(BIN)/hetong data build

# The shipped default model from scratch: base model, data, training (~60 min here), export with the gate.
RUN ?= $(HOME)/.cache/hetong/runs/default
model:
	$(MAKE) setup EXTRAS=dev,data,serving,training
	$(BIN)/hetong model prepare-base
	$(BIN)/hetong data build
	$(BIN)/hetong train --config training/configs/default.yaml --out $(RUN)
	$(BIN)/hetong export --run $(RUN) --out models/default

# The evaluation and benchmark reports of the shipped model (evaluation/reports/), from nothing.
report:
	$(MAKE) setup EXTRAS=dev,data,serving,training,report
	$(BIN)/hetong data build
	$(BIN)/hetong evaluate --out evaluation/reports
	$(BIN)/hetong bench --out evaluation/reports

# Generated documentation (a test fails when it is stale).
docs: setup
	mkdir -p docs
	$(BIN)/hetong rules > docs/rules.md

serve: setup
	$(BIN)/hetong serve

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
