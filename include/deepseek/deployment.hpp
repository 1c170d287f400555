// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// What each GPU of a vLLM deployment holds: its weights by component (gpu_weights.hpp) and the KV
// cache beside them in vLLM's cache formats, the tokens and requests that fit, and the launch
// command (docs/deployment.md). Standard library only.
#ifndef DEEPSEEK_CONFIG_DEPLOYMENT_HPP
#define DEEPSEEK_CONFIG_DEPLOYMENT_HPP

#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <type_traits>

#include "config.hpp"
#include "dtypes.hpp"
#include "error.hpp"
#include "gpu_weights.hpp"
#include "memory.hpp"
#include "overflow.hpp"
#include "report.hpp"

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

/// What one GPU has for the KV cache: its memory, the share vLLM may use, and what to keep back.
/// An aggregate: name the fields.
struct GpuBudget {
    std::uint64_t gpu_memory = 0; ///< bytes of one GPU (H200: 141 GB as sold; give what the GPU reports)
    double memory_fraction = 0.9; ///< vLLM's `--gpu-memory-utilization`
    /// Kept for what is not modelled: activations, CUDA graphs, workspaces, and the absorbed MLA
    /// matrices vLLM builds from kv_b_proj after loading (about 2 GB / tp for V3). The user's
    /// figure; 4 GiB by default.
    std::uint64_t reserve = std::uint64_t{4} << 30;
    std::uint64_t context = 0; ///< tokens per request for max_requests; 0: default_context(c)
};

/// One GPU of a deployment: its weights, and the KV cache that fits beside them.
struct GpuPlan {
    GpuWeights weights{};
    std::uint64_t usable = 0;             ///< floor(gpu_memory x memory_fraction)
    bool fits = false;                    ///< weights + reserve <= usable
    std::uint64_t shortfall = 0;          ///< when not: the bytes missing
    KvEntry entry{};                      ///< per token per layer on the GPU (vllm_kv_entry at d.tp)
    std::uint64_t stage = 0;              ///< the pipeline stage of the GPU (0 to pp - 1)
    std::uint64_t kv_layers = 0;          ///< layers with a cache on the GPU (the MTP module's when loaded)
    std::uint64_t kv_bytes_per_token = 0; ///< entry.bytes x kv_layers: on this GPU, its KV heads only without MLA
    /// Whole blocks of every layer of the GPU that fit beside weights and reserve (vLLM then gives
    /// every GPU of a pipeline the fewest of any stage: DeploymentPlan).
    std::uint64_t kv_blocks = 0;
    std::uint64_t kv_tokens = 0; ///< kv_blocks x block: the GPU's capacity in tokens
    std::uint64_t context = 0;   ///< tokens per request
    /// Requests of `context` tokens at once, each in ceil(context / block) whole blocks, on one
    /// tensor-parallel group (every GPU of it holds the same tokens: the whole MLA entry, or its
    /// own KV heads without MLA, so each has the same blocks); vLLM logs the ratio as
    /// "Maximum concurrency for N tokens per request".
    std::uint64_t max_requests = 0;
    std::uint64_t total_requests = 0; ///< max_requests x dp (each data-parallel group holds its own)
};

/// What a whole vLLM deployment holds, every pipeline stage considered: vLLM gives every GPU the
/// fewest KV blocks of any (get_kv_cache_configs: "Change the num_blocks of each rank to the
/// smallest among all ranks"), so the smallest stage sets the capacity. plan_gpu gives one
/// stage's GPU in full.
struct DeploymentPlan {
    std::uint64_t gpus = 1;            ///< tp x pp x dp
    std::uint64_t experts_per_gpu = 0; ///< with expert parallelism: routed experts per MoE layer on a GPU
    KvEntry entry{};                   ///< per token per layer on one GPU (vllm_kv_entry at d.tp)
    std::uint64_t usable = 0;          ///< floor(gpu_memory x memory_fraction)
    bool fits = false;                 ///< every stage fits
    std::uint64_t shortfall = 0;       ///< when not: the largest shortfall of a stage
    std::uint64_t largest_stage = 0;   ///< the stage with the most weight bytes
    std::uint64_t weights_per_gpu = 0; ///< its weights
    std::uint64_t smallest_stage = 0;  ///< the stage with room for the fewest blocks
    std::uint64_t kv_blocks = 0;       ///< its blocks, every GPU's (0 when a stage does not fit)
    std::uint64_t kv_tokens = 0;       ///< kv_blocks x block: tokens of cache the pipeline holds
    std::uint64_t context = 0;         ///< tokens per request
    std::uint64_t max_requests = 0;    ///< requests of `context` tokens at once on one pipeline
    std::uint64_t total_requests = 0;  ///< max_requests x dp
};

namespace detail {
/// The KV cache beside weights `weights` and the reserve on one GPU with `kv_layers` layers of
/// entry `p.entry`: fits, shortfall, kv_bytes_per_token, kv_blocks, kv_tokens (p.usable set).
constexpr void fill_gpu_cache(GpuPlan& p, std::uint64_t weights, std::uint64_t kv_layers, const GpuBudget& b) {
    const char* const what = "GPU plan";
    p.kv_layers = kv_layers;
    p.kv_bytes_per_token = checked_mul(p.entry.bytes, p.kv_layers, what);
    const std::uint64_t held = checked_add(weights, b.reserve, what);
    p.fits = held <= p.usable;
    if (!p.fits) {
        p.shortfall = held - p.usable;
        return;
    }
    const std::uint64_t block_bytes = checked_mul(p.kv_bytes_per_token, p.entry.block, what);
    p.kv_blocks = block_bytes == 0 ? 0 : (p.usable - held) / block_bytes;
    p.kv_tokens = checked_mul(p.kv_blocks, p.entry.block, what);
}
/// The layers with a cache on a GPU of stage `s`: the stage's, and the MTP modules' on the last
/// stage when they are loaded.
template <class C> constexpr std::uint64_t stage_kv_layers(const C& c, const Deployment& d, std::uint64_t s) {
    return pipeline_stage_layers(c, d, s).count + (d.mtp && s + 1 == d.pp ? mtp_layer_count(c) : 0);
}
/// Tokens per request: the budget's, or the model's default context.
template <class C> constexpr std::uint64_t plan_context(const C& c, const GpuBudget& b) {
    return b.context != 0 ? b.context : default_context(c);
}
/// Whether budget `b` is one: memory, and a fraction in (0, 1].
constexpr bool budget_valid(const GpuBudget& b) {
    return b.gpu_memory != 0 && b.memory_fraction > 0.0 && b.memory_fraction <= 1.0;
}
constexpr std::uint64_t usable_memory(const GpuBudget& b) {
    return static_cast<std::uint64_t>(static_cast<double>(b.gpu_memory) * b.memory_fraction);
}
} // namespace detail

namespace detail {
/// FlashMLA's FP8 entry (vLLM's fp8_ds_mla, SGLang's DSA fp8): the latent in e4m3 with a float32
/// scale per 128 values, the rope key in bf16. V3.2: 512 + 16 + 128 = 656.
constexpr std::uint64_t fp8_ds_mla_bytes(std::uint64_t latent, std::uint64_t rope) {
    const char* const what = "KV entry";
    return checked_add(checked_add(latent, ceil_div(latent, 128) * 4, what), checked_mul(rope, 2, what), what);
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
            const std::uint64_t kv_heads = c.num_key_value_heads;
            if (c.num_attention_heads % tp != 0 || kv_heads == 0) return MemoryError::tp_does_not_divide;
            if (kv_heads < tp && tp % kv_heads != 0) return MemoryError::tp_does_not_divide;
            const SizeResult elements =
                kv_elements_per_token_per_layer_per_rank(c, KvLayout::mha, kv_heads < tp ? kv_heads : tp);
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

/// One GPU of pipeline stage `stage` of vLLM deployment `d` with cache format `f` on budget `b`:
/// its cache holds vllm_kv_entry(c, f, d.tp) per token per layer (the whole MLA entry, or
/// without MLA the GPU's share of the KV heads). A layout whose weights and reserve do not fit
/// is not an error: `fits` is false and `shortfall` says by how much; one that fits with room
/// for no block has 0 kv_blocks. Errors: those of weights_per_gpu and vllm_kv_entry, and tp_zero
/// for a GPU of 0 bytes.
template <class C> [[nodiscard]] constexpr Result<GpuPlan, MemoryError>
plan_gpu(const C& c, const Deployment& d, VllmKvFormat f, const GpuBudget& b, std::uint64_t stage = 0) {
    const auto weights = weights_per_gpu(c, d, stage);
    if (!weights) return weights.error();
    const auto entry = vllm_kv_entry(c, f, d.tp); // without MLA, the KV heads of one of tp GPUs
    if (!entry) return entry.error();
    if (!detail::budget_valid(b)) return MemoryError::tp_zero;
    return detail::overflow_as_error([&]() -> Result<GpuPlan, MemoryError> {
        GpuPlan p{};
        p.weights = *weights;
        p.entry = *entry;
        p.stage = stage;
        p.usable = detail::usable_memory(b);
        p.context = detail::plan_context(c, b);
        detail::fill_gpu_cache(p, p.weights.total(), detail::stage_kv_layers(c, d, stage), b);
        if (!p.fits) return p;
        p.max_requests = p.kv_blocks / detail::ceil_div(p.context, p.entry.block);
        p.total_requests = detail::checked_mul(p.max_requests, d.dp, "GPU plan");
        return p;
    });
}

/// What vLLM deployment `d` holds as a whole with cache format `f` on budget `b`: every stage's
/// weights from one walk of the model (weights_per_gpu's rules), each stage's room for blocks,
/// and the deployment's capacity, the fewest blocks of any stage. Errors: those of plan_gpu.
template <class C> [[nodiscard]] constexpr Result<DeploymentPlan, MemoryError>
plan_deployment(const C& c, const Deployment& d, VllmKvFormat f, const GpuBudget& b) {
    const auto entry = vllm_kv_entry(c, f, d.tp);
    return detail::overflow_as_error([&]() -> Result<DeploymentPlan, MemoryError> {
        GpuWeights w{};
        if (const MemoryError e = detail::check_deployment(c, d, 0, w); e != MemoryError::none) return e;
        detail::GpuWeightsSum<C> sum{c, d, w.experts_per_gpu, 0};
        if (const MemoryError e = detail::walk_gpu_weights(sum, w); e != MemoryError::none) return e;
        if (!entry) return entry.error();
        if (!detail::budget_valid(b)) return MemoryError::tp_zero;
        DeploymentPlan out{};
        out.gpus = w.gpus;
        out.experts_per_gpu = w.experts_per_gpu;
        out.entry = *entry;
        out.usable = detail::usable_memory(b);
        out.context = detail::plan_context(c, b);
        out.fits = true;
        for (std::uint64_t s = 0; s < d.pp; ++s) {
            GpuPlan p{};
            p.entry = out.entry;
            p.usable = out.usable;
            const std::uint64_t weights = sum.stage_bytes[s];
            detail::fill_gpu_cache(p, weights, detail::stage_kv_layers(c, d, s), b);
            if (weights > out.weights_per_gpu) out.weights_per_gpu = weights, out.largest_stage = s;
            if (!p.fits) out.fits = false;
            if (p.shortfall > out.shortfall) out.shortfall = p.shortfall;
            if (s == 0 || p.kv_blocks < out.kv_blocks) out.kv_blocks = p.kv_blocks, out.smallest_stage = s;
        }
        if (!out.fits) out.kv_blocks = 0;
        out.kv_tokens = detail::checked_mul(out.kv_blocks, out.entry.block, "deployment plan");
        out.max_requests = out.kv_blocks / detail::ceil_div(out.context, out.entry.block);
        out.total_requests = detail::checked_mul(out.max_requests, d.dp, "deployment plan");
        return out;
    });
}

} // namespace DEEPSEEK_CONFIG_ABI_NAMESPACE

/// The `vllm serve` command line for a deployment (MODEL standing for the model's path or name),
/// after `VLLM_PP_LAYER_PARTITION=...` when the deployment gives a layer partition:
/// `--tensor-parallel-size`, and when set `--pipeline-parallel-size`, `--data-parallel-size`,
/// `--enable-expert-parallel`, EPLB's redundant experts (`--enable-eplb --eplb-config`, vLLM 0.11's spelling; older
/// versions took `--num-redundant-experts`), `--gpu-memory-utilization`, `--max-model-len` and
/// `--kv-cache-dtype fp8` for the FP8 formats. MTP is `--speculative-config` with the method
/// `deepseek_mtp`.
inline std::string vllm_launch_command(const Deployment& d, const GpuBudget& b, VllmKvFormat f, std::uint64_t context) {
    std::string out;
    if (!d.layer_partition.empty()) {
        out = "VLLM_PP_LAYER_PARTITION=";
        for (std::size_t i = 0; i < d.layer_partition.size(); ++i)
            out += (i == 0 ? "" : ",") + std::to_string(d.layer_partition[i]);
        out += ' ';
    }
    out += "vllm serve MODEL --tensor-parallel-size " + std::to_string(d.tp);
    if (d.pp != 1) out += " --pipeline-parallel-size " + std::to_string(d.pp);
    if (d.dp != 1) out += " --data-parallel-size " + std::to_string(d.dp);
    if (d.expert_parallel) out += " --enable-expert-parallel";
    if (d.redundant_experts != 0)
        out += " --enable-eplb --eplb-config '{\"num_redundant_experts\":" + std::to_string(d.redundant_experts) + "}'";
    if (d.mtp) out += " --speculative-config '{\"method\":\"deepseek_mtp\",\"num_speculative_tokens\":1}'";
    char fraction[32];
    std::snprintf(fraction, sizeof fraction, "%g", b.memory_fraction);
    out += std::string(" --gpu-memory-utilization ") + fraction;
    out += " --max-model-len " + std::to_string(context);
    if (f == VllmKvFormat::flashmla_fp8 || f == VllmKvFormat::fp8_ds_mla || f == VllmKvFormat::cutlass_mla_fp8 ||
        f == VllmKvFormat::flash_attn_fp8)
        out += " --kv-cache-dtype fp8";
    else if (f == VllmKvFormat::nvfp4_ds_mla)
        out += " --kv-cache-dtype nvfp4_ds_mla";
    return out;
}

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_DEPLOYMENT_HPP
