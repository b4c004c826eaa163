# Sourced by the architecture checks: need_tools TOOL... exits 77 (which
# CTest reports as Skipped, by name) when one of the tools is not installed.
need_tools() {
  for tool in "$@"; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "SKIP: $tool is not installed"
      exit 77
    fi
  done
}
