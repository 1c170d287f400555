// save_document is crash-safe and polite: it keeps the target's permissions, writes through a
// symbolic link, leaves no temporary file, and fails on a missing folder with an io error
// naming the file.
#include <deepseek/json.hpp>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "catch.hpp"
#include "test_support.hpp"

// One namespace per test file: the files of a batch share a translation unit (tests/CMakeLists.txt).
namespace save_test {

namespace fs = std::filesystem;

namespace {

const char* const v3_text = R"({"model_type": "deepseek_v3", "num_hidden_layers": 4, "hidden_size": 1024})";

// The names in `dir`, sorted.
std::vector<std::string> names_in(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

// A fresh, empty folder for one test case (test cases run in parallel processes).
fs::path fresh_dir(const std::string& name) {
    const fs::path dir = test_support::scratch_dir("save") / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

} // namespace

TEST_CASE("Two saves in a row leave the file and nothing else", "[save]") {
    const fs::path dir = fresh_dir("twice");
    const fs::path target = dir / "config.json";
    const deepseek::Document doc = deepseek::parse_document(v3_text);
    deepseek::save_document(doc, target);
    deepseek::save_document(doc, target);
    CHECK(names_in(dir) == std::vector<std::string>{"config.json"});
    const auto v3 = deepseek::load_config<deepseek::DeepseekV3Config>(target);
    CHECK(v3.num_hidden_layers == 4);
    CHECK(v3.hidden_size == 1024);
    // The text ends with a newline and is indented by two spaces.
    const std::string text = test_support::read_text(target);
    CHECK(text.back() == '\n');
    CHECK(text.find("\n  \"hidden_size\": 1024,") != std::string::npos);
}

#if !defined(_WIN32)
TEST_CASE("Saving keeps the file's permission bits", "[save]") {
    const fs::path dir = fresh_dir("mode");
    const fs::path target = dir / "config.json";
    { std::ofstream(target) << "{}"; }
    const auto mode = fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read; // 0640
    fs::permissions(target, mode, fs::perm_options::replace);
    deepseek::save_document(deepseek::parse_document(v3_text), target);
    CHECK((fs::status(target).permissions() & fs::perms::mask) == mode);
    CHECK(deepseek::load_config<deepseek::DeepseekV3Config>(target).num_hidden_layers == 4);

    const auto open_mode = mode | fs::perms::others_read | fs::perms::owner_exec; // 0744
    fs::permissions(target, open_mode, fs::perm_options::replace);
    deepseek::save_document(deepseek::parse_document(v3_text), target);
    CHECK((fs::status(target).permissions() & fs::perms::mask) == open_mode);
}

TEST_CASE("Saving through a symbolic link writes its target and keeps the link", "[save]") {
    const fs::path dir = fresh_dir("symlink");
    fs::create_directories(dir / "blobs");
    const fs::path blob = dir / "blobs" / "abc123";
    { std::ofstream(blob) << R"({"model_type": "deepseek_v2"})"; }
    const fs::path link = dir / "config.json";
    fs::create_symlink(fs::path("blobs") / "abc123", link); // relative, as the Hugging Face cache has them

    deepseek::save_document(deepseek::parse_document(v3_text), link);
    CHECK(fs::is_symlink(fs::symlink_status(link)));
    CHECK(fs::read_symlink(link) == fs::path("blobs") / "abc123");
    CHECK(deepseek::load_config<deepseek::DeepseekV3Config>(blob).num_hidden_layers == 4);
    CHECK(names_in(dir) == std::vector<std::string>{"blobs", "config.json"});
    CHECK(names_in(dir / "blobs") == std::vector<std::string>{"abc123"});

    SECTION("a chain of two links ends at the same file") {
        const fs::path outer = dir / "outer.json";
        fs::create_symlink(link.filename(), outer);
        deepseek::save_document(deepseek::parse_document(R"({"model_type": "deepseek_v2", "num_hidden_layers": 3})"),
                                outer);
        CHECK(fs::is_symlink(fs::symlink_status(outer)));
        CHECK(fs::is_symlink(fs::symlink_status(link)));
        CHECK(deepseek::load_config<deepseek::DeepseekV2Config>(blob).num_hidden_layers == 3);
    }
}

TEST_CASE("A loop of symbolic links is an io error naming the file", "[save]") {
    const fs::path dir = fresh_dir("loop");
    fs::create_symlink("b.json", dir / "a.json");
    fs::create_symlink("a.json", dir / "b.json");
    try {
        deepseek::save_document(deepseek::parse_document(v3_text), dir / "a.json");
        FAIL("expected an error");
    } catch (const deepseek::Error& e) {
        CHECK(e.kind() == deepseek::ErrorKind::io);
        CHECK(e.pointer().empty());
        CHECK(e.message() == "too many levels of symbolic links");
        CHECK(e.file() == (dir / "a.json").string());
    }
}
#endif

TEST_CASE("Saving into a missing folder is an io error naming the file", "[save]") {
    const fs::path dir = fresh_dir("missing");
    const fs::path target = dir / "absent" / "config.json";
    try {
        deepseek::save_document(deepseek::parse_document(v3_text), target);
        FAIL("expected an error");
    } catch (const deepseek::Error& e) {
        CHECK(e.kind() == deepseek::ErrorKind::io);
        CHECK(e.pointer().empty());
        CHECK(e.file() == target.string());
        CHECK(e.message() == "cannot open for writing: No such file or directory");
        CHECK(std::string(e.what()) == target.string() + ": cannot open for writing: No such file or directory");
    }
    CHECK(names_in(dir).empty());
}

} // namespace save_test
