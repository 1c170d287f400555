// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// Internal: where vLLM and SGLang hold DeepSeek-V4's tensors otherwise than its checkpoint
// stores them, tensor by tensor (the walk is detail/v4_walk.hpp; the split of every tensor,
// gpu_weights.hpp). Standard library only.
#ifndef DEEPSEEK_CONFIG_DETAIL_V4_ENGINE_RULES_HPP
#define DEEPSEEK_CONFIG_DETAIL_V4_ENGINE_RULES_HPP

#include <cstdint>
#include <string_view>

#include "../config.hpp"
#include "../dtypes.hpp"
#include "../tensor_spec.hpp"

namespace deepseek {
namespace detail {

/// vLLM pads DeepSeek-V4's per-GPU attention sinks to at least 64 heads for FlashMLA
/// (deepseek_v4.py: padded_heads = max(n_local_heads, 64)).
inline constexpr std::uint64_t v4_vllm_sink_heads = 64;

/// The width of one FP4 (MXFP4) routed expert of DeepSeek-V4 on each GPU that splits it `ways`
/// ways, as the engine allocates it (each of w1, w3 and w2 and their scales grows with it: the
/// padding is allocated memory). vLLM's Mxfp4MoEMethod (at the V4 release, 0a65d466) rounds the
/// share up to a multiple of 128 for the Marlin backend (Hopper's) and DeepGEMM, of 256 for
/// FlashInfer's TRT-LLM backend (Blackwell's default then): on Hopper 128, else the width both
/// agree on, or 0 when they differ (V4-Pro at tp 8: 384, or 512), which the backend decides.
/// SGLang's Marlin runner (marlin_utils_fp4.py) rounds to 64; it is modelled on Hopper only.
constexpr std::uint64_t v4_expert_width(const DeepseekV4Config& c, Engine engine, GpuArch arch, std::uint64_t ways) {
    const std::uint64_t share = c.moe_intermediate_size / ways;
    const auto round = [share](std::uint64_t to) { return ceil_div(share, to) * to; };
    if (engine == Engine::sglang) return round(64);
    if (arch == GpuArch::hopper) return round(128);
    return round(128) == round(256) ? round(128) : 0;
}

/// The bytes of one element of DeepSeek-V4 tensor `t`, stored in `stored` bytes, as SGLang holds
/// it on a Hopper GPU with its Marlin MoE runner (models/deepseek_v4.py at 000328a8,
/// layers/quantization/fp8.py, mxfp4_marlin_moe.py); 0 for a tensor it does not hold.
/// - An FP8 Linear's block scale: a float32 parameter (create_fp8_weight_ registers
///   weight_scale_inv as float32, the checkpoint's UE8M0 widened as it loads; no UE8M0 repacking,
///   a Blackwell setting).
/// - wo_a: dequantised to BF16 as it loads (_dequant_fp8_wo_a; FP8 only with
///   SGLANG_OPT_FP8_WO_A_GEMM), its scale dropped.
/// - A routed expert's scale: a float32 parameter [E, 2I, D/32] and [E, D, I/32], which Marlin's
///   preparation (prepare_moe_mxfp4_layer_for_marlin) repacks into a new UE8M0 tensor, leaving the
///   float32 one in place: 1 + 4 bytes. Published logs show it: V4-Pro at tp 8 on 8 x H200 loads
///   125.65 GiB, where the stored tensors come to 102.4 GiB and the float32 copies to 22.5 more.
///   With `float32_scales_dropped` (sglang PR #29797, which deletes them after the repack; newer
///   deepseek-v4-hopper images load ~103-104 GB there), 1 byte.
/// - The compressors' norms: float32 (weight_dtype=torch.float32), BF16 in the checkpoint.
/// - The hash layers' tid2eid: int32 (HashTopK), I64 in the checkpoint.
constexpr std::uint64_t sglang_v4_hopper_element(const TensorSpec& t, std::uint64_t stored,
                                                 bool float32_scales_dropped) noexcept {
    const bool wo_a = t.suffix == "attn.wo_a.weight";
    if (t.part == Part::scale) {
        if (wo_a) return 0;
        if (t.owner == Part::routed_experts) return float32_scales_dropped ? 1 : 1 + 4;
        return 4;
    }
    if (wo_a) return 2;
    if (t.suffix == "attn.compressor.norm.weight" || t.suffix == "attn.indexer.compressor.norm.weight") return 4;
    if (t.suffix == "ffn.gate.tid2eid") return 4;
    return stored;
}

} // namespace detail
} // namespace deepseek

#endif // DEEPSEEK_CONFIG_DETAIL_V4_ENGINE_RULES_HPP
