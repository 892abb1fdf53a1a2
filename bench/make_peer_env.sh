#!/usr/bin/env bash
# Build bench/.venv-peer: the peer environment with fastai 2.8 for side-by-side benchmarks.
# fastai 2.8 needs fastcore>=2, which conflicts with nbdev 2's pins, so it gets its own virtualenv.
# torch/torchvision are pinned to the same builds as the lesson_kit venv so both sides run the same kernels.
# Idempotent: a stamp file records the pins; rerunning with the same pins does nothing.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PYTHON="${PYTHON:-python3}"
PEER="${PEER_VENV:-$HERE/.venv-peer}"
PINS="torch==2.14.1 torchvision==0.29.1 fastai==2.8.*"
STAMP="$PEER/.peer-installed"

if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$PINS" ]]; then
    exit 0
fi
start=$(date +%s)
echo "Building the peer environment in $PEER ($PINS); this takes a few minutes the first time." >&2
rm -rf "$PEER"
"$PYTHON" -m venv "$PEER"
# pip's warnings about unreachable local index folders on some machines are noise: drop them.
quiet() { "$@" 2> >(grep -v 'is ignored: it is neither a file nor a directory' >&2); }
quiet "$PEER/bin/python" -m pip install -q --upgrade pip
# shellcheck disable=SC2086
quiet "$PEER/bin/pip" install -q $PINS
"$PEER/bin/python" -c "import fastai, torch; print('peer env: fastai', fastai.__version__, 'torch', torch.__version__)" >&2
echo "$(( $(date +%s) - start ))" > "$PEER/.build-seconds"
echo "$PINS" > "$STAMP"
echo "Peer environment built in $(cat "$PEER/.build-seconds") s." >&2
