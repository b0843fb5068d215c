# The project's verbs. A fresh machine needs only Python 3.11+ and make:
# every target below creates or refreshes the environment in .venv first.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# The first Python 3.11+ on PATH (override: make test PYTHON=/path/to/python3.12).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3 python; do \
            command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
            && { echo $$p; break; }; done)

export PYTHONHASHSEED := 0
export MPLBACKEND := Agg
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help venv briefing test test-slow bench lab demo lint lock clean

help:
	@echo "make briefing   摄取 data/raw/（无名册时用演示数据），运行笔记本，导出图表、幻灯片和通报表"
	@echo "make test       运行全部测试（含笔记本）"
	@echo "make test-slow  运行耗时较长的测试"
	@echo "make bench      运行性能基准"
	@echo "make lab        打开 JupyterLab（简体中文界面）和通报笔记本"
	@echo "make demo       重新生成演示数据（data/demo/raw/）"

# The environment is rebuilt when the lock or the package metadata changes.
$(STAMP): requirements.lock pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "需要 Python 3.11 或更高版本（未找到）。" >&2; exit 1; fi
	@if [ ! -x "$(PY)" ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then \
	    rm -rf $(VENV); echo "创建虚拟环境 $(VENV)（$(PYTHON)）…"; $(PYTHON) -m venv $(VENV); fi
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

venv: $(STAMP)

briefing: $(STAMP)
	$(PY) -m analysis briefing

test: $(STAMP)
	$(PY) -m pytest -n 2 -m "not slow" tests
	$(PY) -m pytest --nbval-lax --nbval-sanitize-with tests/nbval_sanitize.cfg notebooks

test-slow: $(STAMP)
	$(PY) -m pytest -n 2 -m slow tests

bench: $(STAMP)
	$(PY) -m analysis.bench

lab: $(STAMP)
	$(PY) -m analysis lab

demo: $(STAMP)
	$(PY) -m analysis demo

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/ruff format --check src tests

lock:
	rm -rf .lockvenv && $(PYTHON) -m venv .lockvenv
	.lockvenv/bin/pip install --quiet -r requirements.in
	{ echo "# Exact versions of every package in .venv (direct dependencies: requirements.in)."; \
	  echo "# Regenerate with \`make lock\`; tests/test_environment.py checks environment.yml against it."; \
	  .lockvenv/bin/pip freeze | grep -v -E '^(-e |analysis)'; } > requirements.lock
	rm -rf .lockvenv

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis data/demo/processed
