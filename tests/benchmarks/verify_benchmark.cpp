// Verifying a download reads only the shards' headers: DeepSeek-V3 as released (163 shards,
// 91,991 tensors, 688,574,839,360 bytes of tensors) written once as sparse files, then
// verify_checkpoint against the V3 preset (target: under a second on the CI machine).
#include <deepseek/presets.hpp>
#include <deepseek/verify.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "../checkpoint_writer.hpp"

namespace {

void v3_verify_163_shards(benchmark::State& state) {
    namespace W = checkpoint_writer;
    const std::filesystem::path dir = std::filesystem::temp_directory_path() / "deepseek-config-verify-benchmark";
    std::filesystem::remove_all(dir);
    const W::Checkpoint ckpt = W::split(W::tensors_of(deepseek::presets::deepseek_v3), 163);
    ckpt.write(dir);
    W::write_json(dir / "model.safetensors.index.json", ckpt.index());
    bool match = false;
    std::size_t tensors = 0, shards = 0;
    for (auto _ : state) {
        const deepseek::Verification v = deepseek::verify_checkpoint(deepseek::presets::deepseek_v3, dir);
        match = v.match();
        tensors = v.tensors;
        shards = v.shards;
        benchmark::DoNotOptimize(v);
    }
    state.counters["tensors"] = static_cast<double>(tensors);
    state.counters["shards"] = static_cast<double>(shards);
    state.counters["match"] = match ? 1.0 : 0.0;
    std::filesystem::remove_all(dir);
}

} // namespace

// The fastest repetition (see parse_benchmark.cpp).
BENCHMARK(v3_verify_163_shards)
    ->Unit(benchmark::kMillisecond)
    ->ComputeStatistics("min", [](const std::vector<double>& v) {
        return v.empty() ? 0.0 : *std::min_element(v.begin(), v.end());
    });

BENCHMARK_MAIN();
