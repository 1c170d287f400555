// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// How SGLang divides the memory it has left after the weights among DeepSeek-V4's caches:
// `DSV4PoolConfigurator` in python/sglang/srt/model_executor/pool_configurator.py, read at sglang
// 003fca80 (2026) and in its earlier form (v0.5.12.post1's), with the defaults of
// arg_groups/deepseek_v4_hook.py at 006cbb66 and arg_groups/model_overrides/deepseek_v4.py.
// SGLang prices a "full" token (one token of the longest context) by what it costs every cache,
// including the sliding-window pool and the compressor state it sizes as fractions of the full
// pool, sets aside what it sizes per request, and divides. The figures here are that division,
// in SGLang's floating point, so they match the `DSV4 memory calculation` and `DSV4 pool sizes`
// lines of its log; what the buffers then allocate (pages padded to 576 bytes, a spare page each)
// is not part of the sizing and is not counted here. `constexpr`, standard library only.
#ifndef DEEPSEEK_CONFIG_SGLANG_V4_POOL_HPP
#define DEEPSEEK_CONFIG_SGLANG_V4_POOL_HPP

#include <cstdint>

#include "config.hpp"
#include "dtypes.hpp"
#include "overflow.hpp"

namespace deepseek {
inline namespace DEEPSEEK_CONFIG_ABI_NAMESPACE {

/// The two ways SGLang has sized the ratio-128 layers' compressor state.
enum class SglangV4Sizing {
    /// pool_configurator.py at 003fca80: a ring for each request slot, set aside before the
    /// division, and a full token priced over the decoder layers of the GPU's pipeline stage.
    request_state,
    /// The earlier configurator (sglang v0.5.12.post1): the rings priced per full token, as a
    /// fraction of the window pool (c128_state = swa / window x ring), and a full token priced
    /// over every entry of compress_ratios (the MTP block's too) on every pipeline stage.
    token_state,
};

/// SGLang's settings that size DeepSeek-V4's pool, with SGLang's defaults for V4.
struct SglangV4Settings {
    SglangV4Sizing sizing = SglangV4Sizing::request_state; ///< the SGLang code whose sizing is modelled
    /// `--swa-full-tokens-ratio`: the sliding-window pool's tokens per full token (0.1, the V4
    /// override's default when unset). In (0, 1].
    double swa_full_tokens_ratio = 0.1;
    /// `--page-size`: 256, which SGLang asserts for V4's paged window pool on GPUs (a multiple of
    /// 128 in the configurator).
    std::uint64_t page_size = 256;
    /// `--speculative-algorithm EAGLE` (the MTP draft): compressor rings of 16 and 256 rows
    /// instead of 8 and 128, and every token priced (layers + 1) / layers for the draft's cache.
    bool speculative = false;
    /// `--max-running-requests` over all DP-attention workers: 256, which SGLang's V4 hook sets
    /// when it is unset. Each worker keeps a ratio-128 compressor ring for each of its
    /// max_running_requests / attention_dp requests and one more. 0: SGLang's own estimate
    /// (pool_configurator.py `_get_c128_state_fixed_bytes_for_token_capacity`, used when nothing
    /// sets it): full tokens / context x 512, clamped to 2,048 to 4,096 and to half the tokens.
    std::uint64_t max_running_requests = 256;
    /// DP-attention groups (`--dp` with `--enable-dp-attention`), each sizing its own pool.
    std::uint64_t attention_dp = 1;
    /// `--context-length`, used only by the estimate above. 0: max_position_embeddings.
    std::uint64_t context_length = 0;
    /// `SGLANG_DSV4_COMPRESS_STATE_DTYPE=bfloat16`: 2-byte compressor state instead of float32.
    bool bf16_state = false;
};

/// SGLang's DeepSeek-V4 pool on one GPU: its `DSV4 memory calculation` and `DSV4 pool sizes`.
struct SglangV4Pool {
    /// Bytes SGLang prices a full token at, over the layers of the GPU's pipeline stage
    /// (`bytes_per_full_token`, logged to two decimals).
    double bytes_per_full_token = 0;
    /// Request slots' worth of ratio-128 compressor rings set aside first (`c128_state_fixed`).
    std::uint64_t c128_state_fixed_bytes = 0;
    std::uint64_t requests = 0; ///< the worker's max_running_requests the rings were set aside for
    std::uint64_t full = 0;     ///< tokens of the full pool (`max_total_num_tokens`), whole pages
    std::uint64_t swa = 0;      ///< tokens of the sliding-window pool: full x ratio, whole pages
    std::uint64_t c4 = 0;       ///< compressed entries of each ratio-4 layer: full / 4
    std::uint64_t c128 = 0;     ///< compressed entries of each ratio-128 layer: full / 128
    std::uint64_t c4_state = 0; ///< rows of each ratio-4 compressor state: swa / window x ring
    /// rows of each ratio-128 compressor state: (requests + 1) x ring, or swa / window x ring
    /// (token_state)
    std::uint64_t c128_state = 0;
};

/// The layers SGLang prices a full token over, by compress ratio.
struct SglangV4Layers {
    std::uint64_t all = 0, ratio4 = 0, ratio128 = 0;
};

/// The layers SGLang prices a full token over on a GPU holding decoder layers [first, first +
/// count): those layers (request_state: SGLang slices compress_ratios by the stage's layers, so
/// the MTP block's entry, past the last decoder layer, is left out), or every entry of
/// compress_ratios whatever the stage (token_state; a file without the list: the decoder layers
/// and the MTP blocks, as the released files list them).
[[nodiscard]] constexpr SglangV4Layers sglang_v4_layers(const DeepseekV4Config& c, const SglangV4Settings& s,
                                                        std::uint64_t first, std::uint64_t count) noexcept {
    std::uint64_t end = first + count < c.num_hidden_layers ? first + count : c.num_hidden_layers;
    if (s.sizing == SglangV4Sizing::token_state) {
        first = 0;
        end = c.compress_ratios ? c.compress_ratios->size() : c.num_hidden_layers + c.num_nextn_predict_layers;
    }
    SglangV4Layers n{};
    for (std::uint64_t i = first; i < end; ++i) {
        const std::uint64_t r = v4_compress_ratio(c, i);
        ++n.all;
        n.ratio4 += r == 4 ? 1 : 0;
        n.ratio128 += r == 128 ? 1 : 0;
    }
    return n;
}

/// The compressor rings' rows a request (`get_compress_state_ring_size`): 8 for ratio 4 and 128
/// for ratio 128, twice that with speculative decoding.
[[nodiscard]] constexpr std::uint64_t sglang_v4_ring(std::uint64_t ratio, bool speculative) noexcept {
    return (ratio == 4 ? std::uint64_t{8} : std::uint64_t{128}) * (speculative ? 2U : 1U);
}

/// What SGLang prices one full token at on a GPU holding `n`'s layers (`_get_bytes_per_full_token`,
/// then the draft's share), in its order of floating-point operations:
///   ratio x 584 x layers                     the sliding-window pool (584-byte entries)
/// + 1/4 x 584 x ratio-4 layers               their compressed entries
/// + 1/128 x 584 x ratio-128 layers           theirs
/// + 1/4 x 132 x ratio-4 layers               the indexer keys (FP8 with a float32 scale per 128)
/// + ratio x ring/window x 2 x 2 x head_dim x 4 x ratio-4 layers      their compressor state
/// + ratio x ring/window x 2 x head_dim x 4 x ratio-128 layers   theirs (token_state only)
/// + ratio x ring/window x 2 x 2 x index_head_dim x 4 x ratio-4 layers  their indexer's
/// where 584 is head_dim - rope + 2 rope + 8 and 132 is index_head_dim + index_head_dim / 128 x 4,
/// as SGLang writes them (its sizing takes the FP8 indexer key whichever indexer cache is used),
/// and request_state sets the ratio-128 state aside per request instead
/// (sglang_v4_c128_state_bytes).
[[nodiscard]] constexpr double sglang_v4_bytes_per_full_token(const DeepseekV4Config& c, const SglangV4Settings& s,
                                                              const SglangV4Layers& n) noexcept {
    const std::uint64_t rope = v4_rope_head_dim(c);
    const double kv_bytes = static_cast<double>((c.head_dim > rope ? c.head_dim - rope : 0) + rope * 2 + 8);
    const double indexer_bytes = static_cast<double>(c.index_head_dim + c.index_head_dim / 128 * 4);
    const double state_size = s.bf16_state ? 2.0 : 4.0;
    const double c4_state_bytes = 2.0 * 2.0 * static_cast<double>(c.head_dim) * state_size;
    const double c4_indexer_state_bytes = 2.0 * 2.0 * static_cast<double>(c.index_head_dim) * state_size;
    const double c128_state_bytes = 2.0 * static_cast<double>(c.head_dim) * state_size;
    const double window = static_cast<double>(c.sliding_window);
    const double c4_state_ratio = static_cast<double>(sglang_v4_ring(4, s.speculative)) / window;
    const double c128_state_ratio = s.sizing == SglangV4Sizing::token_state
                                        ? static_cast<double>(sglang_v4_ring(128, s.speculative)) / window
                                        : 0.0;
    const double all = static_cast<double>(n.all), r4 = static_cast<double>(n.ratio4);
    const double r128 = static_cast<double>(n.ratio128), ratio = s.swa_full_tokens_ratio;
    double bytes = ratio * kv_bytes * all + 0.25 * kv_bytes * r4 + 1.0 / 128 * kv_bytes * r128 +
                   1.0 / 4 * indexer_bytes * r4 + ratio * c4_state_ratio * c4_state_bytes * r4 +
                   ratio * c128_state_ratio * c128_state_bytes * r128 +
                   ratio * c4_state_ratio * c4_indexer_state_bytes * r4;
    if (s.speculative && n.all != 0) bytes *= (all + 1) / all; // the one MTP block's cache
    return bytes;
}

/// The ratio-128 compressor rings request_state sets aside for `requests` requests on a GPU
/// holding `n`'s layers (`_get_c128_state_fixed_bytes`): (requests + 1) rings and one ring and a
/// row more, rounded up to 128 rows, of 2 x head_dim state values, for each ratio-128 layer.
/// token_state sets none aside.
[[nodiscard]] constexpr std::uint64_t sglang_v4_c128_state_bytes(const DeepseekV4Config& c, const SglangV4Settings& s,
                                                                 const SglangV4Layers& n, std::uint64_t requests) {
    if (n.ratio128 == 0 || s.sizing == SglangV4Sizing::token_state) return 0;
    const char* const what = "SGLang pool";
    const std::uint64_t ring = sglang_v4_ring(128, s.speculative);
    const std::uint64_t rows = detail::checked_add(detail::checked_mul(requests + 1, ring, what), ring + 1, what);
    const std::uint64_t padded = detail::checked_mul(detail::ceil_div(rows, 128), 128, what);
    const std::uint64_t row_bytes = detail::checked_mul(2 * c.head_dim, s.bf16_state ? 2 : 4, what);
    return detail::checked_mul(detail::checked_mul(padded, row_bytes, what), n.ratio128, what);
}

/// Pool `p` (its bytes a full token, rings and requests set) sized from `full_tokens` full
/// tokens, as SGLang's `_compute_dsv4_sizes` and `finalize_with_max_running_requests` size it:
/// the full pool in whole pages, the window pool its ratio in whole pages, the compressed pools a
/// quarter and 1/128, the compressor states' rows. SGLang sizes every pipeline stage's pools so
/// from the smallest full pool of any stage. No page: every pool 0.
[[nodiscard]] constexpr SglangV4Pool sglang_v4_pool_sizes(const DeepseekV4Config& c, const SglangV4Settings& s,
                                                          SglangV4Pool p, std::uint64_t full_tokens) {
    const char* const what = "SGLang pool";
    p.full = s.page_size == 0 ? 0 : full_tokens / s.page_size * s.page_size;
    if (p.full == 0 || c.sliding_window == 0)
        return SglangV4Pool{p.bytes_per_full_token, p.c128_state_fixed_bytes, p.requests};
    const double swa = static_cast<double>(p.full) * s.swa_full_tokens_ratio; // int(full x ratio)
    p.swa = static_cast<std::uint64_t>(swa) / s.page_size * s.page_size;
    p.c4 = p.full / 4;
    p.c128 = p.full / 128;
    p.c4_state = detail::checked_mul(p.swa / c.sliding_window, sglang_v4_ring(4, s.speculative), what);
    const std::uint64_t ring128 = sglang_v4_ring(128, s.speculative);
    p.c128_state = s.sizing == SglangV4Sizing::token_state
                       ? detail::checked_mul(p.swa / c.sliding_window, ring128, what)
                       : detail::checked_mul(p.requests + 1, ring128, what);
    return p;
}

/// SGLang's DeepSeek-V4 pool on a GPU holding decoder layers [first, first + count) with
/// `available_bytes` left for its caches (SGLang's `available_bytes`: the free memory after the
/// weights less (1 - mem_fraction_static) of the free memory before them), by
/// `DSV4PoolConfigurator.calculate_pool_sizes` and `finalize_with_max_running_requests`. Under
/// pipelining SGLang takes the smallest available_bytes of its stages for every stage (and with
/// request_state each stage prices its own layers). When nothing is left for a page, every pool
/// is 0 (SGLang stops: "Not enough memory").
/// Errors: engine_option_invalid for a page size that is not a positive multiple of 128, a
/// ratio outside (0, 1], or no attention_dp; layout_not_for_v4 for a layer whose compress ratio
/// is not 0, 4 or 128.
[[nodiscard]] constexpr Result<SglangV4Pool, MemoryError> sglang_v4_pool(const DeepseekV4Config& c,
                                                                         std::uint64_t available_bytes,
                                                                         const SglangV4Settings& s, std::uint64_t first,
                                                                         std::uint64_t count) {
    if (s.page_size == 0 || s.page_size % 128 != 0 || s.attention_dp == 0 || !(s.swa_full_tokens_ratio > 0) ||
        s.swa_full_tokens_ratio > 1 || c.sliding_window == 0)
        return MemoryError::engine_option_invalid;
    for (std::uint64_t i = 0; i < c.num_hidden_layers + c.num_nextn_predict_layers; ++i) {
        const std::uint64_t r = v4_compress_ratio(c, i);
        if (r != 0 && r != 4 && r != 128) return MemoryError::layout_not_for_v4;
    }
    return detail::overflow_as_error([&]() -> Result<SglangV4Pool, MemoryError> {
        const SglangV4Layers n = sglang_v4_layers(c, s, first, count);
        SglangV4Pool p{};
        p.bytes_per_full_token = sglang_v4_bytes_per_full_token(c, s, n);
        if (!(p.bytes_per_full_token > 0)) return p;
        const auto tokens_for = [&](std::uint64_t bytes) {
            const double t = static_cast<double>(bytes) / p.bytes_per_full_token; // int(bytes / bpft)
            return t >= 18446744073709549568.0 ? ~std::uint64_t{0} : static_cast<std::uint64_t>(t);
        };
        p.requests = s.max_running_requests / s.attention_dp;
        if (s.max_running_requests == 0) {
            // SGLang's estimate from the tokens the whole room would hold.
            const std::uint64_t context = s.context_length != 0 ? s.context_length : c.max_position_embeddings;
            const std::uint64_t tokens = tokens_for(available_bytes);
            const double by_context =
                context == 0 ? 0.0 : static_cast<double>(tokens) / static_cast<double>(context) * 512;
            std::uint64_t estimate = by_context >= 4096 ? 4096 : static_cast<std::uint64_t>(by_context);
            estimate = estimate < 2048 ? 2048 : estimate;
            p.requests = estimate < tokens / 2 ? estimate : tokens / 2;
        }
        p.c128_state_fixed_bytes = sglang_v4_c128_state_bytes(c, s, n, p.requests);
        const std::uint64_t room =
            available_bytes > p.c128_state_fixed_bytes ? available_bytes - p.c128_state_fixed_bytes : 0;
        return sglang_v4_pool_sizes(c, s, p, tokens_for(room));
    });
}

} // namespace DEEPSEEK_CONFIG_ABI_NAMESPACE
} // namespace deepseek

#endif // DEEPSEEK_CONFIG_SGLANG_V4_POOL_HPP
