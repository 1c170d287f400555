// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// The tensors of DeepSeek-OCR's vision encoder (DeepEncoder: SAM ViT-B, CLIP-L, projector), for
// the tensor walk of tensor_walk.hpp. Internal: include tensor_walk.hpp.
#ifndef DEEPSEEK_CONFIG_DETAIL_OCR_VISION_WALK_HPP
#define DEEPSEEK_CONFIG_DETAIL_OCR_VISION_WALK_HPP

#include <cstdint>
#include <string_view>

#include "../config.hpp"
#include "../overflow.hpp"
#include "../tensor_spec.hpp"

namespace deepseek {

namespace detail {

/// DeepSeek-OCR's DeepEncoder: SAM ViT-B (with neck, net_2, net_3), CLIP-L, the linear
/// projector, image_newline and view_seperator. Numbers the config does not carry are the
/// constants of DeepSeek's encoder code, named here.
/// With `group_blocks`, a run of identical blocks is visited once (see visit_model).
template <class V> constexpr void for_each_ocr_vision_tensor(const DeepseekOCRConfig& c, V& visit, bool group_blocks) {
    const char* const what = "vision shape";
    const auto root = [&](std::string_view prefix) { return Emitter<V>{visit, std::nullopt, prefix, no_block, false}; };
    const auto block = [&](std::string_view prefix, std::uint64_t i, std::uint64_t run = 1) {
        return Emitter<V>{visit, std::nullopt, prefix, i, false, run};
    };
    constexpr std::uint64_t in_chans = 3;  // RGB
    constexpr std::uint64_t mlp_ratio = 4; // SAM and CLIP MLPs are 4x their width
    const Part P = Part::vision;

    if (c.vision_config.width.sam_vit_b) {
        const SamVisionConfig& s = *c.vision_config.width.sam_vit_b;
        constexpr std::uint64_t patch = 16;     // SAM patch size
        constexpr std::uint64_t window = 14;    // window of the non-global blocks
        constexpr std::uint64_t neck_out = 256; // SAM neck output channels
        const std::uint64_t grid = c.vision_config.image_size / patch;
        const std::uint64_t W = s.width;
        const std::uint64_t head_dim = s.heads == 0 ? 0 : W / s.heads;
        const std::uint64_t mlp = checked_mul(mlp_ratio, W, what);
        auto r = root("model.sam_model.");
        r.tensor("patch_embed.proj.weight", shape4(W, in_chans, patch, patch), P);
        r.tensor("patch_embed.proj.bias", shape1(W), P);
        r.tensor("pos_embed", shape4(1, grid, grid, W), P);
        const auto is_global = [&](std::uint64_t i) {
            bool global = false;
            for (std::uint64_t g : s.global_attn_indexes) global = global || g == i;
            return global;
        };
        // One block's tensors; `run` blocks alike (all windowed or all global) stand behind it.
        const auto sam_block = [&](std::uint64_t i, std::uint64_t run, bool global) {
            // Relative position tables [2 s - 1, head_dim], s = window or the whole grid.
            const std::uint64_t side = global ? grid : window;
            const std::uint64_t span = side == 0 ? 0 : checked_mul(2, side, what) - 1;
            auto b = block("model.sam_model.blocks.", i, run);
            b.tensor("norm1.weight", shape1(W), P);
            b.tensor("norm1.bias", shape1(W), P);
            b.tensor("attn.qkv.weight", shape2(checked_mul(3, W, what), W), P);
            b.tensor("attn.qkv.bias", shape1(checked_mul(3, W, what)), P);
            b.tensor("attn.proj.weight", shape2(W, W), P);
            b.tensor("attn.proj.bias", shape1(W), P);
            b.tensor("attn.rel_pos_h", shape2(span, head_dim), P);
            b.tensor("attn.rel_pos_w", shape2(span, head_dim), P);
            b.tensor("norm2.weight", shape1(W), P);
            b.tensor("norm2.bias", shape1(W), P);
            b.tensor("mlp.lin1.weight", shape2(mlp, W), P);
            b.tensor("mlp.lin1.bias", shape1(mlp), P);
            b.tensor("mlp.lin2.weight", shape2(W, mlp), P);
            b.tensor("mlp.lin2.bias", shape1(W), P);
        };
        if (group_blocks) {
            // For sums, where a block sits does not matter: one visit for the windowed blocks,
            // one for the global ones.
            std::uint64_t globals = 0, first_windowed = s.layers, first_global = s.layers;
            for (std::uint64_t i = 0; i < s.layers; ++i) {
                if (is_global(i)) {
                    ++globals;
                    if (first_global == s.layers) first_global = i;
                } else if (first_windowed == s.layers) {
                    first_windowed = i;
                }
            }
            if (globals < s.layers) sam_block(first_windowed, s.layers - globals, false);
            if (globals > 0) sam_block(first_global, globals, true);
        } else {
            for (std::uint64_t i = 0; i < s.layers; ++i) sam_block(i, 1, is_global(i));
        }
        // Neck: 1x1 conv, LayerNorm2d, 3x3 conv, LayerNorm2d (convs without bias).
        block("model.sam_model.neck.", 0).tensor("weight", shape4(neck_out, W, 1, 1), P);
        block("model.sam_model.neck.", 1).tensor("weight", shape1(neck_out), P);
        block("model.sam_model.neck.", 1).tensor("bias", shape1(neck_out), P);
        block("model.sam_model.neck.", 2).tensor("weight", shape4(neck_out, neck_out, 3, 3), P);
        block("model.sam_model.neck.", 3).tensor("weight", shape1(neck_out), P);
        block("model.sam_model.neck.", 3).tensor("bias", shape1(neck_out), P);
        // The 16x compressor: two stride-2 3x3 convs to downsample_channels, without bias.
        const auto& ds = s.downsample_channels;
        r.tensor("net_2.weight", shape4(ds[0], neck_out, 3, 3), P);
        r.tensor("net_3.weight", shape4(ds[1], ds[0], 3, 3), P);
    }
    if (c.vision_config.width.clip_l_14_224) {
        const ClipVisionConfig& k = *c.vision_config.width.clip_l_14_224;
        const std::uint64_t W = k.width;
        const std::uint64_t side = k.patch_size == 0 ? 0 : k.image_size / k.patch_size;
        const std::uint64_t positions = checked_add(checked_mul(side, side, what), 1, what); // + class token
        const std::uint64_t mlp = checked_mul(mlp_ratio, W, what);
        auto r = root("model.vision_model.");
        r.tensor("embeddings.class_embedding", shape1(W), P);
        r.tensor("embeddings.patch_embedding.weight", shape4(W, in_chans, k.patch_size, k.patch_size), P);
        r.tensor("embeddings.position_embedding.weight", shape2(positions, W), P);
        r.tensor("pre_layrnorm.weight", shape1(W), P);
        r.tensor("pre_layrnorm.bias", shape1(W), P);
        // The CLIP layers are all alike: grouped, one visit stands for all of them.
        const std::uint64_t step = group_blocks && k.layers > 0 ? k.layers : 1;
        for (std::uint64_t i = 0; i < k.layers; i += step) {
            auto b = block("model.vision_model.transformer.layers.", i, step);
            b.tensor("layer_norm1.weight", shape1(W), P);
            b.tensor("layer_norm1.bias", shape1(W), P);
            b.tensor("self_attn.qkv_proj.weight", shape2(checked_mul(3, W, what), W), P);
            b.tensor("self_attn.qkv_proj.bias", shape1(checked_mul(3, W, what)), P);
            b.tensor("self_attn.out_proj.weight", shape2(W, W), P);
            b.tensor("self_attn.out_proj.bias", shape1(W), P);
            b.tensor("layer_norm2.weight", shape1(W), P);
            b.tensor("layer_norm2.bias", shape1(W), P);
            b.tensor("mlp.fc1.weight", shape2(mlp, W), P);
            b.tensor("mlp.fc1.bias", shape1(mlp), P);
            b.tensor("mlp.fc2.weight", shape2(W, mlp), P);
            b.tensor("mlp.fc2.bias", shape1(W), P);
        }
    }
    // Projector "linear": one Linear input_dim -> n_embed with bias; then the two learned
    // separators of width n_embed.
    const ProjectorConfig& p = c.projector_config;
    auto r = root("model.");
    r.tensor("projector.layers.weight", shape2(p.n_embed, p.input_dim), P);
    r.tensor("projector.layers.bias", shape1(p.n_embed), P);
    r.tensor("image_newline", shape1(p.n_embed), P);
    r.tensor("view_seperator", shape1(p.n_embed), P);
}

} // namespace detail

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_DETAIL_OCR_VISION_WALK_HPP
