// DeepSeek-VL2: its own config class (language keys in language_config, SigLIP and projector keys
// at the top), tensor names under "language.", and the vision side counted. Expected figures are
// the checkpoints' recorded sizes (research notes, issue 14 §3), or tensors written out here.
#include <deepseek/json.hpp>
#include <deepseek/memory.hpp>
#include <deepseek/presets.hpp>
#include <deepseek/tensors.hpp>
#include <deepseek/validate.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "catch.hpp"
#include "expected_figures.hpp"
#include "test_support.hpp"

// One namespace per test file: the files of a batch share a translation unit (tests/CMakeLists.txt).
namespace vl2_test {

using namespace deepseek;
using nlohmann::json;
using test_support::by_name;
using test_support::dims;

namespace {

constexpr std::uint64_t vl2_tiny_params = expected::vl2_tiny_params;
constexpr std::uint64_t vl2_full_bytes = expected::vl2_checkpoint_bytes;
constexpr std::uint64_t vl2_full_tensors = expected::vl2_tensors;
constexpr std::uint64_t vl2_vision_tower = expected::vl2_vision_tower_params;
// The tower by hand: 27 blocks (two LayerNorms, qkv, proj, fc1, fc2 with biases), the attention
// pool (latent, q, kv, proj, norm, MLP), patch embedding with bias, position table, final norm.
constexpr std::uint64_t siglip_block =
    4 * 1152 + (3456 * 1152 + 3456) + (1152 * 1152 + 1152) + (4304 * 1152 + 4304) + (1152 * 4304 + 1152);
constexpr std::uint64_t attn_pool = 1152 + (1152 * 1152 + 1152) + (2304 * 1152 + 2304) + (1152 * 1152 + 1152) +
                                    2 * 1152 + (4304 * 1152 + 4304) + (1152 * 4304 + 1152);
constexpr std::uint64_t embeddings = (1152 * 3 * 14 * 14 + 1152) + 729 * 1152 + 2 * 1152;
static_assert(27 * siglip_block == 411'466'608, "the 27 blocks");
static_assert(attn_pool == 15'238'352, "the attention pool");
static_assert(27 * siglip_block + attn_pool + embeddings == vl2_vision_tower, "the tower");

/// deepseek-ai/deepseek-vl2 as its config.json and index give it (research §3): a DeepseekV2 MLA
/// language model (q_lora null, 30 layers, 72 experts, noaux_tc) under the same SigLIP tower.
DeepseekVL2Config full_vl2() {
    DeepseekVL2Config c = presets::deepseek_vl2_tiny; // the same tower and projector type
    c.hidden_size = 2560;
    c.intermediate_size = 12288;
    c.moe_intermediate_size = 1536;
    c.num_hidden_layers = 30;
    c.num_attention_heads = 32;
    c.num_key_value_heads = 32;
    c.use_mla = true;
    c.q_lora_rank = std::nullopt;
    c.kv_lora_rank = 512;
    c.qk_nope_head_dim = 128;
    c.qk_rope_head_dim = 64;
    c.v_head_dim = 128;
    c.n_routed_experts = 72;
    c.n_shared_experts = 2;
    c.num_experts_per_tok = 6;
    c.first_k_dense_replace = 1;
    c.topk_method = TopkMethod::noaux_tc;
    c.vocab_size = 129280;
    c.projector_config.n_embed = 2560;
    return c;
}

} // namespace

TEST_CASE("DeepSeek-VL2 figures match the released checkpoints", "[vl2][memory]") {
    const DeepseekVL2Config& tiny = presets::deepseek_vl2_tiny;
    CHECK(parameter_count(tiny) == vl2_tiny_params);
    CHECK(checkpoint_bytes(tiny) == 2 * vl2_tiny_params); // every tensor bf16

    const DeepseekVL2Config full = full_vl2();
    CHECK(checkpoint_bytes(full) == vl2_full_bytes);
    CHECK(tensor_count(full) == vl2_full_tensors);
    CHECK(parameter_count(full) == vl2_full_bytes / 2);
    CHECK(param_breakdown(full).vision_modelled);

    // The tower alone: every "vision." tensor.
    for (const DeepseekVL2Config* c : {&tiny, &full}) {
        std::uint64_t tower = 0;
        for (const auto& t : tensor_manifest(*c)) {
            if (t.name.rfind("vision.", 0) == 0) tower += t.elements();
        }
        CHECK(tower == vl2_vision_tower);
    }
}

TEST_CASE("DeepSeek-VL2 tensors: names under language., vision. and projector., shapes", "[vl2][tensors]") {
    const auto tiny = by_name(tensor_manifest(presets::deepseek_vl2_tiny));
    const std::vector<test_support::Row> expected{
        {"language.model.embed_tokens.weight", {129280, 1280}, Dtype::bf16},
        {"language.lm_head.weight", {129280, 1280}, Dtype::bf16},
        {"language.model.norm.weight", {1280}, Dtype::bf16},
        {"language.model.layers.0.self_attn.q_proj.weight", {1280, 1280}, Dtype::bf16}, // MHA: use_mla false
        {"language.model.layers.0.mlp.gate_proj.weight", {6848, 1280}, Dtype::bf16},
        {"language.model.layers.11.mlp.experts.63.down_proj.weight", {1280, 896}, Dtype::bf16},
        {"language.model.layers.1.mlp.shared_experts.up_proj.weight", {1792, 1280}, Dtype::bf16},
        {"vision.patch_embed.proj.weight", {1152, 3, 14, 14}, Dtype::bf16},
        {"vision.pos_embed", {1, 729, 1152}, Dtype::bf16},
        {"vision.blocks.26.mlp.fc1.weight", {4304, 1152}, Dtype::bf16},
        {"vision.attn_pool.latent", {1, 1, 1152}, Dtype::bf16},
        {"vision.attn_pool.kv.weight", {2304, 1152}, Dtype::bf16},
        {"projector.layers.0.weight", {1280, 4608}, Dtype::bf16},
        {"projector.layers.2.weight", {1280, 1280}, Dtype::bf16},
        {"image_newline", {1280}, Dtype::bf16},
        {"view_seperator", {1280}, Dtype::bf16},
    };
    test_support::check_named_rows(tiny, expected);
    CHECK(tiny.count("model.embed_tokens.weight") == 0);
    CHECK(tiny.count("language.model.layers.1.mlp.gate.e_score_correction_bias") == 0); // greedy: none
    CHECK(tiny.count("projector.layers.1.weight") == 0);                                // a GELU

    // The full model's noaux_tc router bias is stored in bf16 (the index's total needs it).
    const auto full = by_name(tensor_manifest(full_vl2()));
    test_support::check_named_rows(full,
                                   {{"language.model.layers.29.mlp.gate.e_score_correction_bias", {72}, Dtype::bf16}});
    CHECK(dims(full.at("language.model.layers.0.self_attn.kv_a_proj_with_mqa.weight").shape) ==
          std::vector<std::uint64_t>{576, 2560});
}

TEST_CASE("DeepSeek-VL2 configs: defaults, detection, saving and validation", "[vl2][dispatch]") {
    SECTION("the class defaults are the VL2 repository's") {
        const DeepseekVL2Config c{};
        CHECK(c.vision_config.model_name == VisionModelName::siglip_large_patch16_384);
        CHECK(c.vision_config.image_size == 384);
        CHECK(c.vision_config.patch_size == 16);
        CHECK(c.vision_config.width == 1024);
        CHECK(c.vision_config.layers == 24);
        CHECK(c.projector_config.projector_type == ProjectorType::downsample_mlp_gelu);
        CHECK(c.projector_config.input_dim == 1152);
        CHECK(c.projector_config.n_embed == 2048);
        CHECK(c.projector_config.depth == 2);
        CHECK(c.projector_config.downsample_ratio == 2);
        CHECK(c.candidate_resolutions.size() == 1);
        CHECK(c.num_hidden_layers == 30); // the language defaults: the VL2 repository's DeepseekV2Config
        CHECK(c.kv_lora_rank == std::optional<std::uint64_t>(512));
    }
    SECTION("model_type deepseek_vl_v2 is VL2, unless the top level names an OCR class") {
        CHECK(std::holds_alternative<DeepseekVL2Config>(
            parse_config(R"({"model_type":"deepseek_vl_v2","language_config":{}})")));
        CHECK(std::holds_alternative<DeepseekVL2Config>(parse_config(
            R"({"model_type":"deepseek_vl_v2","language_config":{"architectures":["DeepseekV2ForCausalLM"]}})")));
        CHECK(std::holds_alternative<DeepseekOCRConfig>(
            parse_config(R"({"model_type":"deepseek_vl_v2","architectures":["DeepseekOCRForCausalLM"]})")));
        CHECK(detect_config("deepseek_vl_v2") == ConfigKind::deepseek_vl_v2);
    }
    SECTION("a VL2 file loads as its base class too") {
        const auto base = parse_config<DeepseekV2Config>(
            R"({"model_type":"deepseek_vl_v2","language_config":{"hidden_size":1280,"num_attention_heads":10,
                "num_key_value_heads":10,"use_mla":false,"kv_lora_rank":null}})");
        CHECK(base.hidden_size == 1280);
    }
    SECTION("saving writes the language keys inside language_config and the rest at the top") {
        const json out = config_to_json(presets::deepseek_vl2_tiny);
        CHECK(out.at("model_type") == "deepseek_vl_v2");
        CHECK(out.at("language_config").at("hidden_size") == 1280);
        CHECK(out.at("language_config").at("model_type") == "deepseek_v2");
        CHECK_FALSE(out.contains("hidden_size"));
        CHECK(out.at("vision_config").at("width") == 1152);
        CHECK(out.at("projector_config").at("n_embed") == 1280);
        CHECK(out.at("tile_tag") == "2D");
        CHECK(parse_config<DeepseekVL2Config>(out.dump()) == presets::deepseek_vl2_tiny);
    }
    SECTION("validation names the place of a language key") {
        DeepseekVL2Config c = presets::deepseek_vl2_tiny;
        c.hidden_size = 0;
        const auto problems = validate(c);
        REQUIRE_FALSE(problems.empty());
        CHECK(problems.front().pointer() == "/language_config/hidden_size");
        DeepseekVL2Config deep = presets::deepseek_vl2_tiny;
        deep.vision_config.layers = 1'000'000'000;
        const auto tower = validate(deep);
        REQUIRE(tower.size() == 1);
        CHECK(tower.front().pointer() == "/vision_config/layers");
    }
}

TEST_CASE("deepseek-vl2-tiny.json loads as DeepseekVL2Config, equal to the preset", "[vl2][corpus]") {
    REQUIRE_CORPUS();
    const Document doc = load_document(test_support::corpus_file("2026/deepseek-vl2-tiny.json"));
    REQUIRE(std::holds_alternative<DeepseekVL2Config>(doc.config));
    CHECK(doc.layout == DocumentLayout::language_config);
    CHECK(std::get<DeepseekVL2Config>(doc.config) == presets::deepseek_vl2_tiny);
    CHECK(file_model_type(doc) == "deepseek_vl_v2");
    CHECK(class_name_of(doc.config) == "DeepseekVLV2Config");
    // Keys the class does not type are kept where they were.
    CHECK(doc.extra.at("language_config").at("lm_head") == true);
    CHECK(doc.extra.at("vision_config").at("model_type") == "vision");
    // Saved and read again: the same config, the same file structure.
    const json saved = document_to_json(doc);
    CHECK(saved.at("model_type") == "deepseek_vl_v2");
    CHECK(saved.at("language_config").at("architectures").at(0) == "DeepseekV2ForCausalLM");
    CHECK(parse_document(saved.dump()).config == doc.config);
}

} // namespace vl2_test
