// compare_with_index and load_index: indexes written here by hand from the V2-Lite manifest
// (names dropped, added, renamed; total_size changed; shapes given), every error path with its
// JSON pointer and message, and the two released indexes of the corpus. Expected figures:
// DeepSeek-V2-Lite's checkpoint is 31,412,968,448 bytes and 5,291 tensors (metadata.total_size
// and weight_map of its released index, expected_figures.hpp).
#include <deepseek/config_file.hpp>
#include <deepseek/index_check.hpp>
#include <deepseek/json.hpp>
#include <deepseek/presets.hpp>
#include <deepseek/report_json.hpp>
#include <deepseek/tensors.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "catch.hpp"
#include "expected_figures.hpp"
#include "test_support.hpp"

// One namespace per test file: the files of a batch share a translation unit (tests/CMakeLists.txt).
namespace index_check_test {

namespace fs = std::filesystem;
namespace P = deepseek::presets;
namespace X = expected;
using nlohmann::json;

namespace {

/// A well-formed index of V2-Lite: every manifest name, the recorded total_size.
json v2_lite_index() {
    json map = json::object();
    for (const auto& t : deepseek::tensor_manifest(P::deepseek_v2_lite))
        map[t.name] = "model-00001-of-000004.safetensors";
    return {{"metadata", {{"total_size", X::v2_lite_checkpoint_bytes}}}, {"weight_map", map}};
}

/// The error compare_with_index throws on `index` (fails the test when it throws none).
deepseek::Error error_of(const json& index) {
    try {
        (void)deepseek::compare_with_index(P::deepseek_v2_lite, index);
    } catch (const deepseek::Error& e) {
        return e;
    }
    FAIL("no error");
    return deepseek::Error(deepseek::ErrorKind::io, "", "");
}

fs::path write(const std::string& name, const std::string& text) {
    const fs::path file = test_support::scratch_dir("index") / name;
    std::ofstream(file, std::ios::binary) << text;
    return file;
}

} // namespace

TEST_CASE("An index with every manifest name and the recorded total_size matches", "[index]") {
    const auto r = deepseek::compare_with_index(P::deepseek_v2_lite, v2_lite_index());
    CHECK(r.index_tensors == X::v2_lite_tensors);
    CHECK(r.manifest_tensors == X::v2_lite_tensors);
    CHECK(r.missing.empty());
    CHECK(r.unexpected.empty());
    CHECK(r.shapes_compared == 0); // file names only, like the released indexes
    CHECK(r.total_size == X::v2_lite_checkpoint_bytes);
    CHECK(r.checkpoint_bytes == X::v2_lite_checkpoint_bytes);
    CHECK(r.total_size_matches());
    CHECK(r.match());
    // The AnyConfig overload agrees.
    CHECK(deepseek::compare_with_index(deepseek::AnyConfig{P::deepseek_v2_lite}, v2_lite_index()).match());
}

TEST_CASE("Differences: a name dropped, one added, total_size changed or absent", "[index]") {
    json index = v2_lite_index();
    auto& map = index["weight_map"];
    map.erase("lm_head.weight");
    map.erase("model.layers.0.self_attn.q_proj.weight");
    map["model.layers.0.self_attn.q_proj.weight_renamed"] = "model-00001-of-000004.safetensors";
    map["model.layers.27.input_layernorm.weight"] = "model-00004-of-000004.safetensors"; // V2-Lite has 27 layers: 0..26
    index["metadata"]["total_size"] = X::v2_lite_checkpoint_bytes + 2;

    const auto r = deepseek::compare_with_index(P::deepseek_v2_lite, index);
    CHECK(r.index_tensors == X::v2_lite_tensors);
    CHECK(r.manifest_tensors == X::v2_lite_tensors);
    CHECK(r.missing == std::vector<std::string>{"lm_head.weight", "model.layers.0.self_attn.q_proj.weight"});
    CHECK(r.unexpected == std::vector<std::string>{"model.layers.0.self_attn.q_proj.weight_renamed",
                                                   "model.layers.27.input_layernorm.weight"});
    CHECK(r.total_size == X::v2_lite_checkpoint_bytes + 2);
    CHECK_FALSE(r.total_size_matches());
    CHECK_FALSE(r.match());

    SECTION("only the size differs") {
        json sized = v2_lite_index();
        sized["metadata"]["total_size"] = X::v2_lite_checkpoint_bytes - 1;
        const auto s = deepseek::compare_with_index(P::deepseek_v2_lite, sized);
        CHECK(s.missing.empty());
        CHECK(s.unexpected.empty());
        CHECK_FALSE(s.match());
    }
    SECTION("no metadata, or metadata without total_size: no size, no match") {
        json bare = v2_lite_index();
        bare.erase("metadata");
        CHECK_FALSE(deepseek::compare_with_index(P::deepseek_v2_lite, bare).total_size.has_value());
        CHECK_FALSE(deepseek::compare_with_index(P::deepseek_v2_lite, bare).match());
        bare["metadata"] = json::object();
        CHECK_FALSE(deepseek::compare_with_index(P::deepseek_v2_lite, bare).total_size.has_value());
    }
    SECTION("the JSON form") {
        const json j = deepseek::index_comparison_to_json(r, "x.index.json");
        const json expected_json = {
            {"file", "x.index.json"},
            {"index_tensors", X::v2_lite_tensors},
            {"manifest_tensors", X::v2_lite_tensors},
            {"missing", {"lm_head.weight", "model.layers.0.self_attn.q_proj.weight"}},
            {"unexpected",
             {"model.layers.0.self_attn.q_proj.weight_renamed", "model.layers.27.input_layernorm.weight"}},
            {"total_size", X::v2_lite_checkpoint_bytes + 2},
            {"checkpoint_bytes", X::v2_lite_checkpoint_bytes},
            {"match", false}};
        CHECK(j == expected_json);
    }
}

TEST_CASE("Shapes are compared where the index gives them", "[index]") {
    json index = v2_lite_index();
    // V2-Lite: hidden 2048, vocabulary 102,400, 64 routed experts of width 1408 (its config.json).
    index["weight_map"]["model.embed_tokens.weight"] = {{"file", "a.safetensors"}, {"shape", {102400, 2048}}};
    index["weight_map"]["model.norm.weight"] = {{"file", "a.safetensors"}, {"shape", {2048}}};
    index["weight_map"]["model.layers.1.mlp.experts.0.gate_proj.weight"] = {{"shape", {2048, 1408}}}; // transposed
    const auto r = deepseek::compare_with_index(P::deepseek_v2_lite, index);
    CHECK(r.shapes_compared == 3);
    REQUIRE(r.shape_mismatches.size() == 1);
    CHECK(r.shape_mismatches[0].name == "model.layers.1.mlp.experts.0.gate_proj.weight");
    CHECK(r.shape_mismatches[0].index_shape == std::vector<std::uint64_t>{2048, 1408});
    CHECK(r.shape_mismatches[0].manifest_shape == std::vector<std::uint64_t>{1408, 2048});
    CHECK(r.missing.empty());
    CHECK(r.total_size_matches());
    CHECK_FALSE(r.match());
    const json j = deepseek::index_comparison_to_json(r, "s.json");
    CHECK(j.at("shapes_compared") == 3);
    CHECK(j.at("shape_mismatches") == json::array({{{"name", "model.layers.1.mlp.experts.0.gate_proj.weight"},
                                                    {"index_shape", {2048, 1408}},
                                                    {"manifest_shape", {1408, 2048}}}}));
    // An object entry without a shape is only a file.
    index["weight_map"]["model.layers.1.mlp.experts.0.gate_proj.weight"] = {{"file", "a.safetensors"}};
    const auto fixed = deepseek::compare_with_index(P::deepseek_v2_lite, index);
    CHECK(fixed.shapes_compared == 2);
    CHECK(fixed.match());
    // Without shapes in the index, the JSON has no shape keys (the schema of docs/cli.md).
    const auto plain = deepseek::compare_with_index(P::deepseek_v2_lite, v2_lite_index());
    CHECK_FALSE(deepseek::index_comparison_to_json(plain, "f").contains("shapes_compared"));
    CHECK_FALSE(deepseek::index_comparison_to_json(plain, "f").contains("shape_mismatches"));
}

TEST_CASE("A malformed index is an error with its pointer and message", "[index][errors]") {
    struct Case {
        json index;
        deepseek::ErrorKind kind;
        const char* pointer;
        const char* message;
    };
    json map_ok = v2_lite_index()["weight_map"];
    const Case cases[] = {
        {json::array(), deepseek::ErrorKind::type, "",
         "an index file is a JSON object holding a weight_map object, found an array"},
        {json("text"), deepseek::ErrorKind::type, "",
         "an index file is a JSON object holding a weight_map object, found a string (\"text\")"},
        {json{{"metadata", {{"total_size", 1}}}}, deepseek::ErrorKind::missing_key, "/weight_map",
         "an index file needs a weight_map object"},
        {json{{"weight_map", json::array()}}, deepseek::ErrorKind::type, "/weight_map",
         "expected an object mapping tensor names to files, found an array"},
        {json{{"weight_map", map_ok}, {"metadata", {{"total_size", -1}}}}, deepseek::ErrorKind::type,
         "/metadata/total_size",
         "expected the checkpoint's size in bytes (a whole number), found a negative number (-1)"},
        {json{{"weight_map", map_ok}, {"metadata", {{"total_size", 1.5}}}}, deepseek::ErrorKind::type,
         "/metadata/total_size", "expected the checkpoint's size in bytes (a whole number), found a float (1.5)"},
        {json{{"weight_map", map_ok}, {"metadata", {{"total_size", "31412968448"}}}}, deepseek::ErrorKind::type,
         "/metadata/total_size",
         "expected the checkpoint's size in bytes (a whole number), found a string (\"31412968448\")"},
        {json{{"weight_map", map_ok}, {"metadata", {{"total_size", nullptr}}}}, deepseek::ErrorKind::type,
         "/metadata/total_size", "expected the checkpoint's size in bytes (a whole number), found null"},
        {json{{"weight_map", map_ok}, {"metadata", 5}}, deepseek::ErrorKind::type, "/metadata",
         "expected an object, found a number (5)"},
        {json{{"weight_map", {{"a/b~c", 7}}}}, deepseek::ErrorKind::type, "/weight_map/a~1b~0c",
         "expected the name of a .safetensors file (a string) or an object, found a number (7)"},
        {json{{"weight_map", {{"x", {{"shape", "2048"}}}}}}, deepseek::ErrorKind::type, "/weight_map/x/shape",
         "expected an array of whole numbers, found a string (\"2048\")"},
        {json{{"weight_map", {{"x", {{"shape", {2048, -4}}}}}}}, deepseek::ErrorKind::type, "/weight_map/x/shape/1",
         "expected a whole number, found a negative number (-4)"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.index.dump());
        const deepseek::Error e = error_of(c.index);
        CHECK(e.kind() == c.kind);
        CHECK(e.pointer() == c.pointer);
        CHECK(e.message() == c.message);
    }
}

TEST_CASE("load_index reads a file or a model folder; its errors name the file", "[index][errors]") {
    const fs::path good = write("good.index.json", v2_lite_index().dump(2));
    CHECK(deepseek::compare_with_index(P::deepseek_v2_lite, deepseek::load_index(good)).match());

    const fs::path folder = test_support::scratch_dir("index") / "model";
    fs::create_directories(folder);
    std::ofstream(folder / "model.safetensors.index.json") << v2_lite_index().dump();
    CHECK(deepseek::index_file_path(folder) == folder / "model.safetensors.index.json");
    CHECK(deepseek::index_file_path(good) == good);
    CHECK(deepseek::compare_with_index(P::deepseek_v2_lite, deepseek::load_index(folder)).match());

    const auto error_loading = [](const fs::path& path) {
        try {
            (void)deepseek::load_index(path);
        } catch (const deepseek::Error& e) {
            return e;
        }
        FAIL("no error");
        return deepseek::Error(deepseek::ErrorKind::io, "", "");
    };
    const fs::path absent = test_support::scratch_dir("index") / "absent.json";
    deepseek::Error e = error_loading(absent);
    CHECK(e.kind() == deepseek::ErrorKind::io);
    CHECK(e.file() == absent.string());
    CHECK(e.message() == "no such file");

    const fs::path broken = write("broken.index.json", "{\"weight_map\": {\"a\": }");
    e = error_loading(broken);
    CHECK(e.kind() == deepseek::ErrorKind::syntax);
    CHECK(e.file() == broken.string());
    CHECK(e.pointer().empty());
    CHECK(e.message().rfind("malformed JSON at line 1, column ", 0) == 0);

    const fs::path no_map = write("no_map.index.json", R"({"metadata": {"total_size": 10}})");
    e = error_loading(no_map);
    CHECK(e.kind() == deepseek::ErrorKind::missing_key);
    CHECK(e.file() == no_map.string());
    CHECK(e.pointer() == "/weight_map");
    CHECK(std::string(e.what()) == no_map.string() + ": /weight_map: an index file needs a weight_map object");

    const fs::path bad_size = write("bad_size.index.json", R"({"metadata": {"total_size": -3}, "weight_map": {}})");
    e = error_loading(bad_size);
    CHECK(e.pointer() == "/metadata/total_size");
    CHECK(e.file() == bad_size.string());
}

TEST_CASE("config_file_path names a config file or a folder's config.json", "[index]") {
    const fs::path folder = test_support::scratch_dir("config_file");
    CHECK(deepseek::config_file_path(folder) == folder / "config.json");
    CHECK(deepseek::config_file_path(folder / "x.json") == folder / "x.json");
    std::ofstream(folder / "config.json") << "{}";
    CHECK(deepseek::read_config_file(folder) == "{}");
}

TEST_CASE("The released indexes of DeepSeek-V2-Lite and DeepSeek-OCR match their configs", "[index][corpus]") {
    REQUIRE_CORPUS();
    const auto lite = deepseek::compare_with_index(
        deepseek::load_config(test_support::corpus_file("deepseek-v2-lite.json")),
        deepseek::load_index(test_support::corpus_file("deepseek-v2-lite.safetensors.index.json")));
    CHECK(lite.index_tensors == X::v2_lite_tensors);
    CHECK(lite.total_size == X::v2_lite_checkpoint_bytes);
    CHECK(lite.missing.empty());
    CHECK(lite.unexpected.empty());
    CHECK(lite.match());

    const auto ocr = deepseek::compare_with_index(
        deepseek::load_config(test_support::corpus_file("deepseek-ocr.json")),
        deepseek::load_index(test_support::corpus_file("deepseek-ocr.safetensors.index.json")));
    CHECK(ocr.index_tensors == X::ocr_tensors);
    CHECK(ocr.total_size == X::ocr_checkpoint_bytes);
    CHECK(ocr.match());
}

} // namespace index_check_test
