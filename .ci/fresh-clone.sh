#!/usr/bin/env bash
# The README's quick start, exactly as a new user meets it: clone the committed tree into an empty
# temporary folder (nothing beside it: no ../shared), then run the first two ```sh blocks after the
# README's "## Quick start" heading, as written. The second (the tests) must pass with the tests
# that need real config files reported as skipped, and with no test failed.
set -euo pipefail
cd "$(dirname "$0")/.."

# The two commands, extracted from the README so that the two cannot drift.
mapfile -t commands < <(awk '
  /^## Quick start/ { in_section = 1; next }
  in_section && /^## / { exit }
  in_section && /^```sh$/ { in_block = 1; text = ""; next }
  in_section && in_block && /^```$/ { in_block = 0; print text; if (++found == 2) exit; next }
  in_section && in_block { text = (text == "" ? $0 : text " && " $0) }
' README.md)
if [ "${#commands[@]}" -ne 2 ]; then
  echo "fresh-clone: expected two sh blocks after '## Quick start' in README.md, found ${#commands[@]}" >&2
  exit 1
fi

root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
git clone -q "$PWD" "$root/deepseek-config"
cd "$root/deepseek-config"
[ ! -e ../shared ] || { echo "fresh-clone: something is beside the clone" >&2; exit 1; }

echo "=== fresh clone, command 1: ${commands[0]}"
bash -euo pipefail -c "${commands[0]}"
echo "=== fresh clone, command 2: ${commands[1]}"
bash -euo pipefail -c "${commands[1]}" | tee "$root/ctest.log"

# Without the corpus the tests that read real files must be reported as skipped, none failed.
grep -q '^100% tests passed, 0 tests failed' "$root/ctest.log" ||
  { echo "fresh-clone: the tests did not all pass" >&2; exit 1; }
skipped=$(grep -c '(Skipped)$' "$root/ctest.log" || true)
if [ "$skipped" -eq 0 ]; then
  echo "fresh-clone: no test was reported as skipped without the corpus" >&2
  exit 1
fi
echo "=== fresh clone: passed, $skipped tests skipped for want of real config files"
