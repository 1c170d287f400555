// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// The tensors of Kimi-VL's and Kimi-K2.5's vision side, for the tensor walk of tensor_walk.hpp:
// MoonViT (`vision_tower.`: a patch embedding with a learned 2D position table, pre-norm blocks;
// its 2D RoPE table is computed, not stored) and the projector (Kimi-VL's
// `multi_modal_projector.`, Kimi-K2.5's `mm_projector.`) that merges merge_kernel_size patches
// into one token of the language model's width. Include tensor_walk.hpp.
#ifndef DEEPSEEK_CONFIG_DETAIL_KIMI_VL_VISION_WALK_HPP
#define DEEPSEEK_CONFIG_DETAIL_KIMI_VL_VISION_WALK_HPP

#include <cstdint>

#include "../overflow.hpp"
#include "../tensor_spec.hpp"
#include "../wrappers.hpp"
#include "ocr_vision_walk.hpp"

namespace deepseek {
namespace detail {

/// MoonViT's shape, as Kimi-VL's MoonViTConfig and Kimi-K2.5's MoonViT3dConfig give it, and
/// which projector follows it.
struct MoonViTShape {
    std::uint64_t patch = 0, pos_height = 0, pos_width = 0;
    std::uint64_t hidden = 0, intermediate = 0, layers = 0, heads = 0;
    std::uint64_t merged = 0;      ///< the projector's input: a patch's features x the patches merged
    std::uint64_t patch_width = 0; ///< the projector's pre_norm: one patch's features
    std::uint64_t out = 0;         ///< the projector's output: the language model's width
    bool k25 = false;              ///< Kimi-K2.5's `mm_projector.` (proj.0, proj.2), else Kimi-VL's
};

constexpr MoonViTShape moonvit_shape(const KimiVLConfig& c) {
    const MoonViTConfig& m = c.vision_config;
    const std::uint64_t merge = checked_mul(m.merge_kernel_size[0], m.merge_kernel_size[1], "vision shape");
    return {m.patch_size,
            m.init_pos_emb_height,
            m.init_pos_emb_width,
            m.hidden_size,
            m.intermediate_size,
            m.num_hidden_layers,
            m.num_attention_heads,
            checked_mul(m.hidden_size, merge, "vision shape"),
            m.hidden_size,
            c.hidden_size,
            false};
}

/// Kimi-K2.5's MoonViT3d: MoonViT's blocks, its projector (PatchMergerMLP) over mm_hidden_size
/// features a patch to text_hidden_size (modeling_kimi_k25.py, ProjectorConfig).
constexpr MoonViTShape moonvit_shape(const KimiK25Config& c) {
    const MoonViT3dConfig& m = c.vision_config;
    const std::uint64_t merge = checked_mul(m.merge_kernel_size[0], m.merge_kernel_size[1], "vision shape");
    const std::uint64_t patch_width = m.mm_hidden_size.value_or(m.vt_hidden_size);
    return {m.patch_size,
            m.init_pos_emb_height,
            m.init_pos_emb_width,
            m.vt_hidden_size,
            m.vt_intermediate_size,
            m.vt_num_hidden_layers,
            m.vt_num_attention_heads,
            checked_mul(patch_width, merge, "vision shape"),
            patch_width,
            m.text_hidden_size,
            true};
}

/// MoonViT (Kimi-VL's, Kimi-K2.5's) and its projector. With `group_blocks`, the identical blocks
/// are visited once.
template <class C, class V> constexpr void for_each_moonvit_tensor(const C& c, V& visit, bool group_blocks) {
    const char* const what = "vision shape";
    const Part P = Part::vision;
    const MoonViTShape m = moonvit_shape(c);
    const std::uint64_t D = m.hidden;
    const std::uint64_t I = m.intermediate;
    const std::uint64_t qkv = checked_mul(3, D, what);
    auto r = vision_scope(visit, "vision_tower.patch_embed.");
    r.tensor("proj.weight", shape4(D, vision_in_chans, m.patch, m.patch), P); // Conv2d, stride = patch
    r.tensor("proj.bias", shape1(D), P);
    // A learned [height, width, dim] table, interpolated to the image's grid (Kimi-K2.5's time
    // axis is a fixed sin-cos table, not stored).
    r.tensor("pos_emb.weight", Shape{{m.pos_height, m.pos_width, D, 0}, 3}, P);
    const std::uint64_t step = group_blocks && m.layers > 0 ? m.layers : 1;
    for (std::uint64_t i = 0; i < m.layers; i += step) {
        // LayerNorm, fused qkv and output projections with bias, LayerNorm, a two-layer MLP.
        auto b = vision_scope(visit, "vision_tower.encoder.blocks.", i, step);
        b.tensor("norm0.weight", shape1(D), P);
        b.tensor("norm0.bias", shape1(D), P);
        b.tensor("norm1.weight", shape1(D), P);
        b.tensor("norm1.bias", shape1(D), P);
        b.tensor("wqkv.weight", shape2(qkv, D), P);
        b.tensor("wqkv.bias", shape1(qkv), P);
        b.tensor("wo.weight", shape2(D, D), P);
        b.tensor("wo.bias", shape1(D), P);
        b.tensor("mlp.fc0.weight", shape2(I, D), P);
        b.tensor("mlp.fc0.bias", shape1(I), P);
        b.tensor("mlp.fc1.weight", shape2(D, I), P);
        b.tensor("mlp.fc1.bias", shape1(D), P);
    }
    auto f = vision_scope(visit, "vision_tower.encoder.");
    f.tensor("final_layernorm.weight", shape1(D), P);
    f.tensor("final_layernorm.bias", shape1(D), P);
    // The projector: LayerNorm over one patch, then the merged patches through Linear, GELU,
    // Linear to the language model's width (Kimi-VL's KimiVLMultiModalProjector, Kimi-K2.5's
    // PatchMergerMLP).
    auto p = vision_scope(visit, m.k25 ? "mm_projector." : "multi_modal_projector.");
    p.tensor("pre_norm.weight", shape1(m.patch_width), P);
    p.tensor("pre_norm.bias", shape1(m.patch_width), P);
    p.tensor(m.k25 ? "proj.0.weight" : "linear_1.weight", shape2(m.merged, m.merged), P);
    p.tensor(m.k25 ? "proj.0.bias" : "linear_1.bias", shape1(m.merged), P);
    p.tensor(m.k25 ? "proj.2.weight" : "linear_2.weight", shape2(m.out, m.merged), P);
    p.tensor(m.k25 ? "proj.2.bias" : "linear_2.bias", shape1(m.out), P);
}

} // namespace detail
} // namespace deepseek

#endif // DEEPSEEK_CONFIG_DETAIL_KIMI_VL_VISION_WALK_HPP
