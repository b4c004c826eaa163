#!/bin/sh
# Builds everything and runs the whole test suite with CTest, after
# installing what it needs (scripts/deps.sh test).
#
# usage: scripts/test.sh [--sanitize | --tsan | --valgrind]
#   --sanitize  build with AddressSanitizer and UndefinedBehaviorSanitizer in
#               build-asan/ and run the unit tests there (the compile-only
#               and cross-architecture checks do not depend on it, and the
#               fuzz replays have their own sanitizers: both are left to the
#               plain run)
#   --tsan      build with ThreadSanitizer in build-tsan/ and run the tests
#               that use threads
#   --valgrind  build in build-valgrind/ and run the unit tests (every test
#               not labelled arch, build or vm; nor faults, whose faults are
#               on purpose, nor cli, whose pytest suite valgrind would not
#               see into, nor fuzz, built with ASan) under valgrind
#               --leak-check=full --error-exitcode=1
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh test

jobs=$(nproc 2>/dev/null || echo 2)
# Warnings are errors here (not for users, whose compilers differ).
common="-DMMIO_WERROR=ON"
# The Python binding is built for, and tested with, the Debian interpreter
# whose packages deps.sh installed (another python3 first on PATH, such as
# pyenv's, would have no pytest).
if [ -x /usr/bin/python3 ]; then
  common="$common -DPython3_EXECUTABLE=/usr/bin/python3"
fi
if [ "${1:-}" = --sanitize ]; then
  dir=build-asan
  cmake -S . -B "$dir" $common -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=Debug -DMMIO_SANITIZE=address,undefined >/dev/null
  cmake --build "$dir" -j "$jobs"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$dir" --output-on-failure -j "$jobs" -LE "arch|build|vm|fuzz"
elif [ "${1:-}" = --valgrind ]; then
  dir=build-valgrind
  # Every definite or possible leak and every memory error fails the test;
  # --fair-sched keeps the threaded tests' races as likely as natively.
  cmake -S . -B "$dir" $common -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DMMIO_TEST_LAUNCHER=valgrind;--quiet;--leak-check=full;--show-leak-kinds=definite,possible;--errors-for-leak-kinds=definite,possible;--error-exitcode=1;--fair-sched=yes" \
    >/dev/null
  cmake --build "$dir" -j "$jobs"
  ctest --test-dir "$dir" --output-on-failure -j "$jobs" -LE "arch|build|vm|faults|cli|fuzz"
elif [ "${1:-}" = --tsan ]; then
  dir=build-tsan
  cmake -S . -B "$dir" $common -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=Debug -DMMIO_SANITIZE=thread >/dev/null
  cmake --build "$dir" -j "$jobs" --target test_refcount test_fake test_checker
  TSAN_OPTIONS=halt_on_error=1 ctest --test-dir "$dir" --output-on-failure \
    -R "test_refcount|test_fake|test_checker"
else
  # Both compilers build everything; gcc's build runs every test, clang's
  # the unit tests once more.
  dir=build
  cmake -S . -B "$dir" $common -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$dir" -j "$jobs"
  ctest --test-dir "$dir" --output-on-failure -j "$jobs"
  dir=build-clang
  cmake -S . -B "$dir" $common -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$dir" -j "$jobs"
  ctest --test-dir "$dir" --output-on-failure -j "$jobs" -LE "arch|build|vm|python|fuzz"
fi
