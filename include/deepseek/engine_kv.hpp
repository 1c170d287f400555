// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// The KV caches engines allocate for a DeepSeek model: vLLM's (VllmKvFormat, the formats the
// deployment planner of deployment.hpp uses), and those SGLang, TensorRT-LLM and llama.cpp
// allocate for an MLA model (EngineKvFormat), all of them side by side for one context
// (kv_cache_by_engine). The rules and their sources: docs/memory-model.md, "KV cache by engine".
// Standard library only.
#ifndef DEEPSEEK_CONFIG_ENGINE_KV_HPP
#define DEEPSEEK_CONFIG_ENGINE_KV_HPP

#include <array>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "config.hpp"
#include "detail/sglang_code.hpp"
#include "dtypes.hpp"
#include "enums.hpp"
#include "error.hpp"
#include "memory.hpp"
#include "optional.hpp"
#include "overflow.hpp"

namespace deepseek {

/// The KV-cache formats vLLM allocates: for an MLA model (DeepSeek V2, V3, V3.2, Kimi-K2) one
/// entry per token per layer, replicated on every tensor-parallel GPU (one KV head); for a model
/// without MLA (the language models of DeepSeek-OCR, OCR-2 and VL2) K and V of the GPU's KV heads.
/// A request occupies whole blocks of tokens. (vLLM's attention backends; the sizes are their
/// docstrings' and `kv_cache_interface.py`'s, see docs/memory-model.md.)
enum class VllmKvFormat {
    flashmla,     ///< FlashMLA, `--kv-cache-dtype auto`: latent + rope key at the model dtype (V3: 1,152 B); block 64
    flashmla_fp8, ///< FlashMLA, `fp8`: one byte each (V3: 576 B); block 64
    fp8_ds_mla,   ///< FlashMLA sparse (V3.2), `fp8`: latent e4m3, a float32 scale per 128, rope key bf16 (656 B); block
                  ///< 64
    nvfp4_ds_mla, ///< FlashMLA sparse on SM100: latent e2m1, an e4m3 scale per 16, rope key e4m3 (352 B); block 64
    cutlass_mla,  ///< CUTLASS MLA (SM100), `auto`: as flashmla; block 128
    cutlass_mla_fp8, ///< CUTLASS MLA, `fp8`: as flashmla_fp8; block 128
    /// FlashAttention (no MLA), `auto`: K and V of the GPU's KV heads at the model dtype (DeepSeek-OCR
    /// at tp 1: 2 x 10 x 128 x 2 = 5,120 B); block 16
    flash_attn,
    flash_attn_fp8, ///< FlashAttention, `fp8`: one byte each (DeepSeek-OCR at tp 1: 2,560 B); block 16
};

template <> struct enum_table<VllmKvFormat> {
    static constexpr std::array<EnumEntry<VllmKvFormat>, 8> entries{{
        {VllmKvFormat::flashmla, "flashmla"},
        {VllmKvFormat::flashmla_fp8, "flashmla_fp8"},
        {VllmKvFormat::fp8_ds_mla, "fp8_ds_mla"},
        {VllmKvFormat::nvfp4_ds_mla, "nvfp4_ds_mla"},
        {VllmKvFormat::cutlass_mla, "cutlass_mla"},
        {VllmKvFormat::cutlass_mla_fp8, "cutlass_mla_fp8"},
        {VllmKvFormat::flash_attn, "flash_attn"},
        {VllmKvFormat::flash_attn_fp8, "flash_attn_fp8"},
    }};
};

/// The format vLLM allocates for `--kv-cache-dtype` `kv_dtype` (unset: `auto`, the model dtype).
/// A model without MLA: `flash_attn_fp8` for fp8, `flash_attn` otherwise. An MLA model (its
/// FlashMLA backends): fp8 is `fp8_ds_mla` on a model with V3.2's indexer (the sparse backend)
/// and `flashmla_fp8` otherwise; anything else `flashmla`. (vLLM's choice for V3.2 changed
/// across versions; the format is an input of vllm_kv_entry for that reason.)
template <class C>
[[nodiscard]] constexpr VllmKvFormat default_vllm_kv_format(const C& c, const Optional<Dtype>& kv_dtype) noexcept {
    const bool fp8 = kv_dtype && *kv_dtype == Dtype::fp8;
    if constexpr (!std::is_same_v<C, DeepseekV4Config>) {
        if (!uses_mla(c)) return fp8 ? VllmKvFormat::flash_attn_fp8 : VllmKvFormat::flash_attn;
    }
    if (!fp8) return VllmKvFormat::flashmla;
    if constexpr (std::is_base_of_v<DeepseekV3Config, C>) {
        if (has_indexer(c)) return VllmKvFormat::fp8_ds_mla;
    }
    (void)c;
    return VllmKvFormat::flashmla_fp8;
}

/// One token's KV entry in one layer, and the block size.
struct KvEntry {
    /// Bytes on one GPU: the MLA entry (the same on every tensor-parallel GPU) and V3.2's indexer
    /// key (132 B) on a model with one; without MLA, K and V of the KV heads the GPU holds.
    std::uint64_t bytes = 0;
    std::uint64_t block = 64; ///< tokens per block
};

namespace detail {
/// FlashMLA's FP8 entry (vLLM's fp8_ds_mla, SGLang's DSA fp8): the latent in e4m3 with a float32
/// scale per 128 values, the rope key in bf16. V3.2: 512 + 16 + 128 = 656.
constexpr std::uint64_t fp8_ds_mla_bytes(std::uint64_t latent, std::uint64_t rope) {
    const char* const what = "KV entry";
    return checked_add(checked_add(latent, ceil_div(latent, 128) * 4, what), checked_mul(rope, 2, what), what);
}
/// K and V values one of `tp` GPUs caches per token per layer without MLA, in vLLM's and SGLang's
/// MHA caches alike: its mha_kv_heads_per_gpu heads (the KV heads over kv / per-GPU ranks), K and
/// V each head_dim wide. tp_does_not_divide when tp divides neither the attention heads nor the KV
/// heads (or they it); tp is not 0.
template <class C> constexpr SizeResult mha_kv_elements_per_gpu(const C& c, std::uint64_t tp) {
    const std::uint64_t per_gpu = mha_kv_heads_per_gpu(c, tp);
    if (per_gpu == 0 || c.num_attention_heads % tp != 0) return MemoryError::tp_does_not_divide;
    return kv_elements_per_token_per_layer_per_rank(c, KvLayout::mha, c.num_key_value_heads / per_gpu);
}
} // namespace detail

inline namespace DEEPSEEK_CONFIG_ABI_NAMESPACE {

/// The entry of format `f` for `c` on one GPU of a tensor-parallel group of `tp` GPUs. MLA
/// formats: the latent (kv_lora_rank) and rope key (qk_rope_head_dim), and DeepSeek-V3.2's
/// indexer key (indexer_key_bytes_per_token_per_layer), which vLLM keeps in the same blocks; the
/// same at any tp. flash_attn formats: K and V of the GPU's KV heads, each head
/// mha_head_dim(c) wide. Errors: layout_needs_mla (an MLA format for a model without MLA),
/// layout_needs_mha (a flash_attn format for an MLA model: vLLM's MLA-disabled path is not
/// modelled), tp_zero, tp_does_not_divide (without MLA: vLLM needs tp to divide the attention
/// heads, and the KV heads or tp to divide the other), layout_not_for_v4.
template <class C>
[[nodiscard]] constexpr Result<KvEntry, MemoryError> vllm_kv_entry(const C& c, VllmKvFormat f, std::uint64_t tp = 1) {
    detail::require_config<C>();
    if constexpr (std::is_same_v<C, DeepseekV4Config>) {
        (void)c, (void)f, (void)tp;
        return MemoryError::layout_not_for_v4;
    } else {
        if (tp == 0) return MemoryError::tp_zero;
        const bool mha_format = f == VllmKvFormat::flash_attn || f == VllmKvFormat::flash_attn_fp8;
        if (mha_format != !uses_mla(c))
            return mha_format ? MemoryError::layout_needs_mha : MemoryError::layout_needs_mla;
        const std::uint64_t model_bytes = dtype_bits(model_dtype(c)) / 8;
        if (mha_format) {
            // vLLM builds these layers with the Llama-style DeepseekAttention (deepseek_v2.py, when
            // qk_nope_head_dim and qk_rope_head_dim are 0; deepseek.py in older versions): it asserts
            // that tp divides the attention heads, and that tp divides the KV heads or, when there are
            // fewer KV heads than GPUs, that they divide tp. Each GPU then caches max(1, n_kv / tp) KV
            // heads: the heads are split over min(tp, n_kv) GPUs and copied on the others. K and V are
            // both head_dim wide (no padding), in a FullAttentionSpec: block x heads x (K + V) x dtype.
            const SizeResult elements = detail::mha_kv_elements_per_gpu(c, tp);
            if (!elements) return elements.error();
            return detail::overflow_as_error([&]() -> Result<KvEntry, MemoryError> {
                KvEntry e{};
                // fp8 stores one byte a value with per-tensor scales (nothing per token); auto the model dtype.
                e.bytes = f == VllmKvFormat::flash_attn_fp8 ? *elements
                                                            : detail::checked_mul(*elements, model_bytes, "KV entry");
                // vLLM's default --block-size on CUDA (CacheConfig, and the CUDA platform when it is
                // unset); FlashAttention takes any multiple of 16 and keeps it. Not checked against
                // vLLM: that the backends it picks instead (FlashInfer first on SM100; Triton, or
                // FlashInfer, for fp8 where FlashAttention 3 is missing) keep 16 and this layout.
                e.block = 16;
                return e;
            });
        }
        return detail::overflow_as_error([&]() -> Result<KvEntry, MemoryError> {
            const char* const what = "KV entry";
            const std::uint64_t r = detail::value_or_zero(c.kv_lora_rank), d = c.qk_rope_head_dim;
            KvEntry e{};
            switch (f) {
            case VllmKvFormat::flashmla:
            case VllmKvFormat::cutlass_mla:
                e.bytes = detail::checked_mul(detail::checked_add(r, d, what), model_bytes, what);
                break;
            case VllmKvFormat::flashmla_fp8:
            case VllmKvFormat::cutlass_mla_fp8: e.bytes = detail::checked_add(r, d, what); break;
            case VllmKvFormat::fp8_ds_mla: e.bytes = detail::fp8_ds_mla_bytes(r, d); break;
            case VllmKvFormat::nvfp4_ds_mla: // 256 + 32 + 64 for V3.2
                e.bytes = detail::checked_add(detail::ceil_div(r, 2) + detail::ceil_div(r, 16), d, what);
                break;
            case VllmKvFormat::flash_attn:
            case VllmKvFormat::flash_attn_fp8: break; // handled above
            }
            if (f == VllmKvFormat::cutlass_mla || f == VllmKvFormat::cutlass_mla_fp8) e.block = 128;
            e.bytes = detail::checked_add(e.bytes, indexer_key_bytes_per_token_per_layer(c), what);
            return e;
        });
    }
}

} // namespace DEEPSEEK_CONFIG_ABI_NAMESPACE

/// The cache formats of SGLang, TensorRT-LLM and llama.cpp. For an MLA model every one holds the
/// latent (kv_lora_rank) and the rope key (qk_rope_head_dim) of each token in each layer, the same
/// on every tensor-parallel GPU, and with DP attention each attention-DP rank holds its own
/// requests. For a model without MLA only SGLang's sglang and sglang_fp8 are modelled: the
/// MHATokenToKVPool of its DeepSeek-V1 code, K and V of the GPU's KV heads.
enum class EngineKvFormat {
    /// SGLang's MLATokenToKVPool at the model dtype (V3: 576 x 2 = 1,152 B); V3.2's
    /// DSATokenToKVPool the same, with its indexer key (132 B) in a pool of its own. Without MLA
    /// (DeepSeek-OCR, OCR-2, VL2-tiny): MHATokenToKVPool, K and V of max(1, kv heads / tp) heads
    /// of 128 (DeepSeek-OCR at tp 1: 10 x 256 x 2 = 5,120 B).
    sglang,
    /// SGLang, `--kv-cache-dtype fp8_e4m3`: one byte each, kept as uint8 (576 B); V3.2's DSA pool
    /// in FlashMLA's FP8 layout: latent e4m3, a float32 scale per 128, rope key bf16 (656 B).
    /// Without MLA: the MHA pool at one byte a value (DeepSeek-OCR at tp 1: 2,560 B).
    sglang_fp8,
    /// SGLang's MLATokenToKVPoolFP4: e2m1 two a byte and a one-byte scale per 16 (288 + 36 = 324 B).
    sglang_fp4,
    /// TensorRT-LLM (PyTorch backend) at the model dtype: K only, kv_factor 1 (1,152 B); V3.2's
    /// indexer key (132 B) in the same blocks.
    trtllm,
    trtllm_fp8, ///< TensorRT-LLM, FP8 cache: 576 B (and V3.2's 132 B indexer key)
    /// TensorRT-LLM, NVFP4 cache: ceil(576 / 2) + ceil(576 / 16) = 324 B.
    trtllm_nvfp4,
    /// llama.cpp since commit d9c6ce46 (2026-01-25, "kv-cache : support V-less cache", #19067):
    /// K only, 576 at f16 (its default cache type) = 1,152 B; V3.2 (LLM_ARCH_DEEPSEEK32): with an
    /// indexer key cache of index_head_dim at f16 (256 B).
    llama_cpp,
    /// llama.cpp before that commit: K (576) and V (kv_lora_rank, 512) at f16 = 2,176 B.
    llama_cpp_kv,
};

template <> struct enum_table<EngineKvFormat> {
    static constexpr std::array<EnumEntry<EngineKvFormat>, 8> entries{{
        {EngineKvFormat::sglang, "sglang"},
        {EngineKvFormat::sglang_fp8, "sglang_fp8"},
        {EngineKvFormat::sglang_fp4, "sglang_fp4"},
        {EngineKvFormat::trtllm, "trtllm"},
        {EngineKvFormat::trtllm_fp8, "trtllm_fp8"},
        {EngineKvFormat::trtllm_nvfp4, "trtllm_nvfp4"},
        {EngineKvFormat::llama_cpp, "llama_cpp"},
        {EngineKvFormat::llama_cpp_kv, "llama_cpp_kv"},
    }};
};

/// The engine of a format.
[[nodiscard]] constexpr Engine engine_of(EngineKvFormat f) noexcept {
    switch (f) {
    case EngineKvFormat::sglang:
    case EngineKvFormat::sglang_fp8:
    case EngineKvFormat::sglang_fp4: return Engine::sglang;
    case EngineKvFormat::trtllm:
    case EngineKvFormat::trtllm_fp8:
    case EngineKvFormat::trtllm_nvfp4: return Engine::trtllm;
    case EngineKvFormat::llama_cpp:
    case EngineKvFormat::llama_cpp_kv: return Engine::llama_cpp;
    }
    return Engine::sglang;
}

/// One token's entry in one layer in an engine's format, and how the cache is allocated.
struct EngineKvEntry {
    /// Bytes per token per layer in the main cache (TensorRT-LLM: with V3.2's indexer key, which
    /// it keeps in the same blocks).
    std::uint64_t bytes = 0;
    /// V3.2's indexer key per token per layer where the engine keeps it in a cache of its own
    /// (SGLang: 132 B in pages of its own; llama.cpp: index_head_dim at f16); 0 otherwise.
    std::uint64_t indexer_bytes = 0;
    /// The allocation unit in tokens: SGLang's page_size (1 by default, 64 for V3.2's DSA pool on
    /// CUDA), TensorRT-LLM's tokens_per_block (32 by default), llama.cpp's context padding (256).
    std::uint64_t block = 1;
};

namespace detail {
/// Bytes of a cache allocated in whole units of `block` tokens: `tokens` rounded up to whole
/// blocks, `bytes` per token per layer, `layers` layers (vLLM's blocks, TensorRT-LLM's blocks,
/// llama.cpp's padded cells).
constexpr std::uint64_t whole_blocks_bytes(std::uint64_t tokens, std::uint64_t block, std::uint64_t bytes,
                                           std::uint64_t layers) {
    const char* const what = "KV cache bytes";
    const std::uint64_t cells = checked_mul(ceil_div(tokens, block), block, what);
    return checked_mul(checked_mul(cells, bytes, what), layers, what);
}
/// An FP4 entry of `n` values: two a byte, and a one-byte scale per 16 (SGLang's
/// MLATokenToKVPoolFP4, TensorRT-LLM's NVFP4 cache). 576 values: 288 + 36 = 324.
constexpr std::uint64_t fp4_entry_bytes(std::uint64_t n) noexcept { return ceil_div(n, 2) + ceil_div(n, 16); }

/// SGLang's MHATokenToKVPool for its DeepSeek-V1 code (models/deepseek.py): K and V of the GPU's
/// KV heads. deepseek.py asserts that tp divides the heads, and the KV heads or, when there are
/// fewer than tp, that they divide tp; each GPU then holds max(1, kv heads / tp) of them
/// (model_config.py, get_num_kv_heads), each head_dim = hidden / heads wide for K, and as wide for
/// V: SGLang takes a v_head_dim of 0 (DeepSeek-OCR's, VL2-tiny's) as head_dim
/// (_override_v_head_dim_if_zero), and sizes the pool by (head_dim + v_head_dim) a head
/// (pool_configurator.py at 003fca80), so another v_head_dim is format_not_modelled. Pages of 1.
template <class C>
constexpr Result<EngineKvEntry, MemoryError> sglang_mha_entry(const C& c, EngineKvFormat f, std::uint64_t tp) {
    if (f == EngineKvFormat::sglang_fp4) return MemoryError::format_not_modelled;
    const SizeResult elements = mha_kv_elements_per_gpu(c, tp); // as vllm_kv_entry's
    if (!elements) return elements.error();
    if (c.v_head_dim != 0 && c.v_head_dim != mha_head_dim(c)) return MemoryError::format_not_modelled;
    const std::uint64_t value_bytes = f == EngineKvFormat::sglang_fp8 ? 1 : dtype_bits(model_dtype(c)) / 8;
    return overflow_as_error([&]() -> Result<EngineKvEntry, MemoryError> {
        EngineKvEntry e{};
        e.bytes = checked_mul(*elements, value_bytes, "KV entry");
        return e; // block 1: SGLang's default page size
    });
}
} // namespace detail

inline namespace DEEPSEEK_CONFIG_ABI_NAMESPACE {

/// The entry of format `f` for `c` on one GPU of an attention group of `tp` GPUs (an MLA entry is
/// the same at any tp). Errors: layout_needs_mla (a model without MLA in a format other than
/// SGLang's MHA pool, which only SGLang's DeepSeek-V1 code allocates: sglang_mha_entry),
/// layout_not_for_v4 (DeepSeek-V4: kv_v4.hpp), format_not_modelled (sglang_fp4, trtllm_nvfp4 or
/// llama_cpp_kv for a model with V3.2's indexer: how those engines store it there was not
/// checked, or the engine had no V3.2 then), tp_zero, tp_does_not_divide, overflow.
template <class C> [[nodiscard]] constexpr Result<EngineKvEntry, MemoryError>
engine_kv_entry(const C& c, EngineKvFormat f, std::uint64_t tp = 1) {
    detail::require_config<C>();
    if constexpr (std::is_same_v<C, DeepseekV4Config>) {
        (void)c, (void)f, (void)tp;
        return MemoryError::layout_not_for_v4;
    } else {
        if (tp == 0) return MemoryError::tp_zero;
        if (!uses_mla(c)) {
            if (engine_of(f) != Engine::sglang || detail::sglang_code(c) != detail::SglangCode::deepseek_v1)
                return MemoryError::layout_needs_mla;
            return detail::sglang_mha_entry(c, f, tp);
        }
        const std::uint64_t indexer = indexer_key_bytes_per_token_per_layer(c);
        if (indexer != 0 &&
            (f == EngineKvFormat::sglang_fp4 || f == EngineKvFormat::trtllm_nvfp4 || f == EngineKvFormat::llama_cpp_kv))
            return MemoryError::format_not_modelled;
        return detail::overflow_as_error([&]() -> Result<EngineKvEntry, MemoryError> {
            const char* const what = "KV entry";
            const std::uint64_t latent = detail::value_or_zero(c.kv_lora_rank), rope = c.qk_rope_head_dim;
            const std::uint64_t values = detail::checked_add(latent, rope, what); // 576 for V3
            const std::uint64_t model_bytes = dtype_bits(model_dtype(c)) / 8;
            constexpr std::uint64_t f16 = 2; // llama.cpp's default cache type
            EngineKvEntry e{};
            switch (f) {
            case EngineKvFormat::sglang:
                e.bytes = detail::checked_mul(values, model_bytes, what);
                e.indexer_bytes = indexer;
                break;
            case EngineKvFormat::sglang_fp8:
                e.bytes = indexer != 0 ? detail::fp8_ds_mla_bytes(latent, rope) : values;
                e.indexer_bytes = indexer;
                break;
            case EngineKvFormat::sglang_fp4: e.bytes = detail::fp4_entry_bytes(values); break;
            case EngineKvFormat::trtllm:
                e.bytes = detail::checked_add(detail::checked_mul(values, model_bytes, what), indexer, what);
                break;
            case EngineKvFormat::trtllm_fp8: e.bytes = detail::checked_add(values, indexer, what); break;
            case EngineKvFormat::trtllm_nvfp4: e.bytes = detail::fp4_entry_bytes(values); break;
            case EngineKvFormat::llama_cpp:
                e.bytes = detail::checked_mul(values, f16, what);
                if constexpr (std::is_base_of_v<DeepseekV3Config, C>) {
                    if (indexer != 0)
                        e.indexer_bytes = detail::checked_mul(detail::value_or_zero(c.index_head_dim), f16, what);
                }
                break;
            case EngineKvFormat::llama_cpp_kv:
                e.bytes = detail::checked_mul(detail::checked_add(values, latent, what), f16, what);
                break;
            }
            // SGLang: page_size 1 unless the attention backend forces another (FlashMLA 64, CUTLASS
            // MLA 128, TRT-LLM MLA 64); V3.2's DSA pool asserts 64 on CUDA.
            switch (engine_of(f)) {
            case Engine::sglang: e.block = indexer != 0 ? 64 : 1; break;
            case Engine::trtllm: e.block = 32; break;
            case Engine::llama_cpp: e.block = 256; break;
            case Engine::vllm: break;
            }
            return e;
        });
    }
}

/// Bytes the engine allocates on one GPU of an attention group of `tp` GPUs for a cache that
/// holds `tokens` tokens in every decoder layer (the MTP module's cache, which SGLang and TensorRT-LLM add when it is
/// loaded, is not counted):
/// - SGLang: a pool of S = tokens rounded up to whole pages, each layer's buffer S + one page of
///   rows (a padding page; SGLang's own token budget leaves it out), and V3.2's indexer keys in
///   (S + page + 1) / page pages of their own per layer;
/// - TensorRT-LLM: whole blocks of tokens_per_block;
/// - llama.cpp: the context padded to 256 cells, one unified stream (`-kvu`; without it each of
///   `-np` sequences has its own padded share).
/// Errors: those of engine_kv_entry.
template <class C> [[nodiscard]] constexpr Result<std::uint64_t, MemoryError>
engine_kv_cache_bytes(const C& c, EngineKvFormat f, std::uint64_t tokens, std::uint64_t tp = 1) {
    const auto entry = engine_kv_entry(c, f, tp);
    if (!entry) return entry.error();
    return detail::overflow_as_error([&]() -> Result<std::uint64_t, MemoryError> {
        const char* const what = "KV cache bytes";
        const EngineKvEntry& e = *entry;
        if (engine_of(f) != Engine::sglang)
            return detail::whole_blocks_bytes(tokens, e.block, detail::checked_add(e.bytes, e.indexer_bytes, what),
                                              c.num_hidden_layers);
        const std::uint64_t cells = detail::checked_mul(detail::ceil_div(tokens, e.block), e.block, what);
        const std::uint64_t rows = detail::checked_add(cells, e.block, what);
        const std::uint64_t index_pages = detail::checked_add(rows, 1, what) / e.block;
        const std::uint64_t per_layer = detail::checked_add(
            detail::checked_mul(rows, e.bytes, what),
            detail::checked_mul(detail::checked_mul(index_pages, e.block, what), e.indexer_bytes, what), what);
        return detail::checked_mul(per_layer, c.num_hidden_layers, what);
    });
}

} // namespace DEEPSEEK_CONFIG_ABI_NAMESPACE

/// One row of kv_cache_by_engine: a cache format and what it allocates for the context.
struct EngineKvRow {
    Engine engine = Engine::vllm;
    std::string_view format;                             ///< the VllmKvFormat's or EngineKvFormat's name
    std::uint64_t bytes_per_token_per_layer = 0;         ///< the main cache's entry (vLLM: with V3.2's indexer key)
    std::uint64_t indexer_bytes_per_token_per_layer = 0; ///< V3.2's indexer key where kept apart
    std::uint64_t block = 1;                             ///< tokens per block, page or padding unit
    std::uint64_t bytes = 0;                             ///< allocated for the context, every decoder layer, on one GPU
};

/// Every engine's cache format that applies to `c`, with what it allocates on one GPU for one
/// sequence of `tokens` tokens (vLLM: whole blocks, vllm_kv_entry at tp 1; the others:
/// engine_kv_cache_bytes at tp 1). A format that does not apply (an MLA format for a model without MLA,
/// the sparse formats for a model without V3.2's indexer, ...) has no row. DeepSeek-V4 has none
/// (kv_v4.hpp sizes its cache). Errors: overflow.
template <class C> [[nodiscard]] constexpr Result<FixedVector<EngineKvRow, 16>, MemoryError>
kv_cache_by_engine(const C& c, std::uint64_t tokens) {
    detail::require_config<C>();
    FixedVector<EngineKvRow, 16> rows{};
    for (const auto& v : enum_table<VllmKvFormat>::entries) {
        // A model with V3.2's indexer runs on FlashMLA's sparse kernels: flashmla (bf16),
        // fp8_ds_mla and nvfp4_ds_mla; the others on the dense ones, without the last two.
        const bool sparse_only = v.first == VllmKvFormat::fp8_ds_mla || v.first == VllmKvFormat::nvfp4_ds_mla;
        if (sparse_only != (indexer_key_bytes_per_token_per_layer(c) != 0) && v.first != VllmKvFormat::flashmla &&
            v.first != VllmKvFormat::flash_attn && v.first != VllmKvFormat::flash_attn_fp8)
            continue;
        const auto entry = vllm_kv_entry(c, v.first, 1);
        if (!entry) {
            if (entry.error() == MemoryError::overflow) return entry.error();
            continue;
        }
        const auto bytes = detail::overflow_as_error([&]() -> Result<std::uint64_t, MemoryError> {
            return detail::whole_blocks_bytes(tokens, entry->block, entry->bytes, c.num_hidden_layers);
        });
        if (!bytes) return bytes.error();
        (void)rows.push_back(EngineKvRow{Engine::vllm, v.second, entry->bytes, 0, entry->block, *bytes});
    }
    for (const auto& f : enum_table<EngineKvFormat>::entries) {
        const auto entry = engine_kv_entry(c, f.first);
        if (!entry) {
            if (entry.error() == MemoryError::overflow) return entry.error();
            continue;
        }
        const auto bytes = engine_kv_cache_bytes(c, f.first, tokens);
        if (!bytes) return bytes.error();
        (void)rows.push_back(
            EngineKvRow{engine_of(f.first), f.second, entry->bytes, entry->indexer_bytes, entry->block, *bytes});
    }
    return rows;
}

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_ENGINE_KV_HPP
