// The tensor manifest of DeepSeek-V3 (91,991 tensors): time, and heap allocations per tensor.
#include <deepseek/presets.hpp>
#include <deepseek/tensors.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <vector>

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<std::uint64_t> allocations{0};
}

// Counting allocator: every operator new of the process goes through here. (GCC 12 warns that
// free() meets a pointer from operator new; here both sides are ours and use malloc/free.)
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void* operator new(std::size_t size) {
    allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

void v3_manifest(benchmark::State& state) {
    std::uint64_t tensors = 0;
    std::uint64_t allocated = 0;
    for (auto _ : state) {
        const std::uint64_t before = allocations.load();
        auto manifest = deepseek::tensor_manifest(deepseek::presets::deepseek_v3);
        allocated = allocations.load() - before;
        tensors = manifest.size();
        benchmark::DoNotOptimize(manifest);
    }
    state.counters["tensors"] = static_cast<double>(tensors);
    state.counters["allocs_per_tensor"] = static_cast<double>(allocated) / static_cast<double>(tensors);
}

} // namespace

// The fastest repetition (see parse_benchmark.cpp).
BENCHMARK(v3_manifest)->Unit(benchmark::kMillisecond)->ComputeStatistics("min", [](const std::vector<double>& v) {
    return v.empty() ? 0.0 : *std::min_element(v.begin(), v.end());
});

BENCHMARK_MAIN();
