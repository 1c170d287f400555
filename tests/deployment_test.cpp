// Weights per GPU of a vLLM deployment. The expected values are the anchors of issue 16 (from
// ../shared/reference/next-capabilities.md §5: vLLM's sharding rules applied to DeepSeek-V3's
// tensor list), and each is derived again below from DeepSeek-V3's tensors written out by hand.
#include <deepseek/deployment.hpp>
#include <deepseek/presets.hpp>

#include <cstdint>

#include "catch.hpp"

using namespace deepseek;
namespace P = deepseek::presets;

namespace {

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
constexpr std::uint64_t expert_parallel(std::uint64_t experts_per_gpu) {
    return replicated + split_but_experts + experts_per_gpu * routed_layer_expert; // attention TP 1
}

constexpr Deployment tp8{8, 1, false, 0, false};
static_assert(weights_per_gpu(P::deepseek_v3, tp8).value().total() == 85'140'130'848); // at compile time

} // namespace

TEST_CASE("vLLM tensor parallelism: DeepSeek-V3 on 8 and 16 GPUs", "[deployment]") {
    static_assert(tp_only(8) == 85'140'130'848 && tp_only(16) == 43'139'382'208); // the hand derivation
    Deployment d{};
    d.tp = 8;
    const GpuWeights w8 = weights_per_gpu(P::deepseek_v3, d).value();
    CHECK(w8.total() == 85'140'130'848);
    CHECK(w8.routed_experts == 256 * routed_layer_expert / 8);
    CHECK(w8.experts_per_gpu == 0);
    d.tp = 16;
    CHECK(weights_per_gpu(P::deepseek_v3, d).value().total() == 43'139'382'208);
    // Summed over the GPUs: the whole model once, and each replicated tensor once per extra copy.
    CHECK(16 * weights_per_gpu(P::deepseek_v3, d).value().total() == tp_only(1) + 15 * replicated);
    // DP repeats the TP group: the same on each GPU.
    d.dp = 2;
    const GpuWeights dp2 = weights_per_gpu(P::deepseek_v3, d).value();
    CHECK(dp2.total() == 43'139'382'208);
    CHECK(dp2.gpus == 32);
}

TEST_CASE("vLLM expert parallelism and EPLB's redundant experts: DeepSeek-V3", "[deployment]") {
    static_assert(expert_parallel(32) == 100'840'747'360 && expert_parallel(16) == 59'961'471'328);
    Deployment d{};
    d.dp = 8;
    d.expert_parallel = true; // EP size = tp x dp = 8: 32 experts per GPU, attention replicated
    const GpuWeights w = weights_per_gpu(P::deepseek_v3, d).value();
    CHECK(w.experts_per_gpu == 32);
    CHECK(w.total() == 100'840'747'360);
    CHECK(w.other == replicated + split_but_experts);
    d.dp = 16;
    CHECK(weights_per_gpu(P::deepseek_v3, d).value().total() == 59'961'471'328);

    // One redundant expert on each of 8 EP ranks costs one expert in every MoE layer:
    // 2,554,954,752 bytes (vLLM's docs: "approximately 2.4 GB").
    d.dp = 8;
    d.redundant_experts = 8;
    const GpuWeights eplb = weights_per_gpu(P::deepseek_v3, d).value();
    CHECK(eplb.experts_per_gpu == 33);
    CHECK(eplb.total() - w.total() == 2'554'954'752);

    // DeepSeek's own serving layout (32 redundant experts): prefill EP32 holds 9 routed experts
    // per GPU, decode EP144 holds 2, everything else replicated.
    static_assert(expert_parallel(9) == 42'076'788'064 && expert_parallel(2) == 24'192'104'800);
    d.redundant_experts = 32;
    d.dp = 32;
    CHECK(weights_per_gpu(P::deepseek_v3, d).value().experts_per_gpu == 9);
    CHECK(weights_per_gpu(P::deepseek_v3, d).value().total() == 42'076'788'064);
    d.dp = 144;
    CHECK(weights_per_gpu(P::deepseek_v3, d).value().total() == 24'192'104'800);
}

TEST_CASE("Deployments vLLM refuses, each with its reason", "[deployment]") {
    Deployment d{};
    // TP 32: each expert's 2048-wide MLP split 32 ways is 64 wide, not a whole 128-block (vLLM:
    // "... is not divisible by weight quantization block_n = 128").
    d.tp = 32;
    CHECK(weights_per_gpu(P::deepseek_v3, d).error() == MemoryError::fp8_block_split);
    // With expert parallelism the experts stay whole, but the dense MLP's 18,432 rows split 32
    // ways are 576, not whole blocks either.
    d.expert_parallel = true;
    CHECK(weights_per_gpu(P::deepseek_v3, d).error() == MemoryError::fp8_block_split);
    // 256 experts do not spread evenly over 3 GPUs.
    d = Deployment{};
    d.dp = 3;
    d.expert_parallel = true;
    CHECK(weights_per_gpu(P::deepseek_v3, d).error() == MemoryError::ep_does_not_divide);
    // TP 3 does not divide 128 heads.
    d = Deployment{};
    d.tp = 3;
    CHECK(weights_per_gpu(P::deepseek_v3, d).error() == MemoryError::tp_does_not_divide);
    d.tp = 0;
    CHECK(weights_per_gpu(P::deepseek_v3, d).error() == MemoryError::tp_zero);
    CHECK(error_message(MemoryError::fp8_block_split).find("not a whole number of blocks") != std::string_view::npos);
    CHECK(error_message(MemoryError::ep_does_not_divide).find("expert-parallel size") != std::string_view::npos);
}

TEST_CASE("Loading the MTP module adds it whole to one GPU's share", "[deployment]") {
    // V3's MTP module (layer 61): an MoE decoder layer (attention, router, shared and 256 routed
    // experts, norms) plus enorm, hnorm and shared_head.norm (bf16 [H]), eh_proj (bf16 [H, 2H]:
    // outside the FP8 set) and its own copies of the embedding and the head, which the checkpoint
    // stores as model.layers.61.embed_tokens and shared_head.head and vLLM's MTP model loads.
    constexpr std::uint64_t mtp_layer = attn_replicated + attn_split + layer_norms + router + expert + 256 * expert +
                                        3 * H * 2 + H * 2 * H * 2 + embedding + head;
    Deployment d{};
    d.mtp = true;
    const std::uint64_t with = weights_per_gpu(P::deepseek_v3, d).value().total();
    d.mtp = false;
    CHECK(with - weights_per_gpu(P::deepseek_v3, d).value().total() == mtp_layer);
}

TEST_CASE("vLLM's MLA cache formats: bytes per token per layer and blocks", "[deployment][kv]") {
    // V3: kv_lora_rank 512 + qk_rope_head_dim 64 = 576 values. V3.2 adds its indexer key, 128
    // FP8 values and a float32 scale = 132 B, in the same blocks (next-capabilities.md §1.4-1.5).
    CHECK(vllm_kv_entry(P::deepseek_v3, VllmKvFormat::flashmla).value().bytes == 1152);
    CHECK(vllm_kv_entry(P::deepseek_v3, VllmKvFormat::flashmla).value().block == 64);
    CHECK(vllm_kv_entry(P::deepseek_v3, VllmKvFormat::flashmla_fp8).value().bytes == 576);
    CHECK(vllm_kv_entry(P::deepseek_v3, VllmKvFormat::cutlass_mla).value().block == 128);
    CHECK(vllm_kv_entry(P::deepseek_v32, VllmKvFormat::fp8_ds_mla).value().bytes == 656 + 132);
    CHECK(vllm_kv_entry(P::deepseek_v32, VllmKvFormat::flashmla).value().bytes == 1152 + 132);
    CHECK(vllm_kv_entry(P::deepseek_v32, VllmKvFormat::nvfp4_ds_mla).value().bytes == 352 + 132);
    // Over V3.2's 61 layers: 48,068 and 78,324 B per token (the reference's table). SGLang's
    // log of PR #11309: 975,424 tokens "KV size: 43.67 GB" = 975,424 x 788 x 61 bytes.
    CHECK(61 * vllm_kv_entry(P::deepseek_v32, VllmKvFormat::fp8_ds_mla).value().bytes == 48'068);
    CHECK(61 * vllm_kv_entry(P::deepseek_v32, VllmKvFormat::flashmla).value().bytes == 78'324);
    // A model without MLA, and DeepSeek-V4 (kv_v4.hpp sizes its cache), are refused.
    CHECK(vllm_kv_entry(P::deepseek_ocr, VllmKvFormat::flashmla).error() == MemoryError::layout_needs_mla);
    CHECK(vllm_kv_entry(P::deepseek_v4_flash, VllmKvFormat::flashmla).error() == MemoryError::layout_not_for_v4);
}

TEST_CASE("One GPU of DeepSeek-V3 on 8 x H200 under vLLM TP 8: KV capacity and requests", "[deployment][kv]") {
    // 141 GB H200s (141e9 bytes), --gpu-memory-utilization 0.9, a 4 GiB reserve, FlashMLA bf16.
    GpuBudget b{};
    b.gpu_memory = 141'000'000'000;
    b.context = 131'072;
    Deployment d{};
    d.tp = 8;
    const GpuPlan p = plan_gpu(P::deepseek_v3, d, VllmKvFormat::flashmla, b).value();
    // Written out: usable 126.9e9 bytes; the weights 85,140,130,848; the reserve 4,294,967,296;
    // 61 layers x 1,152 B = 70,272 B a token, 64-token blocks of 4,497,408 B.
    const std::uint64_t usable = 126'900'000'000, held = 85'140'130'848 + 4'294'967'296;
    const std::uint64_t block_bytes = 61 * 1152 * 64;
    CHECK(p.fits);
    CHECK(p.usable == usable);
    CHECK(p.kv_bytes_per_token == 70'272);
    CHECK(p.kv_blocks == (usable - held) / block_bytes);
    CHECK(p.kv_blocks == 8'330); // 37,464,901,856 bytes left / 4,497,408 = 8,330.4
    // Capacity x bytes + weights + reserve within the usable memory; one more block is not.
    CHECK(p.kv_blocks * block_bytes + held <= usable);
    CHECK((p.kv_blocks + 1) * block_bytes + held > usable);
    CHECK(p.kv_tokens == 8'330 * 64);
    CHECK(p.max_requests == 4); // a 131,072-token request takes 2,048 blocks: 8,330 / 2,048
    CHECK(p.total_requests == 4);
    // The same layout with 64 GB GPUs does not fit: by how much, not an error.
    b.gpu_memory = 64'000'000'000;
    const GpuPlan small = plan_gpu(P::deepseek_v3, d, VllmKvFormat::flashmla, b).value();
    CHECK_FALSE(small.fits);
    CHECK(small.shortfall == held - 57'600'000'000);
    CHECK(small.kv_blocks == 0);
    // Weights and reserve exactly the usable memory: it fits, with room for no token.
    b.gpu_memory = 100'000'000'000;
    b.memory_fraction = 1.0;
    b.reserve = 100'000'000'000 - 85'140'130'848;
    const GpuPlan full = plan_gpu(P::deepseek_v3, d, VllmKvFormat::flashmla, b).value();
    CHECK(full.fits);
    CHECK(full.kv_blocks == 0);
    CHECK(full.max_requests == 0);
}

TEST_CASE("Summed over a TP group, the GPUs hold the model once and the replicated tensors tp times", "[deployment]") {
    // DeepSeek-V2-Lite, bf16, 31,412,968,448 bytes as released (its safetensors index). Under TP
    // the replicated tensors are, written out: per layer kv_a_proj_with_mqa [576, 2048],
    // kv_a_layernorm [512], input and post-attention norms [2048]; the router [64, 2048] of the
    // 26 MoE layers; the final norm [2048].
    constexpr std::uint64_t v2_lite_replicated =
        27 * (576 * 2048 * 2 + 512 * 2 + 2 * 2048 * 2) + 26 * 64 * 2048 * 2 + 2048 * 2;
    for (const std::uint64_t tp : {std::uint64_t{2}, std::uint64_t{4}, std::uint64_t{8}, std::uint64_t{16}}) {
        Deployment d{};
        d.tp = tp;
        const GpuWeights w = weights_per_gpu(P::deepseek_v2_lite, d).value();
        CHECK(tp * w.total() == 31'412'968'448 + (tp - 1) * v2_lite_replicated);
    }
}

TEST_CASE("One GPU with everything loaded holds the checkpoint as released", "[deployment]") {
    // The released checkpoints' tensor bytes: DeepSeek-V3 688,574,839,360 (docs/memory-model.md),
    // DeepSeek-V4-Flash 159,609,485,896 (a header listing of its shards, docs/deepseek-v4.md).
    Deployment d{};
    d.mtp = true;
    CHECK(weights_per_gpu(P::deepseek_v3, d).value().total() == 688'574'839'360);
    CHECK(weights_per_gpu(P::deepseek_v4_flash, d).value().total() == 159'609'485'896);
    d.tp = 8;
    d.mtp = false;
    CHECK(weights_per_gpu(P::deepseek_v4_flash, d).has_value());
}

TEST_CASE("What vLLM's loader skips is not held: Kimi-K2's rotary inv_freq buffers", "[deployment]") {
    // Kimi-K2's checkpoint stores self_attn.rotary_emb.inv_freq in each of its 61 layers, [56]
    // bf16 (7168 / 64 heads / 2, as its index lists them); vLLM skips them when loading (it
    // computes them): 61 x 112 bytes.
    Deployment d{};
    d.mtp = true;
    CHECK(checkpoint_bytes(P::kimi_k2) - weights_per_gpu(P::kimi_k2, d).value().total() == 61 * 56 * 2);
}
