// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// The serving report of one config: parameters, checkpoint and weight bytes, KV cache at a
// context, and the largest context that fits a budget. `constexpr` and standard library only:
// the report of a preset is a compile-time constant.
#ifndef DEEPSEEK_CONFIG_REPORT_HPP
#define DEEPSEEK_CONFIG_REPORT_HPP

#include <cstdint>

#include "kv_v4.hpp"
#include "memory.hpp"
#include "optional.hpp"

namespace deepseek {

/// The default context of a report, in tokens: 32,768, or the model's maximum when smaller
/// (never silently the 160k maximum of V2/V3).
template <class C> [[nodiscard]] constexpr std::uint64_t default_context(const C& c) noexcept {
    return c.max_position_embeddings < 32768 ? c.max_position_embeddings : 32768;
}

/// What to report on. Unset optionals take the model's defaults (see make_report).
struct ReportOptions {
    Optional<Dtype> weights_dtype{};   ///< unset: the checkpoint as released (FP8 where FP8)
    Optional<Dtype> kv_dtype{};        ///< unset: model_dtype(c)
    Optional<KvLayout> kv_layout{};    ///< unset: default_kv_layout(c)
    Optional<std::uint64_t> context{}; ///< tokens per sequence; unset: default_context(c)
    std::uint64_t batch = 1;           ///< sequences
    std::uint64_t tp = 1;              ///< tensor-parallel ranks
    Optional<std::uint64_t> budget{};  ///< bytes per rank for weights + KV cache
    bool mtp = false; ///< weights per rank include the MTP modules (engines load them only to speculate)
    /// DeepSeek-V4 only: the engine format of its KV cache; unset: vLLM's (V4KvFormat::vllm_fp8).
    /// (kv_layout and kv_dtype do not apply to V4.)
    Optional<V4KvFormat> v4_kv_format{};
};

/// DeepSeek-V4's part of a report: its layer kinds and its KV cache in one engine's format.
struct V4KvReport {
    V4LayerKinds layers{};
    V4KvFormat format = V4KvFormat::vllm_fp8;
    /// One sequence at the report's context, by component.
    V4KvBytes at_context{};
    /// One sequence before its first token: windows and compressor state.
    std::uint64_t per_sequence_bytes = 0;
    /// Growth of one sequence over 256 tokens, as the format allocates it (vLLM: pages rounded).
    std::uint64_t growth_per_256_tokens = 0;
    /// The same without page rounding (the entries' own bytes).
    std::uint64_t unpadded_growth_per_256_tokens = 0;
    /// False: the format's per-sequence constant is approximate (v4_kv_constant_exact).
    bool per_sequence_exact = true;
};

/// The report: every figure the command-line tool prints. Byte counts are per rank.
struct Report {
    ParamBreakdown params{};
    /// Elements stored in the checkpoint (parameters, MTP modules, scales, buffers): what Hugging
    /// Face shows as a model's size.
    std::uint64_t stored_elements = 0;
    /// The whole released checkpoint, one device; unset when its quantisation is not modelled.
    Optional<std::uint64_t> checkpoint_bytes{};
    Optional<Dtype> weights_dtype{}; ///< unset: as released
    /// Weights held by one rank; unset as released when the quantisation is not modelled.
    Optional<std::uint64_t> weight_bytes{};
    bool quantization_modelled = true; ///< false: quantization_config.quant_method is not modelled
    /// How the checkpoint stores its Linear weights (quantization_of), and where that was read;
    /// unset for an unquantised checkpoint, or one whose quantisation is not modelled.
    Optional<WeightFormat> quantization{};
    Optional<QuantSource> quantization_source{};
    bool mtp = false;                      ///< weight_bytes includes the MTP modules
    KvLayout kv_layout = KvLayout::latent; ///< not used for DeepSeek-V4 (see v4)
    Dtype kv_dtype = Dtype::bf16;          ///< not used for DeepSeek-V4 (see v4)
    /// One token of one sequence, all layers, one rank; 0 for DeepSeek-V4, whose cache is a
    /// per-sequence constant plus a growth that is not a whole number of bytes per token (see v4).
    std::uint64_t kv_bytes_per_token = 0;
    std::uint64_t context = 0;
    std::uint64_t batch = 1;
    std::uint64_t tp = 1;
    std::uint64_t kv_bytes = 0; ///< context x batch tokens, one rank
    /// With a budget: the largest context that fits (0: the weights fit but not one token does);
    /// unset when there is no budget, when the weights alone do not fit (`weights_fit`), or when
    /// the weights are not known (`weight_bytes` unset).
    Optional<std::uint64_t> max_context{};
    bool weights_fit = true; ///< false: with a budget, the weights alone exceed it
    /// DeepSeek-V4 only: layer kinds and KV cache (kv_bytes is at_context.total x batch).
    Optional<V4KvReport> v4{};
};

/// The KV query of a report: its ranks, layout and dtype, for one token of one sequence.
[[nodiscard]] constexpr KvQuery kv_query_of(const Report& r) noexcept {
    KvQuery q{};
    q.tp = r.tp;
    q.layout = r.kv_layout;
    q.dtype = r.kv_dtype;
    return q;
}

/// The budget query of a report: `budget_bytes` per rank next to the report's weights per rank,
/// with its batch, ranks, layout and dtype.
[[nodiscard]] constexpr BudgetQuery budget_query_of(const Report& r, std::uint64_t budget_bytes) noexcept {
    BudgetQuery q{};
    q.budget_bytes = budget_bytes;
    q.batch = r.batch;
    q.tp = r.tp;
    q.weight_bytes = r.weight_bytes;
    q.mtp = r.mtp;
    q.kv_layout = r.kv_layout;
    q.kv_dtype = r.kv_dtype;
    return q;
}

/// The largest context (tokens per sequence) whose DeepSeek-V4 KV cache in format `f`, for `batch`
/// sequences, fits `available` bytes: the largest T with v4_kv_cache_bytes(T).total <=
/// available / batch (the cache grows with T), found by bisection. nullopt when not even 0 tokens fit
/// (the windows and states alone do not). With batch 0 every context fits: the largest uint64.
[[nodiscard]] constexpr Optional<std::uint64_t> v4_max_context_tokens(const DeepseekV4Config& c, V4KvFormat f,
                                                                      std::uint64_t batch, std::uint64_t available) {
    if (batch == 0) return detail::u64_max;
    const std::uint64_t per_sequence_budget = available / batch;
    const V4LayerKinds kinds = v4_layer_kinds(c);
    const auto fits = [&](std::uint64_t tokens) {
        return detail::v4_kv_bytes(c, kinds, f, tokens).total <= per_sequence_budget;
    };
    if (!fits(0)) return std::nullopt;
    // The growth g per 256 tokens bounds the answer: one sequence of T tokens holds at least
    // (T / 256 - 1) g bytes beyond its constant, so T < 256 (budget / g + 2). With no growth (no
    // compressed layer) every context fits. The bound also keeps every size bisected in 64 bits.
    const std::uint64_t growth = detail::v4_kv_growth(c, kinds, f);
    if (growth == 0) return detail::u64_max;
    std::uint64_t lo = 0, hi = detail::checked_mul(per_sequence_budget / growth + 2, 256, "max context tokens");
    while (lo < hi) {
        const std::uint64_t mid = lo + (hi - lo + 1) / 2;
        if (fits(mid))
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

namespace detail {
/// The KV part of a DeepSeek-V4 report (make_report): its layer kinds and its cache in the
/// chosen format at the report's context, and with a budget the largest context.
constexpr Result<Report, MemoryError> finish_v4_report(const DeepseekV4Config& c, const ReportOptions& options,
                                                       Report& r) {
    V4KvReport v{};
    v.layers = v4_layer_kinds(c);
    v.format = options.v4_kv_format ? *options.v4_kv_format : V4KvFormat::vllm_fp8;
    v.at_context = v4_kv_bytes(c, v.layers, v.format, r.context);
    // Before the first token only the windows and the compressor state are there.
    v.per_sequence_bytes = checked_add(v.at_context.window, v.at_context.compressor_state, "KV cache bytes");
    v.growth_per_256_tokens = v4_kv_growth(c, v.layers, v.format);
    v.unpadded_growth_per_256_tokens = v4_kv_growth(c, v.layers, v.format, false);
    v.per_sequence_exact = v4_kv_constant_exact(v.format);
    r.kv_bytes_per_token = 0;
    r.kv_bytes = checked_mul(v.at_context.total, r.batch, "KV cache bytes");
    if (options.budget && r.weight_bytes) {
        r.weights_fit = *r.weight_bytes <= *options.budget;
        if (r.weights_fit) {
            const auto fit = v4_max_context_tokens(c, v.format, r.batch, *options.budget - *r.weight_bytes);
            // 0: the weights fit, but not one sequence's windows. (Optionals are built, then copied:
            // their converting assignment is not constexpr in C++17.)
            r.max_context = Optional<std::uint64_t>{fit ? *fit : 0};
        }
    }
    r.v4 = Optional<V4KvReport>{v};
    return r;
}

template <class C>
constexpr Result<Report, MemoryError> finish_kv_report(const C& c, const ReportOptions& options, Report& r);

/// make_report, an overflow reported by report_overflow.
template <class C> constexpr Result<Report, MemoryError> make_report(const C& c, const ReportOptions& options) {
    Report r{};
    r.weights_dtype = options.weights_dtype;
    r.kv_layout = options.kv_layout ? *options.kv_layout : default_kv_layout(c);
    r.kv_dtype = options.kv_dtype ? *options.kv_dtype : model_dtype(c);
    r.context = options.context ? *options.context : default_context(c);
    r.batch = options.batch;
    r.tp = options.tp;
    r.mtp = options.mtp;
    if (options.tp == 0) return MemoryError::tp_zero;
    // One walk over the tensors gives the parameters, the checkpoint and the weights per rank.
    // Weights as released of a quantisation that is not modelled have no figure; they are summed
    // at a uniform dtype all the same, which checks that tp splits the model.
    r.quantization_modelled = quantization_modelled(c);
    if constexpr (has_weight_quantization<C>::value) { // what quantization_of gives, without its copy
        if (c.weight_quantization) {
            r.quantization = c.weight_quantization->format;
            r.quantization_source = c.weight_quantization->source;
        } else if (uses_deepseek_fp8(c)) {
            r.quantization = WeightFormat::fp8_block; // DeepSeek-V4: with FP4 experts unless expert_dtype says fp8
            r.quantization_source = QuantSource::quantization_config;
        }
    }
    const bool released = !options.weights_dtype && r.quantization_modelled;
    BreakdownSum params{value_or_zero(c.num_experts_per_tok)};
    CheckpointBytesSum<C> checkpoint{c, 1, true};
    CheckpointBytesSum<C> released_per_rank{c, options.tp, options.mtp};
    UniformBitsSum uniform_per_rank{options.weights_dtype ? *options.weights_dtype : Dtype::bf16, options.tp,
                                    options.mtp};
    const bool uniform = !released, split = released && options.tp != 1; // at tp 1 the checkpoint gives it
    for_each_tensor_summed(
        c, [&params, &checkpoint, &uniform_per_rank, &released_per_rank, uniform, split](const TensorSpec& t) {
            const std::uint64_t n = t.elements(), in_mtp = t.mtp_share(n); // once, for all the sums
            params.add(t, n, in_mtp);
            checkpoint.add_share(t, n, in_mtp); // tp 1, every tensor counted: n is its share
            if (uniform) uniform_per_rank.add(t, n);
            if (split) released_per_rank.add(t, n);
        });
    r.params = model_breakdown(c, params);
    r.stored_elements = checkpoint.stored_elements();
    std::uint64_t without_mtp = 0; // tp 1: nothing is split, no error
    const std::uint64_t all = *checkpoint.bytes_and_without_mtp(without_mtp);
    if (r.quantization_modelled) r.checkpoint_bytes = all;
    const SizeResult weights = !released         ? bits_to_bytes(uniform_per_rank.bits())
                               : options.tp == 1 ? SizeResult{options.mtp ? all : without_mtp}
                                                 : released_per_rank.bytes();
    if (!weights) return weights.error();
    if (released || options.weights_dtype) r.weight_bytes = *weights;

    if constexpr (std::is_same_v<C, DeepseekV4Config>)
        return finish_v4_report(c, options, r);
    else
        return finish_kv_report(c, options, r);
}

/// The KV part of a V2- or V3-family report (make_report): the cache in the report's layout and
/// dtype, and with a budget the largest context.
template <class C>
constexpr Result<Report, MemoryError> finish_kv_report(const C& c, const ReportOptions& options, Report& r) {
    const SizeResult per_token = kv_bits_per_token(c, r.kv_layout, r.kv_dtype, 1, r.tp);
    if (!per_token) return per_token.error();
    r.kv_bytes_per_token = ceil_div(*per_token, 8);
    const char* const what = "KV cache bytes";
    r.kv_bytes = ceil_div(checked_mul(checked_mul(*per_token, r.context, what), r.batch, what), 8);
    if (options.budget && r.weight_bytes) {
        const SizeResult fit = max_context_tokens(c, budget_query_of(r, *options.budget));
        if (!fit && fit.error() != MemoryError::weights_do_not_fit) return fit.error();
        r.weights_fit = fit.has_value();
        if (fit) r.max_context = *fit;
    }
    return r;
}
} // namespace detail

/// Computes the report of a config. Errors: a layout or tensor-parallel size the model cannot
/// take (MemoryError), or a figure beyond 64 bits (`overflow`).
template <class C>
[[nodiscard]] constexpr Result<Report, MemoryError> make_report(const C& c, const ReportOptions& options) {
    return detail::overflow_as_error([&] { return detail::make_report(c, options); });
}

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_REPORT_HPP
