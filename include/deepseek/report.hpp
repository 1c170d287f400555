// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// The serving report of one config: parameters, checkpoint and weight bytes, KV cache at a
// context, and the largest context that fits a budget. `constexpr` and standard library only:
// the report of a preset is a compile-time constant.
#ifndef DEEPSEEK_CONFIG_REPORT_HPP
#define DEEPSEEK_CONFIG_REPORT_HPP

#include <cstdint>
#include <optional>

#include "memory.hpp"

namespace deepseek {

/// The default context of a report, in tokens: 32,768, or the model's maximum when smaller
/// (never silently the 160k maximum of V2/V3).
template <class C> [[nodiscard]] constexpr std::uint64_t default_context(const C& c) noexcept {
    return c.max_position_embeddings < 32768 ? c.max_position_embeddings : 32768;
}

/// What to report on. Unset optionals take the model's defaults (see make_report).
struct ReportOptions {
    std::optional<Dtype> weights_dtype{};   ///< unset: the checkpoint as released (FP8 where FP8)
    std::optional<Dtype> kv_dtype{};        ///< unset: model_dtype(c)
    std::optional<KvLayout> kv_layout{};    ///< unset: default_kv_layout(c)
    std::optional<std::uint64_t> context{}; ///< tokens per sequence; unset: default_context(c)
    std::uint64_t batch = 1;                ///< sequences
    std::uint64_t tp = 1;                   ///< tensor-parallel ranks
    std::optional<std::uint64_t> budget{};  ///< bytes per rank for weights + KV cache
    bool mtp = false; ///< weights per rank include the MTP modules (engines load them only to speculate)
};

/// The report: every figure the command-line tool prints. Byte counts are per rank.
struct Report {
    ParamBreakdown params{};
    /// The whole released checkpoint, one device; unset when its quantisation is not modelled.
    std::optional<std::uint64_t> checkpoint_bytes{};
    std::optional<Dtype> weights_dtype{}; ///< unset: as released
    /// Weights held by one rank; unset as released when the quantisation is not modelled.
    std::optional<std::uint64_t> weight_bytes{};
    bool quantization_modelled = true; ///< false: quantization_config.quant_method is not modelled
    /// How the checkpoint stores its Linear weights (quantization_of), and where that was read;
    /// unset for an unquantised checkpoint, or one whose quantisation is not modelled.
    std::optional<WeightFormat> quantization{};
    std::optional<QuantSource> quantization_source{};
    bool mtp = false; ///< weight_bytes includes the MTP modules
    KvLayout kv_layout = KvLayout::latent;
    Dtype kv_dtype = Dtype::bf16;
    std::uint64_t kv_bytes_per_token = 0; ///< one token of one sequence, all layers, one rank
    std::uint64_t context = 0;
    std::uint64_t batch = 1;
    std::uint64_t tp = 1;
    std::uint64_t kv_bytes = 0; ///< context x batch tokens, one rank
    /// With a budget: the largest context that fits (0: the weights fit but not one token does);
    /// unset when there is no budget, when the weights alone do not fit (`weights_fit`), or when
    /// the weights are not known (`weight_bytes` unset).
    std::optional<std::uint64_t> max_context{};
    bool weights_fit = true; ///< false: with a budget, the weights alone exceed it
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

namespace detail {
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
    if constexpr (std::is_base_of_v<DeepseekV3Config, C>) { // what quantization_of gives, without its copy
        if (c.weight_quantization) {
            r.quantization = c.weight_quantization->format;
            r.quantization_source = c.weight_quantization->source;
        } else if (uses_deepseek_fp8(c)) {
            r.quantization = WeightFormat::fp8_block;
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
            const std::uint64_t n = t.elements(); // once, for all the sums
            params.add(t, n);
            checkpoint.add(t, n);
            if (uniform) uniform_per_rank.add(t, n);
            if (split) released_per_rank.add(t, n);
        });
    r.params = model_breakdown(c, params);
    if (r.quantization_modelled) r.checkpoint_bytes = *checkpoint.bytes(); // tp 1: nothing is split, no error
    const SizeResult weights = !released         ? bits_to_bytes(uniform_per_rank.bits())
                               : options.tp == 1 ? checkpoint.bytes(options.mtp)
                                                 : released_per_rank.bytes();
    if (!weights) return weights.error();
    if (released || options.weights_dtype) r.weight_bytes = *weights;

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
