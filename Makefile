# deskbot: `make demo` runs the main job end to end; `make test` runs the whole suite.
# Both set up what they need on first use (system packages via apt-get, .venv).

VENV := .venv
PY := $(VENV)/bin/python
export OMP_THREAD_LIMIT := 1

.PHONY: setup test demo schema benchmarks clean

setup:
	@bash scripts/setup.sh

test: setup
	$(PY) -m pytest -n 2 --dist loadfile -q

demo: setup
	$(VENV)/bin/deskbot demo

schema: setup
	$(VENV)/bin/deskbot schema --write recipes/schema.json --docs docs/recipes.md

benchmarks: setup
	@for b in benchmarks/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf var .pytest_cache
