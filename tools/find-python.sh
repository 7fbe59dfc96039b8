#!/usr/bin/env bash
# Prints a Python >= 3.12 interpreter: PATH first, then pyenv's installs.
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }
for c in python3.13 python3.12 python3; do
  p=$(command -v "$c" 2>/dev/null) && ok "$p" && { echo "$p"; exit 0; }
done
for p in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3; do
  [ -x "$p" ] && ok "$p" && { echo "$p"; exit 0; }
done
echo "no Python >= 3.12 found; install python3.12" >&2
exit 1
