// Planning a deployment is arithmetic over the summed tensor walk, never the 92k-tensor
// manifest: one vLLM layout of DeepSeek-V3 (plan_gpu), and a sweep of every tp x pp x dp layout
// of 1 to 256 GPUs (plan_deployment, every pipeline stage), with and without expert parallelism,
// in two cache formats.
#include <deepseek/deployment.hpp>
#include <deepseek/presets.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace {

deepseek::GpuBudget h200() {
    deepseek::GpuBudget b{};
    b.gpu_memory = std::uint64_t{141} * 1000 * 1000 * 1000;
    b.context = 131072;
    return b;
}

void v3_one_layout(benchmark::State& state) {
    deepseek::Deployment d{};
    d.tp = 8;
    const deepseek::GpuBudget b = h200();
    for (auto _ : state) {
        auto plan = deepseek::plan_gpu(deepseek::presets::deepseek_v3, d, deepseek::VllmKvFormat::flashmla, b);
        benchmark::DoNotOptimize(plan);
    }
}

void v3_sweep_256_gpus(benchmark::State& state) {
    const deepseek::GpuBudget b = h200();
    std::uint64_t layouts = 0, valid = 0;
    for (auto _ : state) {
        layouts = valid = 0;
        for (std::uint64_t gpus = 1; gpus <= 256; ++gpus) {
            for (std::uint64_t tp = 1; tp <= gpus; ++tp) {
                if (gpus % tp != 0) continue;
                for (std::uint64_t pp = 1; pp <= gpus / tp; ++pp) {
                    if ((gpus / tp) % pp != 0) continue;
                    for (const bool ep : {false, true}) {
                        for (const auto f : {deepseek::VllmKvFormat::flashmla, deepseek::VllmKvFormat::flashmla_fp8}) {
                            deepseek::Deployment d{};
                            d.tp = tp;
                            d.pp = pp;
                            d.dp = gpus / tp / pp;
                            d.expert_parallel = ep;
                            const auto plan = deepseek::plan_deployment(deepseek::presets::deepseek_v3, d, f, b);
                            ++layouts;
                            valid += plan.has_value() ? 1U : 0U;
                            benchmark::DoNotOptimize(plan);
                        }
                    }
                }
            }
        }
    }
    state.counters["layouts"] = static_cast<double>(layouts);
    state.counters["valid"] = static_cast<double>(valid);
}

} // namespace

// The fastest repetition (see parse_benchmark.cpp).
BENCHMARK(v3_one_layout)->ComputeStatistics("min", [](const std::vector<double>& v) {
    return v.empty() ? 0.0 : *std::min_element(v.begin(), v.end());
});
BENCHMARK(v3_sweep_256_gpus)->Unit(benchmark::kMillisecond)->ComputeStatistics("min", [](const std::vector<double>& v) {
    return v.empty() ? 0.0 : *std::min_element(v.begin(), v.end());
});

BENCHMARK_MAIN();
