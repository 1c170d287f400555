// Helpers shared by the tests: where the corpus and our fixtures live, and how a tensor manifest
// is compared with tensors written out by hand.
#ifndef DEEPSEEK_CONFIG_TESTS_SUPPORT_HPP
#define DEEPSEEK_CONFIG_TESTS_SUPPORT_HPP

#include <deepseek/tensors.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "catch.hpp"

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

/// A folder of the calling test file's own (inside the build tree, named for the file: test files
/// share an executable, see tests/CMakeLists.txt), created on first use. `file` is the caller's.
inline std::filesystem::path scratch_dir(const std::string& name, const char* file = __builtin_FILE()) {
    const auto dir =
        std::filesystem::path(DEEPSEEK_CONFIG_TEST_SCRATCH_DIR) / std::filesystem::path(file).stem() / name;
    std::filesystem::create_directories(dir);
    return dir;
}

inline std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

/// A shape's first `rank` dimensions, comparable with a shape written out as {out, in}.
/// Writes `text` to `path` (a fixture a test builds), creating its folder.
inline void write_text(const std::filesystem::path& path, const std::string& text) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

inline std::vector<std::uint64_t> dims(const deepseek::Shape& s) {
    return {s.dims.begin(), s.dims.begin() + static_cast<std::ptrdiff_t>(s.rank)};
}

/// The manifest's tensors by name. A repeated name keeps its first tensor, so a map smaller than
/// the manifest means repeated names.
inline std::map<std::string, deepseek::TensorInfo> by_name(const std::vector<deepseek::TensorInfo>& tensors) {
    std::map<std::string, deepseek::TensorInfo> m;
    for (const auto& t : tensors) m.emplace(t.name, t);
    return m;
}

/// One tensor as written out by hand: name, shape, dtype.
struct Row {
    std::string name;
    std::vector<std::uint64_t> shape;
    deepseek::Dtype dtype;
};

/// The manifest's tensors whose names start with `prefix`, in manifest order, as rows.
inline std::vector<Row> rows_with_prefix(const std::vector<deepseek::TensorInfo>& manifest, const std::string& prefix) {
    std::vector<Row> out;
    for (const deepseek::TensorInfo& t : manifest) {
        if (t.name.rfind(prefix, 0) != 0) continue;
        out.push_back({t.name, dims(t.shape), t.dtype});
    }
    return out;
}

/// Checks rows found against rows written out: the same number, and row by row, in order, the
/// same name, shape and dtype.
inline void check_rows(const std::vector<Row>& found, const std::vector<Row>& expected) {
    REQUIRE(found.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        INFO(expected[i].name);
        CHECK(found[i].name == expected[i].name);
        CHECK(found[i].shape == expected[i].shape);
        CHECK(found[i].dtype == expected[i].dtype);
    }
}

/// Checks that each row written out is a tensor of `tensors` (from by_name) with that shape and
/// dtype. Tensors not written out are not looked at.
inline void check_named_rows(const std::map<std::string, deepseek::TensorInfo>& tensors,
                             const std::vector<Row>& expected) {
    for (const Row& want : expected) {
        INFO(want.name);
        const auto it = tensors.find(want.name);
        REQUIRE(it != tensors.end());
        CHECK(dims(it->second.shape) == want.shape);
        CHECK(it->second.dtype == want.dtype);
    }
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
