// Parse cost against its floor: nlohmann::json::parse alone vs deepseek::parse_config (parse,
// validate, typed mapping) vs the whole report (parse_config + every memory figure).
#include <deepseek/json.hpp>
#include <deepseek/report.hpp>

#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>

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
        auto report = std::visit([](const auto& c) { return deepseek::make_report(c, deepseek::ReportOptions{}); }, config);
        benchmark::DoNotOptimize(report);
    }
}

void report_only(benchmark::State& state, const char* file) {
    const auto config = deepseek::parse_config(read_corpus(file));
    for (auto _ : state) {
        auto report = std::visit([](const auto& c) { return deepseek::make_report(c, deepseek::ReportOptions{}); }, config);
        benchmark::DoNotOptimize(report);
    }
}

} // namespace

BENCHMARK_CAPTURE(nlohmann_parse, v2_lite, "deepseek-v2-lite.json");
BENCHMARK_CAPTURE(typed_parse, v2_lite, "deepseek-v2-lite.json");
BENCHMARK_CAPTURE(full_report, v2_lite, "deepseek-v2-lite.json");
BENCHMARK_CAPTURE(report_only, v2_lite, "deepseek-v2-lite.json");
BENCHMARK_CAPTURE(nlohmann_parse, v3, "deepseek-v3.json");
BENCHMARK_CAPTURE(typed_parse, v3, "deepseek-v3.json");
BENCHMARK_CAPTURE(full_report, v3, "deepseek-v3.json");
BENCHMARK_CAPTURE(report_only, v3, "deepseek-v3.json");
BENCHMARK_CAPTURE(nlohmann_parse, ocr, "deepseek-ocr.json");
BENCHMARK_CAPTURE(typed_parse, ocr, "deepseek-ocr.json");
BENCHMARK_CAPTURE(full_report, ocr, "deepseek-ocr.json");
BENCHMARK_CAPTURE(report_only, ocr, "deepseek-ocr.json");

BENCHMARK_MAIN();
