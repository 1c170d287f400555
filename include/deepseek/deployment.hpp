// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// What each GPU of a vLLM deployment holds of the weights: tensor parallelism, data parallelism
// and expert parallelism (with EPLB's redundant experts), by vLLM's sharding rules
// (docs/memory-model.md, "Weights per GPU"). Standard library only.
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
#include "memory.hpp"
#include "overflow.hpp"
#include "report.hpp"
#include "tensor_spec.hpp"
#include "tensor_walk.hpp"

namespace deepseek {

/// How a model is laid out on the GPUs of one vLLM instance. An aggregate: name the fields.
struct Deployment {
    std::uint64_t tp = 1; ///< `--tensor-parallel-size`: attention, dense and shared MLPs, embedding and head split
    std::uint64_t dp = 1; ///< `--data-parallel-size`: replicas of the TP group (each holds its own requests)
    /// `--enable-expert-parallel`: the routed experts are spread whole over tp x dp GPUs instead
    /// of each being split tp ways.
    bool expert_parallel = false;
    /// EPLB's `num_redundant_experts`: extra expert copies per MoE layer, spread with the others.
    std::uint64_t redundant_experts = 0;
    /// Load the MTP modules (speculative decoding). vLLM loads them only then; off by default.
    bool mtp = false;
};

/// The weight bytes one GPU of a Deployment holds, the checkpoint's tensors as released.
struct GpuWeights {
    std::uint64_t gpus = 1;            ///< tp x dp
    std::uint64_t experts_per_gpu = 0; ///< with expert parallelism: routed experts per MoE layer on one GPU
    std::uint64_t routed_experts = 0;  ///< bytes of the routed experts held (their FP8 scales included)
    std::uint64_t other = 0;           ///< bytes of every other tensor held (split by tp or replicated)
    /// routed_experts + other.
    [[nodiscard]] constexpr std::uint64_t total() const {
        return detail::checked_add(routed_experts, other, "weights per GPU");
    }
};

namespace detail {

/// Whether vLLM can split each routed expert `tp` ways (without expert parallelism): tp must
/// divide its width, and in DeepSeek's FP8 blocks each share must be whole blocks (vLLM: "The
/// output_size of gate's and up's weight = 64 is not divisible by weight quantization block_n =
/// 128"). The other split weights are checked by GpuWeightsSum.
template <class C> constexpr MemoryError expert_split_error(const C& c, std::uint64_t tp) {
    if constexpr (std::is_same_v<C, DeepseekV4Config>) {
        (void)c, (void)tp; // its experts are split by the bytes check of weights_per_gpu only
        return MemoryError::none;
    } else {
        if (!c.n_routed_experts) return MemoryError::none;
        const std::uint64_t width = c.moe_intermediate_size;
        if (width % tp != 0) return MemoryError::tp_does_not_divide;
        if constexpr (std::is_base_of_v<DeepseekV3Config, C>) {
            if (uses_deepseek_fp8(c)) {
                const auto& b = c.quantization_config->weight_block_size;
                if ((width / tp) % b[0] != 0 || (width / tp) % b[1] != 0) return MemoryError::fp8_block_split;
            }
        }
        return MemoryError::none;
    }
}

/// Sums what one GPU holds: the routed experts whole (their tensors and scales, every copy; the
/// caller takes a GPU's share), every other tensor split by tp (or replicated), checked against
/// DeepSeek's FP8 blocks.
template <class C> struct GpuWeightsSum {
    CheckpointBytesSum<C> experts; ///< at tp 1
    CheckpointBytesSum<C> other;   ///< at tp
    std::uint64_t tp = 1;
    std::uint64_t block_rows = 0, block_cols = 0; ///< DeepSeek's FP8 blocks, 0 without them
    MemoryError error = MemoryError::none;

    constexpr void add(const TensorSpec& t, std::uint64_t n) {
        // vLLM's loader skips the rotary inv_freq buffers a checkpoint may hold (Kimi-K2's): it
        // computes them. (DeepSeek-V4's tid2eid, also a buffer, is loaded.)
        if (t.part == Part::buffer && t.suffix == "self_attn.rotary_emb.inv_freq") return;
        if (t.split == Split::experts) return experts.add(t, n);
        if (tp != 1 && t.storage == Storage::fp8_linear && block_rows != 0 && t.shape.rank == 2) {
            const bool rows = t.split == Split::rows, cols = t.split == Split::cols;
            const std::uint64_t dim = rows ? t.shape.dims[0] : t.shape.dims[1];
            const std::uint64_t block = rows ? block_rows : block_cols;
            if ((rows || cols) && dim % tp == 0 && (dim / tp) % block != 0) error = MemoryError::fp8_block_split;
        }
        other.add(t, n);
    }
};

} // namespace detail

/// The KV-cache formats vLLM allocates for an MLA model (DeepSeek V2, V3, V3.2, Kimi-K2): one
/// entry per token per layer, replicated on every tensor-parallel GPU (one KV head), in blocks
/// of tokens that a request occupies whole. (vLLM's attention backends; the sizes are their
/// docstrings' and `kv_cache_interface.py`'s, see docs/memory-model.md.)
enum class VllmKvFormat {
    flashmla,     ///< FlashMLA, `--kv-cache-dtype auto`: latent + rope key at the model dtype (V3: 1,152 B); block 64
    flashmla_fp8, ///< FlashMLA, `fp8`: one byte each (V3: 576 B); block 64
    fp8_ds_mla,   ///< FlashMLA sparse (V3.2), `fp8`: latent e4m3, a float32 scale per 128, rope key bf16 (656 B); block
                  ///< 64
    nvfp4_ds_mla, ///< FlashMLA sparse on SM100: latent e2m1, an e4m3 scale per 16, rope key e4m3 (352 B); block 64
    cutlass_mla,  ///< CUTLASS MLA (SM100), `auto`: as flashmla; block 128
    cutlass_mla_fp8, ///< CUTLASS MLA, `fp8`: as flashmla_fp8; block 128
};

template <> struct enum_table<VllmKvFormat> {
    static constexpr std::array<EnumEntry<VllmKvFormat>, 6> entries{{
        {VllmKvFormat::flashmla, "flashmla"},
        {VllmKvFormat::flashmla_fp8, "flashmla_fp8"},
        {VllmKvFormat::fp8_ds_mla, "fp8_ds_mla"},
        {VllmKvFormat::nvfp4_ds_mla, "nvfp4_ds_mla"},
        {VllmKvFormat::cutlass_mla, "cutlass_mla"},
        {VllmKvFormat::cutlass_mla_fp8, "cutlass_mla_fp8"},
    }};
};

/// The format vLLM's FlashMLA backends allocate for `--kv-cache-dtype` `kv_dtype` (unset:
/// `auto`, the model dtype): fp8 is `fp8_ds_mla` on a model with V3.2's indexer (the sparse
/// backend) and `flashmla_fp8` otherwise; anything else `flashmla`. (vLLM's choice for V3.2
/// changed across versions; the format is an input of vllm_kv_entry for that reason.)
template <class C>
[[nodiscard]] constexpr VllmKvFormat default_vllm_kv_format(const C& c, const Optional<Dtype>& kv_dtype) noexcept {
    if (!kv_dtype || *kv_dtype != Dtype::fp8) return VllmKvFormat::flashmla;
    if constexpr (std::is_base_of_v<DeepseekV3Config, C>) {
        if (has_indexer(c)) return VllmKvFormat::fp8_ds_mla;
    }
    (void)c;
    return VllmKvFormat::flashmla_fp8;
}

/// One token's KV entry in one layer, and the block size.
struct KvEntry {
    std::uint64_t bytes = 0;  ///< the MLA entry, and V3.2's indexer key (132 B) on a model with one
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
    KvEntry entry{};                      ///< per token per layer
    std::uint64_t kv_layers = 0;          ///< layers with a cache on the GPU (the MTP module's when loaded)
    std::uint64_t kv_bytes_per_token = 0; ///< entry.bytes x kv_layers
    std::uint64_t kv_blocks = 0;          ///< whole blocks of every layer that fit beside weights and reserve
    std::uint64_t kv_tokens = 0;          ///< kv_blocks x block: the GPU's capacity in tokens
    std::uint64_t context = 0;            ///< tokens per request
    /// Requests of `context` tokens at once, each in ceil(context / block) whole blocks, on one
    /// tensor-parallel group (every GPU of it holds the same cache); vLLM logs the ratio as
    /// "Maximum concurrency for N tokens per request".
    std::uint64_t max_requests = 0;
    std::uint64_t total_requests = 0; ///< max_requests x dp (each data-parallel group holds its own)
};

inline namespace DEEPSEEK_CONFIG_ABI_NAMESPACE {

/// The weight bytes one GPU of vLLM deployment `d` holds, the checkpoint as released (DeepSeek's
/// FP8 blocks with their scales, or as its quantisation stores it), MTP modules only when
/// `d.mtp`. By vLLM's rules: tp splits the attention's q_b/kv_b/o projections, dense and shared
/// MLPs, embedding and head and replicates the rest (q_a/kv_a projections, norms, router, V3.2's
/// indexer); dp repeats the tp group; with expert parallelism the routed experts are spread whole
/// over tp x dp GPUs, (n_routed_experts + redundant_experts) / (tp x dp) per MoE layer on each,
/// and without it each expert is split tp ways.
///
/// Errors: tp_zero (tp or dp 0), tp_does_not_divide (tp does not divide a split dimension),
/// ep_does_not_divide (the experts do not spread evenly), fp8_block_split (vLLM refuses a tp
/// share of an FP8 weight that is not whole 128-blocks: V3 at tp 32), quantization_not_modelled,
/// overflow.
template <class C>
[[nodiscard]] constexpr Result<GpuWeights, MemoryError> weights_per_gpu(const C& c, const Deployment& d) {
    detail::require_config<C>();
    if (d.tp == 0 || d.dp == 0) return MemoryError::tp_zero;
    if (!quantization_modelled(c)) return MemoryError::quantization_not_modelled;
    return detail::overflow_as_error([&]() -> Result<GpuWeights, MemoryError> {
        const char* const what = "weights per GPU";
        GpuWeights w{};
        w.gpus = detail::checked_mul(d.tp, d.dp, what);
        const std::uint64_t routed = detail::value_or_zero(c.n_routed_experts);
        const bool ep = d.expert_parallel && routed != 0;
        if (ep) {
            const std::uint64_t physical = detail::checked_add(routed, d.redundant_experts, what);
            if (physical % w.gpus != 0) return MemoryError::ep_does_not_divide;
            w.experts_per_gpu = physical / w.gpus;
        } else if (d.tp != 1) {
            if (const MemoryError e = detail::expert_split_error(c, d.tp); e != MemoryError::none) return e;
        }
        detail::GpuWeightsSum<C> sum{{c, 1, d.mtp}, {c, d.tp, d.mtp}, d.tp};
        if constexpr (std::is_base_of_v<DeepseekV3Config, C> || std::is_same_v<C, DeepseekV4Config>) {
            if (detail::uses_deepseek_fp8(c)) {
                sum.block_rows = c.quantization_config->weight_block_size[0];
                sum.block_cols = c.quantization_config->weight_block_size[1];
            }
        }
        detail::for_each_tensor_summed(c, [&sum](const TensorSpec& t) { sum.add(t, t.elements()); });
        if (sum.error != MemoryError::none) return sum.error;
        const SizeResult experts = sum.experts.bytes(d.mtp), other = sum.other.bytes(d.mtp);
        if (!experts) return experts.error();
        if (!other) return other.error();
        // Every routed expert is the same size: a GPU holds experts_per_gpu of them (expert
        // parallelism), or a tp-th of each (the width check above makes that exact in bytes).
        if (ep) {
            w.routed_experts = detail::checked_mul(*experts / routed, w.experts_per_gpu, what);
        } else {
            if (*experts % d.tp != 0) return MemoryError::tp_does_not_divide;
            w.routed_experts = *experts / d.tp;
        }
        w.other = *other;
        return w;
    });
}

/// The entry of format `f` for `c`: the latent (kv_lora_rank) and rope key (qk_rope_head_dim),
/// and DeepSeek-V3.2's indexer key (indexer_key_bytes_per_token_per_layer), which vLLM keeps in
/// the same blocks. Errors: layout_needs_mla (a model without MLA), layout_not_for_v4.
template <class C> [[nodiscard]] constexpr Result<KvEntry, MemoryError> vllm_kv_entry(const C& c, VllmKvFormat f) {
    detail::require_config<C>();
    if constexpr (std::is_same_v<C, DeepseekV4Config>) {
        (void)c, (void)f;
        return MemoryError::layout_not_for_v4;
    } else {
        if (!uses_mla(c)) return MemoryError::layout_needs_mla;
        return detail::overflow_as_error([&]() -> Result<KvEntry, MemoryError> {
            const char* const what = "KV entry";
            const std::uint64_t r = detail::value_or_zero(c.kv_lora_rank), d = c.qk_rope_head_dim;
            const std::uint64_t model_bytes = dtype_bits(model_dtype(c)) / 8;
            KvEntry e{};
            switch (f) {
            case VllmKvFormat::flashmla:
            case VllmKvFormat::cutlass_mla:
                e.bytes = detail::checked_mul(detail::checked_add(r, d, what), model_bytes, what);
                break;
            case VllmKvFormat::flashmla_fp8:
            case VllmKvFormat::cutlass_mla_fp8: e.bytes = detail::checked_add(r, d, what); break;
            case VllmKvFormat::fp8_ds_mla: // 512 + 16 + 128 for V3.2
                e.bytes = detail::checked_add(detail::checked_add(r, detail::ceil_div(r, 128) * 4, what),
                                              detail::checked_mul(d, 2, what), what);
                break;
            case VllmKvFormat::nvfp4_ds_mla: // 256 + 32 + 64 for V3.2
                e.bytes = detail::checked_add(detail::ceil_div(r, 2) + detail::ceil_div(r, 16), d, what);
                break;
            }
            if (f == VllmKvFormat::cutlass_mla || f == VllmKvFormat::cutlass_mla_fp8) e.block = 128;
            e.bytes = detail::checked_add(e.bytes, indexer_key_bytes_per_token_per_layer(c), what);
            return e;
        });
    }
}

/// One GPU of vLLM deployment `d` with cache format `f` on budget `b`. A layout whose weights and
/// reserve do not fit is not an error: `fits` is false and `shortfall` says by how much; one that
/// fits with room for no block has 0 kv_blocks. Errors: those of weights_per_gpu and
/// vllm_kv_entry, and tp_zero for a GPU of 0 bytes.
template <class C> [[nodiscard]] constexpr Result<GpuPlan, MemoryError> plan_gpu(const C& c, const Deployment& d,
                                                                                 VllmKvFormat f, const GpuBudget& b) {
    const auto weights = weights_per_gpu(c, d);
    if (!weights) return weights.error();
    const auto entry = vllm_kv_entry(c, f);
    if (!entry) return entry.error();
    if (b.gpu_memory == 0 || !(b.memory_fraction > 0.0) || b.memory_fraction > 1.0) return MemoryError::tp_zero;
    return detail::overflow_as_error([&]() -> Result<GpuPlan, MemoryError> {
        const char* const what = "GPU plan";
        GpuPlan p{};
        p.weights = *weights;
        p.entry = *entry;
        p.usable = static_cast<std::uint64_t>(static_cast<double>(b.gpu_memory) * b.memory_fraction);
        p.kv_layers = c.num_hidden_layers + (d.mtp ? mtp_layer_count(c) : 0);
        p.kv_bytes_per_token = detail::checked_mul(p.entry.bytes, p.kv_layers, what);
        p.context = b.context != 0 ? b.context : default_context(c);
        const std::uint64_t held = detail::checked_add(p.weights.total(), b.reserve, what);
        p.fits = held <= p.usable;
        if (!p.fits) {
            p.shortfall = held - p.usable;
            return p;
        }
        const std::uint64_t block_bytes = detail::checked_mul(p.kv_bytes_per_token, p.entry.block, what);
        p.kv_blocks = block_bytes == 0 ? 0 : (p.usable - held) / block_bytes;
        p.kv_tokens = detail::checked_mul(p.kv_blocks, p.entry.block, what);
        p.max_requests = p.kv_blocks / detail::ceil_div(p.context, p.entry.block);
        p.total_requests = detail::checked_mul(p.max_requests, d.dp, what);
        return p;
    });
}

} // namespace DEEPSEEK_CONFIG_ABI_NAMESPACE

/// The `vllm serve` command line for a deployment (MODEL standing for the model's path or name):
/// `--tensor-parallel-size`, and when set `--data-parallel-size`, `--enable-expert-parallel`,
/// EPLB's redundant experts (`--enable-eplb --eplb-config`, vLLM 0.11's spelling; older versions
/// took `--num-redundant-experts`), `--gpu-memory-utilization`, `--max-model-len` and
/// `--kv-cache-dtype fp8` for the FP8 formats. MTP is `--speculative-config` with the method
/// `deepseek_mtp`.
inline std::string vllm_launch_command(const Deployment& d, const GpuBudget& b, VllmKvFormat f, std::uint64_t context) {
    std::string out = "vllm serve MODEL --tensor-parallel-size " + std::to_string(d.tp);
    if (d.dp != 1) out += " --data-parallel-size " + std::to_string(d.dp);
    if (d.expert_parallel) out += " --enable-expert-parallel";
    if (d.redundant_experts != 0)
        out += " --enable-eplb --eplb-config '{\"num_redundant_experts\":" + std::to_string(d.redundant_experts) + "}'";
    if (d.mtp) out += " --speculative-config '{\"method\":\"deepseek_mtp\",\"num_speculative_tokens\":1}'";
    char fraction[32];
    std::snprintf(fraction, sizeof fraction, "%g", b.memory_fraction);
    out += std::string(" --gpu-memory-utilization ") + fraction;
    out += " --max-model-len " + std::to_string(context);
    if (f == VllmKvFormat::flashmla_fp8 || f == VllmKvFormat::fp8_ds_mla || f == VllmKvFormat::cutlass_mla_fp8)
        out += " --kv-cache-dtype fp8";
    else if (f == VllmKvFormat::nvfp4_ds_mla)
        out += " --kv-cache-dtype nvfp4_ds_mla";
    return out;
}

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_DEPLOYMENT_HPP
