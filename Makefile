# One entry point per task. `make test` and `make serve` work on a fresh machine: they build .venv themselves.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
EXTRAS ?= dev,data,serving

.PHONY: setup test test-slow test-browser test-integration annotate-setup annotate test-all lint format serve data docs training-inputs model student depth report clean

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

# The slow tests (base-model conversion parity, a training + export smoke run) and the fast ones that need
# torch (marked `training`, skipped by `make test`, which does not install it) need the training extra.
test-slow:
	$(MAKE) setup EXTRAS=dev,data,serving,training
	$(BIN)/python -m pytest -m 'slow or training'

# The review page in headless chromium: Debian's chromium, chromium-driver and a CJK font are installed
# when missing (root or passwordless apt needed).
test-browser:
	command -v chromedriver >/dev/null && fc-list :lang=zh | grep -q . || (apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver fonts-wqy-microhei)
	$(MAKE) setup EXTRAS=dev,data,serving,browser
	$(BIN)/python -m pytest -m browser

# Label Studio lives in its own virtual environment (its pins clash with ours); the loop's integration test
# starts a real server from it.
LS_VENV ?= .venv-ls
LS_PORT ?= 8080
LABEL_STUDIO_VERSION ?= 1.23.2

$(LS_VENV)/bin/label-studio:
	$(PYTHON) -m venv $(LS_VENV)
	$(LS_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LS_VENV)/bin/python -m pip install --quiet 'label-studio==$(LABEL_STUDIO_VERSION)'

annotate-setup: $(LS_VENV)/bin/label-studio

test-integration: annotate-setup
	$(MAKE) setup EXTRAS=dev,data,serving,training,annotation
	$(BIN)/python -m pytest -m integration

# Label Studio on :$(LS_PORT) (SQLite in datasets/annotated/label-studio) and the review API with its ML
# backend on :8000. LABEL_STUDIO_USER_TOKEN (the API token, any 40 characters) and LABEL_STUDIO_PASSWORD
# create the first user; the ML backend is on loopback, so Label Studio's local-address blocks are off.
annotate: annotate-setup
	$(MAKE) setup EXTRAS=dev,data,serving,annotation
	@test -n "$$LABEL_STUDIO_USER_TOKEN" -a -n "$$LABEL_STUDIO_PASSWORD" || \
		(echo "set LABEL_STUDIO_USER_TOKEN and LABEL_STUDIO_PASSWORD first (see README)"; exit 2)
	mkdir -p datasets/annotated/label-studio
	LABEL_STUDIO_USERNAME=$${LABEL_STUDIO_USERNAME:-annotator@hetong.local} \
		LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN=true ML_BLOCK_LOCAL_IP=false SSRF_PROTECTION_ENABLED=false \
		$(LS_VENV)/bin/label-studio start --no-browser --port $(LS_PORT) \
		--data-dir datasets/annotated/label-studio > datasets/annotated/label-studio.log 2>&1 & \
		ls_pid=$$!; trap 'kill $$ls_pid' EXIT INT TERM; $(BIN)/hetong serve --port 8000

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

# The shipped models from scratch, each under 2 hours here. `make model`: the default model (4 layers)
# from the base model, training budget 100 min. `make student`: models/0.4.0, a 3-layer student
# distilled from models/default (3,100 steps, 77 min here).
RUN ?= $(HOME)/.cache/hetong/runs/default
MODEL_VERSION ?= 0.3.2

# What every training starts from: the training extra, the base model and the data set.
training-inputs:
	$(MAKE) setup EXTRAS=dev,data,serving,training
	$(BIN)/hetong model prepare-base
	$(BIN)/hetong data build

model: training-inputs
	$(BIN)/hetong train --config training/configs/default.yaml --out $(RUN)
	$(BIN)/hetong export --run $(RUN) --out models/default --version $(MODEL_VERSION)

STUDENT_RUN ?= $(HOME)/.cache/hetong/runs/student
STUDENT_VERSION ?= 0.4.0
student: training-inputs
	$(BIN)/hetong train --config training/configs/distill.yaml --out $(STUDENT_RUN)
	$(BIN)/hetong export --run $(STUDENT_RUN) --out models/$(STUDENT_VERSION) --version $(STUDENT_VERSION)

# The depth comparison of docs/model-depth.md: 2, 3 and 4 layers, 2,000 steps each (about an hour here),
# then dev accuracy and review latency side by side.
DEPTHS ?= 2 3 4
DEPTH_RUNS ?= $(HOME)/.cache/hetong/runs/depth
depth:
	$(MAKE) setup EXTRAS=dev,data,serving,training,report
	$(BIN)/hetong model prepare-base
	$(BIN)/hetong data build
	for n in $(DEPTHS); do $(BIN)/hetong train --config training/configs/default.yaml --out $(DEPTH_RUNS)-$$n \
		--set num_layers=$$n --set max_steps=2000 --set max_minutes=600 || exit 1; done
	$(BIN)/hetong model compare $(foreach n,$(DEPTHS),$(DEPTH_RUNS)-$(n)) --out docs/model-depth.md

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
