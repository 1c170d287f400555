// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// The tensors of DeepSeek-VL2's vision side, for the tensor walk of tensor_walk.hpp: the SigLIP
// ViT (`vision.`: timm's VisionTransformer without class token, with its attention-pool head
// `attn_pool`, built and stored though not run), the MlpProjector (`projector.`) and the two
// learned separators of the 2D tile layout. Include tensor_walk.hpp.
#ifndef DEEPSEEK_CONFIG_DETAIL_VL2_VISION_WALK_HPP
#define DEEPSEEK_CONFIG_DETAIL_VL2_VISION_WALK_HPP

#include <cstdint>

#include "../overflow.hpp"
#include "../tensor_spec.hpp"
#include "../wrappers.hpp"
#include "ocr_vision_walk.hpp"

namespace deepseek {
namespace detail {

/// int(width x ratio): the hidden width timm gives an MLP (int() truncates; 1152 x 3.7362 =
/// 4304.1024 -> 4304). A ratio that is not positive gives 0; a product beyond 2^64 overflows.
constexpr std::uint64_t timm_mlp_width(std::uint64_t width, double ratio) {
    const double product = static_cast<double>(width) * ratio;
    if (!(product > 0.0)) return 0;
    if (product >= 18446744073709551616.0) return report_overflow("vision shape");
    return static_cast<std::uint64_t>(product);
}

/// A rank-3 shape (the position table and the attention-pool latent).
constexpr Shape vl2_shape3(std::uint64_t a, std::uint64_t b, std::uint64_t c) noexcept {
    return Shape{{a, b, c, 0}, 3};
}

/// DeepSeek-VL2's MlpProjector under "projector.layers": its Linear layers (with bias) at the
/// indices of its nn.Sequential, a GELU (no tensors) between two of them. `identity` has none;
/// `linear` is one Linear that is the whole of `layers` (no index).
template <class V> constexpr void for_each_vl2_projector_tensor(const MlpProjectorConfig& p, V& visit) {
    const char* const what = "vision shape";
    const Part P = Part::vision;
    const auto linear = [&](std::uint64_t index, std::uint64_t out, std::uint64_t in) {
        auto l = vision_scope(visit, "projector.layers.", index);
        l.tensor("weight", shape2(out, in), P);
        l.tensor("bias", shape1(out), P);
    };
    switch (p.projector_type) {
    case ProjectorType::identity: break;
    case ProjectorType::linear: {
        auto l = vision_scope(visit, "projector.layers.");
        l.tensor("weight", shape2(p.n_embed, p.input_dim), P);
        l.tensor("bias", shape1(p.n_embed), P);
        break;
    }
    case ProjectorType::mlp_gelu:
        // Linear(input_dim, n_embed), then depth - 1 x [GELU, Linear(n_embed, n_embed)].
        linear(0, p.n_embed, p.input_dim);
        for (std::uint64_t k = 1; k < p.depth; ++k) linear(checked_mul(2, k, what), p.n_embed, p.n_embed);
        break;
    case ProjectorType::downsample_mlp_gelu: {
        // Each token concatenates downsample_ratio^2 neighbours: Linear(input_dim r^2, n_embed m),
        // depth - 2 x [GELU, Linear(n_embed m, n_embed m)], then GELU, Linear(n_embed m, n_embed).
        const std::uint64_t in =
            checked_mul(p.input_dim, checked_mul(p.downsample_ratio, p.downsample_ratio, what), what);
        const std::uint64_t hidden = checked_mul(p.n_embed, p.mlp_ratio, what);
        linear(0, hidden, in);
        std::uint64_t k = 1;
        for (; k + 1 < p.depth; ++k) linear(checked_mul(2, k, what), hidden, hidden);
        linear(checked_mul(2, k, what), p.n_embed, hidden);
        break;
    }
    }
}

/// DeepSeek-VL2's vision side: the SigLIP ViT, the projector, image_newline and view_seperator
/// (sic) of the 2D tile layout. With `group_blocks`, the ViT's identical blocks are visited once.
template <class V> constexpr void for_each_vl2_vision_tensor(const DeepseekVL2Config& c, V& visit, bool group_blocks) {
    const char* const what = "vision shape";
    const Part P = Part::vision;
    const SiglipVisionConfig& s = c.vision_config;
    const std::uint64_t D = s.width;
    const std::uint64_t mlp = timm_mlp_width(D, s.mlp_ratio);
    const std::uint64_t side = s.patch_size == 0 ? 0 : s.image_size / s.patch_size; // 384 / 14 = 27
    const std::uint64_t qkv = checked_mul(3, D, what);
    auto r = vision_scope(visit, "vision.");
    r.tensor("patch_embed.proj.weight", shape4(D, vision_in_chans, s.patch_size, s.patch_size), P);
    r.tensor("patch_embed.proj.bias", shape1(D), P);
    r.tensor("pos_embed", vl2_shape3(1, checked_mul(side, side, what), D), P); // no class token
    const std::uint64_t step = group_blocks && s.layers > 0 ? s.layers : 1;
    for (std::uint64_t i = 0; i < s.layers; i += step) {
        // Pre-norm blocks: LayerNorm, attention (qkv with bias), LayerNorm, MLP.
        auto b = vision_scope(visit, "vision.blocks.", i, step);
        b.tensor("norm1.weight", shape1(D), P);
        b.tensor("norm1.bias", shape1(D), P);
        b.tensor("attn.qkv.weight", shape2(qkv, D), P);
        b.tensor("attn.qkv.bias", shape1(qkv), P);
        b.tensor("attn.proj.weight", shape2(D, D), P);
        b.tensor("attn.proj.bias", shape1(D), P);
        b.tensor("norm2.weight", shape1(D), P);
        b.tensor("norm2.bias", shape1(D), P);
        b.tensor("mlp.fc1.weight", shape2(mlp, D), P);
        b.tensor("mlp.fc1.bias", shape1(mlp), P);
        b.tensor("mlp.fc2.weight", shape2(D, mlp), P);
        b.tensor("mlp.fc2.bias", shape1(D), P);
    }
    r.tensor("norm.weight", shape1(D), P);
    r.tensor("norm.bias", shape1(D), P);
    // timm's AttentionPoolLatent (global_pool "map"): one latent query, q and kv projections
    // with bias, the output projection, a LayerNorm and an MLP as wide as the blocks'.
    auto a = vision_scope(visit, "vision.attn_pool.");
    a.tensor("latent", vl2_shape3(1, 1, D), P);
    a.tensor("q.weight", shape2(D, D), P);
    a.tensor("q.bias", shape1(D), P);
    a.tensor("kv.weight", shape2(checked_mul(2, D, what), D), P);
    a.tensor("kv.bias", shape1(checked_mul(2, D, what)), P);
    a.tensor("proj.weight", shape2(D, D), P);
    a.tensor("proj.bias", shape1(D), P);
    a.tensor("norm.weight", shape1(D), P);
    a.tensor("norm.bias", shape1(D), P);
    a.tensor("mlp.fc1.weight", shape2(mlp, D), P);
    a.tensor("mlp.fc1.bias", shape1(mlp), P);
    a.tensor("mlp.fc2.weight", shape2(D, mlp), P);
    a.tensor("mlp.fc2.bias", shape1(D), P);

    for_each_vl2_projector_tensor(c.projector_config, visit);
    auto sep = vision_scope(visit, "");
    sep.tensor("image_newline", shape1(c.projector_config.n_embed), P);
    sep.tensor("view_seperator", shape1(c.projector_config.n_embed), P);
}

} // namespace detail
} // namespace deepseek

#endif // DEEPSEEK_CONFIG_DETAIL_VL2_VISION_WALK_HPP
