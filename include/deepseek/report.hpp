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
};

/// The report: every figure the command-line tool prints. Byte counts are per rank.
struct Report {
    ParamBreakdown params{};
    std::uint64_t checkpoint_bytes = 0;   ///< the whole released checkpoint, one device
    std::optional<Dtype> weights_dtype{}; ///< unset: as released
    std::uint64_t weight_bytes = 0;       ///< weights held by one rank
    KvLayout kv_layout = KvLayout::latent;
    Dtype kv_dtype = Dtype::bf16;
    std::uint64_t kv_bytes_per_token = 0; ///< one token of one sequence, all layers, one rank
    std::uint64_t context = 0;
    std::uint64_t batch = 1;
    std::uint64_t tp = 1;
    std::uint64_t kv_bytes = 0; ///< context x batch tokens, one rank
    /// With a budget: the largest context that fits (0: the weights fit but not one token does);
    /// unset when there is no budget or when the weights alone do not fit (`weights_fit`).
    std::optional<std::uint64_t> max_context{};
    bool weights_fit = true;               ///< false: with a budget, the weights alone exceed it
    MemoryError error = MemoryError::none; ///< a layout or tp the model cannot take
};

/// The KV query of a report: its ranks, layout and dtype, for one token of one sequence.
constexpr KvQuery kv_query_of(const Report& r) noexcept {
    KvQuery q{};
    q.tp = r.tp;
    q.layout = r.kv_layout;
    q.dtype = r.kv_dtype;
    return q;
}

/// The budget query of a report: `budget_bytes` per rank next to the report's weights per rank,
/// with its batch, ranks, layout and dtype.
constexpr BudgetQuery budget_query_of(const Report& r, std::uint64_t budget_bytes) noexcept {
    BudgetQuery q{};
    q.budget_bytes = budget_bytes;
    q.batch = r.batch;
    q.tp = r.tp;
    q.weight_bytes = r.weight_bytes;
    q.kv_layout = r.kv_layout;
    q.kv_dtype = r.kv_dtype;
    return q;
}

/// Computes the report of a config. On a layout or tensor-parallel size the model cannot take,
/// `error` says which and the byte figures that depend on it are 0.
template <class C> [[nodiscard]] constexpr Report make_report(const C& c, const ReportOptions& options) {
    Report r{};
    r.weights_dtype = options.weights_dtype;
    r.kv_layout = options.kv_layout ? *options.kv_layout : default_kv_layout(c);
    r.kv_dtype = options.kv_dtype ? *options.kv_dtype : model_dtype(c);
    r.context = options.context ? *options.context : default_context(c);
    r.batch = options.batch;
    r.tp = options.tp;

    if (options.tp == 0) {
        r.error = MemoryError::tp_zero;
        return r;
    }
    // One walk over the tensors gives the parameters, the checkpoint and the weights per rank.
    detail::BreakdownSum params{detail::value_or_zero(c.num_experts_per_tok)};
    detail::CheckpointBytesSum<C> checkpoint{c, 1};
    detail::CheckpointBytesSum<C> released_per_rank{c, options.tp};
    detail::UniformBitsSum uniform_per_rank{options.weights_dtype ? *options.weights_dtype : Dtype::bf16, options.tp};
    detail::for_each_tensor_summed(c, [&](const TensorSpec& t) {
        const std::uint64_t n = t.elements(); // once, for all the sums
        params.add(t, n);
        checkpoint.add(t, n);
        if (options.weights_dtype)
            uniform_per_rank.add(t, n);
        else if (options.tp != 1)
            released_per_rank.add(t, n); // at tp 1 it is the checkpoint
    });
    r.params = detail::model_breakdown(c, params);
    const SizeResult checkpoint_bytes = checkpoint.bytes();
    r.checkpoint_bytes = checkpoint_bytes.value;
    const SizeResult weights = options.weights_dtype ? detail::bits_to_bytes(uniform_per_rank.bits())
                               : options.tp == 1     ? checkpoint_bytes
                                                     : released_per_rank.bytes();
    if (!weights) {
        r.error = weights.error;
        return r;
    }
    r.weight_bytes = weights.value;

    KvQuery kv = kv_query_of(r);
    const SizeResult per_token = kv_cache_bytes(c, kv);
    if (!per_token) {
        r.error = per_token.error;
        return r;
    }
    r.kv_bytes_per_token = per_token.value;
    kv.tokens = r.context;
    kv.batch = r.batch;
    r.kv_bytes = kv_cache_bytes(c, kv).value;
    if (options.budget) {
        const BudgetQuery budget = budget_query_of(r, *options.budget);
        const SizeResult fit = max_context_tokens(c, budget);
        r.weights_fit = fit.error != MemoryError::weights_do_not_fit;
        if (fit) r.max_context = fit.value;
    }
    return r;
}

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_REPORT_HPP
