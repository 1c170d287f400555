// Parse cost against its floor: nlohmann::json::parse alone vs deepseek::parse_config (parse,
// validate, typed mapping) vs the whole report (parse_config + every memory figure).
#include <deepseek/json.hpp>
#include <deepseek/report.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::string read_corpus(const char* name) {
    std::ifstream in(std::string(DEEPSEEK_CONFIG_CORPUS_DIR) + "/" + name, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void nlohmann_parse(benchmark::State& state, const char* file) {
    const std::string text = read_corpus(file);
    for (auto _ : state) {
        auto j = nlohmann::json::parse(text);
        benchmark::DoNotOptimize(j);
    }
}

void typed_parse(benchmark::State& state, const char* file) {
    const std::string text = read_corpus(file);
    for (auto _ : state) {
        auto config = deepseek::parse_config(text);
        benchmark::DoNotOptimize(config);
    }
}

void full_report(benchmark::State& state, const char* file) {
    const std::string text = read_corpus(file);
    for (auto _ : state) {
        const auto config = deepseek::parse_config(text);
        auto report =
            std::visit([](const auto& c) { return deepseek::make_report(c, deepseek::ReportOptions{}); }, config);
        benchmark::DoNotOptimize(report);
    }
}

void report_only(benchmark::State& state, const char* file) {
    const auto config = deepseek::parse_config(read_corpus(file));
    for (auto _ : state) {
        auto report =
            std::visit([](const auto& c) { return deepseek::make_report(c, deepseek::ReportOptions{}); }, config);
        benchmark::DoNotOptimize(report);
    }
}

// The fastest repetition, beside Google Benchmark's mean and median: on a shared VM the noise
// only ever adds time, so the minimum is the steadiest of the three.
double fastest(const std::vector<double>& v) { return v.empty() ? 0.0 : *std::min_element(v.begin(), v.end()); }

} // namespace

BENCHMARK_CAPTURE(nlohmann_parse, v2_lite, "deepseek-v2-lite.json")->ComputeStatistics("min", fastest);
BENCHMARK_CAPTURE(typed_parse, v2_lite, "deepseek-v2-lite.json")->ComputeStatistics("min", fastest);
BENCHMARK_CAPTURE(full_report, v2_lite, "deepseek-v2-lite.json")->ComputeStatistics("min", fastest);
BENCHMARK_CAPTURE(report_only, v2_lite, "deepseek-v2-lite.json")->ComputeStatistics("min", fastest);
BENCHMARK_CAPTURE(nlohmann_parse, v3, "deepseek-v3.json")->ComputeStatistics("min", fastest);
BENCHMARK_CAPTURE(typed_parse, v3, "deepseek-v3.json")->ComputeStatistics("min", fastest);
BENCHMARK_CAPTURE(full_report, v3, "deepseek-v3.json")->ComputeStatistics("min", fastest);
BENCHMARK_CAPTURE(report_only, v3, "deepseek-v3.json")->ComputeStatistics("min", fastest);
BENCHMARK_CAPTURE(nlohmann_parse, ocr, "deepseek-ocr.json")->ComputeStatistics("min", fastest);
BENCHMARK_CAPTURE(typed_parse, ocr, "deepseek-ocr.json")->ComputeStatistics("min", fastest);
BENCHMARK_CAPTURE(full_report, ocr, "deepseek-ocr.json")->ComputeStatistics("min", fastest);
BENCHMARK_CAPTURE(report_only, ocr, "deepseek-ocr.json")->ComputeStatistics("min", fastest);
BENCHMARK_CAPTURE(nlohmann_parse, v4_pro, "2026/deepseek-v4-pro.json")->ComputeStatistics("min", fastest);
BENCHMARK_CAPTURE(typed_parse, v4_pro, "2026/deepseek-v4-pro.json")->ComputeStatistics("min", fastest);
BENCHMARK_CAPTURE(full_report, v4_pro, "2026/deepseek-v4-pro.json")->ComputeStatistics("min", fastest);
BENCHMARK_CAPTURE(report_only, v4_pro, "2026/deepseek-v4-pro.json")->ComputeStatistics("min", fastest);

BENCHMARK_MAIN();
