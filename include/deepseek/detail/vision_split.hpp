// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// Internal: how vLLM and SGLang split the vision encoders over the GPUs of a tensor-parallel
// group, tensor by tensor (the walks are detail/*_vision_walk.hpp; the split of every other
// tensor, gpu_weights.hpp). Standard library only.
#ifndef DEEPSEEK_CONFIG_DETAIL_VISION_SPLIT_HPP
#define DEEPSEEK_CONFIG_DETAIL_VISION_SPLIT_HPP

#include <string_view>
#include <type_traits>

#include "../config.hpp"
#include "../dtypes.hpp"
#include "../tensor_spec.hpp"

namespace deepseek {
namespace detail {

/// Whether Deployment::mm_encoder_data keeps C's vision encoder whole on every GPU under
/// `engine`: vLLM's `--mm-encoder-tp-mode data` for the MoonViTs (its only split encoders that
/// declare it), SGLang's `--mm-enable-dp-encoder` for Kimi-K2.5's (kimi_k25.py at 00a239e5:
/// VisionAttention with use_data_parallel; its MLP is whole anyway). SGLang's Kimi-VL code does
/// not pass the switch on (kimi_vl.py at 44068a09), and its other encoders are whole regardless.
template <class C> constexpr bool encoder_whole(Engine engine, bool mm_encoder_data) noexcept {
    return mm_encoder_data && (engine == Engine::vllm || std::is_same_v<C, KimiK25Config>);
}

/// How `engine` splits vision tensor `t` of a model of type C: as the walk says (replicated: the
/// encoders whole on every GPU, as vLLM and SGLang build SAM, the projectors and DeepSeek-OCR-2's
/// Qwen2 encoder, which vLLM's deepencoder2.py and SGLang's deepencoder2.py make a transformers
/// Qwen2Model), except for the tensors below. `encoder_whole` (the function above): every MoonViT
/// Linear built whole.
template <class C>
constexpr Split engine_vision_split(const TensorSpec& t, Engine engine, bool encoder_whole) noexcept {
    const std::string_view s = t.suffix;
    if constexpr (std::is_same_v<C, KimiVLConfig> || std::is_same_v<C, KimiK25Config>) {
        if (t.prefix != "vision_tower.encoder.blocks." || encoder_whole) return t.split;
        // vLLM: Kimi-VL's MoonViT blocks (moonvit.py at 055e47c2), and Kimi-K2.5's alike
        // (kimi_k25_vit.py at 055e47c2): wqkv a QKVParallelLinear and fc0 a ColumnParallelLinear,
        // by rows with their biases; wo and fc1 RowParallelLinears, by columns, their biases whole.
        // SGLang: the attention alike (VisionAttention: qkv_proj a QKVParallelLinear, proj a
        // RowParallelLinear, over the attention group); Kimi-VL's MLP too (kimi_vl_moonvit.py at
        // 00e1106f: MLP2 with ColumnParallelLinear fc0 and RowParallelLinear fc1), Kimi-K2.5's
        // not (kimi_k25.py at 00a239e5: MLP2 without use_tensor_parallel, two nn.Linear).
        // The patch embedding, position table, norms and the projector are replicated by both.
        if (s == "wqkv.weight" || s == "wqkv.bias") return Split::rows;
        if (s == "wo.weight") return Split::cols;
        if (engine == Engine::sglang && std::is_same_v<C, KimiK25Config>) return Split::replicated;
        if (s == "mlp.fc0.weight" || s == "mlp.fc0.bias") return Split::rows;
        if (s == "mlp.fc1.weight") return Split::cols;
    } else if constexpr (std::is_same_v<C, DeepseekVL2Config>) {
        // SGLang builds VL2's SigLIP with timm (deepseek_vl2.py at 3d7da5a4: timm.create_model), whole.
        if (engine != Engine::vllm) return t.split;
        // vLLM: DeepSeek-VL2's SigLIP (deepseek_vl2.py, patch_vit_for_tp, since vLLM #21494 of July
        // 2025; replicated before): at tp > 1 every timm Mlp's fc1 becomes a ColumnParallelLinear,
        // split by rows with its bias, and fc2 a RowParallelLinear, by columns, its bias whole;
        // the blocks' and the attention pool's alike. The attention, norms, patch embedding and
        // projector stay whole.
        if (t.prefix == "vision.blocks." || t.prefix == "vision.attn_pool.") {
            if (s == "mlp.fc1.weight" || s == "mlp.fc1.bias") return Split::rows;
            if (s == "mlp.fc2.weight") return Split::cols;
        }
    } else if constexpr (std::is_same_v<C, DeepseekOCRConfig>) {
        // SGLang builds OCR's CLIP of torch Linears (deepseek_ocr.py at b4ea46ff: NoTPAttention,
        // NoTPFeedForward), whole.
        if (engine != Engine::vllm) return t.split;
        // vLLM: DeepSeek-OCR's CLIP tower, tensor-parallel (clip.py: the qkv_proj and fc1 Linears
        // split by output rows with their biases, out_proj and fc2 by input columns, their biases
        // whole).
        if (t.prefix == "model.vision_model.transformer.layers.") {
            if (s == "self_attn.qkv_proj.weight" || s == "self_attn.qkv_proj.bias" || s == "mlp.fc1.weight" ||
                s == "mlp.fc1.bias")
                return Split::rows;
            if (s == "self_attn.out_proj.weight" || s == "mlp.fc2.weight") return Split::cols;
        }
    }
    return t.split;
}

} // namespace detail
} // namespace deepseek

#endif // DEEPSEEK_CONFIG_DETAIL_VISION_SPLIT_HPP
