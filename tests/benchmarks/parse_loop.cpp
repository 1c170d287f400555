// Parses one config 1000 times in one of five ways, for counting instructions under
// valgrind --tool=callgrind (bench.py does this when valgrind is installed): instruction counts
// repeat exactly, where timings on a shared machine do not.
//   parse_loop FILE none|raw|typed|report|any|any_report
// raw: nlohmann::json::parse. typed: parse_config<C>, C the file's own config type (for V3,
// parse_config<DeepseekV3Config>). report: typed, then make_report. any, any_report: the same
// through parse_config<AnyConfig> (what the command-line tool does: it reads any config). none:
// reads the file and stops, the floor bench.py subtracts before dividing by 1000.
#include <deepseek/json.hpp>
#include <deepseek/report.hpp>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <type_traits>
#include <variant>

namespace {

volatile std::uint64_t result = 0;

template <class C> std::uint64_t typed_loop(const std::string& text, bool report) {
    std::uint64_t sink = 0;
    for (int i = 0; i < 1000; ++i) {
        const auto config = deepseek::parse_config<C>(text);
        if (report)
            sink += deepseek::make_report(config, {}).value().kv_bytes;
        else
            sink += config.vocab_size;
    }
    return sink;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 3) return 2;
    std::ifstream in(argv[1], std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    const std::string mode = argv[2];
    std::uint64_t sink = 0;
    if (mode == "none") {
        sink = text.size();
    } else if (mode == "typed" || mode == "report") {
        // The file's config type, found by one parse more than the loop's 1000 (0.1% of the count).
        sink = std::visit([&](const auto& c) { return typed_loop<std::decay_t<decltype(c)>>(text, mode == "report"); },
                          deepseek::parse_config(text));
    } else {
        for (int i = 0; i < 1000; ++i) {
            if (mode == "raw") {
                sink += nlohmann::json::parse(text).size();
            } else if (mode == "any") {
                sink += deepseek::parse_config(text).index();
            } else {
                const auto config = deepseek::parse_config(text);
                sink += std::visit([](const auto& c) { return deepseek::make_report(c, {}).value().kv_bytes; }, config);
            }
        }
    }
    result = sink; // kept, so that the loops are not optimized away; the exit status is 0
    return 0;
}
