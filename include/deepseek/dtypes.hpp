// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// Element types of weights and KV cache, KV-cache layouts, storage dtypes, and the errors of the
// memory figures. Standard library only.
#ifndef DEEPSEEK_CONFIG_DTYPES_HPP
#define DEEPSEEK_CONFIG_DTYPES_HPP

#include <array>
#include <cstdint>
#include <string_view>

#include "config.hpp"

namespace deepseek {

/// A uniform element type for weights or KV cache (int4 packs two elements per byte).
enum class Dtype { fp32, bf16, fp16, fp8, int8, int4 };

/// How an engine stores the KV cache of one token in one layer (see
/// `kv_elements_per_token_per_layer`).
/// `latent`: MLA compressed latent + rope key, kv_lora_rank + qk_rope_head_dim (vLLM, SGLang,
/// FlashMLA, TensorRT-LLM, the V3 demo "absorb" mode, llama.cpp V-less cache); `expanded`:
/// decompressed per-head K and V, n_h (d_nope + d_rope) + n_h d_v (HF transformers eager);
/// `mha`: plain attention K and V, 2 n_kv head_dim (models with use_mla false).
enum class KvLayout { latent, expanded, mha };

/// The dtype a tensor is stored in, with safetensors' names.
enum class TensorDtype { F32, BF16, F16, F8_E4M3, F8_E5M2 };

/// Why a memory figure could not be computed.
enum class MemoryError {
    none,
    tp_zero,            ///< tensor-parallel size 0
    tp_does_not_divide, ///< tp does not divide a split dimension (heads, rows, experts)
    layout_needs_mla,   ///< latent / expanded KV asked of a model without MLA
    layout_needs_mha,   ///< mha KV asked of an MLA model
    weights_do_not_fit, ///< the weights alone exceed the memory budget
};

template <> struct enum_table<Dtype> {
    static constexpr std::array<EnumEntry<Dtype>, 6> entries{{
        {Dtype::fp32, "fp32"},
        {Dtype::bf16, "bf16"},
        {Dtype::fp16, "fp16"},
        {Dtype::fp8, "fp8"},
        {Dtype::int8, "int8"},
        {Dtype::int4, "int4"},
    }};
};
template <> struct enum_table<KvLayout> {
    static constexpr std::array<EnumEntry<KvLayout>, 3> entries{{
        {KvLayout::latent, "latent"},
        {KvLayout::expanded, "expanded"},
        {KvLayout::mha, "mha"},
    }};
};
template <> struct enum_table<TensorDtype> {
    static constexpr std::array<EnumEntry<TensorDtype>, 5> entries{{
        {TensorDtype::F32, "F32"},
        {TensorDtype::BF16, "BF16"},
        {TensorDtype::F16, "F16"},
        {TensorDtype::F8_E4M3, "F8_E4M3"},
        {TensorDtype::F8_E5M2, "F8_E5M2"},
    }};
};
template <> struct enum_table<MemoryError> {
    static constexpr std::array<EnumEntry<MemoryError>, 6> entries{{
        {MemoryError::none, "none"},
        {MemoryError::tp_zero, "tp_zero"},
        {MemoryError::tp_does_not_divide, "tp_does_not_divide"},
        {MemoryError::layout_needs_mla, "layout_needs_mla"},
        {MemoryError::layout_needs_mha, "layout_needs_mha"},
        {MemoryError::weights_do_not_fit, "weights_do_not_fit"},
    }};
};

/// A sentence a person can act on, for each MemoryError.
constexpr std::string_view error_message(MemoryError e) noexcept {
    switch (e) {
    case MemoryError::none: return "no error";
    case MemoryError::tp_zero: return "the tensor-parallel size is 0";
    case MemoryError::tp_does_not_divide:
        return "the tensor-parallel size does not divide a split dimension (vocabulary rows, "
               "heads, MLP width or routed experts)";
    case MemoryError::layout_needs_mla:
        return "the latent and expanded KV layouts need an MLA model; use mha for use_mla false";
    case MemoryError::layout_needs_mha:
        return "the mha KV layout is for models with use_mla false; use latent or expanded";
    case MemoryError::weights_do_not_fit: return "the weights alone do not fit the budget";
    }
    return {};
}

/// Bits per element of a uniform dtype.
constexpr std::uint64_t dtype_bits(Dtype d) noexcept {
    switch (d) {
    case Dtype::fp32: return 32;
    case Dtype::bf16:
    case Dtype::fp16: return 16;
    case Dtype::fp8:
    case Dtype::int8: return 8;
    case Dtype::int4: return 4;
    }
    return 0;
}

/// Bytes per element of a storage dtype.
constexpr std::uint64_t tensor_dtype_bytes(TensorDtype d) noexcept {
    switch (d) {
    case TensorDtype::F32: return 4;
    case TensorDtype::BF16:
    case TensorDtype::F16: return 2;
    case TensorDtype::F8_E4M3:
    case TensorDtype::F8_E5M2: return 1;
    }
    return 0;
}

/// A byte or element count, or the reason it does not exist (`value` is then 0 and means
/// nothing: check `ok()` first).
struct [[nodiscard]] SizeResult {
    std::uint64_t value = 0;
    MemoryError error = MemoryError::none;
    constexpr bool ok() const noexcept { return error == MemoryError::none; }
    constexpr explicit operator bool() const noexcept { return ok(); }
};

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_DTYPES_HPP
