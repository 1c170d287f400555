// validate(cfg) and detect_config(): the standard-library-only checks and dispatch for configs an
// engine builds itself. Every problem is checked for its pointer, kind and message, and each
// check gives what parse_config gives for the same value in a file.
#include <deepseek/dispatch.hpp>
#include <deepseek/json.hpp>
#include <deepseek/presets.hpp>
#include <deepseek/validate.hpp>

#include <functional>
#include <limits>
#include <sstream>

#include "catch.hpp"
#include "test_support.hpp"

// One namespace per test file: the files of a batch share a translation unit (tests/CMakeLists.txt).
namespace validate_test {

using namespace deepseek;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

struct Problem {
    std::string pointer;
    ErrorKind kind;
    std::string message;
};

std::string list(const std::vector<Error>& problems) {
    std::ostringstream out;
    for (const auto& e : problems) out << "  [" << to_string(e.kind()) << "] " << e.what() << "\n";
    return out.str();
}

void expect_problems(const std::vector<Error>& got, const std::vector<Problem>& expected) {
    INFO("validate() gave:\n" << list(got));
    REQUIRE(got.size() == expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        CHECK(got[i].pointer() == expected[i].pointer);
        CHECK(got[i].kind() == expected[i].kind);
        CHECK(got[i].message() == expected[i].message);
        CHECK(got[i].file().empty());
    }
}

// Small valid files of each family (V2: DeepSeek-V2-Lite's shape with 4 layers; V3: every default;
// OCR: the MHA language model of DeepSeek-OCR with every OCR key at its default).
const char* const base_v2 = R"({
    "model_type": "deepseek_v2", "vocab_size": 102400, "hidden_size": 2048, "num_hidden_layers": 4,
    "num_attention_heads": 16, "num_key_value_heads": 16, "n_routed_experts": 64, "n_shared_experts": 2,
    "num_experts_per_tok": 6, "n_group": 1, "topk_group": 1, "first_k_dense_replace": 1,
    "moe_intermediate_size": 1408, "intermediate_size": 10944, "q_lora_rank": null, "kv_lora_rank": 512})";
const char* const base_v3 = R"({"model_type": "deepseek_v3"})";
const char* const base_ocr = R"({"architectures": ["DeepseekOCRForCausalLM"], "use_mla": false,
    "hidden_size": 1280, "num_attention_heads": 10, "num_key_value_heads": 10})";
const char* const base_ocr2 = R"({"model_type": "DeepseekOCR2", "use_mla": false,
    "hidden_size": 1280, "num_attention_heads": 10, "num_key_value_heads": 10})";

constexpr std::uint64_t above_dimension = 4294967297u; // 2^32 + 1

/// One bad value (or a few that make one problem): where to put it in a file, and the same change
/// made to the config in memory.
struct Case {
    const char* base;
    std::vector<std::pair<std::string, json>> values;
    std::function<void(AnyConfig&)> set;
};

template <class C> std::function<void(AnyConfig&)> on(std::function<void(C&)> f) {
    return [f](AnyConfig& any) { f(std::get<C>(any)); };
}
#define V2(...) on<DeepseekV2Config>([](DeepseekV2Config& c) { __VA_ARGS__; })
#define V3(...) on<DeepseekV3Config>([](DeepseekV3Config& c) { __VA_ARGS__; })
#define OCR(...) on<DeepseekOCRConfig>([](DeepseekOCRConfig& c) { __VA_ARGS__; })
#define OCR2(...) on<DeepseekOCR2Config>([](DeepseekOCR2Config& c) { __VA_ARGS__; })

std::vector<Case> cases() {
    using P = std::pair<std::string, json>;
    return {
        // The values that would make the model undefined.
        {base_v2, {P{"/vocab_size", 0}}, V2(c.vocab_size = 0)},
        {base_v2, {P{"/hidden_size", 0}}, V2(c.hidden_size = 0)},
        {base_v2, {P{"/num_hidden_layers", 0}}, V2(c.num_hidden_layers = 0)},
        {base_v2, {P{"/num_hidden_layers", 4097}}, V2(c.num_hidden_layers = 4097)},
        {base_v2, {P{"/num_attention_heads", 0}}, V2(c.num_attention_heads = 0)},
        {base_v2, {P{"/num_key_value_heads", 0}}, V2(c.num_key_value_heads = 0)},
        {base_v2, {P{"/max_position_embeddings", 0}}, V2(c.max_position_embeddings = 0)},
        {base_v2, {P{"/moe_layer_freq", 0}}, V2(c.moe_layer_freq = 0)},
        {base_v2, {P{"/ep_size", 0}}, V2(c.ep_size = 0)},
        {base_v2, {P{"/pretraining_tp", 0}}, V2(c.pretraining_tp = 0)},
        {base_v2, {P{"/num_key_value_heads", 5}}, V2(c.num_key_value_heads = 5)},
        {base_v2, {P{"/first_k_dense_replace", 5}}, V2(c.first_k_dense_replace = 5)},
        {base_v2, {P{"/rope_theta", 0}}, V2(c.rope_theta = 0.0)},
        {base_v2, {P{"/rms_norm_eps", 0}}, V2(c.rms_norm_eps = 0.0)},
        {base_v2, {P{"/rms_norm_eps", -1e-6}}, V2(c.rms_norm_eps = -1e-6)},
        {base_v2, {P{"/kv_lora_rank", nullptr}}, V2(c.kv_lora_rank = std::nullopt)},
        {base_v2, {P{"/kv_lora_rank", 0}}, V2(c.kv_lora_rank = 0)},
        {base_v2,
         {P{"/qk_nope_head_dim", 0}, P{"/qk_rope_head_dim", 0}},
         V2(c.qk_nope_head_dim = 0, c.qk_rope_head_dim = 0)},
        {base_v2, {P{"/v_head_dim", 0}}, V2(c.v_head_dim = 0)},
        {base_v2,
         {P{"/use_mla", false}, P{"/num_attention_heads", 3}, P{"/num_key_value_heads", 3}},
         V2(c.use_mla = false, c.num_attention_heads = 3, c.num_key_value_heads = 3)},
        {base_v2, {P{"/n_routed_experts", 0}}, V2(c.n_routed_experts = 0)},
        {base_v2, {P{"/moe_intermediate_size", 0}}, V2(c.moe_intermediate_size = 0)},
        {base_v2, {P{"/num_experts_per_tok", nullptr}}, V2(c.num_experts_per_tok = std::nullopt)},
        {base_v2, {P{"/num_experts_per_tok", 0}}, V2(c.num_experts_per_tok = 0)},
        {base_v2, {P{"/num_experts_per_tok", 65}}, V2(c.num_experts_per_tok = 65)},
        {base_v2, {P{"/n_group", 0}}, V2(c.n_group = 0)},
        {base_v2, {P{"/n_group", 5}}, V2(c.n_group = 5)},
        {base_v2, {P{"/n_group", 8}, P{"/topk_group", 9}}, V2(c.n_group = 8, c.topk_group = 9)},
        {base_v2, {P{"/intermediate_size", 0}}, V2(c.intermediate_size = 0)},
        {base_v3, {P{"/num_nextn_predict_layers", 4097}}, V3(c.num_nextn_predict_layers = 4097)},
        {base_v3, {P{"/n_group", 0}}, V3(c.n_group = 0)},
        {base_v3, {P{"/n_routed_experts", 100}}, V3(c.n_routed_experts = 100)},
        {base_ocr, {P{"/hidden_size", 1281}}, OCR(c.hidden_size = 1281)},
        {base_ocr, {P{"/num_attention_heads", 0}}, OCR(c.num_attention_heads = 0)},
        // The limits the reader puts on each value.
        {base_v2, {P{"/vocab_size", above_dimension}}, V2(c.vocab_size = above_dimension)},
        {base_v2, {P{"/num_hidden_layers", std::uint64_t{1} << 33}}, V2(c.num_hidden_layers = std::uint64_t{1} << 33)},
        {base_v2, {P{"/q_lora_rank", above_dimension}}, V2(c.q_lora_rank = above_dimension)},
        {base_v3, {P{"/index_topk", above_dimension}}, V3(c.index_topk = above_dimension)},
        {base_v2,
         {P{"/rope_scaling", json{{"type", "linear"}, {"factor", 0.5}}}},
         V2(c.rope_scaling = RopeScaling{RopeType::linear, 0.5})},
        {base_v2,
         {P{"/rope_scaling", json{{"type", "yarn"}, {"factor", 0.25}}}},
         V2(c.rope_scaling = RopeScaling{RopeType::yarn, 0.25})},
        {base_v2,
         {P{"/rope_scaling", json{{"type", "yarn"}, {"factor", 1e-5}}}},
         V2(c.rope_scaling = RopeScaling{RopeType::yarn, 1e-5})},
        {base_v3,
         {P{"/rope_scaling", json{{"type", "yarn"}, {"factor", -123.75}}}},
         V3(c.rope_scaling = RopeScaling{RopeType::yarn, -123.75})},
        {base_v3,
         {P{"/rope_scaling",
            json{{"type", "yarn"}, {"factor", 40}, {"original_max_position_embeddings", above_dimension}}}},
         V3(c.rope_scaling = RopeScaling{RopeType::yarn, 40.0, above_dimension})},
        {base_v3,
         {P{"/quantization_config", json{{"quant_method", "fp8"}, {"weight_block_size", {0, 128}}}}},
         V3(c.quantization_config = QuantizationConfig{}; c.quantization_config->weight_block_size = {0, 128})},
        {base_v3,
         {P{"/quantization_config", json{{"quant_method", "fp8"}, {"weight_block_size", {128, 0}}}}},
         V3(c.quantization_config = QuantizationConfig{}; c.quantization_config->weight_block_size = {128, 0})},
        {base_v3,
         {P{"/quantization_config", json{{"quant_method", "fp8"}, {"weight_block_size", {above_dimension, 128}}}}},
         V3(c.quantization_config = QuantizationConfig{};
            c.quantization_config->weight_block_size = {above_dimension, 128})},
        {base_ocr,
         {P{"/vision_config/width/clip-l-14-224/layers", 4097}},
         OCR(c.vision_config.width.clip_l_14_224->layers = 4097)},
        {base_ocr,
         {P{"/vision_config/width/sam_vit_b/layers", 4097}},
         OCR(c.vision_config.width.sam_vit_b->layers = 4097)},
        {base_ocr,
         {P{"/vision_config/width/sam_vit_b/layers", above_dimension}},
         OCR(c.vision_config.width.sam_vit_b->layers = above_dimension)},
        {base_ocr,
         {P{"/vision_config/image_size", above_dimension}},
         OCR(c.vision_config.image_size = above_dimension)},
        {base_ocr,
         {P{"/vision_config/width/sam_vit_b/global_attn_indexes", json{2, above_dimension}}},
         OCR(c.vision_config.width.sam_vit_b->global_attn_indexes =
                 FixedVector<std::uint64_t, 32>{{2, above_dimension}, 2})},
        {base_ocr,
         {P{"/candidate_resolutions", json{{1024, 1024}, {640, above_dimension}}}},
         OCR(c.candidate_resolutions =
                 FixedVector<Resolution, 64>{{Resolution{1024, 1024}, Resolution{640, above_dimension}}, 2})},
        {base_ocr,
         {P{"/projector_config/n_embed", above_dimension}},
         OCR(c.projector_config.n_embed = above_dimension)},
        {base_ocr2,
         {P{"/vision_config/width/qwen2-0-5b/dim", above_dimension}},
         OCR2(c.vision_config.width.qwen2_0_5b->dim = above_dimension)},
    };
}

Error parse_error_of(const std::string& text) {
    try {
        (void)parse_config(text);
    } catch (const Error& e) {
        return e;
    }
    FAIL("parse_config gave no error for " << text);
    throw std::logic_error("unreachable");
}

} // namespace

TEST_CASE("Every preset and every class default validates with no problem", "[validate]") {
    for (const auto name : presets::names) {
        INFO(name);
        const auto preset = presets::find(name);
        REQUIRE(preset);
        expect_problems(validate(*preset), {});
    }
    expect_problems(validate(presets::deepseek_v3), {});
    expect_problems(validate(DeepseekV2Config{}), {});
    expect_problems(validate(DeepseekOCRConfig{}), {});
    expect_problems(validate(DeepseekOCR2Config{}), {});
    expect_problems(validate(DeepseekV3Config{}), {});
}

TEST_CASE("Three independent bad values give exactly three problems", "[validate]") {
    DeepseekV3Config c = presets::deepseek_v3;
    c.vocab_size = 0;
    c.first_k_dense_replace = 62;
    c.rope_scaling->factor = 0.5;
    // The reader meets rope_scaling's factor as it reads it; the other two are checked after.
    const std::vector<Problem> expected{
        {"/rope_scaling/factor", ErrorKind::range, "must be at least 1, found a float (0.5)"},
        {"/vocab_size", ErrorKind::range, "vocab_size must be positive, found 0"},
        {"/first_k_dense_replace", ErrorKind::range, "must be at most num_hidden_layers (61), found 62"},
    };
    expect_problems(validate(c), expected);
    expect_problems(validate(AnyConfig{c}), expected);
}

TEST_CASE("Zero heads do not divide by zero and are reported once each", "[validate]") {
    SECTION("num_key_value_heads and num_attention_heads 0 in an MHA model") {
        DeepseekOCRConfig c = presets::deepseek_ocr; // use_mla false: hidden_size % heads is checked
        c.num_key_value_heads = 0;
        c.num_attention_heads = 0;
        expect_problems(validate(c),
                        {{"/num_attention_heads", ErrorKind::range, "num_attention_heads must be positive, found 0"},
                         {"/num_key_value_heads", ErrorKind::range, "num_key_value_heads must be positive, found 0"}});
    }
    SECTION("num_key_value_heads 0 alone in an MLA model") {
        DeepseekV2Config c = presets::deepseek_v2;
        c.num_key_value_heads = 0;
        expect_problems(validate(c),
                        {{"/num_key_value_heads", ErrorKind::range, "num_key_value_heads must be positive, found 0"}});
    }
    SECTION("n_group 0 and n_routed_experts 0: no modulo, no comparison with a bad value") {
        DeepseekV2Config c = presets::deepseek_v2; // 160 experts, 6 per token, n_group 8, topk_group 3
        c.n_routed_experts = 0;
        c.n_group = 0;
        expect_problems(validate(c),
                        {{"/n_routed_experts", ErrorKind::range, "n_routed_experts must be positive, found 0"},
                         {"/n_group", ErrorKind::range, "n_group must be positive, found 0"}});
    }
    SECTION("a MoE model without num_experts_per_tok, with more bad values after it") {
        DeepseekV3Config c = presets::deepseek_v3;
        c.num_experts_per_tok = std::nullopt;
        c.n_group = 7; // 256 experts
        c.intermediate_size = 0;
        expect_problems(validate(c),
                        {{"/num_experts_per_tok", ErrorKind::missing_key,
                          "a MoE model (n_routed_experts set) needs num_experts_per_tok"},
                         {"/n_group", ErrorKind::range, "n_routed_experts (256) must be a multiple of n_group (7)"},
                         {"/intermediate_size", ErrorKind::range, "intermediate_size must be positive, found 0"}});
    }
}

TEST_CASE("A value beyond a limit is one problem, not also its consequences", "[validate]") {
    SECTION("a layer count above 2^32 is not also above max_layers nor below first_k_dense_replace") {
        DeepseekV3Config c = presets::deepseek_v3;
        c.num_hidden_layers = std::uint64_t{1} << 40;
        c.first_k_dense_replace = std::uint64_t{1} << 41;
        expect_problems(validate(c),
                        {{"/num_hidden_layers", ErrorKind::range,
                          "must be at most 2^32 (4294967296), the limit for any size or count, found 1099511627776"},
                         {"/first_k_dense_replace", ErrorKind::range,
                          "must be at most 2^32 (4294967296), the limit for any size or count, found 2199023255552"}});
    }
    SECTION("head dims of 2^63 do not add up to 0") {
        DeepseekV3Config c = presets::deepseek_v3;
        c.qk_nope_head_dim = std::uint64_t{1} << 63;
        c.qk_rope_head_dim = std::uint64_t{1} << 63;
        const auto problems = validate(c);
        REQUIRE(problems.size() == 2);
        CHECK(problems[0].pointer() == "/qk_rope_head_dim");
        CHECK(problems[1].pointer() == "/qk_nope_head_dim");
    }
    SECTION("floats that are not finite") {
        DeepseekV2Config c = presets::deepseek_v2_lite;
        c.rope_theta = std::numeric_limits<double>::quiet_NaN();
        c.routed_scaling_factor = std::numeric_limits<double>::infinity();
        c.rope_scaling->factor = -std::numeric_limits<double>::infinity();
        expect_problems(validate(c), {{"/routed_scaling_factor", ErrorKind::range, "must be a finite number"},
                                      {"/rope_theta", ErrorKind::range, "must be a finite number"},
                                      {"/rope_scaling/factor", ErrorKind::range, "must be a finite number"}});
    }
    SECTION("a vision tower's layers above max_layers") {
        DeepseekOCR2Config c{};
        c.vision_config.width.sam_vit_b->layers = 5000;
        expect_problems(validate(c), {{"/vision_config/width/sam_vit_b/layers", ErrorKind::range,
                                       "must be at most 4096 layers, the limit of this reader, found 5000"}});
    }
}

TEST_CASE("Each check gives the pointer and message that parsing the file gives", "[validate][parse]") {
    for (const auto& c : cases()) {
        json doc = json::parse(c.base);
        for (const auto& [pointer, value] : c.values) doc[json::json_pointer(pointer)] = value;
        const std::string text = doc.dump();
        INFO(text);
        const Error parsed = parse_error_of(text);

        AnyConfig cfg = parse_config(std::string_view(c.base));
        REQUIRE(validate(cfg).empty());
        c.set(cfg);
        const auto problems = validate(cfg);
        INFO("validate() gave:\n" << list(problems));
        REQUIRE(problems.size() == 1);
        CHECK(problems[0].pointer() == parsed.pointer());
        CHECK(problems[0].kind() == parsed.kind());
        CHECK(problems[0].message() == parsed.message());
    }
}

TEST_CASE("validate() names a DeepSeek-OCR language key at the top level, where the class reads it",
          "[validate][parse]") {
    // The file has hidden_size only inside language_config: the parser names where it read it.
    const std::string text = R"({"architectures": ["DeepseekOCRForCausalLM"], "use_mla": false,
        "num_attention_heads": 10, "num_key_value_heads": 10, "language_config": {"hidden_size": 1281}})";
    const Error parsed = parse_error_of(text);
    CHECK(parsed.pointer() == "/language_config/hidden_size");
    // In memory there is no file: the pointer is where config_to_json (and so save_document) writes it.
    DeepseekOCRConfig c = presets::deepseek_ocr;
    c.hidden_size = 1281;
    expect_problems(validate(c), {{"/hidden_size", ErrorKind::range,
                                   "hidden_size (1281) must be a multiple of num_attention_heads (10) when use_mla "
                                   "is false"}});
    CHECK(parsed.message() == validate(c)[0].message());
    CHECK(config_to_json(c).contains("hidden_size"));
}

TEST_CASE("A rope factor below 1 is described as a float, as the parser describes a float", "[validate]") {
    DeepseekV2Config c = presets::deepseek_v2;
    c.rope_scaling->factor = 0.0;
    expect_problems(validate(c),
                    {{"/rope_scaling/factor", ErrorKind::range, "must be at least 1, found a float (0.0)"}});
    c.rope_scaling->factor = 0.1;
    expect_problems(validate(c),
                    {{"/rope_scaling/factor", ErrorKind::range, "must be at least 1, found a float (0.1)"}});
    // A file that writes the factor as an integer is told so by the parser, which sees the JSON.
    CHECK(
        parse_error_of(R"({"model_type": "deepseek_v2", "rope_scaling": {"type": "linear", "factor": 0}})").message() ==
        "must be at least 1, found an integer (0)");
}

TEST_CASE("detect_config picks the class as AutoConfig does", "[validate][dispatch]") {
    SECTION("by model_type") {
        CHECK(detect_config("deepseek_v2") == ConfigKind::deepseek_v2);
        CHECK(detect_config("deepseek_v3") == ConfigKind::deepseek_v3);
        CHECK(detect_config("deepseek_v32") == ConfigKind::deepseek_v3);
        CHECK(detect_config("DeepseekOCR") == ConfigKind::deepseek_ocr);
        CHECK(detect_config("DeepseekOCR2") == ConfigKind::deepseek_ocr2);
        CHECK(detect_config("deepseek_vl_v2") == ConfigKind::deepseek_vl_v2);
        CHECK(detect_config("kimi_k2") == ConfigKind::kimi_k2);
        CHECK(detect_config("kimi_vl") == ConfigKind::kimi_vl);
        CHECK(detect_config("kimi_k25") == ConfigKind::kimi_k25);
        // model_type decides before architectures.
        CHECK(detect_config("deepseek_v2", {"DeepseekV3ForCausalLM"}) == ConfigKind::deepseek_v2);
        CHECK(detect_config("kimi_k2", {"DeepseekV3ForCausalLM"}) == ConfigKind::kimi_k2);
        // deepseek_vl_v2 is also DeepSeek-OCR's model_type: an OCR class at the top level decides.
        CHECK(detect_config("deepseek_vl_v2", {"DeepseekVLV2ForCausalLM"}) == ConfigKind::deepseek_vl_v2);
        CHECK(detect_config("deepseek_vl_v2", {"DeepseekOCRForCausalLM"}) == ConfigKind::deepseek_ocr);
        CHECK(detect_config("deepseek_vl_v2", {"DeepseekOCR2ForCausalLM"}) == ConfigKind::deepseek_ocr2);
        CHECK(detect_config("deepseek_vl_v2", {"DeepseekV3ForCausalLM"}) == ConfigKind::deepseek_vl_v2);
    }
    SECTION("by architectures when model_type names no class") {
        CHECK(detect_config("", {"DeepseekVLV2ForCausalLM"}) == ConfigKind::deepseek_vl_v2);
        CHECK(detect_config("", {"KimiVLForConditionalGeneration"}) == ConfigKind::kimi_vl);
        CHECK(detect_config("", {"KimiK25ForConditionalGeneration"}) == ConfigKind::kimi_k25);
        CHECK(detect_config("", {"DeepseekV2ForCausalLM"}) == ConfigKind::deepseek_v2);
        CHECK(detect_config("", {"DeepseekV32ForCausalLM"}) == ConfigKind::deepseek_v3);
        // The first entry that names a class.
        CHECK(detect_config("", {"LlamaForCausalLM", "DeepseekV3ForCausalLM", "DeepseekV2ForCausalLM"}) ==
              ConfigKind::deepseek_v3);
    }
    SECTION("by auto_map.AutoConfig, and inside language_config") {
        ConfigHints h;
        h.model_type = "kimi_k1"; // no class
        h.auto_config = "configuration_deepseek.DeepseekV3Config";
        CHECK(detect_config(h) == ConfigKind::deepseek_v3);
        h.auto_config = "DeepseekOCR2Config"; // no module
        CHECK(detect_config(h) == ConfigKind::deepseek_ocr2);
        h.architectures = {"DeepseekV2ForCausalLM"}; // architectures before auto_map
        CHECK(detect_config(h) == ConfigKind::deepseek_v2);

        ConfigHints vl2; // DeepSeek-VL2-Tiny: its language model's class inside language_config
        vl2.model_type = "deepseek_vl_v2";
        vl2.language_config_architectures = {"DeepseekV2ForCausalLM"};
        CHECK(detect_config(vl2) == ConfigKind::deepseek_vl_v2);    // the wrapper, not its language model
        vl2.auto_config = "modeling_deepseekocr.DeepseekOCRConfig"; // an OCR class at the top level
        CHECK(detect_config(vl2) == ConfigKind::deepseek_ocr);
        ConfigHints nested; // no model_type: inside language_config
        nested.language_config_auto_config = "configuration_deepseek.DeepseekVLV2Config";
        CHECK(detect_config(nested) == ConfigKind::deepseek_vl_v2);
    }
    SECTION("unknown models") {
        CHECK_FALSE(detect_config("llama", {"LlamaForCausalLM"}));
        CHECK_FALSE(detect_config(""));
        CHECK_FALSE(detect_config("deepseek_v41", {"DeepseekV41ForCausalLM"})); // DeepSeek-V4.1: another architecture
        CHECK_FALSE(detect_config("DEEPSEEK_V3"));                              // names are matched exactly
        ConfigHints h;
        h.model_type = "llama";
        h.auto_config = "configuration_llama.LlamaConfig";
        h.language_config_auto_config = "DeepseekV3Config.x"; // the class is after the last dot
        CHECK_FALSE(detect_config(h));
    }
    SECTION("default_config holds the class of each kind") {
        CHECK(std::get<DeepseekV2Config>(default_config(ConfigKind::deepseek_v2)) == DeepseekV2Config{});
        CHECK(std::get<DeepseekVL2Config>(default_config(ConfigKind::deepseek_vl_v2)) == DeepseekVL2Config{});
        CHECK(std::get<KimiK2Config>(default_config(ConfigKind::kimi_k2)) == KimiK2Config{});
        CHECK(std::get<KimiVLConfig>(default_config(ConfigKind::kimi_vl)) == KimiVLConfig{});
        CHECK(std::get<KimiK25Config>(default_config(ConfigKind::kimi_k25)) == KimiK25Config{});
        CHECK(std::get<DeepseekOCRConfig>(default_config(ConfigKind::deepseek_ocr)) == DeepseekOCRConfig{});
        CHECK(std::get<DeepseekOCR2Config>(default_config(ConfigKind::deepseek_ocr2)) == DeepseekOCR2Config{});
        CHECK(std::get<DeepseekV3Config>(default_config(ConfigKind::deepseek_v3)) == DeepseekV3Config{});
    }
}

TEST_CASE("detect_config agrees with parse_config on every corpus file", "[validate][dispatch][corpus]") {
    REQUIRE_CORPUS();
    std::size_t files = 0;
    for (const auto& entry : fs::recursive_directory_iterator(test_support::corpus_dir())) {
        if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
        const json doc = json::parse(test_support::read_text(entry.path()), nullptr, false);
        if (!doc.is_object()) continue;
        INFO(entry.path().string());
        // The strings a caller with its own JSON parser would hand over.
        ConfigHints h;
        const auto strings = [](const json& object, std::vector<std::string_view>& architectures,
                                std::string_view& auto_config) {
            if (object.contains("architectures") && object["architectures"].is_array()) {
                for (const auto& a : object["architectures"]) {
                    if (a.is_string()) architectures.emplace_back(a.get_ref<const std::string&>());
                }
            }
            if (object.contains("auto_map") && object["auto_map"].is_object() &&
                object["auto_map"].contains("AutoConfig") && object["auto_map"]["AutoConfig"].is_string()) {
                auto_config = object["auto_map"]["AutoConfig"].get_ref<const std::string&>();
            }
        };
        if (doc.contains("model_type") && doc["model_type"].is_string()) {
            h.model_type = doc["model_type"].get_ref<const std::string&>();
        }
        strings(doc, h.architectures, h.auto_config);
        if (doc.contains("language_config") && doc["language_config"].is_object()) {
            strings(doc["language_config"], h.language_config_architectures, h.language_config_auto_config);
        }
        const auto kind = detect_config(h);
        const auto parsed = try_parse_config(doc);
        if (parsed) {
            REQUIRE(kind);
            CHECK(class_name_of(default_config(*kind)) == class_name_of(*parsed));
        } else if (parsed.error().kind() == ErrorKind::unknown_model) {
            CHECK_FALSE(kind);
        } else {
            CHECK(kind); // dispatch passed; a value of the file is bad
        }
        ++files;
    }
    CHECK(files >= 20);
}

#undef V2
#undef V3
#undef OCR
#undef OCR2

} // namespace validate_test
