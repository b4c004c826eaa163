#!/bin/sh
# Installs the build tree into a scratch prefix and builds a consumer
# against it twice: through find_package(mmio) (shared and static) and
# through pkg-config. Then checks the shared library exports only mmio_
# symbols.
#
# usage: install_consumer.sh BUILD_DIR SOURCE_DIR C_COMPILER
set -eu
build=$1 src=$2 cc=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null

cmake -S "$src/tests/consumer" -B "$tmp/b" -DCMAKE_C_COMPILER="$cc" \
  -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$tmp/b" >/dev/null
LD_LIBRARY_PATH=$(dirname "$(find "$prefix" -name 'libmmio.so' | head -n 1)") \
  "$tmp/b/consumer_shared"
"$tmp/b/consumer_static"

pcdir=$(dirname "$(find "$prefix" -name mmio.pc | head -n 1)")
flags=$(PKG_CONFIG_PATH=$pcdir pkg-config --cflags --libs mmio)
# shellcheck disable=SC2086
"$cc" -std=c11 "$src/tests/consumer/main.c" $flags -o "$tmp/consumer_pc"
libdir=$(PKG_CONFIG_PATH=$pcdir pkg-config --variable=libdir mmio)
LD_LIBRARY_PATH=$libdir "$tmp/consumer_pc"

so=$(find "$prefix" -name 'libmmio.so' | head -n 1)
bad=$(nm -D --defined-only "$so" | awk '{print $3}' | grep -v '^mmio_' || true)
if [ -n "$bad" ]; then
  echo "libmmio.so exports symbols outside the mmio_ namespace:"
  echo "$bad"
  exit 1
fi
echo "exports: $(nm -D --defined-only "$so" | grep -c ' T ') functions, all mmio_*"
