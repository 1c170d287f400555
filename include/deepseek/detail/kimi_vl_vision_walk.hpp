// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// The tensors of Kimi-VL's vision side, for the tensor walk of tensor_walk.hpp: MoonViT
// (`vision_tower.`: a patch embedding with a learned 2D position table, pre-norm blocks; its 2D
// RoPE table is computed, not stored) and the projector (`multi_modal_projector.`) that merges
// merge_kernel_size patches into one token of the language model's width. Include
// tensor_walk.hpp.
#ifndef DEEPSEEK_CONFIG_DETAIL_KIMI_VL_VISION_WALK_HPP
#define DEEPSEEK_CONFIG_DETAIL_KIMI_VL_VISION_WALK_HPP

#include <cstdint>

#include "../overflow.hpp"
#include "../tensor_spec.hpp"
#include "../wrappers.hpp"
#include "ocr_vision_walk.hpp"

namespace deepseek {
namespace detail {

/// Kimi-VL's MoonViT and multi-modal projector. With `group_blocks`, the identical blocks are
/// visited once.
template <class V> constexpr void for_each_kimi_vl_vision_tensor(const KimiVLConfig& c, V& visit, bool group_blocks) {
    const char* const what = "vision shape";
    const Part P = Part::vision;
    const MoonViTConfig& m = c.vision_config;
    const std::uint64_t D = m.hidden_size;
    const std::uint64_t I = m.intermediate_size;
    const std::uint64_t qkv = checked_mul(3, D, what);
    auto r = vision_scope(visit, "vision_tower.patch_embed.");
    r.tensor("proj.weight", shape4(D, vision_in_chans, m.patch_size, m.patch_size), P); // Conv2d, stride = patch
    r.tensor("proj.bias", shape1(D), P);
    // Learnable2DInterpPosEmb: a [height, width, dim] table, interpolated to the image's grid.
    r.tensor("pos_emb.weight", Shape{{m.init_pos_emb_height, m.init_pos_emb_width, D, 0}, 3}, P);
    const std::uint64_t step = group_blocks && m.num_hidden_layers > 0 ? m.num_hidden_layers : 1;
    for (std::uint64_t i = 0; i < m.num_hidden_layers; i += step) {
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
    // KimiVLMultiModalProjector: LayerNorm over one patch, then the merged patches (D kh kw)
    // through Linear, GELU, Linear to the language model's width.
    const std::uint64_t merged =
        checked_mul(D, checked_mul(m.merge_kernel_size[0], m.merge_kernel_size[1], what), what);
    auto p = vision_scope(visit, "multi_modal_projector.");
    p.tensor("pre_norm.weight", shape1(D), P);
    p.tensor("pre_norm.bias", shape1(D), P);
    p.tensor("linear_1.weight", shape2(merged, merged), P);
    p.tensor("linear_1.bias", shape1(merged), P);
    p.tensor("linear_2.weight", shape2(c.hidden_size, merged), P);
    p.tensor("linear_2.bias", shape1(c.hidden_size), P);
}

} // namespace detail
} // namespace deepseek

#endif // DEEPSEEK_CONFIG_DETAIL_KIMI_VL_VISION_WALK_HPP
