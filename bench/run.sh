#!/bin/sh
# Builds the benchmarks with gcc and with clang at -O2 and runs them, then
# the Python binding's (bench_python.py), with the package installed into
# a virtual environment the way users install it.
#
# usage: bench/run.sh [--quick]
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh test
for cc in gcc clang; do
  dir=build-bench-$cc
  cmake -S . -B "$dir" -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE=None \
    -DCMAKE_C_FLAGS=-O2 -DMMIO_BUILD_TESTS=OFF -DMMIO_BUILD_EXAMPLES=OFF >/dev/null
  cmake --build "$dir" -j "$(nproc 2>/dev/null || echo 2)" --target bench_access bench_regs >/dev/null
  "./$dir/bench/bench_access" "$@"
  "./$dir/bench/bench_regs" "$@"
done
py=/usr/bin/python3
[ -x "$py" ] || py=python3
sh bindings/python/venv.sh "$py" build-bench-python
./build-bench-python/venv/bin/python bench/bench_python.py "$@"
