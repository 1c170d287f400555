// load -> save -> load loses nothing: an equal config, and a JSON document equal to the original
// except model_type and the keys the save adds (typed fields at their defaults).
#include <deepseek/json.hpp>

#include <set>

#include "catch.hpp"
#include "test_support.hpp"

// One namespace per test file: the files of a batch share a translation unit (tests/CMakeLists.txt).
namespace roundtrip_test {

using namespace deepseek;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

fs::path scratch_dir() { return test_support::scratch_dir("roundtrip"); }

// Every key name a typed field can have, at any depth: the keys a save may add.
std::set<std::string> typed_key_names() {
    std::set<std::string> keys{"model_type"};
    const auto add = [&](const char* key, auto) { keys.insert(key); };
    field_list<DeepseekOCRConfig>::visit(add);
    field_list<DeepseekV3Config>::visit(add);
    field_list<RopeScaling>::visit(add);
    field_list<QuantizationConfig>::visit(add);
    field_list<OcrVisionConfig>::visit(add);
    field_list<VisionTowers>::visit(add);
    field_list<ClipVisionConfig>::visit(add);
    field_list<SamVisionConfig>::visit(add);
    field_list<Qwen2EncoderConfig>::visit(add);
    field_list<ProjectorConfig>::visit(add);
    field_list<SiglipVisionConfig>::visit(add);
    field_list<MlpProjectorConfig>::visit(add);
    field_list<MoonViTConfig>::visit(add);
    return keys;
}

// Every value of `original` is in `written` (objects key by key); keys only `written` has must be
// typed keys the save added.
void check_preserved(const json& original, const json& written, const std::string& pointer) {
    INFO(pointer);
    if (original.is_object() && written.is_object()) {
        for (auto it = original.begin(); it != original.end(); ++it) {
            REQUIRE(written.contains(it.key()));
            check_preserved(*it, written.at(it.key()), pointer + "/" + it.key());
        }
        static const std::set<std::string> typed = typed_key_names();
        for (auto it = written.begin(); it != written.end(); ++it) {
            if (!original.contains(it.key())) CHECK(typed.count(it.key()) == 1);
        }
    } else {
        CHECK(written == original);
    }
}

void check_round_trip(const fs::path& source) {
    INFO(source.string());
    json original = json::parse(test_support::read_text(source));
    const Document first = load_document(source);
    // One file per source: ctest runs test cases in parallel processes.
    const fs::path saved = scratch_dir() / (source.filename().string() + ".saved.json");
    save_document(first, saved);
    CHECK_FALSE(fs::exists(fs::path(saved).concat(".tmp")));
    const Document second = load_document(saved);
    CHECK(second.config == first.config);
    CHECK(second.layout == first.layout);

    const json written = json::parse(test_support::read_text(saved));
    // Saving keeps the file's own model_type (DeepSeek-OCR's "deepseek_vl_v2", V3.2's
    // "deepseek_v32"), checked with every other key below; a file without one gets the class's.
    if (!original.contains("model_type")) CHECK(written.at("model_type") == std::string(model_type_of(first.config)));
    // A null num_key_value_heads is written as the head count it stands for.
    if (original.contains("num_key_value_heads") && original.at("num_key_value_heads").is_null()) {
        CHECK(written.at("num_key_value_heads") == written.at("num_attention_heads"));
        original.erase("num_key_value_heads");
    }
    check_preserved(original, written, "");
}

} // namespace

TEST_CASE("Every corpus config survives load -> save -> load", "[roundtrip]") {
    REQUIRE_CORPUS();
    for (const auto& entry : fs::directory_iterator(test_support::corpus_dir())) {
        const std::string name = entry.path().filename().string();
        if (name.find(".generation_config.") != std::string::npos ||
            name.find(".processor_config.") != std::string::npos || name.find("hf_quant_config") != std::string::npos ||
            name.find(".safetensors.index.") != std::string::npos || entry.path().extension() != ".json") {
            continue;
        }
        check_round_trip(entry.path());
    }
}

TEST_CASE("Every 2026 corpus config with a DeepSeek language model survives load -> save -> load", "[roundtrip]") {
    REQUIRE_CORPUS();
    for (const char* name :
         {"deepseek-vl2-tiny.json", "kimi-vl-a3b-instruct.json", "kimi-k2.5.json", "nvidia-kimi-k2.5-nvfp4.json"}) {
        check_round_trip(test_support::corpus_file(std::string("2026/") + name));
    }
}

TEST_CASE("Our own fixtures survive load -> save -> load", "[roundtrip]") {
    for (const char* name : {"vl2-tiny-like.json", "rope-type-alias.json", "minimal-v3.json"}) {
        check_round_trip(test_support::data_file(name));
    }
}

TEST_CASE("An OCR file keeps its own model_type on saving and still loads as OCR", "[roundtrip]") {
    REQUIRE_CORPUS();
    const json file = json::parse(test_support::read_text(test_support::corpus_file("deepseek-ocr.json")));
    const Document doc = load_document(test_support::corpus_file("deepseek-ocr.json"));
    const json out = document_to_json(doc);
    CHECK(file.at("model_type") == "deepseek_vl_v2"); // the released file names the VL2 wrapper
    CHECK(out.at("model_type") == "deepseek_vl_v2");
    CHECK(file_model_type(doc) == "deepseek_vl_v2");
    CHECK(out.at("language_config") == file.at("language_config"));
    CHECK(std::holds_alternative<DeepseekOCRConfig>(parse_config(out.dump())));
}

TEST_CASE("A document names its class's model_type when the file names the class's or none", "[roundtrip]") {
    Document doc;
    doc.config = DeepseekV3Config{};
    CHECK(file_model_type(doc) == "deepseek_v3");
    const Document read =
        parse_document(R"({"model_type": "deepseek_v3", "architectures": ["DeepseekV3ForCausalLM"]})");
    CHECK_FALSE(read.extra.contains("model_type")); // the class's own is not kept twice
    CHECK(file_model_type(read) == "deepseek_v3");
    const Document kimi = parse_document(R"({"model_type": "kimi_k2", "architectures": ["DeepseekV3ForCausalLM"]})");
    CHECK(std::holds_alternative<KimiK2Config>(kimi.config));
    CHECK_FALSE(kimi.extra.contains("model_type")); // now the class's own
    CHECK(file_model_type(kimi) == "kimi_k2");
    CHECK(document_to_json(kimi).at("model_type") == "kimi_k2");
}

TEST_CASE("config_to_json of a bare config writes every typed field", "[roundtrip]") {
    const json out = config_to_json(DeepseekV3Config{});
    CHECK(out.at("model_type") == "deepseek_v3");
    CHECK(out.at("hidden_size") == 7168);
    CHECK(out.at("topk_method") == "noaux_tc");
    CHECK(out.at("rope_scaling").is_null());
    CHECK(out.at("quantization_config").is_null());
    CHECK(parse_config<DeepseekV3Config>(out.dump()) == DeepseekV3Config{});
}

TEST_CASE("Saving replaces the file whole and leaves no temporary", "[roundtrip]") {
    const fs::path target = scratch_dir() / "replace.json";
    { std::ofstream(target) << "old contents that are not JSON"; }
    Document doc;
    doc.config = DeepseekV3Config{};
    save_document(doc, target);
    CHECK(parse_config<DeepseekV3Config>(test_support::read_text(target)) == DeepseekV3Config{});
    CHECK_FALSE(fs::exists(fs::path(target).concat(".tmp")));
}

TEST_CASE("Saving into a folder that does not exist is an io error naming the file", "[roundtrip]") {
    Document doc;
    const fs::path target = scratch_dir() / "no-such-folder" / "config.json";
    try {
        save_document(doc, target);
        FAIL("expected an error");
    } catch (const deepseek::Error& e) {
        CHECK(e.kind() == ErrorKind::io);
        CHECK(e.file().find("no-such-folder") != std::string::npos);
    }
}

} // namespace roundtrip_test
