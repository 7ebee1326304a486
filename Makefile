# Two commands work on a fresh machine: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
POLICYQA := $(VENV)/bin/policyqa
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run test install build clean

$(PY):
	python3 -m venv $(VENV)

# torch first, pinned: an unpinned resolve would pull a multi-GB CUDA build.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --upgrade pip
	$(PY) -m pip install torch==2.13.0
	$(PY) -m pip install -e '.[test]'
	touch $@

install: $(STAMP)

build: $(STAMP)
	$(POLICYQA) build

run: build
	$(POLICYQA) serve

test: $(STAMP)
	$(PY) -m pytest

clean:
	rm -rf var
