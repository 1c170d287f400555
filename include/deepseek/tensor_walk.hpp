// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// One description of the model: `for_each_tensor` walks every tensor of the released checkpoint
// (name pieces, shape, storage class, tensor-parallel split). Every count of memory.hpp, and the
// run-time manifest of tensors.hpp, is a sum over that walk, so each shape is written once, next
// to its Hugging Face name. `constexpr`, standard library only.
#ifndef DEEPSEEK_CONFIG_TENSOR_WALK_HPP
#define DEEPSEEK_CONFIG_TENSOR_WALK_HPP

#include <cstdint>
#include <string_view>
#include <type_traits>

#include "config.hpp"
#include "detail/kimi_vl_vision_walk.hpp"
#include "detail/ocr_vision_walk.hpp"
#include "detail/v4_walk.hpp"
#include "detail/vl2_vision_walk.hpp"
#include "dtypes.hpp"
#include "optional.hpp"
#include "overflow.hpp"
#include "tensor_spec.hpp"
#include "wrappers.hpp"

namespace deepseek {

/// Whether decoder layer `index` is MoE: n_routed_experts set, index >= first_k_dense_replace
/// and index % moe_layer_freq == 0 (DeepSeek's remote-code rule; moe_layer_freq 0 means none).
/// detail::mlp_alike reads its runs off this rule: change the two together.
template <class C> [[nodiscard]] constexpr bool is_moe_layer(const C& c, std::uint64_t index) noexcept {
    detail::require_config<C>();
    if constexpr (std::is_same_v<C, DeepseekV4Config>)
        return (void)c, (void)index, true; // MoE on every layer
    else
        return c.n_routed_experts.has_value() && index >= c.first_k_dense_replace && c.moe_layer_freq != 0 &&
               index % c.moe_layer_freq == 0;
}

/// Decoder layers that are MoE (is_moe_layer), MTP modules excluded: the multiples of
/// moe_layer_freq in [first_k_dense_replace, num_hidden_layers), counted without a loop.
template <class C> [[nodiscard]] constexpr std::uint64_t moe_layer_count(const C& c) noexcept {
    detail::require_config<C>();
    if constexpr (std::is_same_v<C, DeepseekV4Config>) {
        return c.num_hidden_layers; // MoE on every layer
    } else {
        if (!c.n_routed_experts.has_value() || c.moe_layer_freq == 0 || c.first_k_dense_replace >= c.num_hidden_layers)
            return 0;
        return detail::ceil_div(c.num_hidden_layers, c.moe_layer_freq) -
               detail::ceil_div(c.first_k_dense_replace, c.moe_layer_freq);
    }
}

/// Decoder layers with a dense MLP: num_hidden_layers - moe_layer_count (MTP modules excluded).
template <class C> [[nodiscard]] constexpr std::uint64_t dense_layer_count(const C& c) noexcept {
    return c.num_hidden_layers - moe_layer_count(c);
}

/// Multi-token-prediction modules stored after the decoder layers: V3's
/// num_nextn_predict_layers; 0 for V2 and OCR configs.
template <class C> [[nodiscard]] constexpr std::uint64_t mtp_layer_count(const C& c) noexcept {
    detail::require_config<C>();
    return detail::mtp_layers_of(c);
}

/// Whether any decoder layer is MoE.
template <class C> [[nodiscard]] constexpr bool is_moe(const C& c) noexcept { return moe_layer_count(c) != 0; }

namespace detail {
/// Where a summed walk's run of decoder layers from `index` must end (below `end`): where a
/// quantisation's exclusions change.
template <class C> constexpr std::uint64_t quantization_runs_until(const C& c, std::uint64_t index, std::uint64_t end) {
    if constexpr (std::is_base_of_v<DeepseekV3Config, C>) {
        // DeepSeek's FP8 treats every layer alike; only a format read from the files can differ.
        if (c.weight_quantization.has_value()) return c.weight_quantization->alike_until(index, end);
    }
    (void)c, (void)index;
    return end;
}

/// How many layers from `index` on (below `end`) have an MLP like layer `index`'s: both MoE or
/// both dense (an MTP module is MoE like the main MoE layers). Read off is_moe_layer's rule
/// rather than asking it layer by layer: the kind can change only at first_k_dense_replace and,
/// with moe_layer_freq > 1, between any two layers from first_k_dense_replace on (runs of one
/// layer there: correct, if not the longest); runs end where a quantisation's exclusions change.
template <class C> constexpr std::uint64_t mlp_alike(const C& c, std::uint64_t index, std::uint64_t end) {
    std::uint64_t stop = end;
    if (index < c.first_k_dense_replace) {
        if (c.first_k_dense_replace < stop) stop = c.first_k_dense_replace;
    } else if (c.moe_layer_freq > 1) {
        stop = index + 1;
    }
    return quantization_runs_until(c, index, stop) - index;
}
} // namespace detail

/// Head dim of non-MLA attention: hidden_size / num_attention_heads (0 when there are no heads).
template <class C> [[nodiscard]] constexpr std::uint64_t mha_head_dim(const C& c) noexcept {
    detail::require_config<C>();
    return c.num_attention_heads == 0 ? 0 : c.hidden_size / c.num_attention_heads;
}

namespace detail {
/// The KV heads one of `tp` GPUs holds without MLA, as vLLM's and SGLang's QKVParallelLinear
/// split them: kv / tp when tp divides them, one (a copy) when they divide tp, 0 when neither.
template <class C> constexpr std::uint64_t mha_kv_heads_per_gpu(const C& c, std::uint64_t tp) noexcept {
    const std::uint64_t kv = c.num_key_value_heads;
    if (tp == 0 || kv == 0) return 0;
    if (kv >= tp) return kv % tp == 0 ? kv / tp : 0;
    return tp % kv == 0 ? 1 : 0;
}
} // namespace detail

/// Whether the vision encoder of the model is counted. False for an OCR config naming an
/// encoder its type does not build: a DeepseekOCRConfig whose model_name is not deeplip_b_l, a
/// DeepseekOCR2Config whose model_name is not deepencoderv2 or that has no `qwen2-0-5b` tower
/// (its width shapes the whole encoder); for a DeepSeek-VL2 config whose tile_tag is "1D" (its
/// tile indicators are not modelled). Their figures cover the language model alone. Models without vision return true
/// (there is nothing to model).
template <class C> [[nodiscard]] constexpr bool vision_modelled(const C& c) noexcept {
    detail::require_config<C>();
    if constexpr (std::is_same_v<C, DeepseekVL2Config>) {
        return c.tile_tag == TileTag::two_d;
    } else if constexpr (std::is_same_v<C, DeepseekOCR2Config>) {
        return c.vision_config.model_name == VisionModelName::deepencoderv2 &&
               c.vision_config.width.qwen2_0_5b.has_value();
    } else if constexpr (std::is_same_v<C, DeepseekOCRConfig>) {
        return c.vision_config.model_name == VisionModelName::deeplip_b_l;
    } else {
        (void)c;
        return true;
    }
}

/// Whether the stored dtypes of the checkpoint are known: false when `quantization_config` names a
/// method other than DeepSeek's FP8 whose format was not read into `weight_quantization` (AWQ,
/// GPTQ, a ModelOpt algorithm other than NVFP4, compressed-tensors other than INT4
/// pack-quantized...), and for DeepSeek-V4 any method but DeepSeek's FP8, SGLang's `deepseek_ref`
/// repack and a checkpoint with the DSpark draft module. Parameter counts, the KV cache and
/// weights at a uniform dtype do not depend on it; the checkpoint's bytes, the weights as released and the stored
/// tensors' dtypes do, and are then not given.
template <class C> [[nodiscard]] constexpr bool quantization_modelled(const C& c) noexcept {
    detail::require_config<C>();
    if constexpr (std::is_same_v<C, DeepseekV4Config>) {
        // DeepSeek-V4: its own FP8 / FP4 release, or weights at torch_dtype; not SGLang's repack
        // nor a checkpoint with the DSpark draft module (their tensors are not modelled).
        return !c.sglang_ref_format && !c.dspark && !c.modelopt_unread &&
               (c.weight_quantization.has_value() || !c.quantization_config || detail::uses_deepseek_fp8(c));
    } else if constexpr (std::is_base_of_v<DeepseekV3Config, C>) {
        return c.weight_quantization.has_value() || !c.quantization_config || detail::uses_deepseek_fp8(c);
    } else {
        (void)c;
        return true;
    }
}

/// Whether the model has DeepSeek-V3.2's sparse-attention (DSA) indexer: a V3 config with
/// `index_n_heads` set (validation then requires index_head_dim and q_lora_rank).
template <class C> [[nodiscard]] constexpr bool has_indexer(const C& c) noexcept {
    detail::require_config<C>();
    if constexpr (std::is_base_of_v<DeepseekV3Config, C>) {
        return c.index_n_heads.has_value();
    } else {
        (void)c;
        return false;
    }
}

/// How config type `C`'s checkpoint stores the noaux_tc router bias
/// `mlp.gate.e_score_correction_bias`: float32 (`Storage::fp32`) in DeepSeek-V3/R1 and Kimi-K2;
/// at the model dtype (bf16) in DeepSeek-VL2 and Kimi-VL, whose recorded checkpoint sizes
/// (54,960,268,496 and 32,815,315,552 bytes) hold it so. Other types keep float32 (Kimi-K2.5's
/// is not verified).
template <class C> [[nodiscard]] constexpr Storage router_bias_storage() noexcept {
    if constexpr (std::is_same_v<C, DeepseekVL2Config> || std::is_same_v<C, KimiVLConfig>)
        return Storage::model;
    else
        return Storage::fp32;
}

/// Whether config type `C`'s checkpoint stores a rotary `self_attn.rotary_emb.inv_freq` buffer
/// in every decoder layer (MTP modules excepted): Kimi-K2's and Kimi-VL's exporter writes
/// Llama's, [(hidden_size / num_attention_heads) / 2] at the model dtype. DeepSeek's checkpoints
/// store none; Kimi-K2.5's originals are not verified, so KimiK25Config counts none.
template <class C> [[nodiscard]] constexpr bool stores_rotary_inv_freq() noexcept {
    return std::is_same_v<C, KimiK2Config> || std::is_same_v<C, KimiVLConfig>;
}

namespace detail {
/// How many layers from `index` on (below `end`) have attention like layer `index`'s: every
/// decoder layer and MTP module has the same attention, unless a quantisation's exclusions
/// differ, or the checkpoint stores a rotary buffer in decoder layers only
/// (stores_rotary_inv_freq). The sums visit such a run once.
template <class C> constexpr std::uint64_t attention_alike(const C& c, std::uint64_t index, std::uint64_t end) {
    std::uint64_t stop = end;
    if (stores_rotary_inv_freq<C>() && index < c.num_hidden_layers) stop = c.num_hidden_layers;
    return quantization_runs_until(c, index, stop) - index;
}

/// DeepSeek-V3.2's DSA indexer of one layer, MTP layers included (DeepSeek's `Indexer`, built by
/// every MLA block). Its query is read from the q latent (width r_q), its one key and the
/// per-head weights from the hidden state. Nothing in it is split under tensor parallelism.
/// wq_b and wk are FP8 with block scales in an FP8 checkpoint; weights_proj is created in the
/// default dtype (bf16, never FP8); k_norm is a LayerNorm (weight and bias) kept in float32.
template <class V>
constexpr void visit_indexer(Emitter<V>& e, const DeepseekV3Config& c, std::uint64_t r_q, const char* what) {
    const std::uint64_t H = c.hidden_size;
    const std::uint64_t n_i = value_or_zero(c.index_n_heads);
    const std::uint64_t d_i = value_or_zero(c.index_head_dim);
    e.linear(LinearKind::indexer_wq_b, checked_mul(n_i, d_i, what), r_q, Part::indexer, Split::replicated);
    e.linear(LinearKind::indexer_wk, d_i, H, Part::indexer, Split::replicated);
    e.tensor("self_attn.indexer.k_norm.weight", shape1(d_i), Part::indexer, Split::replicated, Storage::fp32);
    e.tensor("self_attn.indexer.k_norm.bias", shape1(d_i), Part::indexer, Split::replicated, Storage::fp32);
    e.linear(LinearKind::indexer_weights_proj, n_i, H, Part::indexer, Split::replicated);
}

/// The attention of a decoder layer (norms around it, the indexer and stored buffers included).
template <class C, class V> constexpr void visit_attention(Emitter<V>& e, const C& c, bool mtp) {
    const std::uint64_t H = c.hidden_size;
    const std::uint64_t n_h = c.num_attention_heads;
    const char* const what = "layer shape";

    e.tensor("input_layernorm.weight", shape1(H), Part::norm);

    if (uses_mla(c)) {
        const std::uint64_t r_q = detail::value_or_zero(c.q_lora_rank);
        const std::uint64_t r_kv = detail::value_or_zero(c.kv_lora_rank);
        const std::uint64_t d_n = c.qk_nope_head_dim, d_r = c.qk_rope_head_dim, d_v = c.v_head_dim;
        const std::uint64_t q_out = detail::checked_mul(n_h, detail::checked_add(d_n, d_r, what), what);
        if (r_q != 0) {
            // Low-rank query: q_a_proj [r_q, H], its RMSNorm, q_b_proj [n_h d_qk, r_q].
            e.linear(LinearKind::q_a_proj, r_q, H, Part::attention, Split::replicated);
            if (c.attention_bias) e.tensor("self_attn.q_a_proj.bias", shape1(r_q), Part::attention);
            e.tensor("self_attn.q_a_layernorm.weight", shape1(r_q), Part::attention);
            e.linear(LinearKind::q_b_proj, q_out, r_q, Part::attention, Split::rows);
        } else {
            // q_lora_rank null or 0: one q_proj [n_h d_qk, H], never with a bias.
            e.linear(LinearKind::q_proj, q_out, H, Part::attention, Split::rows);
        }
        // Joint KV down-projection: the latent (r_kv) plus the shared rope key (d_r).
        const std::uint64_t kv_a_out = detail::checked_add(r_kv, d_r, what);
        e.linear(LinearKind::kv_a_proj, kv_a_out, H, Part::attention, Split::replicated);
        if (c.attention_bias) e.tensor("self_attn.kv_a_proj_with_mqa.bias", shape1(kv_a_out), Part::attention);
        e.tensor("self_attn.kv_a_layernorm.weight", shape1(r_kv), Part::attention);
        // Up-projection of the latent to per-head K-nope and V.
        e.linear(LinearKind::kv_b_proj, detail::checked_mul(n_h, detail::checked_add(d_n, d_v, what), what), r_kv,
                 Part::attention, Split::rows);
        e.linear(LinearKind::o_proj, H, detail::checked_mul(n_h, d_v, what), Part::attention, Split::cols);
        if (c.attention_bias) e.tensor("self_attn.o_proj.bias", shape1(H), Part::attention);
        if constexpr (std::is_base_of_v<DeepseekV3Config, C>) {
            if (has_indexer(c)) visit_indexer(e, c, r_q, what);
        }
    } else {
        // use_mla false: Llama attention, head_dim = H / n_h, K/V with n_kv heads; with
        // attention_bias every one of q, k, v, o has a bias.
        const std::uint64_t hd = mha_head_dim(c);
        const std::uint64_t q_out = detail::checked_mul(n_h, hd, what);
        const std::uint64_t kv_out = detail::checked_mul(c.num_key_value_heads, hd, what);
        e.linear(LinearKind::q_proj, q_out, H, Part::attention, Split::rows);
        if (c.attention_bias) e.tensor("self_attn.q_proj.bias", shape1(q_out), Part::attention, Split::rows);
        e.linear(LinearKind::k_proj, kv_out, H, Part::attention, Split::rows);
        if (c.attention_bias) e.tensor("self_attn.k_proj.bias", shape1(kv_out), Part::attention, Split::rows);
        e.linear(LinearKind::v_proj, kv_out, H, Part::attention, Split::rows);
        if (c.attention_bias) e.tensor("self_attn.v_proj.bias", shape1(kv_out), Part::attention, Split::rows);
        e.linear(LinearKind::o_proj, H, q_out, Part::attention, Split::cols);
        if (c.attention_bias) e.tensor("self_attn.o_proj.bias", shape1(H), Part::attention);
    }

    // A stored buffer, not a parameter: Llama's rotary inv_freq (see stores_rotary_inv_freq).
    if (stores_rotary_inv_freq<C>() && !mtp)
        e.tensor("self_attn.rotary_emb.inv_freq", shape1(mha_head_dim(c) / 2), Part::buffer);

    e.tensor("post_attention_layernorm.weight", shape1(H), Part::norm);
}

/// The MLP of decoder layer `index`: MoE (router, routed and shared experts) or dense.
template <class C, class V> constexpr void visit_mlp(Emitter<V>& e, const C& c, std::uint64_t index) {
    const std::uint64_t H = c.hidden_size;
    const char* const what = "layer shape";

    if (is_moe_layer(c, index)) {
        const std::uint64_t E = *c.n_routed_experts;
        const std::uint64_t I_e = c.moe_intermediate_size;
        // Router: gate.weight [E, H]; noaux_tc adds e_score_correction_bias [E] (router_bias_storage).
        e.tensor("mlp.gate.weight", shape2(E, H), Part::router);
        if (c.topk_method == TopkMethod::noaux_tc)
            e.tensor("mlp.gate.e_score_correction_bias", shape1(E), Part::router, Split::replicated,
                     router_bias_storage<C>());
        // E routed experts, each a SwiGLU MLP of width I_e.
        e.linear(LinearKind::expert_gate, I_e, H, Part::routed_experts, Split::experts, E);
        e.linear(LinearKind::expert_up, I_e, H, Part::routed_experts, Split::experts, E);
        e.linear(LinearKind::expert_down, H, I_e, Part::routed_experts, Split::experts, E);
        // The shared experts are ONE SwiGLU MLP of width n_shared_experts * I_e.
        const std::uint64_t S = detail::value_or_zero(c.n_shared_experts);
        if (S != 0) {
            const std::uint64_t width = detail::checked_mul(S, I_e, what);
            e.linear(LinearKind::shared_gate, width, H, Part::shared_experts, Split::rows);
            e.linear(LinearKind::shared_up, width, H, Part::shared_experts, Split::rows);
            e.linear(LinearKind::shared_down, H, width, Part::shared_experts, Split::cols);
        }
    } else {
        // Dense SwiGLU MLP of width intermediate_size: 3 H I.
        const std::uint64_t I = c.intermediate_size;
        e.linear(LinearKind::mlp_gate, I, H, Part::dense_mlp, Split::rows);
        e.linear(LinearKind::mlp_up, I, H, Part::dense_mlp, Split::rows);
        e.linear(LinearKind::mlp_down, H, I, Part::dense_mlp, Split::cols);
    }
}

/// What an MTP module adds to a decoder layer.
template <class C, class V> constexpr void visit_mtp_extras(Emitter<V>& e, const C& c) {
    const std::uint64_t H = c.hidden_size;
    const char* const what = "layer shape";
    // V3 MTP module extras: norms of the embedding and of the hidden state, the projection
    // of their concatenation [H, 2H] (bf16, not FP8), the shared head's norm, and the
    // stored second copies of embed_tokens and of the output head.
    e.tensor("enorm.weight", shape1(H), Part::norm);
    e.tensor("hnorm.weight", shape1(H), Part::norm);
    e.linear(LinearKind::eh_proj, H, detail::checked_mul(2, H, what), Part::mtp_projection, Split::replicated);
    e.tensor("shared_head.norm.weight", shape1(H), Part::norm);
    e.tensor("embed_tokens.weight", shape2(c.vocab_size, H), Part::embedding, Split::rows);
    e.linear(LinearKind::mtp_head, c.vocab_size, H, Part::lm_head, Split::rows);
}

/// The tensors of decoder layer `index` in `parts`, each standing for `layers` identical layers
/// (from `index` on: those at or after num_hidden_layers are MTP modules).
template <class C, class V> constexpr void visit_layer(const C& c, std::uint64_t index, V& visit, std::uint64_t layers,
                                                       const Optional<WeightQuantization>& quant,
                                                       unsigned parts = all_parts) {
    const bool mtp = index >= c.num_hidden_layers;
    Emitter<V> e{visit, quant, "model.layers.", index, mtp, layers};
    e.spec.root = deepseek::language_model_prefix<C>();
    if (!mtp && index + layers > c.num_hidden_layers) e.spec.mtp_layers = index + layers - c.num_hidden_layers;
    if ((parts & attention_part) != 0) visit_attention(e, c, mtp);
    if ((parts & mlp_part) != 0) visit_mlp(e, c, index);
    if (mtp && (parts & mtp_part) != 0) visit_mtp_extras(e, c);
}
} // namespace detail

/// Visits every tensor of decoder layer `index` (index >= num_hidden_layers: a V3 MTP module).
template <class C, class V> constexpr void for_each_layer_tensor(const C& c, std::uint64_t index, V&& visit) {
    detail::require_config<C>();
    if constexpr (std::is_same_v<C, DeepseekV4Config>) {
        detail::visit_v4_layer(c, index, visit);
    } else {
        Optional<WeightQuantization> own;
        detail::visit_layer(c, index, visit, 1, detail::walk_quantization(c, own));
    }
}

namespace detail {
template <class C, class V> constexpr void visit_v2_v3_model(const C& c, V& visit, bool group_layers);

/// Visits the model's tensors. With `group_layers`, each part of a decoder layer (attention,
/// MLP, MTP extras) is visited once for a run of layers alike for it, with `TensorSpec::layers`
/// = its length (and `mtp_layers` the MTP modules among them): the sums are the same and cost a
/// few layers instead of all of them.
template <class C, class V> constexpr void visit_model(const C& c, V&& visit, bool group_layers) {
    if constexpr (std::is_same_v<C, DeepseekV4Config>) {
        visit_v4_model(c, visit, group_layers); // its own names and structure: detail/v4_walk.hpp
    } else {
        visit_v2_v3_model(c, visit, group_layers);
    }
}

/// visit_model for the V2 and V3 families (and their wrappers).
template <class C, class V> constexpr void visit_v2_v3_model(const C& c, V& visit, bool group_layers) {
    Optional<WeightQuantization> own;
    const Optional<WeightQuantization>& quant = walk_quantization(c, own);
    Emitter<V> root{visit, quant, {}, no_block, false};
    root.spec.root = deepseek::language_model_prefix<C>();
    root.tensor("model.embed_tokens.weight", shape2(c.vocab_size, c.hidden_size), Part::embedding, Split::rows);
    const std::uint64_t layers = checked_add(c.num_hidden_layers, mtp_layers_of(c), "layer count");
    if (!group_layers) {
        for (std::uint64_t i = 0; i < layers; ++i) visit_layer(c, i, visit, 1, quant);
    } else {
        // Each part of a layer in runs of layers alike for it: V3's attention in one run of all
        // 61 layers and the MTP module, its MLPs in two (dense, MoE with the MTP module's).
        for (std::uint64_t i = 0, run = 0; i < layers; i += run) {
            run = attention_alike(c, i, layers);
            visit_layer(c, i, visit, run, quant, attention_part);
        }
        for (std::uint64_t i = 0, run = 0; i < layers; i += run) {
            run = mlp_alike(c, i, layers);
            visit_layer(c, i, visit, run, quant, mlp_part);
        }
        for (std::uint64_t i = c.num_hidden_layers, run = 0; i < layers; i += run) {
            run = quantization_runs_until(c, i, layers) - i;
            visit_layer(c, i, visit, run, quant, mtp_part);
        }
    }
    root.tensor("model.norm.weight", detail::shape1(c.hidden_size), Part::norm);
    if (!c.tie_word_embeddings)
        root.linear(LinearKind::lm_head, c.vocab_size, c.hidden_size, Part::lm_head, Split::rows);
    if constexpr (std::is_same_v<C, DeepseekOCRConfig>) {
        if (vision_modelled(c)) for_each_ocr_vision_tensor(c, visit, group_layers);
    } else if constexpr (std::is_same_v<C, DeepseekOCR2Config>) {
        if (vision_modelled(c)) for_each_ocr2_vision_tensor(c, visit, group_layers);
    } else if constexpr (std::is_same_v<C, DeepseekVL2Config>) {
        if (vision_modelled(c)) for_each_vl2_vision_tensor(c, visit, group_layers);
    } else if constexpr (std::is_same_v<C, KimiVLConfig> || std::is_same_v<C, KimiK25Config>) {
        for_each_moonvit_tensor(c, visit, group_layers);
    }
}

/// The tensors for sums: identical decoder layers grouped (see visit_model).
template <class C, class V> constexpr void for_each_tensor_summed(const C& c, V&& visit) {
    visit_model(c, visit, true);
}
} // namespace detail

/// Visits every tensor of the released checkpoint: embedding, decoder layers, V3 MTP modules,
/// final norm, output head (absent when tied), FP8 scales, stored buffers (Kimi's rotary
/// inv_freq), and the vision encoder of OCR, OCR-2, VL2 and Kimi-VL.
template <class C, class V> constexpr void for_each_tensor(const C& c, V&& visit) {
    detail::require_config<C>();
    detail::visit_model(c, visit, false);
}

/// The dtype of the tensors of a storage class: float32 for `Storage::fp32`; FP8
/// (quantization_config.fmt) for `fp8_linear`; the fixed type of a quantised format's
/// storage class (uint8, fp8 e4m3, int32, int64); otherwise torch_dtype, and bf16 when
/// torch_dtype is unset (every DeepSeek release is bf16).
template <class C> [[nodiscard]] constexpr Dtype storage_dtype(const C& c, Storage storage) noexcept {
    detail::require_config<C>();
    switch (storage) {
    case Storage::model: break;
    case Storage::fp32: return Dtype::fp32;
    case Storage::fp8_linear:
        // Only DeepSeek's FP8 (quantization_config) stores fp8_linear tensors; and DeepSeek-V4's
        // tensors that a ModelOpt checkpoint keeps as released (e4m3).
        if constexpr (std::is_base_of_v<DeepseekV3Config, C> || std::is_same_v<C, DeepseekV4Config>) {
            if (detail::uses_deepseek_fp8(c))
                return c.quantization_config->fmt == Fp8Format::e5m2 ? Dtype::fp8_e5m2 : Dtype::fp8;
        }
        if constexpr (std::is_same_v<C, DeepseekV4Config>) {
            if (c.weight_quantization) return Dtype::fp8;
        }
        break;
    case Storage::uint8: return Dtype::uint8;
    case Storage::fp8_e4m3: return Dtype::fp8;
    case Storage::int32: return Dtype::int32;
    case Storage::int64: return Dtype::int64;
    case Storage::int8: return Dtype::int8;
    case Storage::fp8_e8m0: return Dtype::fp8_e8m0;
    }
    return model_dtype(c);
}

/// The dtype a tensor is stored in: that of its storage class (see above).
template <class C> [[nodiscard]] constexpr Dtype storage_dtype(const C& c, const TensorSpec& t) noexcept {
    return storage_dtype(c, t.storage);
}

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_TENSOR_WALK_HPP
