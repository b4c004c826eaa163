#!/bin/sh
# Builds the libFuzzer harnesses of tests/fuzz and runs them: once over
# their seed corpora (what CTest does), or fuzzing for a while.
#
# usage: scripts/fuzz.sh [-B DIR] build
#        scripts/fuzz.sh [-B DIR] replay [NAME...]
#        scripts/fuzz.sh [-B DIR] run SECONDS [NAME...]
#        scripts/fuzz.sh [-B DIR] merge NAME
#   -B DIR   the build tree (default build-fuzz): the library and the
#            harnesses only, built by clang with libFuzzer's coverage,
#            AddressSanitizer and UndefinedBehaviorSanitizer
#   build    installs what it needs (scripts/deps.sh fuzz), then
#            configures and builds DIR
#   replay   runs each harness once over its seeds (tests/fuzz/corpus/NAME)
#   run      fuzzes each harness for SECONDS, two at a time, starting from
#            its seeds and what earlier runs in DIR found; new inputs go to
#            DIR/corpus/NAME (the seeds are left alone), a failing input to
#            DIR/artifacts/NAME-crash-*, the log to DIR/logs/NAME.log; prints
#            each harness's final counts (runs, runs a second, coverage)
#   merge    adds to tests/fuzz/corpus/NAME the inputs of DIR/corpus/NAME
#            that reach code the seeds do not, for review before a commit
# Without NAMEs: every harness (each folder of tests/fuzz/corpus). A
# failure of any harness fails the command.
set -eu
cd "$(dirname "$0")/.."
dir=build-fuzz
if [ "${1:-}" = -B ]; then
  dir=$2
  shift 2
fi
verb=${1:-}
[ $# -gt 0 ] && shift

names() {
  if [ $# -gt 0 ]; then
    echo "$@"
  else
    for d in tests/fuzz/corpus/*/; do basename "$d"; done
  fi
}

harness() {
  bin="$dir/tests/fuzz/fuzz_$1"
  if [ ! -x "$bin" ]; then
    echo "fuzz: $bin is missing: run scripts/fuzz.sh -B $dir build" >&2
    exit 1
  fi
  echo "$bin"
}

case "$verb" in
build)
  sh scripts/deps.sh fuzz
  cmake -S . -B "$dir" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DMMIO_BUILD_FUZZ=ON -DMMIO_SANITIZE=address,undefined -DMMIO_WERROR=ON \
    -DMMIO_BUILD_TESTS=OFF -DMMIO_BUILD_BENCH=OFF -DMMIO_BUILD_EXAMPLES=OFF \
    -DMMIO_BUILD_TOOLS=OFF -DMMIO_BUILD_PYTHON=OFF >/dev/null
  targets=""
  for n in $(names); do targets="$targets fuzz_$n"; done
  # shellcheck disable=SC2086
  cmake --build "$dir" -j "$(nproc 2>/dev/null || echo 2)" --target $targets
  ;;
replay)
  for n in $(names "$@"); do
    bin=$(harness "$n")
    if ! "$bin" -runs=0 -artifact_prefix="$dir/replay-$n-" "tests/fuzz/corpus/$n" >"$dir/replay-$n.log" 2>&1; then
      cat "$dir/replay-$n.log"
      echo "fuzz: replay of $n failed" >&2
      exit 1
    fi
    echo "fuzz: replay $n: $(ls "tests/fuzz/corpus/$n" | wc -l) seeds pass"
  done
  ;;
run)
  seconds=${1:?usage: scripts/fuzz.sh run SECONDS [NAME...]}
  shift
  mkdir -p "$dir/logs" "$dir/artifacts"
  for n in $(names "$@"); do harness "$n" >/dev/null; done
  # Two at a time: one a core, each for the whole time it is given.
  status=0
  names "$@" | tr ' ' '\n' | xargs -P 2 -I NAME sh scripts/fuzz.sh -B "$dir" run-one "$seconds" NAME ||
    status=1
  for n in $(names "$@"); do
    echo "fuzz: $n: $(grep -E '^#[0-9]+[[:space:]]+DONE' "$dir/logs/$n.log" | tail -n 1)"
  done
  exit $status
  ;;
run-one)
  # One harness of run (run starts these).
  seconds=$1
  n=$2
  bin=$(harness "$n")
  mkdir -p "$dir/corpus/$n"
  dict=""
  [ -f "tests/fuzz/$n.dict" ] && dict="-dict=tests/fuzz/$n.dict"
  # shellcheck disable=SC2086
  if ! "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
    $dict -artifact_prefix="$dir/artifacts/$n-" "$dir/corpus/$n" "tests/fuzz/corpus/$n" \
    >"$dir/logs/$n.log" 2>&1; then
    tail -n 60 "$dir/logs/$n.log"
    echo "fuzz: $n failed; the input is in $dir/artifacts/ (reproduce: $bin FILE)" >&2
    exit 1
  fi
  ;;
merge)
  n=${1:?usage: scripts/fuzz.sh merge NAME}
  bin=$(harness "$n")
  "$bin" -merge=1 "tests/fuzz/corpus/$n" "$dir/corpus/$n"
  ;;
*)
  sed -n '2,24p' "$0" >&2
  exit 2
  ;;
esac
