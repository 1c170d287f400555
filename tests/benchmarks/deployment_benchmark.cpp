// Planning a deployment is arithmetic over the summed tensor walk, never the 92k-tensor
// manifest: one vLLM layout of DeepSeek-V3 (plan_gpu), and a sweep of every layout of 1 to 256
// GPUs (for_each_layout) under vLLM and SGLang (plan_deployment, every pipeline stage): tp x pp x
// dp, with and without expert parallelism, SGLang's DP attention splits, in the engine's default
// cache format (as `deepseek-config plan` plans them) and, apart, in its FP8 format as well.
// DeepSeek-V4-Pro's sweep too: vLLM's pool (plan_v4_deployment) and SGLang's on Hopper
// (plan_sglang_v4_deployment), each stage's weights and pool.
#include <deepseek/deployment.hpp>
#include <deepseek/presets.hpp>
#include <deepseek/sglang_v4_deployment.hpp>

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

/// Every layout of 1 to 256 GPUs under both engines, each planned in the engine's default cache
/// format (`plan` does the same) or, with `formats` 2, in its FP8 format as well.
void sweep(benchmark::State& state, int formats) {
    std::uint64_t layouts = 0, valid = 0;
    for (auto _ : state) {
        layouts = valid = 0;
        for (std::uint64_t gpus = 1; gpus <= 256; ++gpus) {
            for (const deepseek::Engine engine : {deepseek::Engine::vllm, deepseek::Engine::sglang}) {
                deepseek::for_each_layout(gpus, engine, [&](const deepseek::Deployment& d) {
                    deepseek::GpuBudget b = h200();
                    const auto count = [&](const auto& plan) {
                        ++layouts;
                        valid += plan.has_value() ? 1U : 0U;
                        benchmark::DoNotOptimize(plan);
                    };
                    if (engine == deepseek::Engine::sglang) {
                        b.memory_fraction =
                            *deepseek::sglang_default_fraction(deepseek::presets::deepseek_v3, b.gpu_memory, d);
                        b.reserve = std::uint64_t{1} << 30;
                        count(deepseek::plan_deployment(deepseek::presets::deepseek_v3, d,
                                                        deepseek::EngineKvFormat::sglang, b));
                        if (formats == 2)
                            count(deepseek::plan_deployment(deepseek::presets::deepseek_v3, d,
                                                            deepseek::EngineKvFormat::sglang_fp8, b));
                    } else {
                        count(deepseek::plan_deployment(deepseek::presets::deepseek_v3, d,
                                                        deepseek::VllmKvFormat::flashmla, b));
                        if (formats == 2)
                            count(deepseek::plan_deployment(deepseek::presets::deepseek_v3, d,
                                                            deepseek::VllmKvFormat::flashmla_fp8, b));
                    }
                });
            }
        }
    }
    state.counters["layouts"] = static_cast<double>(layouts);
    state.counters["valid"] = static_cast<double>(valid);
}

void v3_sweep_256_gpus(benchmark::State& state) { sweep(state, 1); }

/// Every layout of 1 to 256 GPUs for DeepSeek-V4-Pro under vLLM and under SGLang on Hopper (at a
/// fraction of 0.9, as SGLang's default for V4 is not modelled), as `deepseek-config plan
/// --gpu-arch hopper --gpu-util 0.9` plans them.
void v4_pro_sweep_256_gpus(benchmark::State& state) {
    std::uint64_t layouts = 0, valid = 0;
    for (auto _ : state) {
        layouts = valid = 0;
        for (std::uint64_t gpus = 1; gpus <= 256; ++gpus) {
            for (const deepseek::Engine engine : {deepseek::Engine::vllm, deepseek::Engine::sglang}) {
                deepseek::for_each_layout(gpus, engine, [&](deepseek::Deployment d) {
                    d.gpu_arch = deepseek::GpuArch::hopper;
                    deepseek::GpuBudget b = h200();
                    ++layouts;
                    if (engine == deepseek::Engine::sglang) {
                        b.reserve = std::uint64_t{1} << 30;
                        const auto plan = deepseek::plan_sglang_v4_deployment(deepseek::presets::deepseek_v4_pro, d, b);
                        valid += plan.has_value() ? 1U : 0U;
                        benchmark::DoNotOptimize(plan);
                    } else {
                        const auto plan = deepseek::plan_v4_deployment(deepseek::presets::deepseek_v4_pro, d, b);
                        valid += plan.has_value() ? 1U : 0U;
                        benchmark::DoNotOptimize(plan);
                    }
                });
            }
        }
    }
    state.counters["layouts"] = static_cast<double>(layouts);
    state.counters["valid"] = static_cast<double>(valid);
}
void v3_sweep_256_gpus_two_formats(benchmark::State& state) { sweep(state, 2); }

} // namespace

// The fastest repetition (see parse_benchmark.cpp).
BENCHMARK(v3_one_layout)->ComputeStatistics("min", [](const std::vector<double>& v) {
    return v.empty() ? 0.0 : *std::min_element(v.begin(), v.end());
});
BENCHMARK(v3_sweep_256_gpus_two_formats)
    ->Unit(benchmark::kMillisecond)
    ->ComputeStatistics("min", [](const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); });
BENCHMARK(v3_sweep_256_gpus)->Unit(benchmark::kMillisecond)->ComputeStatistics("min", [](const std::vector<double>& v) {
    return v.empty() ? 0.0 : *std::min_element(v.begin(), v.end());
});

BENCHMARK(v4_pro_sweep_256_gpus)
    ->Unit(benchmark::kMillisecond)
    ->ComputeStatistics("min", [](const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); });

BENCHMARK_MAIN();
