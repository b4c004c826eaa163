#!/bin/sh
# Installs the build tree into a scratch prefix and builds consumers against
# it: through find_package(mmio) (the library shared and static, the test
# doubles shared and static) and through pkg-config (mmio, mmio-testing).
# Then checks what each shared library exports, exactly: the functions its
# installed headers declare with MMIO_API, nothing more, nothing less.
#
# usage: install_consumer.sh BUILD_DIR SOURCE_DIR C_COMPILER
set -eu
build=$1 src=$2 cc=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null
libdir=$(dirname "$(find "$prefix" -name 'libmmio.so' | head -n 1)")

cmake -S "$src/tests/consumer" -B "$tmp/b" -DCMAKE_C_COMPILER="$cc" \
  -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$tmp/b" >/dev/null
for c in consumer_shared consumer_testing; do LD_LIBRARY_PATH=$libdir "$tmp/b/$c"; done
"$tmp/b/consumer_static"
"$tmp/b/consumer_testing_static"

export PKG_CONFIG_PATH="$libdir/pkgconfig"
# shellcheck disable=SC2046
"$cc" -std=c11 "$src/tests/consumer/main.c" $(pkg-config --cflags --libs mmio) -o "$tmp/consumer_pc"
# shellcheck disable=SC2046
"$cc" -std=c11 "$src/tests/consumer/testing.c" $(pkg-config --cflags --libs mmio-testing) \
  -o "$tmp/consumer_testing_pc"
LD_LIBRARY_PATH=$libdir "$tmp/consumer_pc"
LD_LIBRARY_PATH=$libdir "$tmp/consumer_testing_pc"

# declared DIR: the MMIO_API functions that the headers in DIR (not those
# they include from elsewhere) declare, sorted. The preprocessor, with
# MMIO_API made a marker, strips comments and expands the other macros;
# its line markers tell which header each line came from.
declared() {
  for h in "$1"/*.h; do echo "#include \"$h\""; done |
    "$cc" -std=c11 -E -DMMIO_API=mmio_exported_marker -I"$prefix/include" - |
    awk -v dir="$1/" '/^# [0-9]+ "/ { f = $3; gsub(/"/, "", f); keep = index(f, dir) == 1 && index(substr(f, length(dir) + 1), "/") == 0; next } keep' |
    tr '\n' ' ' | sed -E 's/__attribute__ *\(\([^()]*\)\)//g' |
    grep -o 'mmio_exported_marker[^;{(]*(' |
    sed -E 's/ *\($//; s/.*[^A-Za-z0-9_]([A-Za-z_][A-Za-z0-9_]*)$/\1/' | sort -u
}
# exported LIB: the functions and objects the shared library exports, sorted.
exported() {
  nm -D --defined-only "$1" | awk '$2 ~ /^[TDRBW]$/ {print $3}' | sort -u
}
inc=$prefix/include/mmio
status=0
check() { # NAME LIB HEADER_DIR
  name=$1 lib=$2
  declared "$3" > "$tmp/want"
  exported "$lib" > "$tmp/have"
  if ! diff -u "$tmp/want" "$tmp/have" > "$tmp/diff"; then
    echo "$name exports differ from the MMIO_API declarations of its headers (- declared, + exported):"
    grep -E '^[-+][a-z_]' "$tmp/diff"
    status=1
  else
    echo "$name exports exactly the $(wc -l < "$tmp/want") functions its headers declare"
  fi
}
check libmmio.so "$libdir/libmmio.so" "$inc"
check libmmio-testing.so "$libdir/libmmio-testing.so" "$inc/testing"
# The test doubles live only in libmmio-testing.
if nm -D --defined-only "$libdir/libmmio.so" | grep -Eq ' mmio_(fake|mock|checker|fail)_'; then
  echo "libmmio.so exports test-double symbols"
  status=1
fi
# libmmio-testing is linked against libmmio, which provides the regions.
if ! readelf -d "$libdir/libmmio-testing.so" | grep -q 'NEEDED.*libmmio\.so'; then
  echo "libmmio-testing.so is not linked against libmmio.so"
  status=1
fi
exit $status
