# nhao — two commands on a fresh machine with Python 3.11+:
#   make run    set everything up, open nhao on a demo commune database
#   make test   set everything up, run the whole test suite
VENV ?= .venv
ifeq ($(OS),Windows_NT)
# python.org's installer puts the py launcher on the PATH, not python3.
PYTHON ?= py -3
BIN := $(VENV)/Scripts
EXE := .exe
else
PYTHON ?= python3
BIN := $(VENV)/bin
EXE :=
endif
STAMP := $(VENV)/.installed

.PHONY: run test lint bench fuzz kill clean translations

# The file itself (python.exe on Windows), or make would build the venv every time.
$(BIN)/python$(EXE):
	$(PYTHON) -m venv $(VENV)

# Python, not touch: cmd.exe, make's shell on Windows, has no touch.
$(STAMP): $(BIN)/python$(EXE) requirements.lock pyproject.toml
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@$(BIN)/python -c "import pathlib; pathlib.Path('$(STAMP)').touch()"

# The window's translations are compiled from the .ts sources as part of the build.
QM := src/nhao/resources/translations/nhao_vi.qm
$(QM): src/nhao/resources/translations/nhao_vi.ts $(STAMP)
	$(BIN)/python tools/i18n.py compile

translations: $(STAMP)
	$(BIN)/python tools/i18n.py update

run: $(STAMP) $(QM)
	$(BIN)/nhao demo

# Exported by make, not set as `VAR=value command`, which cmd.exe cannot run.
test: export QT_QPA_PLATFORM = offscreen
test: $(STAMP) $(QM)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports

# Speed goals of DESIGN.md §8; each prints its ratio to a baseline measured in the same run.
bench: export QT_QPA_PLATFORM = offscreen
bench: $(STAMP) $(QM)
	$(BIN)/python bench/start_bench.py
	$(BIN)/python bench/households_table_bench.py
	$(BIN)/python bench/import_bench.py
	$(BIN)/python bench/register_export_bench.py
	$(BIN)/python bench/sync_bench.py
	$(BIN)/python bench/review_bench.py

# The property tests that stand in for fuzzing, with a thousand cases each instead of the
# suite's few dozen (on PostgreSQL too when NHAO_TEST_PG_URL names a server); about
# half an hour with a server.
fuzz: export NHAO_FUZZ_EXAMPLES ?= 1000
fuzz: $(STAMP) $(QM)
	$(BIN)/python -m pytest -q -m fuzz

# A list import, a bundle import and a bundle export each killed (kill -9) at a hundred
# random moments, each time checked to leave everything whole; about fifteen minutes.
kill: export NHAO_KILL_ROUNDS ?= 100
kill: export NHAO_KILL_RANDOM = 1
kill: $(STAMP) $(QM)
	$(BIN)/python -m pytest -q tests/test_killed_midway.py

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache
