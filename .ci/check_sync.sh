#!/usr/bin/env bash
# Fails when nbdev_clean or nbdev_export change anything: notebooks must be clean and the package in sync.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
snapshot() { git status --porcelain --untracked-files=all -- nbs lesson_kit; git diff -- nbs lesson_kit | sha1sum; }
before=$(snapshot)
$BIN/nbdev_clean
$BIN/nbdev_export
after=$(snapshot)
if [ "$before" != "$after" ]; then
  echo "nbdev_clean/nbdev_export changed files: the notebooks were not clean or lesson_kit/ was out of sync."
  diff <(echo "$before") <(echo "$after") || true
  echo "Run 'make sync' (nbdev_clean + nbdev_export), review and commit the changes."
  exit 1
fi
echo "export sync: ok"
