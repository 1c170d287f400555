// Query builders for the tests: the KV and budget queries of memory.hpp filled from one line.
// (The library takes named fields; the tests' tables read better in one row.)
#ifndef DEEPSEEK_CONFIG_TESTS_QUERIES_HPP
#define DEEPSEEK_CONFIG_TESTS_QUERIES_HPP

#include <deepseek/memory.hpp>

#include <cstdint>
#include <optional>

namespace test_support {

/// KV cache of `tokens` x `batch` at `dtype` on one of `tp` ranks, in `layout`.
constexpr deepseek::KvQuery kv_query(deepseek::KvLayout layout, std::uint64_t tokens, std::uint64_t batch,
                                     deepseek::Dtype dtype, std::uint64_t tp) {
    deepseek::KvQuery q{};
    q.tokens = tokens;
    q.batch = batch;
    q.tp = tp;
    q.layout = layout;
    q.dtype = dtype;
    return q;
}

/// The weights one of `tp` ranks holds at `dtype` (unset: as released), MTP modules included:
/// the tests' figures for V3 count them (the library's default leaves them out).
constexpr deepseek::WeightQuery weight_query(std::optional<deepseek::Dtype> dtype, std::uint64_t tp) {
    deepseek::WeightQuery q{};
    q.tp = tp;
    q.dtype = dtype;
    q.mtp = true;
    return q;
}

/// `budget` bytes per rank for weights at `weights` (unset: as released; MTP modules included, as
/// in weight_query) and `batch` sequences of KV in `layout` at `kv` on one of `tp` ranks.
constexpr deepseek::BudgetQuery budget_query(std::uint64_t budget, std::optional<deepseek::Dtype> weights,
                                             deepseek::KvLayout layout, deepseek::Dtype kv, std::uint64_t batch,
                                             std::uint64_t tp) {
    deepseek::BudgetQuery q{};
    q.budget_bytes = budget;
    q.batch = batch;
    q.tp = tp;
    q.weights_dtype = weights;
    q.mtp = true;
    q.kv_layout = layout;
    q.kv_dtype = kv;
    return q;
}

/// As budget_query, with the weights per rank given as a byte count.
constexpr deepseek::BudgetQuery given_weights_query(std::uint64_t weight_bytes, deepseek::KvLayout layout,
                                                    deepseek::Dtype kv, std::uint64_t batch, std::uint64_t tp,
                                                    std::uint64_t budget) {
    deepseek::BudgetQuery q = budget_query(budget, std::nullopt, layout, kv, batch, tp);
    q.weight_bytes = weight_bytes;
    return q;
}

} // namespace test_support

#endif
