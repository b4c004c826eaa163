#!/bin/sh
# The README's tour must be exactly examples/tour.c (after its first
# comment line), which the tests build and run: a sample that compiles.
# usage: readme_tour.sh SOURCE_DIR
set -eu
src=$1
readme=$(awk '/^```c$/ {on = 1; next} on && /^```$/ {exit} on {print}' "$src/README.md")
example=$(tail -n +2 "$src/examples/tour.c")
if [ "$readme" != "$example" ]; then
  echo "README.md's tour and examples/tour.c differ:"
  printf '%s\n' "$readme" > "${TMPDIR:-/tmp}/readme-tour.c"
  diff "${TMPDIR:-/tmp}/readme-tour.c" "$src/examples/tour.c" || true
  exit 1
fi
echo "README tour matches examples/tour.c"
