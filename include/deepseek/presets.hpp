// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// Presets: `constexpr` configs of released DeepSeek models, with the values of their
// config.json files exactly (a key absent from a file keeps the class default). Standard
// library only, like config.hpp.
#ifndef DEEPSEEK_CONFIG_PRESETS_HPP
#define DEEPSEEK_CONFIG_PRESETS_HPP

#include <array>
#include <string_view>
#include <utility>

#include "any_config.hpp"
#include "config.hpp"
#include "optional.hpp"

namespace deepseek {
namespace presets {
namespace detail {

// Optional fields are assigned a ready-made Optional (std::optional's converting assignment, for
// which these were written, is not constexpr in C++17).
constexpr Optional<std::uint64_t> opt_u64(std::uint64_t v) noexcept { return v; }
constexpr Optional<std::int64_t> opt_i64(std::int64_t v) noexcept { return v; }

/// The `rope_scaling` block shared by V2, V2-Lite (mscale 0.707) and V3 (mscale 1.0): YaRN x40.
constexpr RopeScaling yarn_x40(double mscale) noexcept {
    RopeScaling r{};
    r.type = RopeType::yarn;
    r.factor = 40.0;
    r.original_max_position_embeddings = opt_u64(4096);
    r.beta_fast = Optional<double>(32.0);
    r.beta_slow = Optional<double>(1.0);
    r.mscale = Optional<double>(mscale);
    r.mscale_all_dim = Optional<double>(mscale);
    return r;
}

/// deepseek-ai/DeepSeek-V2-Lite config.json.
constexpr DeepseekV2Config make_v2_lite() noexcept {
    DeepseekV2Config c{};
    c.attention_bias = false;
    c.attention_dropout = 0.0;
    c.aux_loss_alpha = 0.001;
    c.bos_token_id = opt_i64(100000);
    c.eos_token_id = opt_i64(100001);
    c.first_k_dense_replace = 1;
    c.hidden_act = HiddenAct::silu;
    c.hidden_size = 2048;
    c.initializer_range = 0.02;
    c.intermediate_size = 10944;
    c.kv_lora_rank = opt_u64(512);
    c.max_position_embeddings = 163840;
    c.moe_intermediate_size = 1408;
    c.moe_layer_freq = 1;
    c.n_group = opt_u64(1);
    c.n_routed_experts = opt_u64(64);
    c.n_shared_experts = opt_u64(2);
    c.norm_topk_prob = false;
    c.num_attention_heads = 16;
    c.num_experts_per_tok = opt_u64(6);
    c.num_hidden_layers = 27;
    c.num_key_value_heads = 16;
    c.pretraining_tp = 1;
    c.q_lora_rank = {};
    c.qk_nope_head_dim = 128;
    c.qk_rope_head_dim = 64;
    c.rms_norm_eps = 1e-6;
    c.rope_scaling = Optional<RopeScaling>(yarn_x40(0.707));
    c.rope_theta = 10000.0;
    c.routed_scaling_factor = 1.0;
    c.scoring_func = ScoringFunc::softmax;
    c.seq_aux = true;
    c.tie_word_embeddings = false;
    c.topk_group = opt_u64(1);
    c.topk_method = TopkMethod::greedy;
    c.torch_dtype = Optional<TorchDtype>(TorchDtype::bfloat16);
    c.use_cache = true;
    c.v_head_dim = 128;
    c.vocab_size = 102400;
    return c;
}

/// deepseek-ai/DeepSeek-V2 config.json.
constexpr DeepseekV2Config make_v2() noexcept {
    DeepseekV2Config c = make_v2_lite(); // same keys; the values that differ follow
    c.hidden_size = 5120;
    c.intermediate_size = 12288;
    c.moe_intermediate_size = 1536;
    c.n_group = opt_u64(8);
    c.n_routed_experts = opt_u64(160);
    c.n_shared_experts = opt_u64(2);
    c.num_attention_heads = 128;
    c.num_experts_per_tok = opt_u64(6);
    c.num_hidden_layers = 60;
    c.num_key_value_heads = 128;
    c.q_lora_rank = opt_u64(1536);
    c.routed_scaling_factor = 16.0;
    c.topk_group = opt_u64(3);
    c.topk_method = TopkMethod::group_limited_greedy;
    return c;
}

/// deepseek-ai/DeepSeek-V3 config.json.
constexpr DeepseekV3Config make_v3() noexcept {
    DeepseekV3Config c{};
    c.attention_bias = false;
    c.attention_dropout = 0.0;
    c.bos_token_id = opt_i64(0);
    c.eos_token_id = opt_i64(1);
    c.ep_size = 1;
    c.first_k_dense_replace = 3;
    c.hidden_act = HiddenAct::silu;
    c.hidden_size = 7168;
    c.initializer_range = 0.02;
    c.intermediate_size = 18432;
    c.kv_lora_rank = 512;
    c.max_position_embeddings = 163840;
    c.moe_intermediate_size = 2048;
    c.moe_layer_freq = 1;
    c.n_group = opt_u64(8);
    c.n_routed_experts = opt_u64(256);
    c.n_shared_experts = opt_u64(1);
    c.norm_topk_prob = true;
    c.num_attention_heads = 128;
    c.num_experts_per_tok = opt_u64(8);
    c.num_hidden_layers = 61;
    c.num_key_value_heads = 128;
    c.num_nextn_predict_layers = 1;
    c.q_lora_rank = opt_u64(1536);
    c.qk_nope_head_dim = 128;
    c.qk_rope_head_dim = 64;
    QuantizationConfig q{};
    q.activation_scheme = ActivationScheme::dynamic;
    q.fmt = Fp8Format::e4m3;
    q.quant_method = QuantMethod::fp8;
    q.weight_block_size = {128, 128};
    c.quantization_config = Optional<QuantizationConfig>(q);
    c.rms_norm_eps = 1e-6;
    c.rope_scaling = Optional<RopeScaling>(yarn_x40(1.0));
    c.rope_theta = 10000.0;
    c.routed_scaling_factor = 2.5;
    c.scoring_func = ScoringFunc::sigmoid;
    c.tie_word_embeddings = false;
    c.topk_group = opt_u64(4);
    c.topk_method = TopkMethod::noaux_tc;
    c.torch_dtype = Optional<TorchDtype>(TorchDtype::bfloat16);
    c.use_cache = true;
    c.v_head_dim = 128;
    c.vocab_size = 129280;
    return c;
}

/// deepseek-ai/DeepSeek-V3.2 config.json: V3's keys with the DSA indexer's and ue8m0 scales.
constexpr DeepseekV3Config make_v32() noexcept {
    DeepseekV3Config c = make_v3();
    c.index_head_dim = opt_u64(128);
    c.index_n_heads = opt_u64(64);
    c.index_topk = opt_u64(2048);
    QuantizationConfig q = *c.quantization_config;
    q.scale_fmt = Optional<ScaleFormat>(ScaleFormat::ue8m0);
    c.quantization_config = Optional<QuantizationConfig>(q);
    return c;
}

/// deepseek-ai/DeepSeek-OCR config.json (language keys as repeated at its top level).
constexpr DeepseekOCRConfig make_ocr() noexcept {
    DeepseekOCRConfig c{};
    c.bos_token_id = opt_i64(0);
    c.eos_token_id = opt_i64(1);
    c.first_k_dense_replace = 1;
    c.hidden_size = 1280;
    c.intermediate_size = 6848;
    c.kv_lora_rank = {};
    c.max_position_embeddings = 8192;
    c.moe_intermediate_size = 896;
    c.n_group = opt_u64(1);
    c.n_routed_experts = opt_u64(64);
    c.n_shared_experts = opt_u64(2);
    c.num_attention_heads = 10;
    c.num_experts_per_tok = opt_u64(6);
    c.num_hidden_layers = 12;
    c.num_key_value_heads = 10;
    c.q_lora_rank = {};
    c.qk_nope_head_dim = 0;
    c.qk_rope_head_dim = 0;
    c.topk_group = opt_u64(1);
    c.topk_method = TopkMethod::greedy;
    c.torch_dtype = Optional<TorchDtype>(TorchDtype::bfloat16);
    c.use_mla = false;
    c.v_head_dim = 0;
    c.vocab_size = 129280;
    // The OCR keys of the file equal the class defaults (the released values); set for clarity.
    c.candidate_resolutions = FixedVector<Resolution, 64>{{Resolution{1024, 1024}}, 1};
    c.global_view_pos = GlobalViewPos::head;
    c.tile_tag = TileTag::two_d;
    c.projector_config = ProjectorConfig{2048, 1280, ProjectorType::linear};
    c.vision_config.image_size = 1024;
    c.vision_config.mlp_ratio = 3.7362;
    c.vision_config.model_name = VisionModelName::deeplip_b_l;
    c.vision_config.width.clip_l_14_224 = Optional<ClipVisionConfig>(ClipVisionConfig{16, 224, 24, 14, 1024});
    c.vision_config.width.sam_vit_b = Optional<SamVisionConfig>(
        SamVisionConfig{{512, 1024}, FixedVector<std::uint64_t, 32>{{2, 5, 8, 11}, 4}, 12, 12, 768});
    c.vision_config.width.qwen2_0_5b = {};
    return c;
}

/// deepseek-ai/DeepSeek-OCR-2 config.json: DeepSeek-OCR's language model and keys, with the
/// DeepEncoderV2 encoder (SAM ViT-B feeding Qwen2-0.5B, width 896), the class's defaults.
constexpr DeepseekOCR2Config make_ocr2() noexcept {
    DeepseekOCR2Config c{};
    static_cast<DeepseekV2Config&>(c) = static_cast<const DeepseekV2Config&>(make_ocr());
    const DeepseekOCRConfig ocr = make_ocr();
    c.candidate_resolutions = ocr.candidate_resolutions;
    c.global_view_pos = ocr.global_view_pos;
    c.tile_tag = ocr.tile_tag;
    c.projector_config.n_embed = ocr.projector_config.n_embed;
    c.projector_config.projector_type = ocr.projector_config.projector_type;
    c.vision_config.image_size = ocr.vision_config.image_size;
    c.vision_config.mlp_ratio = ocr.vision_config.mlp_ratio;
    c.vision_config.width.sam_vit_b = ocr.vision_config.width.sam_vit_b; // the file keeps OCR's SAM keys
    return c;
}

/// deepseek-ai/deepseek-vl2-tiny config.json: a DeepseekV2 MHA language model in
/// language_config, SigLIP-SO400M/14, the downsample_mlp_gelu projector.
constexpr DeepseekVL2Config make_vl2_tiny() noexcept {
    DeepseekVL2Config c{};
    c.bos_token_id = opt_i64(0);
    c.eos_token_id = opt_i64(1);
    c.first_k_dense_replace = 1;
    c.hidden_size = 1280;
    c.intermediate_size = 6848;
    c.kv_lora_rank = {};
    c.max_position_embeddings = 4096;
    c.moe_intermediate_size = 896;
    c.n_group = opt_u64(1);
    c.n_routed_experts = opt_u64(64);
    c.n_shared_experts = opt_u64(2);
    c.num_attention_heads = 10;
    c.num_experts_per_tok = opt_u64(6);
    c.num_hidden_layers = 12;
    c.num_key_value_heads = 10;
    c.q_lora_rank = {};
    c.qk_nope_head_dim = 0;
    c.qk_rope_head_dim = 0;
    c.topk_group = opt_u64(1);
    c.topk_method = TopkMethod::greedy;
    c.torch_dtype = Optional<TorchDtype>(TorchDtype::bfloat16);
    c.use_mla = false;
    c.v_head_dim = 0;
    c.vocab_size = 129280;
    FixedVector<Resolution, 64> r{};
    for (const Resolution& wh :
         {Resolution{384, 384},  Resolution{384, 768},  Resolution{768, 384},  Resolution{384, 1152},
          Resolution{1152, 384}, Resolution{384, 1536}, Resolution{1536, 384}, Resolution{768, 768},
          Resolution{384, 1920}, Resolution{1920, 384}, Resolution{384, 2304}, Resolution{2304, 384},
          Resolution{768, 1152}, Resolution{1152, 768}, Resolution{384, 2688}, Resolution{2688, 384},
          Resolution{384, 3072}, Resolution{3072, 384}, Resolution{768, 1536}, Resolution{1536, 768},
          Resolution{384, 3456}, Resolution{3456, 384}, Resolution{1152, 1152}})
        (void)r.push_back(wh); // 23 of 64: cannot fail
    c.candidate_resolutions = r;
    c.global_view_pos = GlobalViewPos::head;
    c.tile_tag = TileTag::two_d;
    c.projector_config.n_embed = 1280;
    c.vision_config.layers = 27;
    c.vision_config.mlp_ratio = 3.7362;
    c.vision_config.model_name = VisionModelName::siglip_so400m_patch14_384;
    c.vision_config.patch_size = 14;
    c.vision_config.width = 1152;
    return c;
}

/// The language model of moonshotai/Kimi-K2.5 config.json (its text_config, model_type
/// "kimi_k2"), with the FP8 block quantisation of the Kimi-K2-Instruct release.
constexpr KimiK2Config make_kimi_k2() noexcept {
    KimiK2Config c{};
    c.attention_bias = false;
    c.attention_dropout = 0.0;
    c.aux_loss_alpha = 0.001;
    c.bos_token_id = opt_i64(163584);
    c.eos_token_id = opt_i64(163585);
    c.ep_size = 1;
    c.first_k_dense_replace = 1;
    c.hidden_act = HiddenAct::silu;
    c.hidden_size = 7168;
    c.initializer_range = 0.02;
    c.intermediate_size = 18432;
    c.kv_lora_rank = 512;
    c.max_position_embeddings = 262144;
    c.moe_intermediate_size = 2048;
    c.moe_layer_freq = 1;
    c.n_group = opt_u64(1);
    c.n_routed_experts = opt_u64(384);
    c.n_shared_experts = opt_u64(1);
    c.norm_topk_prob = true;
    c.num_attention_heads = 64;
    c.num_experts_per_tok = opt_u64(8);
    c.num_hidden_layers = 61;
    c.num_key_value_heads = 64;
    c.num_nextn_predict_layers = 0;
    c.pad_token_id = opt_i64(163839);
    c.pretraining_tp = 1;
    c.q_lora_rank = opt_u64(1536);
    c.qk_nope_head_dim = 128;
    c.qk_rope_head_dim = 64;
    QuantizationConfig q{};
    q.activation_scheme = ActivationScheme::dynamic;
    q.fmt = Fp8Format::e4m3;
    q.quant_method = QuantMethod::fp8;
    q.weight_block_size = {128, 128};
    c.quantization_config = Optional<QuantizationConfig>(q);
    c.rms_norm_eps = 1e-5;
    RopeScaling rope = yarn_x40(1.0);
    rope.factor = 64.0;
    c.rope_scaling = Optional<RopeScaling>(rope);
    c.rope_theta = 50000.0;
    c.routed_scaling_factor = 2.827;
    c.scoring_func = ScoringFunc::sigmoid;
    c.seq_aux = true;
    c.tie_word_embeddings = false;
    c.topk_group = opt_u64(1);
    c.topk_method = TopkMethod::noaux_tc;
    c.torch_dtype = Optional<TorchDtype>(TorchDtype::bfloat16);
    c.use_cache = true;
    c.v_head_dim = 128;
    c.vocab_size = 163840;
    return c;
}

/// moonshotai/Kimi-VL-A3B-Instruct config.json: text_config (a DeepseekV3Config without MTP
/// module) and MoonViT's vision_config.
constexpr KimiVLConfig make_kimi_vl_a3b() noexcept {
    KimiVLConfig c{};
    c.attention_bias = false;
    c.attention_dropout = 0.0;
    c.aux_loss_alpha = 0.001;
    c.bos_token_id = opt_i64(163584);
    c.eos_token_id = opt_i64(163585);
    c.ep_size = 1;
    c.first_k_dense_replace = 1;
    c.hidden_act = HiddenAct::silu;
    c.hidden_size = 2048;
    c.initializer_range = 0.02;
    c.intermediate_size = 11264;
    c.kv_lora_rank = 512;
    c.max_position_embeddings = 131072;
    c.moe_intermediate_size = 1408;
    c.moe_layer_freq = 1;
    c.n_group = opt_u64(1);
    c.n_routed_experts = opt_u64(64);
    c.n_shared_experts = opt_u64(2);
    c.norm_topk_prob = true;
    c.num_attention_heads = 16;
    c.num_experts_per_tok = opt_u64(6);
    c.num_hidden_layers = 27;
    c.num_key_value_heads = 16;
    c.pad_token_id = opt_i64(163839);
    c.pretraining_tp = 1;
    c.q_lora_rank = {};
    c.qk_nope_head_dim = 128;
    c.qk_rope_head_dim = 64;
    c.rms_norm_eps = 1e-5;
    c.rope_scaling = {};
    c.rope_theta = 800000.0;
    c.routed_scaling_factor = 2.446;
    c.scoring_func = ScoringFunc::sigmoid;
    c.seq_aux = true;
    c.tie_word_embeddings = false;
    c.topk_group = opt_u64(1);
    c.topk_method = TopkMethod::noaux_tc;
    c.torch_dtype = Optional<TorchDtype>(TorchDtype::bfloat16);
    c.use_cache = true;
    c.v_head_dim = 128;
    c.vocab_size = 163840;
    // vision_config: MoonViT's class defaults are the file's values.
    c.vision_config = MoonViTConfig{14, 64, 64, 16, 27, 1152, 4304, {2, 2}};
    return c;
}

/// DeepSeek-V4's compress_ratios: `first` (the first two layers' ratio), then ratio 4 and 128
/// alternating from layer 2 with the last decoder layer at ratio 4, then 0 for the MTP block.
constexpr FixedVector<std::uint64_t, max_v4_layer_list> v4_ratios(std::uint64_t layers, std::uint64_t first) noexcept {
    FixedVector<std::uint64_t, max_v4_layer_list> r{};
    for (std::uint64_t i = 0; i < layers; ++i) (void)r.push_back(i < 2 ? first : i % 2 == 0 ? 4 : 128);
    (void)r.push_back(0); // the MTP block: sliding window only
    return r;
}

/// The keys DeepSeek-V4-Flash and -Pro share (their config.json files).
constexpr DeepseekV4Config make_v4_common() noexcept {
    DeepseekV4Config c{};
    c.attention_bias = false;
    c.attention_dropout = 0.0;
    c.bos_token_id = opt_i64(0);
    c.eos_token_id = opt_i64(1);
    c.expert_dtype = Optional<ExpertDtype>(ExpertDtype::fp4);
    c.hc_eps = 1e-6;
    c.hc_mult = 4;
    c.hc_sinkhorn_iters = 20;
    c.head_dim = 512;
    c.hidden_act = HiddenAct::silu;
    c.index_head_dim = 128;
    c.index_n_heads = 64;
    c.initializer_range = 0.02;
    c.max_position_embeddings = 1048576;
    c.n_shared_experts = 1;
    c.norm_topk_prob = true;
    c.num_experts_per_tok = 6;
    c.num_hash_layers = opt_u64(3);
    c.num_key_value_heads = 1;
    c.num_nextn_predict_layers = 1;
    c.o_lora_rank = 1024;
    c.qk_rope_head_dim = opt_u64(64);
    QuantizationConfig q{};
    q.scale_fmt = Optional<ScaleFormat>(ScaleFormat::ue8m0);
    c.quantization_config = Optional<QuantizationConfig>(q);
    c.rms_norm_eps = 1e-6;
    RopeScaling yarn{};
    yarn.type = RopeType::yarn;
    yarn.factor = 16.0;
    yarn.original_max_position_embeddings = opt_u64(65536);
    yarn.beta_fast = Optional<double>(32.0);
    yarn.beta_slow = Optional<double>(1.0);
    c.rope_scaling = Optional<RopeScaling>(yarn);
    c.rope_theta = 10000.0;
    c.scoring_func = ScoringFunc::sqrtsoftplus;
    c.sliding_window = 128;
    c.swiglu_limit = 10.0;
    c.tie_word_embeddings = false;
    c.topk_method = Optional<TopkMethod>(TopkMethod::noaux_tc);
    c.torch_dtype = Optional<TorchDtype>(TorchDtype::bfloat16);
    c.use_cache = true;
    c.vocab_size = 129280;
    c.compress_rope_theta = 160000.0;
    return c;
}

/// deepseek-ai/DeepSeek-V4-Flash config.json.
constexpr DeepseekV4Config make_v4_flash() noexcept {
    DeepseekV4Config c = make_v4_common();
    c.hidden_size = 4096;
    c.index_topk = 512;
    c.moe_intermediate_size = 2048;
    c.n_routed_experts = 256;
    c.num_attention_heads = 64;
    c.num_hidden_layers = 43;
    c.o_groups = 8;
    c.q_lora_rank = 1024;
    c.routed_scaling_factor = 1.5;
    c.compress_ratios = Optional<FixedVector<std::uint64_t, max_v4_layer_list>>(v4_ratios(43, 0));
    return c;
}

/// deepseek-ai/DeepSeek-V4-Pro config.json.
constexpr DeepseekV4Config make_v4_pro() noexcept {
    DeepseekV4Config c = make_v4_common();
    c.hidden_size = 7168;
    c.index_topk = 1024;
    c.moe_intermediate_size = 3072;
    c.n_routed_experts = 384;
    c.num_attention_heads = 128;
    c.num_hidden_layers = 61;
    c.o_groups = 16;
    c.q_lora_rank = 1536;
    c.routed_scaling_factor = 2.5;
    c.compress_ratios = Optional<FixedVector<std::uint64_t, max_v4_layer_list>>(v4_ratios(61, 128));
    return c;
}

} // namespace detail

/// DeepSeek-V4-Flash (284B total, 13B activated; FP4 routed experts, FP8 elsewhere),
/// `deepseek-ai/DeepSeek-V4-Flash`.
inline constexpr DeepseekV4Config deepseek_v4_flash = detail::make_v4_flash();
/// DeepSeek-V4-Pro (1.6T total, 49B activated; FP4 routed experts, FP8 elsewhere),
/// `deepseek-ai/DeepSeek-V4-Pro`.
inline constexpr DeepseekV4Config deepseek_v4_pro = detail::make_v4_pro();

/// DeepSeek-V2-Lite (15.7B total, 2.4B activated), `deepseek-ai/DeepSeek-V2-Lite`.
inline constexpr DeepseekV2Config deepseek_v2_lite = detail::make_v2_lite();
/// DeepSeek-V2 (236B total, 21B activated), `deepseek-ai/DeepSeek-V2`.
inline constexpr DeepseekV2Config deepseek_v2 = detail::make_v2();
/// DeepSeek-V3 (671B + 14B MTP, FP8 block-128 weights), `deepseek-ai/DeepSeek-V3`.
inline constexpr DeepseekV3Config deepseek_v3 = detail::make_v3();
/// DeepSeek-V3.2 (V3 with the DSA sparse-attention indexer; 685B with MTP),
/// `deepseek-ai/DeepSeek-V3.2`. A DeepseekV3Config: the file's model_type is "deepseek_v32".
inline constexpr DeepseekV3Config deepseek_v32 = detail::make_v32();
/// DeepSeek-OCR (3B MoE decoder with MHA + 401M DeepEncoder), `deepseek-ai/DeepSeek-OCR`.
inline constexpr DeepseekOCRConfig deepseek_ocr = detail::make_ocr();
/// DeepSeek-OCR-2 (DeepSeek-OCR's 3B MoE decoder + 454M DeepEncoderV2), `deepseek-ai/DeepSeek-OCR-2`.
inline constexpr DeepseekOCR2Config deepseek_ocr2 = detail::make_ocr2();
/// DeepSeek-VL2-Tiny (3.37B: a 3B MoE decoder with MHA + SigLIP-SO400M), `deepseek-ai/deepseek-vl2-tiny`.
inline constexpr DeepseekVL2Config deepseek_vl2_tiny = detail::make_vl2_tiny();
/// Kimi-K2 (1T total, 32B activated, FP8 block-128 weights) as released in
/// `moonshotai/Kimi-K2-Instruct-0905` (262,144 positions, YaRN x64, rope_theta 50,000): the shape
/// of Kimi-K2.5's language model, whose text_config gives every value here. (The first
/// Kimi-K2-Instruct file has 131,072 positions and YaRN x32; no figure here depends on that.)
inline constexpr KimiK2Config kimi_k2 = detail::make_kimi_k2();
/// Kimi-VL-A3B (16B total, 3B activated, with MoonViT), `moonshotai/Kimi-VL-A3B-Instruct`.
inline constexpr KimiVLConfig kimi_vl_a3b = detail::make_kimi_vl_a3b();

/// The presets by name, for tools: "deepseek-v2-lite", "deepseek-v2", "deepseek-v3",
/// "deepseek-v3.2", "deepseek-ocr", "deepseek-ocr-2", "deepseek-vl2-tiny", "kimi-k2", "kimi-vl-a3b",
/// "deepseek-v4-flash", "deepseek-v4-pro" (the Hugging Face repository names, lower case and
/// shortened).
inline constexpr std::array<std::string_view, 11> names{
    "deepseek-v2-lite",  "deepseek-v2", "deepseek-v3", "deepseek-v3.2",     "deepseek-ocr",   "deepseek-ocr-2",
    "deepseek-vl2-tiny", "kimi-k2",     "kimi-vl-a3b", "deepseek-v4-flash", "deepseek-v4-pro"};

/// The preset called `name` (one of `names`), or nullopt.
template <class... Deferred> [[nodiscard]] Optional<AnyConfig> find(std::string_view name) {
    if (name == "deepseek-v2-lite") return AnyConfig{std::in_place_type<DeepseekV2Config>, deepseek_v2_lite};
    if (name == "deepseek-v2") return AnyConfig{std::in_place_type<DeepseekV2Config>, deepseek_v2};
    if (name == "deepseek-v3") return AnyConfig{std::in_place_type<DeepseekV3Config>, deepseek_v3};
    if (name == "deepseek-v3.2") return AnyConfig{std::in_place_type<DeepseekV3Config>, deepseek_v32};
    if (name == "deepseek-ocr") return AnyConfig{std::in_place_type<DeepseekOCRConfig>, deepseek_ocr};
    if (name == "deepseek-ocr-2") return AnyConfig{std::in_place_type<DeepseekOCR2Config>, deepseek_ocr2};
    if (name == "deepseek-vl2-tiny") return AnyConfig{std::in_place_type<DeepseekVL2Config>, deepseek_vl2_tiny};
    if (name == "kimi-k2") return AnyConfig{std::in_place_type<KimiK2Config>, kimi_k2};
    if (name == "kimi-vl-a3b") return AnyConfig{std::in_place_type<KimiVLConfig>, kimi_vl_a3b};
    if (name == "deepseek-v4-flash") return AnyConfig{std::in_place_type<DeepseekV4Config>, deepseek_v4_flash};
    if (name == "deepseek-v4-pro") return AnyConfig{std::in_place_type<DeepseekV4Config>, deepseek_v4_pro};
    return std::nullopt;
}

} // namespace presets
} // namespace deepseek

#endif // DEEPSEEK_CONFIG_PRESETS_HPP
