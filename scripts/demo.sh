#!/bin/sh
# Builds the library and runs the tour of the API on a memory object.
#
# usage: scripts/demo.sh
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh build
cmake -S . -B build-demo -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMMIO_BUILD_TESTS=OFF >/dev/null
cmake --build build-demo -j "$(nproc 2>/dev/null || echo 2)" --target map_demo >/dev/null
./build-demo/examples/map_demo
