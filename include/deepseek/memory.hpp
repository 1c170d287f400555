// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// Parameter counts, checkpoint bytes, per-rank weights, KV-cache bytes and context budgets,
// all `constexpr` over the config types of config.hpp. Standard library only. Every count here is
// a sum over the one tensor walk of tensor_walk.hpp.
//
// Arithmetic is std::uint64_t and checked, and never wraps: an overflow in a constant expression
// fails to compile. At run time the functions that return a SizeResult return it as the error
// MemoryError::overflow; those that return a plain number throw `deepseek::ArithmeticOverflow`
// (an Error; built without exceptions they call the handler set by `set_overflow_handler`).
#ifndef DEEPSEEK_CONFIG_MEMORY_HPP
#define DEEPSEEK_CONFIG_MEMORY_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "config.hpp"
#include "dtypes.hpp"
#include "optional.hpp"
#include "overflow.hpp"
#include "tensor_spec.hpp"
#include "tensor_walk.hpp"

namespace deepseek {

// ---------------------------------------------------------------------------------------------
// Parameter counts.
// ---------------------------------------------------------------------------------------------

/// Parameters by component, in elements. `total` is the released checkpoint's main model (OCR:
/// with the vision encoder) without MTP modules and FP8 scales; `mtp` is the V3 MTP modules as
/// stored (with their copies of embed_tokens and the head); `active` follows DeepSeek: all
/// attention (the V3.2 indexer included) and norms, dense MLPs, per MoE layer the router, shared
/// experts and num_experts_per_tok routed experts, the final norm and the output head; not the
/// input embedding, vision or MTP. With tie_word_embeddings the one shared matrix is the output
/// head, so it counts as active. `vision_modelled` false means `vision` is 0 and `total` covers
/// the language model only.
struct ParamBreakdown {
    std::uint64_t embedding = 0;         ///< model.embed_tokens [V, H]
    std::uint64_t lm_head = 0;           ///< lm_head [V, H]; 0 when tied
    std::uint64_t attention = 0;         ///< all self_attn tensors, q_a/kv_a norms included
    std::uint64_t dense_mlp = 0;         ///< dense layers' MLPs, 3 H I each
    std::uint64_t router = 0;            ///< mlp.gate [E, H] (+ e_score_correction_bias [E])
    std::uint64_t routed_experts = 0;    ///< E x 3 H I_e per MoE layer
    std::uint64_t shared_experts = 0;    ///< 3 H (S I_e) per MoE layer
    std::uint64_t norms = 0;             ///< two RMSNorms per layer + the final norm
    std::uint64_t indexer = 0;           ///< V3.2's DSA indexer, every decoder layer (MTP apart)
    std::uint64_t vision = 0;            ///< vision encoder, projector and separators (OCR, OCR-2, VL2, Kimi)
    std::uint64_t hyper_connections = 0; ///< DeepSeek-V4's mHC mixing weights (hc_*), MTP apart
    std::uint64_t mtp = 0;               ///< V3 MTP modules as stored
    std::uint64_t total = 0;             ///< sum of the fields above except mtp
    std::uint64_t active = 0;            ///< activated per token, DeepSeek's convention
    bool vision_modelled = true;         ///< false: the vision encoder is not counted
};

namespace detail {
/// Sums tensors into a ParamBreakdown. A tensor adds its elements to one running sum, that of its
/// component or of the MTP modules; the fields, total and active count are formed from those
/// once, in `breakdown()`, rather than updated for every tensor.
struct BreakdownSum {
    std::uint64_t experts_per_token = 0; ///< num_experts_per_tok: routed experts active per token
    /// The main model's elements by Part (the buffer and scale slots stay 0).
    std::array<std::uint64_t, static_cast<std::size_t>(Part::scale) + 1> by_part{};
    std::uint64_t mtp = 0;           ///< the MTP modules, all components
    std::uint64_t routed_active = 0; ///< routed experts active per token: k of the E copies

    /// Adds `t`, whose `n` = t.elements() the caller computes once for all its sums.
    constexpr void add(const TensorSpec& t, std::uint64_t n) { add(t, n, t.mtp_share(n)); }
    /// The same with `in_mtp` = t.mtp_share(n), also computed once by the caller.
    constexpr void add(const TensorSpec& t, std::uint64_t n, std::uint64_t in_mtp) {
        const char* const what = "parameter count";
        // Scales of quantised weights and stored buffers (Kimi's inv_freq) are not parameters.
        if (t.part == Part::scale || t.part == Part::buffer) return;
        if (t.packing != 1) { // a packed weight's parameters (in_mtp <= n: no overflow of its own)
            n = checked_mul(n, t.packing, what);
            in_mtp *= t.packing;
        }
        if (in_mtp != 0) mtp = checked_add(mtp, in_mtp, what);
        if (in_mtp == n) return;
        std::uint64_t& sum = by_part[static_cast<std::size_t>(t.part)];
        sum = checked_add(sum, n - in_mtp, what);
        if (t.part == Part::routed_experts) {
            const std::uint64_t k = experts_per_token < t.copies ? experts_per_token : t.copies;
            routed_active =
                checked_add(routed_active,
                            checked_mul(checked_mul(checked_mul(t.shape.elements(), t.packing, what), k, what),
                                        t.layers - t.mtp_layers, what),
                            what);
        }
    }

    /// The breakdown of the tensors added (vision_modelled left true); `tied`: the input
    /// embedding is also the output head (tie_word_embeddings), so it is active.
    constexpr ParamBreakdown breakdown(bool tied) const {
        const char* const what = "parameter count";
        const auto of = [&](Part p) { return by_part[static_cast<std::size_t>(p)]; };
        ParamBreakdown b{};
        b.embedding = of(Part::embedding);
        b.lm_head = of(Part::lm_head);
        b.attention = of(Part::attention);
        b.norms = of(Part::norm);
        b.dense_mlp = of(Part::dense_mlp);
        b.router = of(Part::router);
        b.routed_experts = of(Part::routed_experts);
        b.shared_experts = of(Part::shared_experts);
        b.indexer = of(Part::indexer);
        b.vision = of(Part::vision);
        b.hyper_connections = of(Part::hyper_connections);
        b.mtp = checked_add(mtp, of(Part::mtp_projection), what); // eh_proj belongs to MTP
        for (const std::uint64_t n : {b.embedding, b.lm_head, b.attention, b.norms, b.dense_mlp, b.router,
                                      b.routed_experts, b.shared_experts, b.indexer, b.vision, b.hyper_connections})
            b.total = checked_add(b.total, n, what);
        // Active per token: all but the input embedding (unless it is the head too), the vision
        // encoder and MTP, with the routed experts counted k of E.
        for (const std::uint64_t n : {tied ? b.embedding : b.lm_head, b.attention, b.norms, b.dense_mlp, b.router,
                                      routed_active, b.shared_experts, b.indexer, b.hyper_connections})
            b.active = checked_add(b.active, n, what);
        return b;
    }
};

/// The breakdown of the whole model from the sum over its tensors.
template <class C> constexpr ParamBreakdown model_breakdown(const C& c, const BreakdownSum& sum) {
    ParamBreakdown b = sum.breakdown(c.tie_word_embeddings);
    b.vision_modelled = vision_modelled(c);
    return b;
}
} // namespace detail

// The functions that return a plain number throw an overflow (see overflow.hpp), so they live in
// the exceptions-mode namespace (`ex` or `noex`).
inline namespace DEEPSEEK_CONFIG_ABI_NAMESPACE {

/// Parameters of the whole model by component (see ParamBreakdown).
template <class C> [[nodiscard]] constexpr ParamBreakdown param_breakdown(const C& c) {
    detail::require_config<C>();
    return detail::checked_figure([&] {
        detail::BreakdownSum sum{detail::value_or_zero(c.num_experts_per_tok)};
        detail::for_each_tensor_summed(c, [&](const TensorSpec& t) { sum.add(t, t.elements()); });
        return detail::model_breakdown(c, sum);
    });
}

/// Parameters of decoder layer `index` alone, by component (for an MTP layer, all in `mtp`).
template <class C> [[nodiscard]] constexpr ParamBreakdown layer_breakdown(const C& c, std::uint64_t index) {
    detail::require_config<C>();
    return detail::checked_figure([&] {
        detail::BreakdownSum sum{detail::value_or_zero(c.num_experts_per_tok)};
        for_each_layer_tensor(c, index, [&](const TensorSpec& t) { sum.add(t, t.elements()); });
        return sum.breakdown(false); // a layer holds no embedding
    });
}

/// Total parameters (elements) of the main model, MTP and FP8 scales excluded.
template <class C> [[nodiscard]] constexpr std::uint64_t parameter_count(const C& c) {
    return param_breakdown(c).total;
}

/// Parameters activated per token, DeepSeek's convention (head counted, input embedding not,
/// unless tied: then it is the head).
template <class C> [[nodiscard]] constexpr std::uint64_t active_parameter_count(const C& c) {
    return param_breakdown(c).active;
}

/// Number of tensors stored in the checkpoint (experts counted one by one, FP8 scales and MTP
/// included).
template <class C> [[nodiscard]] constexpr std::uint64_t tensor_count(const C& c) {
    return detail::checked_figure([&] {
        std::uint64_t n = 0;
        detail::for_each_tensor_summed(c, [&](const TensorSpec& t) {
            n = detail::checked_add(n, detail::checked_mul(t.copies, t.layers, "tensor count"), "tensor count");
        });
        return n;
    });
}

/// Elements stored in the checkpoint: parameters, MTP modules and FP8 scales.
template <class C> [[nodiscard]] constexpr std::uint64_t stored_elements(const C& c) {
    return detail::checked_figure([&] {
        std::uint64_t n = 0;
        detail::for_each_tensor_summed(
            c, [&](const TensorSpec& t) { n = detail::checked_add(n, t.elements(), "stored elements"); });
        return n;
    });
}

} // namespace DEEPSEEK_CONFIG_ABI_NAMESPACE

// ---------------------------------------------------------------------------------------------
// Bytes of weights.
// ---------------------------------------------------------------------------------------------

namespace detail {
/// Sums the checkpoint bytes (each tensor at its storage dtype, FP8 scales included) held by one
/// of `tp` ranks; tp 1 is the whole checkpoint. Precondition: tp > 0. The dtype of a tensor
/// depends on its storage class alone, so elements are summed per class and turned into bytes
/// once, in `bytes()`, instead of looking the dtype up for every tensor.
template <class C> struct CheckpointBytesSum {
    const C& c;
    std::uint64_t tp = 1;
    bool mtp = true; ///< count the MTP modules
    using ByStorage = std::array<std::uint64_t, storage_count>;
    ByStorage elements{};     ///< the main model's elements by Storage
    ByStorage mtp_elements{}; ///< the MTP modules' elements by Storage (when counted)
    MemoryError error = MemoryError::none;

    /// `n` = t.elements(), computed once by the caller for all its sums.
    constexpr void add(const TensorSpec& t, std::uint64_t n) {
        if (t.mtp && !mtp) return;
        if (rank_share(t, tp, error, n)) add_share(t, n, t.mtp_share(n));
    }
    /// Adds the `n` elements of `t` one rank holds (all of them at tp 1), `in_mtp` of them in
    /// MTP modules (t.mtp_share(n)).
    constexpr void add_share(const TensorSpec& t, std::uint64_t n, std::uint64_t in_mtp) {
        const std::size_t s = static_cast<std::size_t>(t.storage);
        if (in_mtp != 0 && mtp) mtp_elements[s] = checked_add(mtp_elements[s], in_mtp, "checkpoint bytes");
        elements[s] = checked_add(elements[s], n - in_mtp, "checkpoint bytes");
    }
    /// The elements summed, every storage class, MTP modules included (when counted).
    constexpr std::uint64_t stored_elements() const {
        std::uint64_t n = 0;
        for (std::size_t i = 0; i < elements.size(); ++i)
            n = checked_add(n, checked_add(elements[i], mtp_elements[i], "stored elements"), "stored elements");
        return n;
    }
    /// The bytes summed (the MTP modules' when counted).
    constexpr SizeResult bytes() const {
        std::uint64_t without_mtp = 0;
        return bytes_and_without_mtp(without_mtp);
    }
    /// bytes(), and in `without_mtp` the bytes without the MTP modules, from one pass over the
    /// storage classes (a sum that counted the MTP modules gives both: make_report's checkpoint
    /// and tp-1 weights).
    constexpr SizeResult bytes_and_without_mtp(std::uint64_t& without_mtp) const {
        if (error != MemoryError::none) return error;
        const char* const what = "checkpoint bytes";
        std::uint64_t total = without_mtp = 0;
        for (std::size_t i = 0; i < elements.size(); ++i) {
            if (elements[i] == 0 && mtp_elements[i] == 0) continue; // most classes are empty
            const std::uint64_t size = dtype_bits(storage_dtype(c, static_cast<Storage>(i))) / 8; // whole bytes
            const std::uint64_t main = checked_mul(elements[i], size, what);
            without_mtp = checked_add(without_mtp, main, what);
            total = checked_add(total, checked_add(main, checked_mul(mtp_elements[i], size, what), what), what);
        }
        return total;
    }
};

/// Sums the bits of every stored tensor but the scales and buffers at one uniform dtype, held by
/// one of `tp` ranks. Precondition: tp > 0.
struct UniformBitsSum {
    Dtype dtype = Dtype::bf16;
    std::uint64_t tp = 1;
    bool mtp = true; ///< count the MTP modules
    std::uint64_t elements = 0;
    MemoryError error = MemoryError::none;

    /// `n` = t.elements(), computed once by the caller for all its sums.
    constexpr void add(const TensorSpec& t, std::uint64_t n) {
        if (t.part == Part::scale || t.part == Part::buffer || (t.mtp && !mtp)) return;
        if (!rank_share(t, tp, error, n)) return;
        if (!mtp) n -= t.mtp_share(n);
        if (t.packing != 1) n = checked_mul(n, t.packing, "weight bits"); // a packed weight's parameters
        elements = checked_add(elements, n, "weight bits");
    }
    constexpr SizeResult bits() const {
        if (error != MemoryError::none) return error;
        return checked_mul(elements, dtype_bits(dtype), "weight bits");
    }
};

/// Bits to whole bytes (int4 rounds the total up once), keeping any error.
constexpr SizeResult bits_to_bytes(const SizeResult& bits) noexcept {
    if (!bits) return bits;
    return ceil_div(*bits, 8);
}

/// UniformBitsSum over the whole model.
template <class C> constexpr SizeResult uniform_bits_per_rank(const C& c, Dtype d, std::uint64_t tp, bool mtp) {
    if (tp == 0) return MemoryError::tp_zero;
    UniformBitsSum sum{d, tp, mtp};
    for_each_tensor_summed(c, [&](const TensorSpec& t) { sum.add(t, t.elements()); });
    return sum.bits();
}
} // namespace detail

inline namespace DEEPSEEK_CONFIG_ABI_NAMESPACE {

/// Bytes of the checkpoint as released: each tensor at its storage dtype (`storage_dtype`),
/// FP8 scales included, MTP modules included. A quantisation method that is not modelled
/// (`quantization_modelled` false) throws an Error of kind `not_modelled`: there is no figure.
template <class C> [[nodiscard]] constexpr std::uint64_t checkpoint_bytes(const C& c) {
    detail::require_config<C>();
    if (!quantization_modelled(c)) detail::throw_error(to_error(MemoryError::quantization_not_modelled));
    return detail::checked_figure([&] {
        detail::CheckpointBytesSum<C> sum{c, 1};
        detail::for_each_tensor_summed(c, [&](const TensorSpec& t) { sum.add(t, t.elements()); });
        return *sum.bytes(); // at tp 1 nothing is split, so there is no error
    });
}

/// Bytes of every stored tensor (MTP included; scales and buffers excluded) at one uniform dtype.
/// int4 packs two elements per byte; the total bit count is rounded up to whole bytes once.
template <class C> [[nodiscard]] constexpr std::uint64_t weight_bytes(const C& c, Dtype d) {
    detail::require_config<C>();
    return detail::checked_figure(
        [&] { return detail::ceil_div(*detail::uniform_bits_per_rank(c, d, 1, true), 8); }); // tp 1: no error
}

/// Whether `tp` ranks can split the model as DeepSeek's V3 inference code does: tp > 0 and tp
/// divides every split dimension (vocab rows, heads' rows/cols, MLP widths, routed experts).
template <class C> [[nodiscard]] constexpr bool can_split(const C& c, std::uint64_t tp) {
    detail::require_config<C>();
    return detail::checked_figure([&] { return detail::uniform_bits_per_rank(c, Dtype::bf16, tp, true).has_value(); });
}

} // namespace DEEPSEEK_CONFIG_ABI_NAMESPACE

/// What weights to size on one rank. An aggregate: name the fields (`WeightQuery{}` then
/// assign, or C++20 designated initialisers).
struct WeightQuery {
    std::uint64_t tp = 1;    ///< tensor-parallel ranks; the bytes are one rank's
    Optional<Dtype> dtype{}; ///< unset: the checkpoint as released (storage dtypes, FP8 scales)
    /// Count the MTP modules. vLLM and SGLang load them only for speculative decoding, so the
    /// default, like theirs, leaves them out.
    bool mtp = false;
};

/// Bytes of weights one of `q.tp` ranks holds, split as DeepSeek's V3 inference code does:
/// embedding and head by vocab rows, q_proj/q_b/kv_b and the up/gate projections of dense MLPs
/// and shared experts by rows, o_proj and down projections by columns, routed experts by expert
/// index; q_a, kv_a, norms, router, MTP eh_proj and vision replicated. Without `q.dtype` each
/// tensor is at its storage dtype with its FP8 scales, a scale tensor split like its weight (so
/// tp must also divide the split dimension of the scale grid); with it, every tensor but the
/// scales is at that dtype (int4 rounds the total up to whole bytes once). Errors: `tp_zero`,
/// `tp_does_not_divide` (when `can_split` is false), `overflow`, and without `q.dtype`
/// `quantization_not_modelled` (a quant_method other than DeepSeek's FP8).
template <class C> [[nodiscard]] constexpr SizeResult weight_bytes_per_rank(const C& c, const WeightQuery& q) {
    detail::require_config<C>();
    return detail::overflow_as_error([&]() -> SizeResult {
        if (q.dtype) return detail::bits_to_bytes(detail::uniform_bits_per_rank(c, *q.dtype, q.tp, q.mtp));
        if (q.tp == 0) return MemoryError::tp_zero;
        if (!quantization_modelled(c)) return MemoryError::quantization_not_modelled;
        detail::CheckpointBytesSum<C> sum{c, q.tp, q.mtp};
        detail::for_each_tensor_summed(c, [&](const TensorSpec& t) { sum.add(t, t.elements()); });
        return sum.bytes();
    });
}

// ---------------------------------------------------------------------------------------------
// KV cache.
// ---------------------------------------------------------------------------------------------

/// Whether a KV layout exists for the model: latent and expanded need MLA, mha needs use_mla
/// false.
/// DeepSeek-V4 takes none (its cache is sized by V4KvFormat, kv_v4.hpp).
template <class C> [[nodiscard]] constexpr bool layout_fits(const C& c, KvLayout layout) noexcept {
    detail::require_config<C>();
    if constexpr (std::is_same_v<C, DeepseekV4Config>) {
        return (void)c, (void)layout, false;
    } else {
        return layout == KvLayout::mha ? !uses_mla(c) : uses_mla(c);
    }
}

/// The KV-cache layout engines use by default: latent for MLA models, mha otherwise (and latent,
/// which layout_fits refuses, for DeepSeek-V4).
template <class C> [[nodiscard]] constexpr KvLayout default_kv_layout(const C& c) noexcept {
    if constexpr (std::is_same_v<C, DeepseekV4Config>) {
        return (void)c, KvLayout::latent;
    } else {
        return uses_mla(c) ? KvLayout::latent : KvLayout::mha;
    }
}

/// Bytes of DeepSeek-V3.2's indexer key cache, per token per decoder layer: index_head_dim FP8
/// values and one float32 scale per 128 of them, 128 + 4 = 132 for V3.2, whatever the dtype of
/// the main cache (DeepSeek's code, vLLM, SGLang and TensorRT-LLM all store it so). Replicated on
/// every tensor-parallel rank, like the indexer; 0 for a model without one. (It throws an
/// overflow, see overflow.hpp, hence the exceptions-mode namespace.)
inline namespace DEEPSEEK_CONFIG_ABI_NAMESPACE {
template <class C> [[nodiscard]] constexpr std::uint64_t indexer_key_bytes_per_token_per_layer(const C& c) {
    detail::require_config<C>();
    if constexpr (std::is_base_of_v<DeepseekV3Config, C>) {
        if (!has_indexer(c)) return 0;
        const std::uint64_t d_i = detail::value_or_zero(c.index_head_dim);
        constexpr std::uint64_t scale_block = 128; // one float32 scale per 128 FP8 values
        const char* const what = "indexer key bytes";
        return detail::checked_add(d_i, detail::checked_mul(detail::ceil_div(d_i, scale_block), 4, what), what);
    } else {
        (void)c;
        return 0;
    }
}
} // namespace DEEPSEEK_CONFIG_ABI_NAMESPACE

namespace detail {
template <class C> constexpr MemoryError layout_error(const C& c, KvLayout layout) noexcept {
    if constexpr (std::is_same_v<C, DeepseekV4Config>) return (void)c, (void)layout, MemoryError::layout_not_for_v4;
    if (layout_fits(c, layout)) return MemoryError::none;
    return layout == KvLayout::mha ? MemoryError::layout_needs_mha : MemoryError::layout_needs_mla;
}

template <class C> constexpr SizeResult kv_elements_of_layout(const C& c, KvLayout layout);

/// kv_elements_per_token_per_layer, an overflow reported by report_overflow.
template <class C> constexpr SizeResult kv_elements_per_layer(const C& c, KvLayout layout) {
    require_config<C>();
    const MemoryError err = layout_error(c, layout);
    if (err != MemoryError::none) return err;
    if constexpr (std::is_same_v<C, DeepseekV4Config>) {
        return MemoryError::layout_not_for_v4; // not reached: layout_error says so
    } else {
        return kv_elements_of_layout(c, layout);
    }
}

/// kv_elements_per_layer of a layout that fits.
template <class C> constexpr SizeResult kv_elements_of_layout(const C& c, KvLayout layout) {
    const char* const what = "KV elements";
    switch (layout) {
    case KvLayout::latent:
        // One compressed latent plus the shared rope key, for all heads together.
        return checked_add(value_or_zero(c.kv_lora_rank), c.qk_rope_head_dim, what);
    case KvLayout::expanded:
        // Decompressed K (rope part broadcast to every head) and V, per head.
        return checked_add(
            checked_mul(c.num_attention_heads, checked_add(c.qk_nope_head_dim, c.qk_rope_head_dim, what), what),
            checked_mul(c.num_attention_heads, c.v_head_dim, what), what);
    case KvLayout::mha: return checked_mul(2, checked_mul(c.num_key_value_heads, mha_head_dim(c), what), what);
    }
    return MemoryError::layout_needs_mla; // not reached: every layout is handled above
}

/// kv_elements_per_token_per_layer_per_rank, an overflow reported by report_overflow.
template <class C> constexpr SizeResult kv_elements_per_layer_per_rank(const C& c, KvLayout layout, std::uint64_t tp) {
    const SizeResult r = kv_elements_per_layer(c, layout);
    if (!r) return r;
    if (tp == 0) return MemoryError::tp_zero;
    if (layout == KvLayout::latent) return r;
    const std::uint64_t heads = layout == KvLayout::expanded ? c.num_attention_heads : c.num_key_value_heads;
    if (heads % tp != 0) return MemoryError::tp_does_not_divide;
    return *r / tp;
}

/// KV-cache bits of one token of each of `batch` sequences over num_hidden_layers layers, on one
/// of `tp` ranks, at `dtype`; DeepSeek-V3.2's indexer key cache included (at its own dtype).
template <class C> constexpr SizeResult kv_bits_per_token(const C& c, KvLayout layout, Dtype dtype, std::uint64_t batch,
                                                          std::uint64_t tp) {
    const SizeResult per_layer = kv_elements_per_layer_per_rank(c, layout, tp);
    if (!per_layer) return per_layer;
    const char* const what = "KV cache bits per token";
    std::uint64_t bits = checked_mul(*per_layer, dtype_bits(dtype), what);
    bits = checked_add(bits, checked_mul(indexer_key_bytes_per_token_per_layer(c), 8, what), what);
    bits = checked_mul(bits, c.num_hidden_layers, what);
    return checked_mul(bits, batch, what);
}
} // namespace detail

/// KV-cache elements of one token in ONE decoder layer: latent r_kv + d_rope; expanded
/// n_h (d_nope + d_rope) + n_h d_v; mha 2 n_kv head_dim. Error when the layout does not fit.
template <class C> [[nodiscard]] constexpr SizeResult kv_elements_per_token_per_layer(const C& c, KvLayout layout) {
    return detail::overflow_as_error([&] { return detail::kv_elements_per_layer(c, layout); });
}

/// kv_elements_per_token_per_layer on one of `tp` ranks: latent is replicated on every rank;
/// expanded is split by attention heads, mha by KV heads (tp must divide them).
template <class C> [[nodiscard]] constexpr SizeResult
kv_elements_per_token_per_layer_per_rank(const C& c, KvLayout layout, std::uint64_t tp) {
    return detail::overflow_as_error([&] { return detail::kv_elements_per_layer_per_rank(c, layout, tp); });
}

/// What KV cache to size: `tokens` tokens in each of `batch` sequences on one of `tp` ranks,
/// over num_hidden_layers decoder layers (MTP draft layers excluded). An aggregate: name the
/// fields (`KvQuery{}` then assign, or C++20 designated initialisers).
struct KvQuery {
    std::uint64_t tokens = 1;    ///< tokens per sequence
    std::uint64_t batch = 1;     ///< sequences
    std::uint64_t tp = 1;        ///< tensor-parallel ranks; the bytes are one rank's
    Optional<KvLayout> layout{}; ///< unset: default_kv_layout(c)
    Optional<Dtype> dtype{};     ///< unset: model_dtype(c)
};

/// KV-cache bytes of a query, elements at its dtype (int4 rounds the total up to whole bytes).
/// Errors: a layout the model cannot take, tp 0, tp not dividing the heads, overflow.
template <class C> [[nodiscard]] constexpr SizeResult kv_cache_bytes(const C& c, const KvQuery& q) {
    return detail::overflow_as_error([&]() -> SizeResult {
        const SizeResult per_token = detail::kv_bits_per_token(c, q.layout ? *q.layout : default_kv_layout(c),
                                                               q.dtype ? *q.dtype : model_dtype(c), q.batch, q.tp);
        if (!per_token) return per_token;
        return detail::ceil_div(detail::checked_mul(*per_token, q.tokens, "KV cache bytes"), 8);
    });
}

/// KV-cache bytes of one token over all num_hidden_layers decoder layers (one sequence, one
/// device).
template <class C> [[nodiscard]] constexpr SizeResult kv_bytes_per_token(const C& c, KvLayout layout, Dtype d) {
    KvQuery q{};
    q.layout = layout;
    q.dtype = d;
    return kv_cache_bytes(c, q);
}

// ---------------------------------------------------------------------------------------------
// Budget.
// ---------------------------------------------------------------------------------------------

/// What to fit in a memory budget: the weights one of `tp` ranks holds and the KV cache of
/// `batch` sequences. An aggregate: name the fields.
struct BudgetQuery {
    std::uint64_t budget_bytes = 0;         ///< bytes per rank for weights + KV cache
    std::uint64_t batch = 1;                ///< sequences
    std::uint64_t tp = 1;                   ///< tensor-parallel ranks
    Optional<Dtype> weights_dtype{};        ///< unset: the checkpoint as released (FP8 where FP8)
    Optional<std::uint64_t> weight_bytes{}; ///< weights per rank computed elsewhere (overrides weights_dtype)
    bool mtp = false;                       ///< the weights include the MTP modules (see WeightQuery)
    Optional<KvLayout> kv_layout{};         ///< unset: default_kv_layout(c)
    Optional<Dtype> kv_dtype{};             ///< unset: model_dtype(c)
};

/// The weight query of a budget query: its ranks, dtype and MTP switch.
[[nodiscard]] constexpr WeightQuery weight_query_of(const BudgetQuery& q) noexcept {
    WeightQuery w{};
    w.tp = q.tp;
    w.dtype = q.weights_dtype;
    w.mtp = q.mtp;
    return w;
}

/// The weight bytes one rank holds under a budget query: `weight_bytes` when given, else
/// weight_bytes_per_rank(c, weight_query_of(q)).
template <class C> [[nodiscard]] constexpr SizeResult budget_weight_bytes(const C& c, const BudgetQuery& q) {
    if (q.tp == 0) return MemoryError::tp_zero;
    if (q.weight_bytes) return *q.weight_bytes;
    return weight_bytes_per_rank(c, weight_query_of(q));
}

/// The largest context T (tokens per sequence) such that the weights plus the KV cache of T
/// tokens x `batch` fit `budget_bytes` on each rank. 0 is an answer ("the weights fit, but not
/// one token does"); weights larger than the budget are the error `weights_do_not_fit`. When a
/// token costs no KV bytes (batch 0) the answer is the largest uint64. Other errors: a layout
/// the model cannot take, tp 0, tp not dividing the model, overflow.
template <class C> [[nodiscard]] constexpr SizeResult max_context_tokens(const C& c, const BudgetQuery& q) {
    const SizeResult weights = budget_weight_bytes(c, q);
    if (!weights) return weights;
    return detail::overflow_as_error([&]() -> SizeResult {
        const SizeResult per_token =
            detail::kv_bits_per_token(c, q.kv_layout ? *q.kv_layout : default_kv_layout(c),
                                      q.kv_dtype ? *q.kv_dtype : model_dtype(c), q.batch, q.tp);
        if (!per_token) return per_token;
        if (*weights > q.budget_bytes) return MemoryError::weights_do_not_fit;
        const std::uint64_t available = q.budget_bytes - *weights;
        const std::uint64_t bits_per_token = *per_token;
        // KV(T) = ceil(T * bits_per_token / 8) <= available  <=>  T * bits_per_token <= 8 available.
        if (bits_per_token == 0) return detail::u64_max;
        // floor(8 available / bits) without forming 8 available: q 8 + floor(8 rem / bits).
        const std::uint64_t whole = available / bits_per_token;
        const std::uint64_t rem = available % bits_per_token;
        if (whole > detail::u64_max / 8) return detail::u64_max;
        return detail::checked_add(whole * 8, detail::checked_mul(rem, 8, "KV cache bits") / bits_per_token,
                                   "max context tokens");
    });
}

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_MEMORY_HPP
