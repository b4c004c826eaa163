#!/bin/sh
# A document's first C code block must be exactly an example the tests
# build and run (after the example's first comment line): a sample that
# compiles and works, never one that drifted.
# usage: doc_example.sh DOCUMENT EXAMPLE.c
set -eu
doc=$1 example=$2
block=$(awk '/^```c$/ {on = 1; next} on && /^```$/ {exit} on {print}' "$doc")
code=$(tail -n +2 "$example")
if [ "$block" != "$code" ]; then
  echo "$doc's first C block and $example differ:"
  printf '%s\n' "$block" > "${TMPDIR:-/tmp}/doc-example.c"
  diff "${TMPDIR:-/tmp}/doc-example.c" "$example" || true
  exit 1
fi
echo "$doc's example is $example"
