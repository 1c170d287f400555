// Defaults of each config class, checked against ../shared/reference/config-defaults.md
// (columns R2m for DeepseekV2Config, R3 for DeepseekV3Config), values written out by hand.
#include <deepseek/config.hpp>
#include <deepseek/json.hpp>

#include <type_traits>

#include "catch.hpp"

// One namespace per test file: the files of a batch share a translation unit (tests/CMakeLists.txt).
namespace defaults_test {

using namespace deepseek;

// The types are literal: a config can be a constexpr value.
static_assert(std::is_trivially_destructible_v<DeepseekV2Config>);
static_assert(std::is_trivially_destructible_v<DeepseekV3Config>);
static_assert(std::is_trivially_destructible_v<DeepseekOCRConfig>);
static_assert(std::is_trivially_destructible_v<DeepseekOCR2Config>);
constexpr DeepseekV2Config constexpr_v2{};
constexpr DeepseekV3Config constexpr_v3{};
constexpr DeepseekOCRConfig constexpr_ocr{};
constexpr DeepseekOCR2Config constexpr_ocr2{};
static_assert(constexpr_v2.hidden_size == 4096);
static_assert(constexpr_v3.hidden_size == 7168);
static_assert(constexpr_ocr.tile_tag == TileTag::two_d);
static_assert(constexpr_ocr2.projector_config.input_dim == 896);
static_assert(DeepseekV2Config::model_type == "deepseek_v2");
static_assert(DeepseekV3Config::model_type == "deepseek_v3");
static_assert(DeepseekOCRConfig::model_type == "DeepseekOCR");
static_assert(DeepseekOCR2Config::model_type == "DeepseekOCR2");
static_assert(std::is_base_of_v<DeepseekV2Config, DeepseekOCRConfig>);
static_assert(std::is_base_of_v<DeepseekOCRConfig, DeepseekOCR2Config>);
static_assert(constexpr_v3 != DeepseekV3Config{DeepseekV3Config{}.vocab_size + 1});
static_assert(to_string(TopkMethod::group_limited_greedy) == "group_limited_greedy");
static_assert(enum_from_string<ScoringFunc>("sigmoid") == ScoringFunc::sigmoid);
static_assert(!enum_from_string<ScoringFunc>("tanh").has_value());
static_assert(to_string(TileTag::two_d) == "2D");

TEST_CASE("DeepseekV2Config defaults are the R2m constructor defaults", "[defaults]") {
    const DeepseekV2Config c{};
    CHECK(c.vocab_size == 102400);
    // hidden_size 4096: static_asserted above.
    CHECK(c.intermediate_size == 11008);
    CHECK(c.moe_intermediate_size == 1407);
    CHECK(c.num_hidden_layers == 30); // the code's 30, not the docstring's 32
    CHECK(c.num_attention_heads == 32);
    CHECK(c.num_key_value_heads == 32);
    CHECK_FALSE(c.n_shared_experts.has_value());
    CHECK_FALSE(c.n_routed_experts.has_value());
    CHECK(c.ep_size == 1);
    CHECK(c.routed_scaling_factor == 1.0);
    CHECK(c.kv_lora_rank == std::optional<std::uint64_t>(512));
    CHECK(c.q_lora_rank == std::optional<std::uint64_t>(1536));
    CHECK(c.qk_rope_head_dim == 64);
    CHECK(c.v_head_dim == 128);
    CHECK(c.qk_nope_head_dim == 128);
    CHECK(c.topk_method == TopkMethod::gready);
    CHECK_FALSE(c.n_group.has_value());
    CHECK_FALSE(c.topk_group.has_value());
    CHECK_FALSE(c.num_experts_per_tok.has_value());
    CHECK(c.moe_layer_freq == 1);
    CHECK(c.first_k_dense_replace == 0);
    CHECK(c.norm_topk_prob == false);
    CHECK(c.scoring_func == ScoringFunc::softmax);
    CHECK(c.aux_loss_alpha == 0.001);
    CHECK(c.seq_aux == true);
    CHECK(c.hidden_act == HiddenAct::silu);
    CHECK(c.max_position_embeddings == 2048);
    CHECK(c.initializer_range == 0.02);
    CHECK(c.rms_norm_eps == 1e-6);
    CHECK(c.use_cache == true);
    CHECK_FALSE(c.pad_token_id.has_value());
    CHECK(c.bos_token_id == std::optional<std::int64_t>(100000));
    CHECK(c.eos_token_id == std::optional<std::int64_t>(100001));
    CHECK(c.pretraining_tp == 1);
    CHECK(c.tie_word_embeddings == false);
    CHECK(c.rope_theta == 10000.0);
    CHECK_FALSE(c.rope_scaling.has_value());
    CHECK(c.attention_bias == false);
    CHECK(c.attention_dropout == 0.0);
    CHECK(c.use_mla == true);
    CHECK_FALSE(c.torch_dtype.has_value());
}

TEST_CASE("DeepseekV3Config defaults are the R3 constructor defaults", "[defaults]") {
    const DeepseekV3Config c{};
    CHECK(c.vocab_size == 129280);
    // hidden_size 7168: static_asserted above.
    CHECK(c.intermediate_size == 18432);
    CHECK(c.moe_intermediate_size == 2048);
    CHECK(c.num_hidden_layers == 61);
    CHECK(c.num_nextn_predict_layers == 1);
    CHECK(c.num_attention_heads == 128);
    CHECK(c.num_key_value_heads == 128);
    CHECK(c.n_shared_experts == std::optional<std::uint64_t>(1));
    CHECK(c.n_routed_experts == std::optional<std::uint64_t>(256));
    CHECK(c.ep_size == 1);
    CHECK(c.routed_scaling_factor == 2.5);
    CHECK(c.kv_lora_rank == std::optional<std::uint64_t>(512));
    CHECK(c.q_lora_rank == std::optional<std::uint64_t>(1536));
    CHECK(c.qk_rope_head_dim == 64);
    CHECK(c.v_head_dim == 128);
    CHECK(c.qk_nope_head_dim == 128);
    CHECK(c.topk_method == TopkMethod::noaux_tc);
    CHECK(c.n_group == std::optional<std::uint64_t>(8));
    CHECK(c.topk_group == std::optional<std::uint64_t>(4));
    CHECK(c.num_experts_per_tok == std::optional<std::uint64_t>(8));
    CHECK(c.moe_layer_freq == 1);
    CHECK(c.first_k_dense_replace == 3);
    CHECK(c.norm_topk_prob == true);
    CHECK(c.scoring_func == ScoringFunc::sigmoid);
    CHECK(c.aux_loss_alpha == 0.001);
    CHECK(c.seq_aux == true);
    CHECK(c.hidden_act == HiddenAct::silu);
    CHECK(c.max_position_embeddings == 4096);
    CHECK(c.initializer_range == 0.02);
    CHECK(c.rms_norm_eps == 1e-6);
    CHECK(c.use_cache == true);
    CHECK_FALSE(c.pad_token_id.has_value());
    CHECK(c.bos_token_id == std::optional<std::int64_t>(0));
    CHECK(c.eos_token_id == std::optional<std::int64_t>(1));
    CHECK(c.pretraining_tp == 1);
    CHECK(c.tie_word_embeddings == false);
    CHECK(c.rope_theta == 10000.0);
    CHECK_FALSE(c.rope_scaling.has_value());
    CHECK(c.attention_bias == false);
    CHECK(c.attention_dropout == 0.0);
    CHECK_FALSE(c.quantization_config.has_value());
}

TEST_CASE("DeepseekOCRConfig adds only model_type to the V2 defaults", "[defaults]") {
    const DeepseekOCRConfig ocr{};
    CHECK(static_cast<const DeepseekV2Config&>(ocr) == DeepseekV2Config{});
    // OCR keys default to the released DeepSeek-OCR file's values (tile_tag "2D": static_asserted).
    CHECK(ocr.global_view_pos == GlobalViewPos::head);
    REQUIRE(ocr.candidate_resolutions.size() == 1);
    CHECK(ocr.candidate_resolutions[0] == Resolution{1024, 1024});
    CHECK(ocr.projector_config.input_dim == 2048);
    CHECK(ocr.projector_config.n_embed == 1280);
    CHECK(ocr.projector_config.projector_type == ProjectorType::linear);
    CHECK(ocr.vision_config.model_name == VisionModelName::deeplip_b_l);
    REQUIRE(ocr.vision_config.width.sam_vit_b.has_value());
    CHECK(ocr.vision_config.width.sam_vit_b->width == 768);
    CHECK(ocr.vision_config.width.sam_vit_b->global_attn_indexes.size() == 4);
    REQUIRE(ocr.vision_config.width.clip_l_14_224.has_value());
    CHECK(ocr.vision_config.width.clip_l_14_224->layers == 24);
}

TEST_CASE("A key-less file takes the class defaults", "[defaults]") {
    const auto v2 = parse_config<DeepseekV2Config>(R"({"model_type": "deepseek_v2"})");
    CHECK(v2 == DeepseekV2Config{});
    const auto v3 = parse_config<DeepseekV3Config>(R"({"model_type": "deepseek_v3"})");
    CHECK(v3 == DeepseekV3Config{});
}

} // namespace defaults_test
