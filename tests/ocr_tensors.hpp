// DeepSeek-OCR's tensors as released, written out by hand from its checkpoint's tensor list, for
// the deployment tests: the expected values of weights per GPU are sums of these, never the
// library's walk. All bf16.
#ifndef DEEPSEEK_CONFIG_TESTS_OCR_TENSORS_HPP
#define DEEPSEEK_CONFIG_TESTS_OCR_TENSORS_HPP

#include <cstdint>

namespace ocr_tensors {

// The whole checkpoint: 6,672,212,480 bytes (its index's total_size, 2,710 tensors).
constexpr std::uint64_t whole = 6'672'212'480;
constexpr std::uint64_t hidden = 1280, layers = 12, head_dim = 128;
// The language model's tensors no engine splits: the input and post-attention norms [1280] of
// each of 12 layers, the router [64, 1280] of the 11 MoE layers and the final norm [1280].
constexpr std::uint64_t lm_replicated = 12 * 2 * hidden + 11 * 64 * hidden + hidden;
// SAM ViT-B (width 768, MLP 3,072, 12 blocks: 8 windowed with rel_pos tables [27, 64], 4 global
// with [127, 64]): patch_embed [768, 3, 16, 16] + bias, pos_embed [1, 64, 64, 768]; per block
// norm1, norm2 (weight, bias), qkv [2304, 768] + bias, proj [768, 768] + bias, lin1 [3072, 768]
// + bias, lin2 [768, 3072] + bias; the neck (conv [256, 768, 1, 1], LayerNorm2d [256] x 2, conv
// [256, 256, 3, 3], LayerNorm2d [256] x 2), net_2 [512, 256, 3, 3], net_3 [1024, 512, 3, 3].
constexpr std::uint64_t sam_block =
    4 * 768 + 2304 * 768 + 2304 + 768 * 768 + 768 + 3072 * 768 + 3072 + 768 * 3072 + 768;
constexpr std::uint64_t sam = 768 * 3 * 16 * 16 + 768 + 64 * 64 * 768 + 12 * sam_block + 8 * 2 * 27 * 64 +
                              4 * 2 * 127 * 64 + 256 * 768 + 2 * 256 + 256 * 256 * 9 + 2 * 256 + 512 * 256 * 9 +
                              1024 * 512 * 9;
// CLIP-L (width 1,024, MLP 4,096, 24 layers): class_embedding [1024], patch_embedding [1024, 3,
// 14, 14], position_embedding [257, 1024], pre_layrnorm (weight, bias); per layer layer_norm1,
// layer_norm2 (weight, bias), qkv_proj [3072, 1024] + bias, out_proj [1024, 1024] + bias, fc1
// [4096, 1024] + bias, fc2 [1024, 4096] + bias.
constexpr std::uint64_t clip_layer =
    4 * 1024 + 3072 * 1024 + 3072 + 1024 * 1024 + 1024 + 4096 * 1024 + 4096 + 1024 * 4096 + 1024;
constexpr std::uint64_t clip = 1024 + 1024 * 3 * 14 * 14 + 257 * 1024 + 2 * 1024 + 24 * clip_layer;
// The projector [1280, 2048] + bias, image_newline and view_seperator [1280].
constexpr std::uint64_t projector = hidden * 2048 + 3 * hidden;
static_assert(sam + clip + projector == 401'372'160); // memory-formulas.md: "OCR DeepEncoder 401,372,160"
/// Bytes of every tensor a GPU holds whole when the vision side is whole (SGLang's rule).
constexpr std::uint64_t replicated = (lm_replicated + sam + clip + projector) * 2;
static_assert(replicated == 804'610'560);
// CLIP's tensors vLLM splits (clip.py): qkv_proj (weight and bias), out_proj's weight, fc1
// (weight and bias) and fc2's weight, 24 x 12,590,080 values.
constexpr std::uint64_t clip_split = 24 * (3072 * 1024 + 3072 + 1024 * 1024 + 4096 * 1024 + 4096 + 1024 * 4096);
static_assert(clip_split * 2 == 604'323'840);

/// One layer's K and V cache entry of `kv_heads_per_gpu` heads at `value_bytes` a value.
constexpr std::uint64_t kv_layer(std::uint64_t kv_heads_per_gpu, std::uint64_t value_bytes) {
    return 2 * kv_heads_per_gpu * head_dim * value_bytes;
}

} // namespace ocr_tensors

#endif // DEEPSEEK_CONFIG_TESTS_OCR_TENSORS_HPP
