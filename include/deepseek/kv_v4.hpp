// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// DeepSeek-V4's KV cache, per engine. Every layer keeps a 128-token sliding window of its one
// K=V vector; a ratio-4 layer adds one compressed entry per 4 tokens and an indexer key per
// compressed entry, a ratio-128 layer one compressed entry per 128 tokens; a compressed layer
// also carries its compressor's float32 state. So a sequence costs a constant (windows and
// states) plus a growth per token, both given here for the formats engines allocate.
// `constexpr`, standard library only.
#ifndef DEEPSEEK_CONFIG_KV_V4_HPP
#define DEEPSEEK_CONFIG_KV_V4_HPP

#include <array>
#include <cstdint>
#include <string_view>

#include "config.hpp"
#include "enums.hpp"
#include "overflow.hpp"

namespace deepseek {

/// The KV-cache formats engines allocate for DeepSeek-V4 (the MTP draft blocks excluded).
enum class V4KvFormat {
    /// DeepSeek's inference demo: BF16 entries of head_dim values (1,024 bytes), BF16 indexer keys
    /// (256 bytes), float32 compressor state, preallocated for the whole context.
    demo_bf16,
    /// vLLM's fp8_ds_mla: 584-byte entries (448 FP8 values without RoPE, 64 BF16 RoPE values, 7
    /// UE8M0 scales, 1 pad), 132-byte FP8 indexer keys (128 values and a float32 scale), in
    /// blocks of 256 tokens whose pages are rounded up to 576 bytes, windows in blocks of 64.
    vllm_fp8,
    /// SGLang: the same 584-byte entries and 132-byte FP8 indexer keys, no block rounding
    /// modelled.
    sglang_fp8,
    /// SGLang with its FP4 indexer cache: indexer keys of 68 bytes (64 bytes of FP4 values and 4
    /// UE8M0 scales).
    sglang_fp4_indexer,
    /// llama.cpp: F16 K=V entries (1,024 bytes) and F16 indexer keys (256 bytes).
    llamacpp_f16,
};

template <> struct enum_table<V4KvFormat> {
    static constexpr std::array<EnumEntry<V4KvFormat>, 5> entries{{
        {V4KvFormat::demo_bf16, "demo_bf16"},
        {V4KvFormat::vllm_fp8, "vllm_fp8"},
        {V4KvFormat::sglang_fp8, "sglang_fp8"},
        {V4KvFormat::sglang_fp4_indexer, "sglang_fp4_indexer"},
        {V4KvFormat::llamacpp_f16, "llamacpp_f16"},
    }};
};

/// One sequence's KV cache of DeepSeek-V4 at a number of tokens, by component, in bytes.
struct V4KvBytes {
    std::uint64_t window = 0;             ///< the sliding windows of every layer
    std::uint64_t compressed_sparse = 0;  ///< compressed entries of the ratio-4 layers
    std::uint64_t heavily_compressed = 0; ///< compressed entries of the ratio-128 layers
    std::uint64_t indexer = 0;            ///< indexer keys of the ratio-4 layers
    std::uint64_t compressor_state = 0;   ///< float32 compressor state (main and indexer)
    std::uint64_t total = 0;
};

namespace detail {
/// vLLM's page alignment (FlashMLA) and its block of tokens for the compressed caches.
inline constexpr std::uint64_t vllm_v4_page_align = 576;
inline constexpr std::uint64_t vllm_v4_block_tokens = 256;
/// vLLM's block of tokens for the sliding-window cache.
inline constexpr std::uint64_t vllm_v4_window_block_tokens = 64;

constexpr std::uint64_t round_up(std::uint64_t n, std::uint64_t to) {
    return checked_mul(ceil_div(n, to), to, "KV cache bytes");
}
/// Bytes of a vLLM page of `rows` rows of `bytes` each, rounded up to vllm_v4_page_align.
constexpr std::uint64_t vllm_v4_page(std::uint64_t rows, std::uint64_t bytes) {
    return round_up(checked_mul(rows, bytes, "KV cache bytes"), vllm_v4_page_align);
}
} // namespace detail

/// Bytes of one compressed (or window) entry of the main cache in a format: vLLM and SGLang
/// store the head_dim - rope values in FP8 with a UE8M0 scale per 64, the rope values in BF16,
/// and one pad byte (448 + 128 + 7 + 1 = 584 for V4); the demo and llama.cpp 2 x head_dim.
[[nodiscard]] constexpr std::uint64_t v4_kv_entry_bytes(const DeepseekV4Config& c, V4KvFormat f) {
    const char* const what = "KV cache bytes";
    const std::uint64_t rope = v4_rope_head_dim(c);
    const std::uint64_t nope = c.head_dim > rope ? c.head_dim - rope : 0;
    switch (f) {
    case V4KvFormat::demo_bf16:
    case V4KvFormat::llamacpp_f16: return detail::checked_mul(2, c.head_dim, what);
    case V4KvFormat::vllm_fp8:
    case V4KvFormat::sglang_fp8:
    case V4KvFormat::sglang_fp4_indexer:
        return detail::checked_add(detail::checked_add(nope, detail::checked_mul(2, rope, what), what),
                                   detail::checked_add(detail::ceil_div(nope, 64), 1, what), what);
    }
    return 0;
}

/// Bytes of one indexer key (one per compressed entry of a ratio-4 layer): BF16 / F16 values in
/// the demo and llama.cpp (256), FP8 with a float32 scale per 128 in vLLM and SGLang (132),
/// FP4 with a UE8M0 scale per 32 in SGLang's FP4 indexer (68).
[[nodiscard]] constexpr std::uint64_t v4_indexer_entry_bytes(const DeepseekV4Config& c, V4KvFormat f) {
    const char* const what = "KV cache bytes";
    const std::uint64_t d = c.index_head_dim;
    switch (f) {
    case V4KvFormat::demo_bf16:
    case V4KvFormat::llamacpp_f16: return detail::checked_mul(2, d, what);
    case V4KvFormat::vllm_fp8:
    case V4KvFormat::sglang_fp8:
        return detail::checked_add(d, detail::checked_mul(detail::ceil_div(d, 128), 4, what), what);
    case V4KvFormat::sglang_fp4_indexer:
        return detail::checked_add(detail::ceil_div(d, 2), detail::ceil_div(d, 32), what);
    }
    return 0;
}

/// Bytes of one compressor's float32 state of width `d` at ratio r: the demo's kv_state and
/// score_state, [coff r, coff d] each (coff = 2 at ratio 4, else 1): 65,536 bytes for V4's
/// ratio-4 layers, 524,288 for ratio 128, 16,384 for an indexer's.
[[nodiscard]] constexpr std::uint64_t v4_compressor_state_bytes(std::uint64_t ratio, std::uint64_t d) {
    const char* const what = "KV cache bytes";
    const std::uint64_t coff = ratio == 4 ? 2 : 1;
    return detail::checked_mul(detail::checked_mul(2, detail::checked_mul(coff, ratio, what), what),
                               detail::checked_mul(detail::checked_mul(coff, d, what), 4, what), what);
}

/// Whether a format's per-sequence constant (windows and compressor state) is exact: the demo's
/// preallocation is; the engines' window blocks, speculative-decoding slots and state pages are
/// modelled approximately (their growth per token is exact).
[[nodiscard]] constexpr bool v4_kv_constant_exact(V4KvFormat f) noexcept { return f == V4KvFormat::demo_bf16; }

namespace detail {
/// v4_kv_cache_bytes of a config whose layer kinds are `kinds`.
constexpr V4KvBytes v4_kv_bytes(const DeepseekV4Config& c, const V4LayerKinds& kinds, V4KvFormat f,
                                std::uint64_t tokens) {
    const char* const what = "KV cache bytes";
    const std::uint64_t entry = v4_kv_entry_bytes(c, f);
    const std::uint64_t key = v4_indexer_entry_bytes(c, f);
    V4KvBytes b{};
    if (f == V4KvFormat::vllm_fp8) {
        const std::uint64_t blocks = ceil_div(tokens, vllm_v4_block_tokens);
        const std::uint64_t window_blocks = ceil_div(c.sliding_window, vllm_v4_window_block_tokens) + 1;
        const std::uint64_t window_page = vllm_v4_page(vllm_v4_window_block_tokens, entry);
        b.window = checked_mul(checked_mul(window_blocks, window_page, what), c.num_hidden_layers, what);
        b.compressed_sparse = checked_mul(checked_mul(blocks, vllm_v4_page(vllm_v4_block_tokens / 4, entry), what),
                                          kinds.compressed_sparse, what);
        b.heavily_compressed = checked_mul(checked_mul(blocks, vllm_v4_page(vllm_v4_block_tokens / 128, entry), what),
                                           kinds.heavily_compressed, what);
        b.indexer = checked_mul(checked_mul(blocks, vllm_v4_page(vllm_v4_block_tokens / 4, key), what),
                                kinds.compressed_sparse, what);
    } else {
        b.window = checked_mul(checked_mul(c.sliding_window, entry, what), c.num_hidden_layers, what);
        b.compressed_sparse = checked_mul(checked_mul(tokens / 4, entry, what), kinds.compressed_sparse, what);
        b.heavily_compressed = checked_mul(checked_mul(tokens / 128, entry, what), kinds.heavily_compressed, what);
        b.indexer = checked_mul(checked_mul(tokens / 4, key, what), kinds.compressed_sparse, what);
    }
    const std::uint64_t state_4 =
        checked_add(v4_compressor_state_bytes(4, c.head_dim), v4_compressor_state_bytes(4, c.index_head_dim), what);
    b.compressor_state =
        checked_add(checked_mul(state_4, kinds.compressed_sparse, what),
                    checked_mul(v4_compressor_state_bytes(128, c.head_dim), kinds.heavily_compressed, what), what);
    for (const std::uint64_t n : {b.window, b.compressed_sparse, b.heavily_compressed, b.indexer, b.compressor_state})
        b.total = checked_add(b.total, n, what);
    return b;
}

/// v4_kv_growth_per_256_tokens of a config whose layer kinds are `kinds`; without `page_rounding`,
/// the entries' own bytes (v4_kv_unpadded_growth_per_256_tokens).
constexpr std::uint64_t v4_kv_growth(const DeepseekV4Config& c, const V4LayerKinds& kinds, V4KvFormat f,
                                     bool page_rounding = true) {
    const char* const what = "KV cache bytes";
    const std::uint64_t entry = v4_kv_entry_bytes(c, f);
    const std::uint64_t key = v4_indexer_entry_bytes(c, f);
    const bool paged = page_rounding && f == V4KvFormat::vllm_fp8;
    const auto page = [&](std::uint64_t bytes) { return paged ? round_up(bytes, vllm_v4_page_align) : bytes; };
    const std::uint64_t per_4 = checked_add(page(checked_mul(64, entry, what)), page(checked_mul(64, key, what)), what);
    const std::uint64_t per_128 = page(checked_mul(2, entry, what));
    return checked_add(checked_mul(per_4, kinds.compressed_sparse, what),
                       checked_mul(per_128, kinds.heavily_compressed, what), what);
}
} // namespace detail

/// One sequence's KV cache of `tokens` tokens in format `f`, the decoder layers' (MTP draft
/// blocks excluded). Compressed entries: floor(tokens / r) per layer (a compressor emits an entry
/// once r tokens are in); vLLM allocates whole 256-token blocks per compressed cache, each page
/// rounded up to 576 bytes, and its window in 64-token blocks (ceil(window / 64) + 1 of them,
/// approximate). Windows: sliding_window entries per layer. Compressor state: per compressed
/// layer, the demo's float32 state (main, and the indexer's on ratio-4 layers).
[[nodiscard]] constexpr V4KvBytes v4_kv_cache_bytes(const DeepseekV4Config& c, V4KvFormat f, std::uint64_t tokens) {
    return detail::v4_kv_bytes(c, v4_layer_kinds(c), f, tokens);
}

/// The growth of one sequence's KV cache over 256 tokens (so that it is a whole number: 256 is a
/// multiple of both ratios), in bytes: per ratio-4 layer 64 entries and 64 indexer keys, per
/// ratio-128 layer 2 entries. `paged` (vLLM): each block's pages rounded up to 576 bytes, as
/// vLLM allocates them; otherwise the entries' bytes. Divide by 256 for bytes per token (V4-Flash
/// in vLLM: 3,915 paged, 3,850.25 unpadded).
[[nodiscard]] constexpr std::uint64_t v4_kv_growth_per_256_tokens(const DeepseekV4Config& c, V4KvFormat f) {
    return detail::v4_kv_growth(c, v4_layer_kinds(c), f);
}

/// The same growth without vLLM's page rounding (the entries' own bytes), for any format.
[[nodiscard]] constexpr std::uint64_t v4_kv_unpadded_growth_per_256_tokens(const DeepseekV4Config& c, V4KvFormat f) {
    return detail::v4_kv_growth(c, v4_layer_kinds(c), f, false);
}

/// The vLLM releases whose layout of DeepSeek-V4's pool is modelled (vllm_v4_pool). 0.26 to 0.30
/// are between the two in ways not checked.
enum class VllmRelease {
    /// 0.23 to 0.25: the compressed caches one group, each window and state kind another, split
    /// into groups of about equal layer tuples (_get_kv_cache_groups_uniform_groups); every page
    /// padded up to the next compressed-cache page size, and a block one page of each slot
    /// (_bucket_layers_by_page_size, #44454): 1,039,680 bytes for V4-Flash. Its log's
    /// concurrency is a request's bytes over the compressed group's page
    /// (vllm_v4_reported_blocks_per_request); its windows keep one batch in flight.
    v0_23,
    /// 0.31 (and the newest code read): the packed grouping below, 1,002,240 bytes for V4-Flash.
    v0_31,
};

/// vLLM's block pool for DeepSeek-V4's cache in its fp8_ds_mla format, as vLLM lays it out since
/// its generic packed grouping (v1/core/kv_cache_planning.py at 4253bd44; vLLM 0.31): every cache
/// of every layer is a "layer" of the pool, bucketed by how it holds tokens:
/// - compressed entries and indexer keys (a block per 256 tokens: 256 / r entries of a ratio-r
///   layer, 64 indexer keys of a ratio-4 layer);
/// - each layer's sliding window, the MTP blocks' too (64 tokens a block, window sliding_window);
/// - ratio-4 compressor states, main and indexer (4 tokens a block, window 8);
/// - ratio-128 compressor states (8 tokens a block, window 128),
/// each page rounded up to 576 bytes. A bucket whose page sizes all count the same layers is split
/// into groups of about equal layers (_approximate_gcd, floored by the largest such bucket of
/// several page sizes); a block holds one page of each layer of the widest group, and each group
/// takes its own blocks from the one pool. Under pipelining the groups are the whole model's and
/// each stage's block its own (vllm_v4_stage_block_bytes). vLLM 0.23 to 0.25 lay it out
/// otherwise (VllmRelease::v0_23), and 0.26 to 0.30 in ways not checked.
struct VllmV4Pool {
    /// One kind of group: how many groups, tokens per block, and the window (0: a block per
    /// block_tokens tokens of the whole request).
    struct Kind {
        std::uint64_t groups = 0;
        std::uint64_t block_tokens = 0;
        std::uint64_t window = 0;
    };
    std::uint64_t block_bytes = 0; ///< one block: the pages of the widest group, every layer held (pp 1)
    std::array<Kind, 4> kinds{};   ///< compressed and indexer, sliding window, ratio-4 state, ratio-128 state
    /// The groups of every kind.
    [[nodiscard]] constexpr std::uint64_t groups() const noexcept {
        std::uint64_t n = 0;
        for (const Kind& k : kinds) n += k.groups;
        return n;
    }
};

namespace detail {
/// vLLM's _approximate_gcd: the d from lower_bound to the largest value that pads the values up
/// to multiples of d the least (ties: the larger d).
constexpr std::uint64_t approximate_gcd(const std::array<std::uint64_t, 4>& values, std::size_t n,
                                        std::uint64_t lower_bound) {
    std::uint64_t max_d = 0;
    for (std::size_t i = 0; i < n; ++i) max_d = values[i] > max_d ? values[i] : max_d;
    const std::uint64_t min_d = lower_bound > 1 ? lower_bound : 1;
    if (min_d > max_d) return min_d;
    std::uint64_t best_d = min_d, best_pad = ~std::uint64_t{0};
    for (std::uint64_t d = min_d; d <= max_d; ++d) {
        std::uint64_t pad = 0;
        for (std::size_t i = 0; i < n; ++i) pad += (d - values[i] % d) % d;
        if (pad <= best_pad) best_pad = pad, best_d = d; // ties go to the larger d
    }
    return best_d;
}
} // namespace detail

namespace detail {
/// One bucket of vLLM's pool: its page sizes and the layers of each (a page size met twice
/// counts once, as vLLM keys the bucket's layers by page size).
struct VllmV4Bucket {
    std::array<std::uint64_t, 3> page{}, layers{};
    std::size_t sizes = 0;
    constexpr void add(std::uint64_t p, std::uint64_t n) {
        if (n == 0) return;
        for (std::size_t i = 0; i < sizes; ++i)
            if (page[i] == p) return (void)(layers[i] += n);
        page[sizes] = p, layers[sizes] = n, ++sizes;
    }
    /// The layers of page size `p` (0 when none).
    [[nodiscard]] constexpr std::uint64_t of(std::uint64_t p) const {
        for (std::size_t i = 0; i < sizes; ++i)
            if (page[i] == p) return layers[i];
        return 0;
    }
    [[nodiscard]] constexpr std::uint64_t most() const {
        std::uint64_t m = 0;
        for (std::size_t i = 0; i < sizes; ++i) m = layers[i] > m ? layers[i] : m;
        return m;
    }
    [[nodiscard]] constexpr bool balanced() const {
        for (std::size_t i = 1; i < sizes; ++i)
            if (layers[i] != layers[0]) return false;
        return sizes != 0;
    }
};

/// The buckets of vLLM's pool (VllmV4Pool::kinds' order) for blocks [from, to) of `c`: decoder
/// layers, then the MTP blocks, which hold a window only (vLLM gives them compress ratio 1).
constexpr std::array<VllmV4Bucket, 4> vllm_v4_buckets(const DeepseekV4Config& c, std::uint64_t from, std::uint64_t to) {
    const char* const what = "KV cache bytes";
    std::uint64_t count[3] = {0, 0, 0}, first[3] = {0, 0, 0}; // layers of ratio 0, 4, 128
    if (from < c.num_hidden_layers)
        v4_count_ratios(c, from, to < c.num_hidden_layers ? to : c.num_hidden_layers, count, first);
    const std::uint64_t n4 = count[1], n128 = count[2];
    const std::uint64_t entry = v4_kv_entry_bytes(c, V4KvFormat::vllm_fp8);
    const std::uint64_t key = v4_indexer_entry_bytes(c, V4KvFormat::vllm_fp8);
    // A compressor state's bytes a token: 2 coff d float32 values (coff 2 at ratio 4, else 1).
    const std::uint64_t state_4 = checked_mul(2 * 2 * 4, c.head_dim, what);
    const std::uint64_t index_state_4 = checked_mul(2 * 2 * 4, c.index_head_dim, what);
    const std::uint64_t state_128 = checked_mul(2 * 1 * 4, c.head_dim, what);
    std::array<VllmV4Bucket, 4> b{};
    b[0].add(vllm_v4_page(vllm_v4_block_tokens / 4, entry), n4);
    b[0].add(vllm_v4_page(vllm_v4_block_tokens / 128, entry), n128);
    b[0].add(vllm_v4_page(vllm_v4_block_tokens / 4, key), n4);
    b[1].add(vllm_v4_page(vllm_v4_window_block_tokens, entry), to > from ? to - from : 0);
    b[2].add(vllm_v4_page(4, state_4), n4);
    b[2].add(vllm_v4_page(4, index_state_4), n4);
    b[3].add(vllm_v4_page(8, state_128), n128);
    return b;
}

/// Bucket `i`'s kind of group (VllmV4Pool::kinds' order) with `groups` groups: tokens a block and
/// window, 256 tokens and none for the compressed caches, 64 and sliding_window for the windows,
/// 4 and 8 for the ratio-4 states, 8 and 128 for the ratio-128 states.
constexpr VllmV4Pool::Kind vllm_v4_kind(const DeepseekV4Config& c, std::size_t i, std::uint64_t groups) {
    const std::uint64_t tokens[4] = {vllm_v4_block_tokens, vllm_v4_window_block_tokens, 4, 8};
    const std::uint64_t window[4] = {0, c.sliding_window, 8, 128};
    return {groups, tokens[i], window[i]};
}

/// The k below `x` with k mod `n` = `g` (0 <= g < n).
constexpr std::uint64_t residues_below(std::uint64_t x, std::uint64_t g, std::uint64_t n) {
    return x > g ? (x - g - 1) / n + 1 : 0;
}
} // namespace detail

/// The bytes of one block of pool `p` (vllm_v4_pool of `c`) on a pipeline stage holding blocks
/// [from, to) (decoder layers, then the MTP blocks): vLLM groups the whole model's layers, gives
/// each stage the groups' layers it holds (_project_kv_cache_groups_to_worker), and makes its
/// block one page of each of those layers of the widest group (_get_kv_cache_bytes_per_block).
/// A bucket split into n groups deals its layers out in turn, the k-th layer of each page size to
/// group k mod n, so a stage's share of a group depends on where the stage begins. The whole
/// model's range gives p.block_bytes.
[[nodiscard]] constexpr std::uint64_t vllm_v4_stage_block_bytes(const DeepseekV4Config& c, const VllmV4Pool& p,
                                                                std::uint64_t from, std::uint64_t to) {
    const char* const what = "KV cache bytes";
    const std::array<detail::VllmV4Bucket, 4> before = detail::vllm_v4_buckets(c, 0, from);
    const std::array<detail::VllmV4Bucket, 4> held = detail::vllm_v4_buckets(c, from, to);
    std::uint64_t widest = 0;
    for (std::size_t i = 0; i < held.size(); ++i) {
        const std::uint64_t n = p.kinds[i].groups;
        for (std::uint64_t g = 0; g < n; ++g) {
            std::uint64_t bytes = 0;
            for (std::size_t j = 0; j < held[i].sizes; ++j) {
                const std::uint64_t start = before[i].of(held[i].page[j]), end = start + held[i].layers[j];
                const std::uint64_t layers = detail::residues_below(end, g, n) - detail::residues_below(start, g, n);
                bytes = detail::checked_add(bytes, detail::checked_mul(layers, held[i].page[j], what), what);
            }
            widest = bytes > widest ? bytes : widest;
        }
    }
    return widest;
}

namespace detail {
/// Page size `x` padded as vLLM 0.23 to 0.25 pad it: up to the smallest page of the compressed
/// caches (bucket `b0`) at least as large, else as it is.
constexpr std::uint64_t vllm_v4_padded_0_23(const VllmV4Bucket& b0, std::uint64_t x) {
    std::uint64_t best = 0;
    for (std::size_t i = 0; i < b0.sizes; ++i)
        if (b0.page[i] >= x && (best == 0 || b0.page[i] < best)) best = b0.page[i];
    return best != 0 ? best : x;
}

/// vLLM 0.23 to 0.25's pool (VllmRelease::v0_23) of buckets `b`: each bucket a group of
/// ceil(tuples / n) groups, a bucket's tuples the layers of its commonest page size and n the
/// _approximate_gcd of every bucket's tuples from the compressed caches' up; a block one page of
/// each slot, a page size's slots the most layers of it (padded) in one group.
constexpr VllmV4Pool vllm_v4_pool_0_23(const DeepseekV4Config& c, const std::array<VllmV4Bucket, 4>& b) {
    const char* const what = "KV cache bytes";
    std::array<std::uint64_t, 4> tuples{};
    std::size_t n_tuples = 0;
    for (const VllmV4Bucket& k : b)
        if (k.sizes != 0) tuples[n_tuples++] = k.most();
    const std::uint64_t repeats = n_tuples != 0 ? approximate_gcd(tuples, n_tuples, tuples[0]) : 1;
    VllmV4Pool pool{};
    // Per padded page size (at most the buckets' seven), its slots: the most layers of it in one
    // group of a bucket.
    std::array<std::uint64_t, 8> page{}, slots{};
    std::size_t sizes = 0;
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (b[i].sizes == 0) continue;
        const std::uint64_t groups = ceil_div(b[i].most(), repeats);
        pool.kinds[i] = vllm_v4_kind(c, i, groups);
        std::array<std::uint64_t, 3> padded{}, in_group{}; // one group of this bucket
        for (std::size_t j = 0; j < b[i].sizes; ++j) {
            padded[j] = vllm_v4_padded_0_23(b[0], b[i].page[j]);
            for (std::size_t k = 0; k < b[i].sizes; ++k)
                if (vllm_v4_padded_0_23(b[0], b[i].page[k]) == padded[j])
                    in_group[j] += ceil_div(b[i].layers[k], groups);
        }
        for (std::size_t j = 0; j < b[i].sizes; ++j) {
            std::size_t at = 0;
            while (at < sizes && page[at] != padded[j]) ++at;
            if (at == sizes) page[sizes++] = padded[j];
            slots[at] = in_group[j] > slots[at] ? in_group[j] : slots[at];
        }
    }
    for (std::size_t j = 0; j < sizes; ++j)
        pool.block_bytes = checked_add(pool.block_bytes, checked_mul(page[j], slots[j], what), what);
    return pool;
}
} // namespace detail

/// vLLM's pool for DeepSeek-V4 `c`, the MTP blocks' caches with it when `mtp`, as vLLM release
/// `r` lays it out (VllmV4Pool).
[[nodiscard]] constexpr VllmV4Pool vllm_v4_pool(const DeepseekV4Config& c, bool mtp,
                                                VllmRelease r = VllmRelease::v0_31) {
    const std::uint64_t blocks = c.num_hidden_layers + (mtp ? c.num_nextn_predict_layers : 0);
    const std::array<detail::VllmV4Bucket, 4> b = detail::vllm_v4_buckets(c, 0, blocks);
    if (r == VllmRelease::v0_23) return detail::vllm_v4_pool_0_23(c, b);
    // The repeats per group: the largest balanced bucket of several page sizes sets the floor.
    std::uint64_t floor = 0;
    std::array<std::uint64_t, 4> balanced{};
    std::size_t n_balanced = 0;
    for (const detail::VllmV4Bucket& k : b) {
        if (!k.balanced()) continue;
        balanced[n_balanced++] = k.most();
        if (k.sizes > 1 && k.most() > floor) floor = k.most();
    }
    const std::uint64_t repeats = floor != 0 ? detail::approximate_gcd(balanced, n_balanced, floor) : 0;
    VllmV4Pool pool{};
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (b[i].sizes == 0) continue;
        const std::uint64_t groups = repeats != 0 && b[i].balanced() ? detail::ceil_div(b[i].most(), repeats) : 1;
        pool.kinds[i] = detail::vllm_v4_kind(c, i, groups);
    }
    pool.block_bytes = vllm_v4_stage_block_bytes(c, pool, 0, blocks);
    return pool;
}

/// The blocks of pool `p` one request of `tokens` tokens may hold (vLLM's admission count, which
/// sizes its concurrency): per group of compressed caches ceil(tokens / 256); per group of a
/// window W in blocks of B tokens ceil(min(W - 1 + in_flight, tokens) / B) + 1, as a window's
/// blocks are freed only once the tokens still in flight (max_num_batched_tokens per batch, two
/// batches with async scheduling: VllmConfig.max_in_flight_tokens) have left it.
[[nodiscard]] constexpr std::uint64_t vllm_v4_blocks_per_request(const VllmV4Pool& p, std::uint64_t tokens,
                                                                 std::uint64_t in_flight) {
    const char* const what = "KV cache bytes";
    std::uint64_t n = 0;
    for (const VllmV4Pool::Kind& k : p.kinds) {
        if (k.groups == 0) continue;
        std::uint64_t per = 0;
        if (k.window == 0) {
            per = detail::ceil_div(tokens, k.block_tokens);
        } else {
            const std::uint64_t held = detail::checked_add(k.window - 1, in_flight, what);
            per = detail::ceil_div(held < tokens ? held : tokens, k.block_tokens) + 1;
        }
        n = detail::checked_add(n, detail::checked_mul(per, k.groups, what), what);
    }
    return n;
}

/// The blocks per request vLLM's log divides by ("Maximum concurrency for N tokens per request"
/// is the pool's blocks over it; "GPU KV cache size" that times N) for a request of `tokens`
/// tokens of `c` with `in_flight` tokens in flight, in release `r`'s pool for `mtp`. From 0.31
/// the blocks the request holds (vllm_v4_blocks_per_request). In 0.23 to 0.25 an estimate by
/// bytes: the request's pages of every layer, padded as that pool pads them, over the compressed
/// group's page (one page of each compressed cache), rounded up; the request holds more blocks
/// than that (vllm_v4_blocks_per_request), so vLLM admits fewer requests than it logs.
[[nodiscard]] constexpr std::uint64_t vllm_v4_reported_blocks_per_request(const DeepseekV4Config& c, bool mtp,
                                                                          VllmRelease r, std::uint64_t tokens,
                                                                          std::uint64_t in_flight) {
    if (r == VllmRelease::v0_31) return vllm_v4_blocks_per_request(vllm_v4_pool(c, mtp, r), tokens, in_flight);
    const char* const what = "KV cache bytes";
    const std::array<detail::VllmV4Bucket, 4> b =
        detail::vllm_v4_buckets(c, 0, c.num_hidden_layers + (mtp ? c.num_nextn_predict_layers : 0));
    std::uint64_t bytes = 0, group_page = 0;
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (b[i].sizes == 0) continue;
        std::uint64_t pages = 0; // one page of each layer of the bucket, padded
        for (std::size_t j = 0; j < b[i].sizes; ++j)
            pages = detail::checked_add(
                pages, detail::checked_mul(detail::vllm_v4_padded_0_23(b[0], b[i].page[j]), b[i].layers[j], what),
                what);
        if (i == 0) group_page = pages;
        VllmV4Pool one{}; // the pages one layer of this bucket holds for the request
        one.kinds[0] = detail::vllm_v4_kind(c, i, 1);
        bytes = detail::checked_add(
            bytes, detail::checked_mul(vllm_v4_blocks_per_request(one, tokens, in_flight), pages, what), what);
    }
    return group_page == 0 ? 0 : detail::ceil_div(bytes, group_page);
}

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_KV_V4_HPP
