// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// Element types of weights and KV cache, KV-cache layouts, storage dtypes, and the errors of the
// memory figures. Standard library only.
#ifndef DEEPSEEK_CONFIG_DTYPES_HPP
#define DEEPSEEK_CONFIG_DTYPES_HPP

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "config.hpp"
#include "error.hpp"
#include "overflow.hpp"

namespace deepseek {

/// An element type: of a stored tensor, of weights at one uniform dtype, or of the KV cache. `fp8`
/// is FP8 e4m3 (what engines mean by "fp8"), `fp8_e5m2` the other FP8; int4 packs two elements
/// per byte. The library's one dtype vocabulary: `to_string` gives its own names ("bf16"),
/// `safetensors_name` the names of a checkpoint's header ("BF16"). (A config's `torch_dtype` keeps
/// the closed set of its JSON values, TorchDtype; `model_dtype` turns it into a Dtype.)
/// `uint8`, `int32`, `int64` and `fp8_e8m0` are storage types of quantised checkpoints (packed
/// NVFP4, packed INT4, shape tensors and DeepSeek-V4's token-to-expert table, DeepSeek-V4's
/// 1-byte power-of-two block scales), not dtypes to run weights or a KV cache in.
enum class Dtype { fp32, bf16, fp16, fp8, fp8_e5m2, int8, int4, uint8, int32, int64, fp8_e8m0 };

/// How an engine stores the KV cache of one token in one layer (see
/// `kv_elements_per_token_per_layer`).
/// `latent`: MLA compressed latent + rope key, kv_lora_rank + qk_rope_head_dim (vLLM, SGLang,
/// FlashMLA, TensorRT-LLM, the V3 demo "absorb" mode, llama.cpp V-less cache); `expanded`:
/// decompressed per-head K and V, n_h (d_nope + d_rope) + n_h d_v (HF transformers eager);
/// `mha`: plain attention K and V, 2 n_kv head_dim (models with use_mla false).
enum class KvLayout { latent, expanded, mha };

/// The inference engines whose rules are modelled: vLLM's and SGLang's deployments
/// (gpu_weights.hpp, deployment.hpp), every one's KV cache (engine_kv.hpp).
enum class Engine { vllm, sglang, trtllm, llama_cpp };

template <> struct enum_table<Engine> {
    static constexpr std::array<EnumEntry<Engine>, 4> entries{{
        {Engine::vllm, "vllm"},
        {Engine::sglang, "sglang"},
        {Engine::trtllm, "trtllm"},
        {Engine::llama_cpp, "llama.cpp"},
    }};
};

/// A GPU's generation, where an engine holds a model's weights differently on it: SGLang's
/// DeepSeek-V4 (float32 block scales and the Marlin MoE runner on Hopper), and vLLM's MoE backend
/// for DeepSeek-V4's FP4 experts (Marlin on Hopper, which pads a GPU's share of an expert to a
/// multiple of 128). `unspecified` where it does not matter, or is not known.
enum class GpuArch {
    unspecified,
    hopper,    ///< SM90: H100, H200, H800, H20
    blackwell, ///< SM100: B200, B300, GB200, GB300
};

template <> struct enum_table<GpuArch> {
    static constexpr std::array<EnumEntry<GpuArch>, 3> entries{{
        {GpuArch::unspecified, "unspecified"},
        {GpuArch::hopper, "hopper"},
        {GpuArch::blackwell, "blackwell"},
    }};
};

/// Why a memory figure could not be computed.
enum class MemoryError {
    none,
    tp_zero,                   ///< tensor-parallel size 0
    tp_does_not_divide,        ///< tp does not divide a split dimension (heads, rows, experts)
    layout_needs_mla,          ///< latent / expanded KV asked of a model without MLA
    layout_needs_mha,          ///< mha KV asked of an MLA model
    weights_do_not_fit,        ///< the weights alone exceed the memory budget
    overflow,                  ///< a figure of the query does not fit in 64 bits
    quantization_not_modelled, ///< the weights as released: quant_method is not modelled
    layout_not_for_v4,         ///< a KvLayout asked of DeepSeek-V4, whose cache takes a V4KvFormat
    ep_does_not_divide,        ///< the routed experts (and redundant ones) do not spread evenly over the EP size
    fp8_block_split,           ///< a tensor-parallel share of an FP8 block-quantised weight is not whole blocks
    pp_too_many,               ///< more pipeline stages than decoder layers (or than max_pipeline_stages), or 0
    pp_not_modelled,           ///< pipeline stages with an MTP module loaded (SGLang's, V4's); V4's pool of vLLM 0.23
    pp_partition_invalid,      ///< a layer partition of other than pp stages, an empty stage, or other than every layer
    format_not_modelled,       ///< an engine's cache format whose layout for this model was not checked
    engine_not_modelled,       ///< an engine whose layout of this model is not modelled
    engine_option_invalid,     ///< an option of another engine (SGLang's switches under vLLM, vLLM's under SGLang)
    dp_attention_does_not_divide, ///< SGLang's DP attention with a dp that does not divide tp
    format_not_for_engine,        ///< a cache format of another engine than the deployment's
    moe_padding_not_modelled,     ///< a tp share of DeepSeek-V4's experts that vLLM's MoE backends pad differently
    gpu_arch_not_modelled,        ///< SGLang's DeepSeek-V4 on a GPU generation other than Hopper, or none given
    engine_layout_unsupported, ///< a layout the engine's code for this model does not run (SGLang's OCR, VL2, Kimi-VL)
};

template <> struct enum_table<Dtype> {
    static constexpr std::array<EnumEntry<Dtype>, 11> entries{{
        {Dtype::fp32, "fp32"},
        {Dtype::bf16, "bf16"},
        {Dtype::fp16, "fp16"},
        {Dtype::fp8, "fp8"},
        {Dtype::fp8_e5m2, "fp8_e5m2"},
        {Dtype::int8, "int8"},
        {Dtype::int4, "int4"},
        {Dtype::uint8, "uint8"},
        {Dtype::int32, "int32"},
        {Dtype::int64, "int64"},
        {Dtype::fp8_e8m0, "fp8_e8m0"},
    }};
};
template <> struct enum_table<KvLayout> {
    static constexpr std::array<EnumEntry<KvLayout>, 3> entries{{
        {KvLayout::latent, "latent"},
        {KvLayout::expanded, "expanded"},
        {KvLayout::mha, "mha"},
    }};
};
template <> struct enum_table<MemoryError> {
    static constexpr std::array<EnumEntry<MemoryError>, 22> entries{{
        {MemoryError::none, "none"},
        {MemoryError::tp_zero, "tp_zero"},
        {MemoryError::tp_does_not_divide, "tp_does_not_divide"},
        {MemoryError::layout_needs_mla, "layout_needs_mla"},
        {MemoryError::layout_needs_mha, "layout_needs_mha"},
        {MemoryError::weights_do_not_fit, "weights_do_not_fit"},
        {MemoryError::overflow, "overflow"},
        {MemoryError::quantization_not_modelled, "quantization_not_modelled"},
        {MemoryError::layout_not_for_v4, "layout_not_for_v4"},
        {MemoryError::ep_does_not_divide, "ep_does_not_divide"},
        {MemoryError::fp8_block_split, "fp8_block_split"},
        {MemoryError::pp_too_many, "pp_too_many"},
        {MemoryError::pp_not_modelled, "pp_not_modelled"},
        {MemoryError::pp_partition_invalid, "pp_partition_invalid"},
        {MemoryError::format_not_modelled, "format_not_modelled"},
        {MemoryError::engine_not_modelled, "engine_not_modelled"},
        {MemoryError::engine_option_invalid, "engine_option_invalid"},
        {MemoryError::dp_attention_does_not_divide, "dp_attention_does_not_divide"},
        {MemoryError::format_not_for_engine, "format_not_for_engine"},
        {MemoryError::moe_padding_not_modelled, "moe_padding_not_modelled"},
        {MemoryError::gpu_arch_not_modelled, "gpu_arch_not_modelled"},
        {MemoryError::engine_layout_unsupported, "engine_layout_unsupported"},
    }};
};

/// A sentence a person can act on, for each MemoryError.
[[nodiscard]] constexpr std::string_view error_message(MemoryError e) noexcept {
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
    case MemoryError::overflow: return "a figure of this query does not fit in 64 bits";
    case MemoryError::quantization_not_modelled:
        return "the weights as released are not modelled for this quantization_config.quant_method (only DeepSeek's "
               "fp8 is); give a uniform weights dtype";
    case MemoryError::layout_not_for_v4:
        return "DeepSeek-V4's KV cache is none of the latent, expanded or mha layouts: size it in a V4KvFormat "
               "(demo_bf16, vllm_fp8, sglang_fp8, sglang_fp4_indexer, llamacpp_f16)";
    case MemoryError::ep_does_not_divide:
        return "the expert-parallel size (vLLM: tp x dp; SGLang: --ep-size, tp by default) does not divide "
               "n_routed_experts plus the redundant experts";
    case MemoryError::fp8_block_split:
        return "a tensor-parallel share of an FP8 block-quantised weight is not a whole number of blocks (vLLM refuses "
               "it); use a smaller tp or expert parallelism";
    case MemoryError::pp_too_many:
        return "the pipeline-parallel size must be 1 to the number of decoder layers (at most 64): each stage holds "
               "whole layers";
    case MemoryError::pp_not_modelled:
        return "pipeline stages with the MTP module loaded are modelled for vLLM's DeepSeek-V2/V3 drafts only "
               "(where SGLang places its draft, and what vLLM's DeepSeek-V4 draft holds for an embedding on the "
               "last stage, are not), and DeepSeek-V4's cache under pipelining for vLLM 0.31's pool only; use pp 1, "
               "or leave MTP unloaded";
    case MemoryError::pp_partition_invalid:
        return "the layer partition (VLLM_PP_LAYER_PARTITION) must give one count per pipeline stage, each at least "
               "1, adding up to the number of decoder layers";
    case MemoryError::format_not_modelled:
        return "this engine cache format is not modelled for a model with DeepSeek-V3.2's indexer (SGLang's and "
               "TensorRT-LLM's FP4 caches, llama.cpp's K-and-V cache), nor for one without MLA (SGLang's FP4 pool, "
               "and its MHA pool when v_head_dim is neither 0 nor the head width); use another format";
    case MemoryError::engine_not_modelled:
        return "this engine's layout of this model is not modelled (SGLang: DeepSeek V2, V3, V3.2, Kimi-K2, Kimi-VL, "
               "Kimi-K2.5, DeepSeek-OCR, OCR-2 and VL2 with their vision encoders as released, and DeepSeek-V4 on "
               "Hopper; not a DeepSeek-V2 config without MLA, nor an OCR config with noaux_tc routing)";
    case MemoryError::engine_option_invalid:
        return "DP attention, a replicated dense MLP, a DP head, a page size, an EP size, DeepEP, a whole shared "
               "expert and Marlin's dropped float32 scales are SGLang's options (the last for DeepSeek-V4 only; the "
               "head's needs DP attention; V3.2's DSA pool takes pages of 64 only; the EP size needs expert "
               "parallelism and divides tp; DeepEP needs expert parallelism over tp); --language-model-only is "
               "vLLM's";
    case MemoryError::dp_attention_does_not_divide:
        return "SGLang's DP attention needs dp to divide tp (the attention groups are tp / dp GPUs each)";
    case MemoryError::format_not_for_engine:
        return "the KV-cache format is another engine's than the deployment's (vLLM: a VllmKvFormat; SGLang: "
               "sglang, sglang_fp8 or sglang_fp4)";
    case MemoryError::moe_padding_not_modelled:
        return "vLLM pads each GPU's share of these experts as its MoE backend decides (DeepSeek-V4's FP4 experts: to "
               "a multiple of 128 on Hopper, of 256 with FlashInfer's TRT-LLM backend on Blackwell, which differ "
               "here; re-quantised experts: not checked); give the GPU generation hopper, use expert parallelism, "
               "or a tp whose share is a multiple of 256";
    case MemoryError::gpu_arch_not_modelled:
        return "SGLang holds DeepSeek-V4's weights by GPU generation (float32 block scales and the Marlin MoE runner "
               "on Hopper; DeepGEMM's repacked scales or FlashInfer's MoE on Blackwell, not modelled): give the "
               "generation, hopper (Deployment::gpu_arch; the tool's --gpu-arch)";
    case MemoryError::engine_layout_unsupported:
        return "SGLang's code for DeepSeek-OCR, OCR-2, VL2 and Kimi-VL runs no pipeline stages (\"Pipeline Parallel "
               "is not compatible with this model\"), and its DeepSeek-V1 code (OCR, OCR-2, VL2-tiny: no MLA) no "
               "expert parallelism, DP attention, --moe-dense-tp-size, DeepEP or whole shared expert, nor a tp "
               "above the routed experts; use tp and dp";
    }
    return {};
}

/// The kind of Error a MemoryError is when thrown (by `Result::value()`).
[[nodiscard]] constexpr ErrorKind error_kind_of(MemoryError e) noexcept {
    switch (e) {
    case MemoryError::weights_do_not_fit: return ErrorKind::does_not_fit;
    case MemoryError::overflow: return ErrorKind::overflow;
    case MemoryError::quantization_not_modelled:
    case MemoryError::pp_not_modelled:
    case MemoryError::format_not_modelled:
    case MemoryError::engine_not_modelled:
    case MemoryError::moe_padding_not_modelled:
    case MemoryError::gpu_arch_not_modelled: return ErrorKind::not_modelled;
    default: return ErrorKind::invalid_query;
    }
}

/// A MemoryError as an Error (what `Result::value()` throws).
[[nodiscard]] inline Error to_error(MemoryError e) {
    return Error(error_kind_of(e), "", std::string(error_message(e)));
}

/// Bits per element of a uniform dtype.
[[nodiscard]] constexpr std::uint64_t dtype_bits(Dtype d) noexcept {
    switch (d) {
    case Dtype::int64: return 64;
    case Dtype::fp32:
    case Dtype::int32: return 32;
    case Dtype::bf16:
    case Dtype::fp16: return 16;
    case Dtype::fp8:
    case Dtype::fp8_e5m2:
    case Dtype::int8:
    case Dtype::uint8:
    case Dtype::fp8_e8m0: return 8;
    case Dtype::int4: return 4;
    }
    return 0;
}

/// The uniform dtype matching the checkpoint's torch_dtype (bf16 when unset).
template <class C> [[nodiscard]] constexpr Dtype model_dtype(const C& c) noexcept {
    if (!c.torch_dtype) return Dtype::bf16;
    switch (*c.torch_dtype) {
    case TorchDtype::float32: return Dtype::fp32;
    case TorchDtype::float16: return Dtype::fp16;
    case TorchDtype::bfloat16: return Dtype::bf16;
    }
    return Dtype::bf16;
}

/// Whether weights or a KV cache are held in `d` by an engine: false for the storage types of
/// quantised checkpoints (uint8, int32, int64, fp8_e8m0), which only pack other values.
[[nodiscard]] constexpr bool is_compute_dtype(Dtype d) noexcept {
    return d != Dtype::uint8 && d != Dtype::int32 && d != Dtype::int64 && d != Dtype::fp8_e8m0;
}

/// The name of a dtype in a safetensors header ("F32", "BF16", "F8_E4M3", ...); "" for int4,
/// which safetensors has no type for (packed formats store it in wider integers).
[[nodiscard]] constexpr std::string_view safetensors_name(Dtype d) noexcept {
    switch (d) {
    case Dtype::fp32: return "F32";
    case Dtype::bf16: return "BF16";
    case Dtype::fp16: return "F16";
    case Dtype::fp8: return "F8_E4M3";
    case Dtype::fp8_e5m2: return "F8_E5M2";
    case Dtype::int8: return "I8";
    case Dtype::int4: return "";
    case Dtype::uint8: return "U8";
    case Dtype::int32: return "I32";
    case Dtype::int64: return "I64";
    case Dtype::fp8_e8m0: return "F8_E8M0";
    }
    return "";
}

/// A byte or element count, or the reason it does not exist: the Result of every memory figure
/// that can fail. There is no count on error (`value()` throws it as an Error).
using SizeResult = Result<std::uint64_t, MemoryError>;

namespace detail {
/// Runs f() inside an OverflowScope: an overflow becomes MemoryError::overflow.
template <class F> auto run_with_overflow_scope(const F& f) -> decltype(f()) {
    const OverflowScope scope;
    auto r = f();
    if (scope.overflowed()) return MemoryError::overflow;
    return r;
}
/// f(), a function returning a Result<T, MemoryError>, with an overflow at run time returned as
/// the error MemoryError::overflow rather than thrown. In a constant expression an overflow
/// stays a compile error.
template <class F> constexpr auto overflow_as_error(const F& f) -> decltype(f()) {
    if (!DEEPSEEK_CONFIG_OVERFLOW_AS_VALUE || is_constant_evaluated()) return f();
    return run_with_overflow_scope(f);
}
} // namespace detail

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_DTYPES_HPP
