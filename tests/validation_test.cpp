// Every error the reader raises: its JSON pointer, its kind and its exact message.
#include <deepseek/json.hpp>

#include "catch.hpp"
#include "test_support.hpp"

// One namespace per test file: the files of a batch share a translation unit (tests/CMakeLists.txt).
namespace validation_test {

using namespace deepseek;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// A small valid MoE + MLA config (DeepSeek-V2-Lite's shape, 4 layers).
json base_v2() {
    return json::parse(R"({
        "model_type": "deepseek_v2", "vocab_size": 102400, "hidden_size": 2048, "num_hidden_layers": 4,
        "num_attention_heads": 16, "num_key_value_heads": 16, "n_routed_experts": 64, "n_shared_experts": 2,
        "num_experts_per_tok": 6, "n_group": 1, "topk_group": 1, "first_k_dense_replace": 1,
        "moe_intermediate_size": 1408, "intermediate_size": 10944, "q_lora_rank": null, "kv_lora_rank": 512})");
}

struct Expected {
    std::string pointer;
    ErrorKind kind;
    std::string message;
};

void expect_error(const std::string& text, const Expected& expected) {
    INFO(text.substr(0, 300));
    try {
        (void)parse_config(text);
        FAIL("no error for this document");
    } catch (const Error& e) {
        CHECK(e.pointer() == expected.pointer);
        CHECK(e.kind() == expected.kind);
        CHECK(e.message() == expected.message);
        const std::string what = e.what();
        CHECK(what == (expected.pointer.empty() ? expected.message : expected.pointer + ": " + expected.message));
    }
}

void expect_error(const json& doc, const Expected& expected) { expect_error(doc.dump(), expected); }

json with(json doc, const std::string& pointer, json value) {
    doc[json::json_pointer(pointer)] = std::move(value);
    return doc;
}

} // namespace

TEST_CASE("The base document is valid", "[validation]") { CHECK_NOTHROW(parse_config(base_v2().dump())); }

TEST_CASE("Malformed JSON names the line and column", "[validation][syntax]") {
    expect_error(std::string("{\n  \"model_type\": \"deepseek_v2\",\n  \"hidden_size\": ]\n}"),
                 {"", ErrorKind::syntax,
                  "malformed JSON at line 3, column 18: syntax error while parsing value - unexpected ']'; "
                  "expected '[', '{', or a literal"});
    expect_error(std::string("{\"model_type\": \"deepseek_v2\""),
                 {"", ErrorKind::syntax,
                  "malformed JSON at line 1, column 29: syntax error while parsing object - unexpected end of "
                  "input; expected '}'"});
    expect_error(std::string(""),
                 {"", ErrorKind::syntax,
                  "malformed JSON at line 1, column 1: syntax error while parsing value - unexpected end of input; "
                  "expected '[', '{', or a literal"});
}

TEST_CASE("The root must be an object", "[validation]") {
    expect_error(std::string("[1, 2]"),
                 {"", ErrorKind::type, "expected a JSON object at the top level, found an array"});
    expect_error(std::string("42"),
                 {"", ErrorKind::type, "expected a JSON object at the top level, found an integer (42)"});
}

TEST_CASE("Wrong JSON types", "[validation][types]") {
    expect_error(with(base_v2(), "/hidden_size", "2048"),
                 {"/hidden_size", ErrorKind::type, "expected an integer, found a string (\"2048\")"});
    expect_error(with(base_v2(), "/hidden_size", 12.5),
                 {"/hidden_size", ErrorKind::type,
                  "expected an integer (write it without a fraction or exponent), found a float (12.5)"});
    expect_error(with(base_v2(), "/hidden_size", 12.0),
                 {"/hidden_size", ErrorKind::type,
                  "expected an integer (write it without a fraction or exponent), found a float (12.0)"});
    expect_error(with(base_v2(), "/num_hidden_layers", true),
                 {"/num_hidden_layers", ErrorKind::type, "expected an integer, found a boolean (true)"});
    expect_error(with(base_v2(), "/hidden_size", nullptr),
                 {"/hidden_size", ErrorKind::type, "expected an integer, found null"});
    expect_error(with(base_v2(), "/rms_norm_eps", "1e-6"),
                 {"/rms_norm_eps", ErrorKind::type, "expected a number, found a string (\"1e-6\")"});
    expect_error(with(base_v2(), "/use_mla", 1),
                 {"/use_mla", ErrorKind::type, "expected true or false, found an integer (1)"});
    expect_error(with(base_v2(), "/topk_method", 3),
                 {"/topk_method", ErrorKind::type, "expected a string, found an integer (3)"});
    expect_error(with(base_v2(), "/rope_scaling", "yarn"),
                 {"/rope_scaling", ErrorKind::type, "expected an object, found a string (\"yarn\")"});
    expect_error(with(base_v2(), "/model_type", 2),
                 {"/model_type", ErrorKind::type, "expected a string, found an integer (2)"});
    expect_error(with(with(base_v2(), "/model_type", "x"), "/architectures", "DeepseekV2ForCausalLM"),
                 {"/architectures", ErrorKind::type,
                  "expected an array of strings, found a string (\"DeepseekV2ForCausalLM\")"});
}

TEST_CASE("Negative, zero and out-of-range numbers", "[validation][range]") {
    expect_error(with(base_v2(), "/num_hidden_layers", -1),
                 {"/num_hidden_layers", ErrorKind::range, "must not be negative, found -1"});
    expect_error(with(base_v2(), "/num_hidden_layers", 0),
                 {"/num_hidden_layers", ErrorKind::range, "num_hidden_layers must be positive, found 0"});
    expect_error(with(base_v2(), "/num_attention_heads", 0),
                 {"/num_attention_heads", ErrorKind::range, "num_attention_heads must be positive, found 0"});
    expect_error(with(base_v2(), "/vocab_size", 0),
                 {"/vocab_size", ErrorKind::range, "vocab_size must be positive, found 0"});
    expect_error(with(base_v2(), "/bos_token_id", json(std::uint64_t{18446744073709551615u})),
                 {"/bos_token_id", ErrorKind::range, "must be at most 2^63-1, found 18446744073709551615"});
    expect_error(with(base_v2(), "/n_group", 0), {"/n_group", ErrorKind::range, "n_group must be positive, found 0"});
    expect_error(with(base_v2(), "/moe_layer_freq", 0),
                 {"/moe_layer_freq", ErrorKind::range, "moe_layer_freq must be positive, found 0"});
}

TEST_CASE("Inconsistent MoE settings", "[validation][range]") {
    expect_error(with(base_v2(), "/num_experts_per_tok", 65),
                 {"/num_experts_per_tok", ErrorKind::range, "must be at most n_routed_experts (64), found 65"});
    expect_error(with(with(base_v2(), "/n_group", 8), "/topk_group", 9),
                 {"/topk_group", ErrorKind::range, "must be at most n_group (8), found 9"});
    expect_error(with(base_v2(), "/n_group", 5),
                 {"/n_group", ErrorKind::range, "n_routed_experts (64) must be a multiple of n_group (5)"});
    expect_error(with(base_v2(), "/first_k_dense_replace", 5),
                 {"/first_k_dense_replace", ErrorKind::range, "must be at most num_hidden_layers (4), found 5"});
    expect_error(with(base_v2(), "/num_experts_per_tok", nullptr),
                 {"/num_experts_per_tok", ErrorKind::missing_key,
                  "a MoE model (n_routed_experts set) needs num_experts_per_tok"});
}

TEST_CASE("Inconsistent attention settings", "[validation][range]") {
    expect_error(with(base_v2(), "/num_key_value_heads", 5),
                 {"/num_key_value_heads", ErrorKind::range,
                  "num_attention_heads (16) must be a multiple of num_key_value_heads (5)"});
    json mha = with(with(with(base_v2(), "/use_mla", false), "/num_attention_heads", 3), "/num_key_value_heads", 3);
    expect_error(mha, {"/hidden_size", ErrorKind::range,
                       "hidden_size (2048) must be a multiple of num_attention_heads (3) when use_mla is false"});
    expect_error(
        with(base_v2(), "/kv_lora_rank", nullptr),
        {"/kv_lora_rank", ErrorKind::range, "multi-head latent attention (use_mla) needs a positive kv_lora_rank"});
    expect_error(with(with(base_v2(), "/qk_nope_head_dim", 0), "/qk_rope_head_dim", 0),
                 {"/qk_nope_head_dim", ErrorKind::range,
                  "multi-head latent attention needs qk_nope_head_dim + qk_rope_head_dim > 0"});
    expect_error(with(base_v2(), "/v_head_dim", 0),
                 {"/v_head_dim", ErrorKind::range, "multi-head latent attention needs a positive v_head_dim"});
}

TEST_CASE("Unknown strings of closed sets list the accepted ones", "[validation][enums]") {
    expect_error(with(base_v2(), "/topk_method", "gredy"),
                 {"/topk_method", ErrorKind::unknown_value,
                  "unknown value \"gredy\"; accepted: \"gready\", \"greedy\", \"group_limited_greedy\", \"noaux_tc\""});
    expect_error(with(base_v2(), "/scoring_func", "tanh"),
                 {"/scoring_func", ErrorKind::unknown_value,
                  "unknown value \"tanh\"; accepted: \"softmax\", \"sigmoid\", \"sqrtsoftplus\""});
    expect_error(with(base_v2(), "/torch_dtype", "float8"),
                 {"/torch_dtype", ErrorKind::unknown_value,
                  "unknown value \"float8\"; accepted: \"float32\", \"float16\", \"bfloat16\""});
    // hidden_act is an open set (no figure depends on it): any string loads; see lenient_test.cpp.
    // Not a string is still an error.
    expect_error(with(base_v2(), "/hidden_act", 1),
                 {"/hidden_act", ErrorKind::type, "expected a string, found an integer (1)"});
}

TEST_CASE("Bad rope_scaling", "[validation][rope]") {
    expect_error(with(base_v2(), "/rope_scaling", json{{"type", "ntk"}, {"factor", 2}}),
                 {"/rope_scaling/type", ErrorKind::unknown_value,
                  "unknown value \"ntk\"; accepted: \"linear\", \"dynamic\", \"yarn\""});
    expect_error(with(base_v2(), "/rope_scaling", json{{"type", "yarn"}}),
                 {"/rope_scaling/factor", ErrorKind::missing_key, "rope_scaling needs a \"factor\""});
    expect_error(with(base_v2(), "/rope_scaling", json{{"factor", 40}}),
                 {"/rope_scaling/type", ErrorKind::missing_key,
                  "rope_scaling needs \"type\" (or \"rope_type\"); accepted: \"linear\", \"dynamic\", \"yarn\""});
    expect_error(with(base_v2(), "/rope_scaling", json{{"type", "linear"}, {"factor", 0.5}}),
                 {"/rope_scaling/factor", ErrorKind::range, "must be at least 1, found a float (0.5)"});
    expect_error(with(base_v2(), "/rope_scaling", json{{"type", "linear"}, {"rope_type", "yarn"}, {"factor", 2}}),
                 {"/rope_scaling/rope_type", ErrorKind::range, "\"yarn\" disagrees with type \"linear\""});
    expect_error(with(base_v2(), "/rope_scaling", json{{"type", "yarn"}, {"factor", 40}, {"beta_fast", "32"}}),
                 {"/rope_scaling/beta_fast", ErrorKind::type, "expected a number, found a string (\"32\")"});
}

TEST_CASE("Bad quantization_config", "[validation][quantization]") {
    const json v3 = json{{"model_type", "deepseek_v3"}};
    expect_error(
        with(v3, "/quantization_config", json{{"fmt", "e4m3"}}),
        {"/quantization_config/quant_method", ErrorKind::missing_key,
         "quantization_config needs a \"quant_method\"; accepted: \"fp8\", \"modelopt\", \"compressed-tensors\""});
    // Another method ("awq") loads and is reported as not modelled: see lenient_test.cpp.
    expect_error(with(v3, "/quantization_config", json{{"quant_method", json::array()}}),
                 {"/quantization_config/quant_method", ErrorKind::type, "expected a string, found an array"});
    expect_error(with(v3, "/quantization_config", json{{"quant_method", "fp8"}, {"weight_block_size", {128}}}),
                 {"/quantization_config/weight_block_size", ErrorKind::range, "expected exactly 2 entries, found 1"});
    expect_error(
        with(v3, "/quantization_config", json{{"quant_method", "fp8"}, {"weight_block_size", {0, 128}}}),
        {"/quantization_config/weight_block_size/0", ErrorKind::range, "a block size must be positive, found 0"});
    expect_error(
        with(v3, "/quantization_config", json{{"quant_method", "fp8"}, {"scale_fmt", "e8m0"}}),
        {"/quantization_config/scale_fmt", ErrorKind::unknown_value, "unknown value \"e8m0\"; accepted: \"ue8m0\""});
}

TEST_CASE("Bad OCR and VL2 structure", "[validation][ocr]") {
    const json ocr = json::parse(R"({"architectures": ["DeepseekOCRForCausalLM"], "use_mla": false,
        "hidden_size": 1280, "num_attention_heads": 10, "num_key_value_heads": 10})");
    expect_error(with(ocr, "/language_config", json::array()),
                 {"/language_config", ErrorKind::type, "expected an object, found an array"});
    expect_error(
        with(ocr, "/language_config", json{{"num_hidden_layers", "twelve"}}),
        {"/language_config/num_hidden_layers", ErrorKind::type, "expected an integer, found a string (\"twelve\")"});
    expect_error(with(ocr, "/tile_tag", "3D"),
                 {"/tile_tag", ErrorKind::unknown_value, "unknown value \"3D\"; accepted: \"1D\", \"2D\""});
    json many = json::array();
    for (int i = 0; i < 65; ++i) many.push_back({384, 384});
    expect_error(with(ocr, "/candidate_resolutions", many),
                 {"/candidate_resolutions", ErrorKind::range, "at most 64 entries are supported, found 65"});
    expect_error(with(ocr, "/candidate_resolutions", json{{384, 384, 1}}),
                 {"/candidate_resolutions/0", ErrorKind::range, "expected exactly 2 entries, found 3"});
    expect_error(with(ocr, "/vision_config/width/clip-l-14-224/layers", -24),
                 {"/vision_config/width/clip-l-14-224/layers", ErrorKind::range, "must not be negative, found -24"});
    expect_error(json{{"model_type", "deepseek_vl_v2"}, {"architectures", {"DeepseekVLV2ForCausalLM"}}},
                 {"/language_config", ErrorKind::missing_key, "a DeepSeek-VL2 file needs a language_config object"});
    json vl2 = json{{"model_type", "deepseek_vl_v2"},
                    {"architectures", {"DeepseekVLV2ForCausalLM"}},
                    {"language_config", {{"hidden_size", 0}}}};
    expect_error(vl2, {"/language_config/hidden_size", ErrorKind::range, "hidden_size must be positive, found 0"});
}

TEST_CASE("An unknown model family names what is supported", "[validation][dispatch]") {
    const std::string supported =
        " and no known architectures; supported: model_type deepseek_v2, deepseek_v3, deepseek_v32, DeepseekOCR, "
        "DeepseekOCR2, deepseek_vl_v2, kimi_k2, kimi_vl, kimi_k25, deepseek_v4, or architectures "
        "DeepseekV2ForCausalLM, DeepseekV3ForCausalLM, DeepseekV32ForCausalLM, DeepseekOCRForCausalLM, "
        "DeepseekOCR2ForCausalLM, DeepseekVLV2ForCausalLM, KimiVLForConditionalGeneration, "
        "KimiK25ForConditionalGeneration, DeepseekV4ForCausalLM";
    expect_error(json{{"model_type", "llama"}},
                 {"/model_type", ErrorKind::unknown_model, "unsupported model_type \"llama\"" + supported});
    expect_error(json::object(), {"", ErrorKind::unknown_model, "no model_type" + supported});
}

TEST_CASE("File errors name the file", "[validation][files]") {
    const fs::path dir = test_support::scratch_dir("files");
    SECTION("missing file") {
        const fs::path missing = dir / "absent.json";
        try {
            (void)load_config(missing);
            FAIL("expected an error");
        } catch (const Error& e) {
            CHECK(e.kind() == ErrorKind::io);
            CHECK(e.file() == missing.string());
            CHECK(e.message() == "no such file");
            CHECK(std::string(e.what()) == missing.string() + ": no such file");
        }
    }
    SECTION("a folder without config.json") {
        const fs::path empty = dir / "empty_model_dir";
        fs::create_directories(empty);
        try {
            (void)load_config(empty);
            FAIL("expected an error");
        } catch (const Error& e) {
            CHECK(e.kind() == ErrorKind::io);
            CHECK(e.message() == "the folder holds no config.json");
        }
    }
    SECTION("a file over the size limit is refused before it is read") {
        const fs::path big = dir / "big.json";
        { std::ofstream(big) << "{}"; }
        fs::resize_file(big, max_file_size + 1);
        try {
            (void)load_config(big);
            FAIL("expected an error");
        } catch (const Error& e) {
            CHECK(e.kind() == ErrorKind::io);
            CHECK(e.message() == "the file is 67108865 bytes, more than the 67108864 a config may have");
        }
        fs::remove(big);
    }
    SECTION("a value error in a file names file and pointer") {
        const fs::path bad = dir / "bad.json";
        { std::ofstream(bad) << R"({"model_type": "deepseek_v3", "num_hidden_layers": 0})"; }
        try {
            (void)load_config(bad);
            FAIL("expected an error");
        } catch (const Error& e) {
            CHECK(e.file() == bad.string());
            CHECK(e.pointer() == "/num_hidden_layers");
            CHECK(std::string(e.what()) ==
                  bad.string() + ": /num_hidden_layers: num_hidden_layers must be positive, found 0");
        }
    }
}

} // namespace validation_test
