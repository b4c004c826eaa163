#!/bin/sh
# Makes DIR/venv a fresh virtual environment that sees the system's
# packages (pytest, numpy) and installs the package mmio into it from this
# folder, the way a user installs it: with pip, without fetching anything.
# The package's builds stay in DIR/package-build, so the next install is
# incremental.
#
# usage: venv.sh PYTHON DIR
set -eu
python=$1
dir=$2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$dir"
"$python" -m venv --clear --system-site-packages "$dir/venv"
MMIO_PYTHON_BUILD_DIR="$dir/package-build" "$dir/venv/bin/python" -m pip install --quiet \
  --no-build-isolation --no-deps --no-index --disable-pip-version-check \
  --root-user-action=ignore "$here"
