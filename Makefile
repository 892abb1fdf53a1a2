# The two commands a learner or contributor needs: `make lesson` and `make test`.
# Both set themselves up on a fresh machine that has only Python 3.10+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Two steps: what the lessons need (`make lesson`, `make lab`), then the development tools (`make test`).
LESSON_STAMP := $(VENV)/.lesson_kit-lesson
STAMP := $(VENV)/.lesson_kit-installed
# torch and torchvision are pinned for development: these builds lie on the dev/CI machines' disk.
TORCH_PINS := torch==2.14.1 torchvision==0.29.1
# PyPI's torch carries its CUDA libraries (~5 GB). Where download.pytorch.org is reachable, a machine with no GPU
# can take the CPU build (a 0.2 GB download, 0.65 GB installed): make lesson TORCH_INDEX=https://download.pytorch.org/whl/cpu
TORCH_INDEX ?=
PIP_TORCH := $(if $(TORCH_INDEX),--extra-index-url $(TORCH_INDEX),)
# JupyterLab refuses to run as root unless told to; containers often run as root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
LAB_ARGS ?=
export OMP_WAIT_POLICY ?= PASSIVE
export MPLBACKEND ?= Agg

.PHONY: help setup test lesson lab sync readme readme-check lint nbtest pytest bench clean widgets7 docs gpu

help:
	@echo "make lesson  - run the lesson notebooks offline on the embedded sample, write out/"
	@echo "make test    - every check: export sync, README sync, lint, nbdev_test, pytest"
	@echo "make lab     - JupyterLab on the lesson notebooks (LAB_ARGS='--port=9999' passes options)"
	@echo "make bench   - benchmarks side by side with fastai 2.8 (CASE=name for one)"
	@echo "make readme  - regenerate README.md from nbs/index.ipynb"
	@echo "make widgets7 - the widget notebooks again under ipywidgets 7.7 (what Colab ships)"
	@echo "make docs    - the documentation site in _docs/ (lessons, module notebooks), readable offline"
	@echo "make gpu     - on a GPU machine: every GPU check and GPU benchmark, report in out/gpu-report.md"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(LESSON_STAMP): $(BIN)/python setup.py settings.ini
	@echo "Setting up $(VENV) for the lessons: PyTorch and torchvision ($(TORCH_PINS)), lesson_kit, and Jupyter's"
	@echo "notebook runner. The first time it downloads PyTorch with its CUDA libraries (about 5 GB installed) and"
	@echo "takes 2-3 minutes, printing nothing until pip is done; later runs start at once."
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/pip install -q $(PIP_TORCH) $(TORCH_PINS)
	$(BIN)/pip install -q $(PIP_TORCH) -e ".[lesson]" $(TORCH_PINS)
	touch $@

$(STAMP): $(LESSON_STAMP)
	@echo "Adding the development tools to $(VENV) (nbdev, pytest, ruff, JupyterLab, Playwright...): about a minute, once."
	$(BIN)/pip install -q $(PIP_TORCH) -e ".[dev]" $(TORCH_PINS)
	touch $@

setup: $(STAMP)

sync: setup
	bash .ci/check_sync.sh

readme: setup
	$(BIN)/python .ci/readme.py

lint: setup
	$(BIN)/ruff check lesson_kit/ bench/ tests/ .ci/

readme-check: setup
	$(BIN)/python .ci/readme.py --check

nbtest: setup
	LESSON_KIT_TEST=1 $(BIN)/nbdev_test --n_workers 2 --timing

pytest: setup
	bash .ci/browser_deps.sh
	$(BIN)/python -m pytest tests/ -q

# Every check, in this order; each is a target of its own above.
test: sync readme-check lint nbtest widgets7 pytest

# Colab ships ipywidgets 7.7: an overlay folder put first on PYTHONPATH runs the widget notebooks under it.
W7 := $(VENV)/ipywidgets7
W7_NBS := nbs/04a_kernel_editor.ipynb nbs/01b_progress.ipynb nbs/lessons/lesson1_convolutions.ipynb

$(W7)/.installed: | $(STAMP)
	$(BIN)/pip install -q --upgrade --target $(W7) --no-deps ipywidgets==7.7.5 ipython_genutils
	touch $@

widgets7: setup $(W7)/.installed
	PYTHONPATH=$(W7) $(BIN)/python -c "import ipywidgets as w; assert w.__version__.startswith('7.7'), w.__version__; w.IntSlider(); print('ipywidgets', w.__version__, 'from', w.__file__)"
	for nb in $(W7_NBS); do PYTHONPATH=$(W7) LESSON_KIT_TEST=1 $(BIN)/nbdev_test --path $$nb --do_print || exit 1; done

lesson: $(LESSON_STAMP)
	$(BIN)/python .ci/run_lessons.py

# Opens on the lessons. Kernels get Jupyter's inline plots, not this file's MPLBACKEND.
lab: $(LESSON_STAMP)
	@$(BIN)/python -c "import jupyterlab" 2>/dev/null || { echo "Installing JupyterLab into $(VENV) (a minute, once)..."; \
		$(BIN)/pip install -q "jupyterlab>=4"; }
	env -u MPLBACKEND $(BIN)/jupyter lab --notebook-dir=nbs/lessons $(ROOT_FLAG) $(LAB_ARGS)

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
