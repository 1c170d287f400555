// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// What each GPU of a vLLM deployment holds of the weights: tensor parallelism, data parallelism
// and expert parallelism (with EPLB's redundant experts), by vLLM's sharding rules
// (docs/memory-model.md, "Weights per GPU"). Standard library only.
#ifndef DEEPSEEK_CONFIG_DEPLOYMENT_HPP
#define DEEPSEEK_CONFIG_DEPLOYMENT_HPP

#include <cstdint>

#include "config.hpp"
#include "dtypes.hpp"
#include "error.hpp"
#include "memory.hpp"
#include "overflow.hpp"
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
    if constexpr (std::is_base_of_v<DeepseekV3Config, C> || std::is_base_of_v<DeepseekV2Config, C>) {
        if (!c.n_routed_experts) return MemoryError::none;
        const std::uint64_t width = c.moe_intermediate_size;
        if (width % tp != 0) return MemoryError::tp_does_not_divide;
        if (!uses_deepseek_fp8(c)) return MemoryError::none;
        const auto& b = c.quantization_config->weight_block_size;
        return (width / tp) % b[0] == 0 && (width / tp) % b[1] == 0 ? MemoryError::none : MemoryError::fp8_block_split;
    } else {
        (void)c, (void)tp;
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
        if (detail::uses_deepseek_fp8(c)) {
            sum.block_rows = c.quantization_config->weight_block_size[0];
            sum.block_cols = c.quantization_config->weight_block_size[1];
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

} // namespace DEEPSEEK_CONFIG_ABI_NAMESPACE

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_DEPLOYMENT_HPP
