# The two commands a learner or contributor needs: `make lesson` and `make test`.
# Both set themselves up on a fresh machine that has only Python 3.10+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.lesson_kit-installed
# torch and torchvision are pinned for development: these builds lie on the dev/CI machines' disk.
TORCH_PINS := torch==2.14.1 torchvision==0.29.1
export OMP_WAIT_POLICY ?= PASSIVE
export MPLBACKEND ?= Agg

.PHONY: help setup test lesson lab sync readme lint nbtest pytest bench clean widgets7 docs gpu

help:
	@echo "make lesson  - run the lesson notebooks offline on the embedded sample, write out/"
	@echo "make test    - every check: export sync, README sync, lint, nbdev_test, pytest"
	@echo "make lab     - JupyterLab on the notebooks"
	@echo "make bench   - benchmarks side by side with fastai 2.8 (CASE=name for one)"
	@echo "make readme  - regenerate README.md from nbs/index.ipynb"
	@echo "make widgets7 - the widget notebooks again under ipywidgets 7.7 (what Colab ships)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python setup.py settings.ini
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/pip install -q $(TORCH_PINS)
	$(BIN)/pip install -q -e ".[dev]" $(TORCH_PINS)
	touch $(STAMP)

setup: $(STAMP)

sync: setup
	bash .ci/check_sync.sh

readme: setup
	$(BIN)/python .ci/readme.py

lint: setup
	$(BIN)/ruff check --select F,E9,E722,B006 lesson_kit/

nbtest: setup
	LESSON_KIT_TEST=1 $(BIN)/nbdev_test --n_workers 2 --timing

pytest: setup
	bash .ci/browser_deps.sh
	$(BIN)/python -m pytest tests/ -q

test: setup
	bash .ci/check_sync.sh
	$(BIN)/python .ci/readme.py --check
	$(BIN)/ruff check --select F,E9,E722,B006 lesson_kit/
	LESSON_KIT_TEST=1 $(BIN)/nbdev_test --n_workers 2 --timing
	$(MAKE) --no-print-directory widgets7
	bash .ci/browser_deps.sh
	$(BIN)/python -m pytest tests/ -q

# Colab ships ipywidgets 7.7: an overlay folder put first on PYTHONPATH runs the widget notebooks under it.
W7 := $(VENV)/ipywidgets7
W7_NBS := nbs/04a_kernel_editor.ipynb nbs/06_progress.ipynb nbs/lessons/lesson1_convolutions.ipynb

$(W7)/.installed: | $(STAMP)
	$(BIN)/pip install -q --upgrade --target $(W7) --no-deps ipywidgets==7.7.5 ipython_genutils
	touch $@

widgets7: setup $(W7)/.installed
	PYTHONPATH=$(W7) $(BIN)/python -c "import ipywidgets as w; assert w.__version__.startswith('7.7'), w.__version__; w.IntSlider(); print('ipywidgets', w.__version__, 'from', w.__file__)"
	for nb in $(W7_NBS); do PYTHONPATH=$(W7) LESSON_KIT_TEST=1 $(BIN)/nbdev_test --path $$nb --do_print || exit 1; done

lesson: setup
	$(BIN)/python .ci/run_lessons.py

lab: setup
	$(BIN)/jupyter lab --notebook-dir=nbs

bench: setup
	$(BIN)/python -m bench $(if $(CASE),--case $(CASE),)

clean:
	rm -rf out _proc _docs .pytest_cache

# The docs site and the one-command GPU check.
docs: setup
	$(BIN)/python .ci/docs.py

# On a machine without a GPU this prints one line and exits 0.
gpu: setup
	$(BIN)/python -m bench.gpu_check
