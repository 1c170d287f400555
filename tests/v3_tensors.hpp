// DeepSeek-V3's tensors as released, written out by hand from its checkpoint's tensor list
// (../shared/reference/next-capabilities.md §5.1), for the deployment tests: the expected values
// of weights per GPU are sums of these, never the library's walk.
#ifndef DEEPSEEK_CONFIG_TESTS_V3_TENSORS_HPP
#define DEEPSEEK_CONFIG_TESTS_V3_TENSORS_HPP

#include <cstdint>

namespace v3_tensors {

// DeepSeek-V3 as released: each Linear of a decoder layer FP8 e4m3 (1 byte) with a float32 scale
// per 128 x 128 block; norms, embedding, head and router bf16; the router's bias float32.
constexpr std::uint64_t cdiv(std::uint64_t a, std::uint64_t b) { return (a + b - 1) / b; }
constexpr std::uint64_t fp8(std::uint64_t out, std::uint64_t in) {
    return out * in + cdiv(out, 128) * cdiv(in, 128) * 4;
}
constexpr std::uint64_t H = 7168, heads = 128, vocab = 129280;
// Attention, per layer: q_a_proj, kv_a_proj_with_mqa and the two norms are replicated under TP;
// q_b_proj (heads x 192), kv_b_proj (heads x (128 + 128)) and o_proj are split by heads.
constexpr std::uint64_t attn_replicated = fp8(1536, H) + fp8(512 + 64, H) + (1536 + 512) * 2;
constexpr std::uint64_t attn_split = fp8(heads * 192, 1536) + fp8(heads * 256, 512) + fp8(H, heads * 128);
constexpr std::uint64_t layer_norms = 2 * H * 2;                         // input_layernorm, post_attention_layernorm
constexpr std::uint64_t dense_mlp = fp8(18432, H) * 2 + fp8(H, 18432);   // gate, up, down (3 layers)
constexpr std::uint64_t expert = fp8(2048, H) * 2 + fp8(H, 2048);        // one routed or shared expert
constexpr std::uint64_t router = 256 * H * 2 + 256 * 4;                  // gate weight bf16 + bias fp32
constexpr std::uint64_t embedding = vocab * H * 2, head = vocab * H * 2; // bf16, split by vocabulary
constexpr std::uint64_t final_norm = H * 2;
static_assert(expert == 44'050'944); // the reference's "one routed expert, one layer, FP8 + scales"

// The main model (61 layers: 3 dense, 58 MoE with one shared expert; MTP not loaded).
constexpr std::uint64_t replicated = 61 * (attn_replicated + layer_norms) + 58 * router + final_norm;
constexpr std::uint64_t split_but_experts = 61 * attn_split + 3 * dense_mlp + 58 * expert + embedding + head;
constexpr std::uint64_t routed_layer_expert = 58 * expert; // one routed expert in every MoE layer
constexpr std::uint64_t tp_only(std::uint64_t tp) {
    return replicated + (split_but_experts + 256 * routed_layer_expert) / tp;
}

} // namespace v3_tensors

#endif // DEEPSEEK_CONFIG_TESTS_V3_TENSORS_HPP
