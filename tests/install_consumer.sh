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
for c in consumer_shared consumer_regs consumer_testing; do LD_LIBRARY_PATH=$libdir "$tmp/b/$c"; done
for c in consumer_static consumer_regs_static consumer_testing_static; do "$tmp/b/$c"; done

export PKG_CONFIG_PATH="$libdir/pkgconfig"
# shellcheck disable=SC2046
"$cc" -std=c11 "$src/tests/consumer/main.c" $(pkg-config --cflags --libs mmio) -o "$tmp/consumer_pc"
# shellcheck disable=SC2046
"$cc" -std=c11 "$src/tests/consumer/regs.c" $(pkg-config --cflags --libs mmio-regs) \
  -o "$tmp/consumer_regs_pc"
# shellcheck disable=SC2046
"$cc" -std=c11 "$src/tests/consumer/testing.c" $(pkg-config --cflags --libs mmio-testing) \
  -o "$tmp/consumer_testing_pc"
LD_LIBRARY_PATH=$libdir "$tmp/consumer_pc"
LD_LIBRARY_PATH=$libdir "$tmp/consumer_regs_pc"
LD_LIBRARY_PATH=$libdir "$tmp/consumer_testing_pc"

# headers LIB: the installed public headers of library LIB ("mmio",
# "mmio-regs", ...), as the layer table of docs/design.md assigns them.
headers() {
  awk -F'|' -v lib="\`$1\`" '
    $2 ~ /^ `[a-z]+` $/ && $4 == " " lib " " {
      n = split($5, w, "`"); for (i = 2; i <= n; i += 2) print w[i] }' "$src/docs/design.md" |
    sed "s|^|$prefix/include/mmio/|"
}

# declared HEADER...: the MMIO_API functions those headers (not the ones
# they include) declare, sorted. The preprocessor, with MMIO_API made a
# marker, strips comments and expands the other macros; its line markers
# tell which header each line came from.
declared() {
  list=$(printf '%s\n' "$@")
  for h in "$@"; do echo "#include \"$h\""; done |
    "$cc" -std=c11 -E -DMMIO_API=mmio_exported_marker -I"$prefix/include" - |
    awk -v list="$list" 'BEGIN { n = split(list, l, "\n"); for (i = 1; i <= n; i++) want[l[i]] = 1 }
      /^# [0-9]+ "/ { f = $3; gsub(/"/, "", f); keep = (f in want); next } keep' |
    tr '\n' ' ' | sed -E 's/__attribute__ *\(\([^()]*\)\)//g' |
    grep -o 'mmio_exported_marker[^;{(]*(' |
    sed -E 's/ *\($//; s/.*[^A-Za-z0-9_]([A-Za-z_][A-Za-z0-9_]*)$/\1/' | sort -u
}
# exported LIB: the functions and objects the shared library exports, sorted.
exported() {
  nm -D --defined-only "$1" | awk '$2 ~ /^[TDRBW]$/ {print $3}' | sort -u
}
status=0
check() { # LIBRARY
  name=lib$1.so
  lib=$libdir/$name
  # shellcheck disable=SC2046
  declared $(headers "$1") > "$tmp/want"
  exported "$lib" > "$tmp/have"
  if ! diff -u "$tmp/want" "$tmp/have" > "$tmp/diff"; then
    echo "$name exports differ from the MMIO_API declarations of its headers (- declared, + exported):"
    grep -E '^[-+][a-z_]' "$tmp/diff"
    status=1
  else
    echo "$name exports exactly the $(wc -l < "$tmp/want") functions its headers declare"
  fi
}
for library in mmio mmio-regs mmio-testing; do check $library; done
# The test doubles live only in libmmio-testing.
if nm -D --defined-only "$libdir/libmmio.so" | grep -Eq ' mmio_(fake|mock|checker|fail)_'; then
  echo "libmmio.so exports test-double symbols"
  status=1
fi
# libmmio-testing and libmmio-regs are linked against libmmio, which
# provides the regions.
for library in mmio-regs mmio-testing; do
  if ! readelf -d "$libdir/lib$library.so" | grep -q 'NEEDED.*libmmio\.so'; then
    echo "lib$library.so is not linked against libmmio.so"
    status=1
  fi
done
# The mmio command and its manual come with the libraries, and the
# installed binary runs on its own (it links the libraries statically).
if [ -x "$prefix/bin/mmio" ]; then
  if "$prefix/bin/mmio" --version | grep -q '^mmio ' &&
     "$prefix/bin/mmio" fake:edu read 0 | grep -q '0x010000ed'; then
    echo "bin/mmio runs"
  else
    echo "the installed bin/mmio does not run"
    status=1
  fi
  if [ ! -f "$prefix/share/man/man1/mmio.1" ]; then
    echo "share/man/man1/mmio.1 is not installed beside bin/mmio"
    status=1
  fi
elif [ -f "$build/tools/mmio/mmio" ]; then
  echo "bin/mmio is built but not installed"
  status=1
fi
exit $status
