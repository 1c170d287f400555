// Helpers shared by the tests: where the corpus and our fixtures live.
#ifndef DEEPSEEK_CONFIG_TESTS_SUPPORT_HPP
#define DEEPSEEK_CONFIG_TESTS_SUPPORT_HPP

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

namespace test_support {

/// The folder of real config.json files, or an empty path when the build was not given one.
inline std::filesystem::path corpus_dir() { return std::filesystem::path(DEEPSEEK_CONFIG_CORPUS_DIR); }

/// True when corpus tests can run; otherwise the caller skips (REQUIRE_CORPUS).
inline bool have_corpus() { return !corpus_dir().empty(); }

/// A file of the corpus, by name.
inline std::filesystem::path corpus_file(const std::string& name) { return corpus_dir() / name; }

/// Our own fixtures in tests/data.
inline std::filesystem::path data_file(const std::string& name) {
    return std::filesystem::path(DEEPSEEK_CONFIG_TEST_DATA_DIR) / name;
}

/// A folder of this test executable's own (inside the build tree), created on first use.
inline std::filesystem::path scratch_dir(const std::string& name) {
    const auto dir = std::filesystem::path(DEEPSEEK_CONFIG_TEST_SCRATCH_DIR) / name;
    std::filesystem::create_directories(dir);
    return dir;
}

inline std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

} // namespace test_support

/// The line a test prints when it skips for want of the corpus; tests/CMakeLists.txt gives it to
/// CTest as SKIP_REGULAR_EXPRESSION, so such a test is reported as skipped, never as passed.
#define DEEPSEEK_CONFIG_SKIP_LINE                                                                                      \
    "SKIPPED: this test reads real config files: configure with "                                                      \
    "-DDEEPSEEK_CONFIG_CORPUS_DIR=<a folder of real DeepSeek config.json files> to run it"

/// Ends a test case that needs the corpus when no corpus was configured, printing the skip line.
#define REQUIRE_CORPUS()                                                                                               \
    do {                                                                                                               \
        if (!test_support::have_corpus()) {                                                                            \
            std::cout << DEEPSEEK_CONFIG_SKIP_LINE << std::endl;                                                       \
            return;                                                                                                    \
        }                                                                                                              \
    } while (false)

#endif
