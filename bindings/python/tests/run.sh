#!/bin/sh
# The binding's tests, against the installed package: installs it into a
# fresh virtual environment in DIR (venv.sh) and runs pytest there, from
# outside the source tree so that `import mmio` finds the installed copy.
#
# usage: run.sh PYTHON DIR
set -eu
python=$1
dir=$2
here=$(cd "$(dirname "$0")" && pwd)
if ! "$python" -c "import pytest" 2>/dev/null; then
  echo "python: $python has no pytest: install python3-pytest (scripts/deps.sh test does)"
  exit 1
fi
sh "$here/../venv.sh" "$python" "$dir"
cd "$dir"
PYTHONDONTWRITEBYTECODE=1 MMIO_TEST_PREFIX="$dir/venv" \
  "$dir/venv/bin/python" -m pytest -q -p no:cacheprovider "$here"
