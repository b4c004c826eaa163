#!/bin/sh
# Formats every C source and header with clang-format (.clang-format); the
# test code_is_formatted checks that nothing is left to change.
set -eu
cd "$(dirname "$0")/.."
find src include tests examples bench tools bindings -name '*.[ch]' 2>/dev/null | xargs clang-format -i
