// The JSON entry points as one matrix (parse / load, config / document, text / JSON value, throwing
// / try_), and the nlohmann customisation points: `json j = cfg;`, `j.get<DeepseekV3Config>()`.
// Expected values are the published configs' own numbers, written out here.
#include <deepseek/json.hpp>

#include <string>
#include <type_traits>
#include <variant>

#include "catch.hpp"
#include "test_support.hpp"

// One namespace per test file: the files of a batch share a translation unit (tests/CMakeLists.txt).
namespace api_test {

namespace fs = std::filesystem;
using deepseek::AnyConfig;
using deepseek::DeepseekOCRConfig;
using deepseek::DeepseekV2Config;
using deepseek::DeepseekV3Config;
using deepseek::Document;
using deepseek::ErrorKind;
using deepseek::Result;
using nlohmann::json;

namespace {

// DeepSeek-V2-Lite's config.json, as published (the keys this library types, and a few it keeps).
const char* const v2_lite_text = R"({
  "architectures": ["DeepseekV2ForCausalLM"],
  "model_type": "deepseek_v2",
  "vocab_size": 102400, "hidden_size": 2048, "intermediate_size": 10944, "moe_intermediate_size": 1408,
  "num_hidden_layers": 27, "num_attention_heads": 16, "num_key_value_heads": 16,
  "n_shared_experts": 2, "n_routed_experts": 64, "num_experts_per_tok": 6,
  "first_k_dense_replace": 1, "moe_layer_freq": 1,
  "kv_lora_rank": 512, "q_lora_rank": null,
  "qk_nope_head_dim": 128, "qk_rope_head_dim": 64, "v_head_dim": 128,
  "topk_method": "greedy", "n_group": 1, "topk_group": 1, "scoring_func": "softmax",
  "max_position_embeddings": 163840, "rope_theta": 10000, "rms_norm_eps": 1e-06,
  "rope_scaling": {"type": "yarn", "factor": 40, "original_max_position_embeddings": 4096,
                   "beta_fast": 32, "beta_slow": 1, "mscale": 0.707, "mscale_all_dim": 0.707},
  "hidden_act": "silu", "torch_dtype": "bfloat16", "bos_token_id": 100000, "eos_token_id": 100001,
  "transformers_version": "4.33.1"
})";

// A small DeepSeek-V3 file: the class defaults are V3's published values (7168 hidden, 256 experts).
const char* const v3_text = R"({"model_type": "deepseek_v3", "num_hidden_layers": 4})";

void check_v2_lite(const DeepseekV2Config& c) {
    CHECK(c.num_hidden_layers == 27);
    CHECK(c.n_routed_experts == 64u);
    CHECK(c.num_experts_per_tok == 6u);
    CHECK(c.hidden_size == 2048);
    CHECK(c.kv_lora_rank == 512u);
    CHECK_FALSE(c.q_lora_rank.has_value());
    REQUIRE(c.rope_scaling.has_value());
    CHECK(c.rope_scaling->factor == 40.0);
}

fs::path write_scratch(const std::string& name, const std::string& text) {
    const fs::path file = test_support::scratch_dir("api") / name;
    FILE* out = std::fopen(file.string().c_str(), "wb");
    REQUIRE(out != nullptr);
    std::fwrite(text.data(), 1, text.size(), out);
    std::fclose(out);
    return file;
}

} // namespace

// The whole matrix exists, with these return types, and every call compiles.
static_assert(std::is_same_v<decltype(deepseek::parse_config(std::string_view())), AnyConfig>);
static_assert(std::is_same_v<decltype(deepseek::parse_config<DeepseekV3Config>("")), DeepseekV3Config>);
static_assert(std::is_same_v<decltype(deepseek::parse_config(std::declval<const json&>())), AnyConfig>);
static_assert(
    std::is_same_v<decltype(deepseek::parse_config<DeepseekV3Config>(std::declval<json&>())), DeepseekV3Config>);
static_assert(std::is_same_v<decltype(deepseek::load_config(fs::path())), AnyConfig>);
static_assert(std::is_same_v<decltype(deepseek::load_config<DeepseekV3Config>("x")), DeepseekV3Config>);
static_assert(std::is_same_v<decltype(deepseek::parse_document(std::string())), Document>);
static_assert(std::is_same_v<decltype(deepseek::parse_document(std::declval<json>())), Document>);
static_assert(std::is_same_v<decltype(deepseek::load_document("x")), Document>);
static_assert(std::is_same_v<decltype(deepseek::try_parse_config("")), Result<AnyConfig>>);
static_assert(std::is_same_v<decltype(deepseek::try_parse_config<DeepseekV2Config>("")), Result<DeepseekV2Config>>);
static_assert(std::is_same_v<decltype(deepseek::try_parse_config(std::declval<json>())), Result<AnyConfig>>);
static_assert(std::is_same_v<decltype(deepseek::try_parse_config<DeepseekV2Config>(std::declval<json>())),
                             Result<DeepseekV2Config>>);
static_assert(std::is_same_v<decltype(deepseek::try_load_config("x")), Result<AnyConfig>>);
static_assert(std::is_same_v<decltype(deepseek::try_load_config<DeepseekV3Config>("x")), Result<DeepseekV3Config>>);
static_assert(std::is_same_v<decltype(deepseek::try_parse_document("")), Result<Document>>);
static_assert(std::is_same_v<decltype(deepseek::try_parse_document(std::declval<json>())), Result<Document>>);
static_assert(std::is_same_v<decltype(deepseek::try_load_document("x")), Result<Document>>);
static_assert(std::is_same_v<decltype(deepseek::config_to_json(DeepseekV3Config{})), json>);
static_assert(std::is_same_v<decltype(deepseek::config_to_json(AnyConfig{})), json>);
static_assert(std::is_same_v<decltype(deepseek::document_to_json(Document{})), json>);
// nlohmann sees the customisation points.
static_assert(std::is_constructible_v<json, DeepseekV3Config>);
static_assert(std::is_constructible_v<json, AnyConfig>);
static_assert(std::is_constructible_v<json, Document>);

TEST_CASE("try_load_config<T> reads a file as one config type", "[api]") {
    const auto r = deepseek::try_load_config<DeepseekV3Config>(test_support::data_file("minimal-v3.json"));
    REQUIRE(r.has_value());
    CHECK(r->num_hidden_layers == 5);
    CHECK(r->hidden_size == 7168);
    CHECK(r->n_routed_experts == 256u);
    CHECK(r->routed_scaling_factor == 2.0);
    REQUIRE(r->quantization_config.has_value());
    CHECK(r->quantization_config->weight_block_size[0] == 128);

    const fs::path v2_file = write_scratch("v2-lite.json", v2_lite_text);
    const auto v2 = deepseek::try_load_config<DeepseekV2Config>(v2_file);
    REQUIRE(v2);
    check_v2_lite(*v2);
    check_v2_lite(deepseek::load_config<DeepseekV2Config>(v2_file));
    CHECK(std::holds_alternative<DeepseekV2Config>(deepseek::load_config(v2_file)));

    SECTION("a file of another type is a type_mismatch naming the file") {
        const auto wrong = deepseek::try_load_config<DeepseekV2Config>(test_support::data_file("minimal-v3.json"));
        REQUIRE_FALSE(wrong);
        CHECK(wrong.error().kind() == ErrorKind::type_mismatch);
        CHECK(wrong.error().pointer().empty());
        CHECK(wrong.error().message() ==
              "the file holds a DeepseekV3Config (model_type \"deepseek_v3\"), not a DeepseekV2Config");
        CHECK(wrong.error().file() == test_support::data_file("minimal-v3.json").string());
    }
    SECTION("a bad value names the file and the pointer") {
        const fs::path bad = write_scratch("bad-v3.json", R"({"model_type": "deepseek_v3", "hidden_size": -1})");
        const auto r2 = deepseek::try_load_config<DeepseekV3Config>(bad);
        REQUIRE_FALSE(r2);
        CHECK(r2.error().kind() == ErrorKind::range);
        CHECK(r2.error().pointer() == "/hidden_size");
        CHECK(r2.error().message() == "must not be negative, found -1");
        CHECK(r2.error().file() == bad.string());
    }
    SECTION("a missing file is an io error naming it") {
        const fs::path missing = test_support::scratch_dir("api") / "absent.json";
        const auto r3 = deepseek::try_load_config<DeepseekV3Config>(missing);
        REQUIRE_FALSE(r3);
        CHECK(r3.error().kind() == ErrorKind::io);
        CHECK(r3.error().message() == "no such file");
        CHECK(r3.error().file() == missing.string());
        const auto d = deepseek::try_load_document(missing);
        REQUIRE_FALSE(d);
        CHECK(d.error().kind() == ErrorKind::io);
        CHECK(d.error().file() == missing.string());
    }
}

TEST_CASE("try_parse_config<T> on a file of another type is a type_mismatch", "[api]") {
    const auto r = deepseek::try_parse_config<DeepseekV2Config>(v3_text);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind() == ErrorKind::type_mismatch);
    CHECK(r.error().pointer().empty());
    CHECK(r.error().file().empty());
    CHECK(r.error().message() ==
          "the file holds a DeepseekV3Config (model_type \"deepseek_v3\"), not a DeepseekV2Config");
    CHECK_THROWS_AS(r.value(), deepseek::Error);
    // A subtype loads as its base.
    const auto base =
        deepseek::try_parse_config<DeepseekV2Config>(R"({"model_type": "DeepseekOCR", "num_hidden_layers": 12})");
    REQUIRE(base);
    CHECK(base->num_hidden_layers == 12);
}

TEST_CASE("nlohmann's customisation points: json j = cfg; j.get<C>()", "[api][adl]") {
    const auto v2 = deepseek::parse_config<DeepseekV2Config>(v2_lite_text);
    const json j = v2;
    CHECK(j.at("model_type") == "deepseek_v2");
    CHECK(j.at("num_hidden_layers") == 27);
    CHECK(j.at("n_routed_experts") == 64);
    CHECK(j.at("q_lora_rank").is_null());
    CHECK(j == deepseek::config_to_json(v2));
    CHECK(j.get<DeepseekV2Config>() == v2);

    const json v3_json = json::parse(v3_text);
    const auto v3 = v3_json.get<DeepseekV3Config>();
    CHECK(v3.num_hidden_layers == 4);
    CHECK(v3.hidden_size == 7168);
    CHECK(v3.n_routed_experts == 256u);

    SECTION("AnyConfig both ways") {
        const AnyConfig any = v3_json.get<AnyConfig>();
        REQUIRE(std::holds_alternative<DeepseekV3Config>(any));
        const json back = any;
        CHECK(back.at("model_type") == "deepseek_v3");
        CHECK(back.at("num_hidden_layers") == 4);
        CHECK(back.get<AnyConfig>() == any);
    }
    SECTION("Document both ways keeps the keys the config does not type") {
        const auto doc = json::parse(v2_lite_text).get<Document>();
        CHECK(doc.extra.at("transformers_version") == "4.33.1");
        const json back = doc;
        CHECK(back.at("transformers_version") == "4.33.1");
        CHECK(back.at("num_hidden_layers") == 27);
    }
    SECTION("a config inside a larger document") {
        const json outer = {{"name", "v3"}, {"config", v3_json}};
        CHECK(outer.at("config").get<DeepseekV3Config>().num_hidden_layers == 4);
        const json nested = {{"config", v2}};
        CHECK(nested.at("config").at("n_routed_experts") == 64);
    }
}

TEST_CASE("get<C>() validates like parse_config and throws deepseek::Error with the pointer", "[api][adl]") {
    const json bad = json::parse(R"({"model_type": "deepseek_v3", "hidden_size": "big"})");
    try {
        (void)bad.get<DeepseekV3Config>();
        FAIL("expected an error");
    } catch (const deepseek::Error& e) {
        CHECK(e.kind() == ErrorKind::type);
        CHECK(e.pointer() == "/hidden_size");
        CHECK(e.message() == "expected an integer, found a string (\"big\")");
    }
    // Inside a larger document the pointer is relative to the value converted.
    const json outer = {{"config", json::parse(R"({"model_type": "deepseek_v2", "num_key_value_heads": 3})")}};
    try {
        (void)outer.at("config").get<DeepseekV2Config>();
        FAIL("expected an error");
    } catch (const deepseek::Error& e) {
        CHECK(e.kind() == ErrorKind::range);
        CHECK(e.pointer() == "/num_key_value_heads");
        CHECK(e.message() == "num_attention_heads (32) must be a multiple of num_key_value_heads (3)");
    }
    try {
        (void)json::parse(v3_text).get<DeepseekOCRConfig>();
        FAIL("expected an error");
    } catch (const deepseek::Error& e) {
        CHECK(e.kind() == ErrorKind::type_mismatch);
        CHECK(e.pointer().empty());
        CHECK(e.message() == "the file holds a DeepseekV3Config (model_type \"deepseek_v3\"), not a DeepseekOCRConfig");
    }
    try {
        (void)json::array().get<AnyConfig>();
        FAIL("expected an error");
    } catch (const deepseek::Error& e) {
        CHECK(e.kind() == ErrorKind::type);
        CHECK(e.pointer().empty());
        CHECK(e.message() == "expected a JSON object at the top level, found an array");
    }
}

TEST_CASE("Parsing from a JSON value", "[api]") {
    const json j = json::parse(v2_lite_text);
    const AnyConfig any = deepseek::parse_config(j);
    REQUIRE(std::holds_alternative<DeepseekV2Config>(any));
    check_v2_lite(std::get<DeepseekV2Config>(any));
    check_v2_lite(deepseek::parse_config<DeepseekV2Config>(j));
    CHECK(deepseek::parse_document(j).extra.at("transformers_version") == "4.33.1");

    const auto typed = deepseek::try_parse_config<DeepseekV2Config>(j);
    REQUIRE(typed);
    check_v2_lite(*typed);
    const auto doc = deepseek::try_parse_document(j);
    REQUIRE(doc);
    CHECK(doc->extra.at("transformers_version") == "4.33.1");

    const json unknown = {{"model_type", "llama"}};
    const auto r = deepseek::try_parse_config(unknown);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind() == ErrorKind::unknown_model);
    CHECK(r.error().pointer() == "/model_type");
    CHECK(r.error().message().rfind("unsupported model_type \"llama\" and no known architectures; supported: ", 0) ==
          0);
    const auto d = deepseek::try_parse_document(unknown);
    REQUIRE_FALSE(d);
    CHECK(d.error().pointer() == "/model_type");
}

TEST_CASE("The text forms of the document functions", "[api]") {
    const Document doc = deepseek::parse_document(std::string(v2_lite_text));
    CHECK(doc.extra.at("transformers_version") == "4.33.1");
    const auto ok = deepseek::try_parse_document(v2_lite_text);
    REQUIRE(ok);
    CHECK(ok->config == doc.config);
    const fs::path file = write_scratch("v2-lite-doc.json", v2_lite_text);
    CHECK(deepseek::load_document(file).config == doc.config);
    const auto loaded = deepseek::try_load_document(file);
    REQUIRE(loaded);
    CHECK(loaded->extra == doc.extra);

    const auto bad = deepseek::try_parse_document("{\"model_type\": \"deepseek_v2\",}");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().kind() == ErrorKind::syntax);
    CHECK(bad.error().pointer().empty());
    CHECK(bad.error().message().rfind("malformed JSON at line 1, column 30: ", 0) == 0);
}

} // namespace api_test
