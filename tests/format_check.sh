#!/bin/sh
# The C sources follow .clang-format: clang-format would change nothing.
# usage: format_check.sh SOURCE_DIR
set -eu
src=$1
if ! command -v clang-format >/dev/null 2>&1; then
  echo "clang-format is missing: install clang-format (scripts/deps.sh test does)"
  exit 1
fi
cd "$src"
files=$(find src include tests examples bench tools bindings -name '*.[ch]' 2>/dev/null | sort)
if ! clang-format --dry-run --Werror $files; then
  echo "format: run clang-format -i on the files above (clang-format $(clang-format --version | grep -o '[0-9][0-9.]*' | head -n 1))"
  exit 1
fi
echo "format: $(echo "$files" | wc -l) files follow .clang-format"
