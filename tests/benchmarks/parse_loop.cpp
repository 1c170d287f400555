// Parses one config 1000 times in one of three ways, for counting instructions under
// valgrind --tool=callgrind (bench.py does this when valgrind is installed): instruction counts
// repeat exactly, where timings on a shared machine do not.
//   parse_loop FILE raw|typed|report
#include <deepseek/json.hpp>
#include <deepseek/report.hpp>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

int main(int argc, char** argv) {
    if (argc != 3) return 2;
    std::ifstream in(argv[1], std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    const std::string mode = argv[2];
    std::uint64_t sink = 0;
    for (int i = 0; i < 1000; ++i) {
        if (mode == "raw") {
            sink += nlohmann::json::parse(text).size();
        } else if (mode == "typed") {
            sink += deepseek::parse_config(text).index();
        } else {
            const auto config = deepseek::parse_config(text);
            sink += std::visit([](const auto& c) { return deepseek::make_report(c, {}).checkpoint_bytes; }, config);
        }
    }
    return static_cast<int>(sink & 1);
}
