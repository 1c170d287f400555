#!/usr/bin/env bash
# Fuzzing: build the libFuzzer harness (tests/fuzz) with clang, ASan and UBSan in its own build
# folder, seed it with the real configs and our bad-config corpus, and run it for a bounded time.
# Fails on any crash, leak, timeout, out-of-memory or sanitizer report. `.ci/run` calls it last.
#   FUZZ_SECONDS (default 60), FUZZ_BUILD_DIR (default build-fuzz), FUZZ_JOBS (default 2)
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${FUZZ_SECONDS:-60}"
build="${FUZZ_BUILD_DIR:-build-fuzz}"
jobs="${FUZZ_JOBS:-2}"

# clang 14 with libFuzzer's runtime (libclang-rt-14-dev); install only what is missing.
need=()
command -v clang++ >/dev/null 2>&1 || need+=(clang)
if ! compgen -G "/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a" >/dev/null; then
  need+=(libclang-rt-14-dev)
fi
if [ "${#need[@]}" -gt 0 ]; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${need[@]}"
fi

CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DDEEPSEEK_CONFIG_FUZZ=ON -DDEEPSEEK_CONFIG_BUILD_EXAMPLES=OFF -DDEEPSEEK_CONFIG_INSTALL=OFF \
  -DDEEPSEEK_CONFIG_WARNINGS_AS_ERRORS=ON
cmake --build "$build" --target config_fuzz -j"$jobs"

# Seeds are copied at run time, not committed: the real configs and tests/data.
work="$build/fuzz-run"
rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts"
if [ -d ../shared/configs ]; then
  find ../shared/configs -maxdepth 2 -name '*.json' -exec cp {} "$work/corpus/" \;
fi
find tests/data -maxdepth 2 -path tests/data/invalid -prune -o -name '*.json' -type f -print \
  | while read -r f; do cp "$f" "$work/corpus/$(echo "$f" | tr / _)"; done
# Inputs that once crashed the harness (each named for what it found).
if [ -d tests/fuzz/regressions ]; then
  cp tests/fuzz/regressions/*.json "$work/corpus/"
fi
if [ -d tests/data/invalid ]; then
  find tests/data/invalid -maxdepth 1 -type f ! -name cases.json -exec cp {} "$work/corpus/" \;
fi
# Hostile .safetensors files (the harness reads each input as a whole file too).
if [ -d tests/data/invalid-safetensors ]; then
  find tests/data/invalid-safetensors -maxdepth 1 -name '*.safetensors' -exec cp {} "$work/corpus/" \;
fi
echo "fuzz: $(find "$work/corpus" -type f | wc -l) seed files, ${seconds} s"

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:allocator_may_return_null=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
status=0
"$build/tests/fuzz/config_fuzz" "$work/corpus" \
  -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
  -dict=tests/fuzz/config.dict -artifact_prefix="$work/artifacts/" -print_final_stats=1 2>&1 | tee "$work/fuzz.log" || status=$?

if [ "$status" -ne 0 ] || grep -qE "ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:" "$work/fuzz.log"; then
  echo "fuzz: FAILED (exit $status); reproducers in $work/artifacts:" >&2
  ls -l "$work/artifacts" >&2 || true
  exit 1
fi
grep -E "stat::number_of_executed_units|stat::average_exec_per_sec" "$work/fuzz.log" || true
echo "fuzz: no crash, leak or sanitizer report in ${seconds} s"
