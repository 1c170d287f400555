// Weights per GPU of a vLLM deployment. The expected values are the anchors of issue 16 (from
// ../shared/reference/next-capabilities.md §5: vLLM's sharding rules applied to DeepSeek-V3's
// tensor list), and each is derived again below from DeepSeek-V3's tensors written out by hand.
#include <deepseek/deployment.hpp>
#include <deepseek/presets.hpp>

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "catch.hpp"
#include "ocr_tensors.hpp"
#include "v3_tensors.hpp"

// One namespace per test file: the files of a batch share a translation unit (tests/CMakeLists.txt).
namespace deployment_test {

using namespace deepseek;
namespace P = deepseek::presets;

namespace {

using namespace v3_tensors;

constexpr std::uint64_t expert_parallel(std::uint64_t experts_per_gpu) {
    return replicated + split_but_experts + experts_per_gpu * routed_layer_expert; // attention TP 1
}

constexpr Deployment tp8 = [] {
    Deployment d{};
    d.tp = 8;
    return d;
}();
static_assert(weights_per_gpu(P::deepseek_v3, tp8).value().total() == 85'140'130'848); // at compile time

} // namespace

TEST_CASE("vLLM tensor parallelism: DeepSeek-V3 on 8 and 16 GPUs", "[deployment]") {
    static_assert(tp_only(8) == 85'140'130'848 && tp_only(16) == 43'139'382'208); // the hand derivation
    Deployment d{};
    d.tp = 8;
    const GpuWeights w8 = weights_per_gpu(P::deepseek_v3, d).value();
    CHECK(w8.total() == 85'140'130'848);
    CHECK(w8.of(Part::routed_experts) == 256 * routed_layer_expert / 8);
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
    CHECK(w.total() - w.of(Part::routed_experts) == replicated + split_but_experts);
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
    // vLLM refuses any tp that does not divide the attention heads (config/model.py,
    // verify_with_parallel_config), although every split tensor of V2-Lite would divide 32
    // ways: its q_proj has 16 x 192 = 3,072 rows, kv_b_proj 16 x 256 = 4,096, o_proj 16 x 128 =
    // 2,048 columns, the vocabulary 102,400 rows, the dense MLP 10,944 and the experts 1,408 wide.
    d.tp = 32;
    CHECK(weights_per_gpu(P::deepseek_v2_lite, d).error() == MemoryError::tp_does_not_divide);
    d.tp = 16; // 16 heads: one a GPU
    CHECK(weights_per_gpu(P::deepseek_v2_lite, d).has_value());
    d.tp = 0;
    CHECK(weights_per_gpu(P::deepseek_v3, d).error() == MemoryError::tp_zero);
    CHECK(error_message(MemoryError::fp8_block_split).find("not a whole number of blocks") != std::string_view::npos);
    CHECK(error_message(MemoryError::ep_does_not_divide).find("expert-parallel size") != std::string_view::npos);
}

TEST_CASE("Loading the MTP module adds it whole to one GPU's share", "[deployment]") {
    // V3's MTP module (layer 61): an MoE decoder layer (attention, router, shared and 256 routed
    // experts, norms) plus enorm, hnorm and shared_head.norm (bf16 [H]), eh_proj (bf16 [H, 2H]:
    // outside the FP8 set). Not its copies of the embedding and the head, which the checkpoint
    // stores as model.layers.61.embed_tokens and shared_head.head: vLLM's MTP model loads them,
    // then its proposer deletes both and points the draft at the target's (load_model in
    // vllm/v1/spec_decode/: "Detected MTP model. Sharing target model embedding weights", and
    // shared_head.head replaced by the target's lm_head since #34385).
    constexpr std::uint64_t mtp_layer =
        attn_replicated + attn_split + layer_norms + router + expert + 256 * expert + 3 * H * 2 + H * 2 * H * 2;
    Deployment d{};
    d.mtp = true;
    const std::uint64_t with = weights_per_gpu(P::deepseek_v3, d).value().total();
    CHECK(weights_per_gpu(P::deepseek_v3, d).value().mtp == mtp_layer);
    d.mtp = false;
    CHECK(with - weights_per_gpu(P::deepseek_v3, d).value().total() == mtp_layer);
    CHECK(weights_per_gpu(P::deepseek_v3, d).value().mtp == 0);
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

namespace {
// DeepSeek-OCR's language model (its config): 12 layers, hidden 1280, 10 attention heads and 10 KV
// heads (no GQA), head_dim 1280 / 10 = 128, bf16. vLLM runs it with the Llama-style
// DeepseekAttention (qk_nope_head_dim and qk_rope_head_dim are 0): each GPU caches K and V, 128
// values each, of max(1, 10 / tp) KV heads, in blocks of 16 tokens (vLLM's default on CUDA).
constexpr std::uint64_t ocr_layers = ocr_tensors::layers;
constexpr auto ocr_kv_layer = ocr_tensors::kv_layer; // K and V of the GPU's heads
static_assert(vllm_kv_entry(P::deepseek_ocr, VllmKvFormat::flash_attn, 2).value().bytes == 2560); // at compile time

// A DeepSeek-OCR with grouped-query attention (2 KV heads for its 10 heads), which no released
// model has: only to see vLLM's rule when there are more GPUs than KV heads.
constexpr DeepseekOCRConfig ocr_with_kv_heads(std::uint64_t kv_heads) {
    DeepseekOCRConfig c = P::deepseek_ocr;
    c.num_key_value_heads = kv_heads;
    return c;
}
} // namespace

TEST_CASE("vLLM's cache of a model without MLA: K and V of each GPU's KV heads", "[deployment][kv]") {
    // TP 1: all 10 heads, 2 x 10 x 128 x 2 B = 5,120 B per token per layer, 61,440 B per token over
    // 12 layers (the figure of ../shared/reference/memory-formulas.md, "Plain MHA"); fp8 half that.
    static_assert(ocr_kv_layer(10, 2) == 5'120 && ocr_layers * ocr_kv_layer(10, 2) == 61'440);
    const KvEntry tp1 = vllm_kv_entry(P::deepseek_ocr, VllmKvFormat::flash_attn).value();
    CHECK(tp1.bytes == 5'120);
    CHECK(tp1.block == 16);
    CHECK(vllm_kv_entry(P::deepseek_ocr, VllmKvFormat::flash_attn_fp8).value().bytes == 2'560);
    CHECK(vllm_kv_entry(P::deepseek_ocr, VllmKvFormat::flash_attn_fp8).value().block == 16);
    // TP 2: 5 KV heads on each GPU, 2 x 5 x 128 x 2 B = 2,560 B (fp8 1,280 B).
    CHECK(vllm_kv_entry(P::deepseek_ocr, VllmKvFormat::flash_attn, 2).value().bytes == ocr_kv_layer(5, 2));
    CHECK(vllm_kv_entry(P::deepseek_ocr, VllmKvFormat::flash_attn_fp8, 2).value().bytes == 1'280);
    // DeepSeek-VL2-Tiny and DeepSeek-OCR-2 have the same language model shape.
    CHECK(vllm_kv_entry(P::deepseek_vl2_tiny, VllmKvFormat::flash_attn).value().bytes == 5'120);
    CHECK(vllm_kv_entry(P::deepseek_vl2_tiny, VllmKvFormat::flash_attn, 2).value().bytes == 2'560);
    CHECK(vllm_kv_entry(P::deepseek_ocr2, VllmKvFormat::flash_attn, 2).value().bytes == 2'560);

    // More GPUs than KV heads: vLLM gives each GPU max(1, n_kv / tp) = 1 head, copying each of the
    // 2 heads on tp / 2 GPUs (it asserts that the heads divide tp): 2 x 1 x 128 x 2 = 512 B at tp
    // 2 and 10 alike.
    constexpr DeepseekOCRConfig gqa = ocr_with_kv_heads(2);
    CHECK(vllm_kv_entry(gqa, VllmKvFormat::flash_attn, 2).value().bytes == ocr_kv_layer(1, 2));
    CHECK(vllm_kv_entry(gqa, VllmKvFormat::flash_attn, 10).value().bytes == 512);
    CHECK(vllm_kv_entry(gqa, VllmKvFormat::flash_attn).value().bytes == ocr_kv_layer(2, 2)); // tp 1: both
    CHECK(vllm_kv_entry(ocr_with_kv_heads(1), VllmKvFormat::flash_attn, 10).value().bytes == 512);

    // What vLLM refuses: tp 4 does not divide the 10 attention heads (DeepseekAttention asserts
    // it); tp 5 over 2 KV heads is neither a split nor a whole number of copies; tp 0.
    CHECK(vllm_kv_entry(P::deepseek_ocr, VllmKvFormat::flash_attn, 4).error() == MemoryError::tp_does_not_divide);
    CHECK(vllm_kv_entry(gqa, VllmKvFormat::flash_attn, 5).error() == MemoryError::tp_does_not_divide);
    CHECK(vllm_kv_entry(P::deepseek_ocr, VllmKvFormat::flash_attn, 0).error() == MemoryError::tp_zero);
    // An MLA format for a model without MLA, FlashAttention's for an MLA model (vLLM's MLA-disabled
    // path is not modelled), and DeepSeek-V4 are refused; an MLA entry is the same at any tp.
    CHECK(vllm_kv_entry(P::deepseek_ocr, VllmKvFormat::flashmla, 2).error() == MemoryError::layout_needs_mla);
    CHECK(vllm_kv_entry(P::deepseek_v3, VllmKvFormat::flash_attn).error() == MemoryError::layout_needs_mha);
    CHECK(vllm_kv_entry(P::deepseek_v4_flash, VllmKvFormat::flash_attn, 2).error() == MemoryError::layout_not_for_v4);
    CHECK(vllm_kv_entry(P::deepseek_v3, VllmKvFormat::flashmla, 8).value().bytes == 1'152);

    // The format vLLM picks: FlashAttention without MLA, FlashMLA with it; fp8 when asked.
    CHECK(default_vllm_kv_format(P::deepseek_ocr, {}) == VllmKvFormat::flash_attn);
    CHECK(default_vllm_kv_format(P::deepseek_vl2_tiny, Optional<Dtype>(Dtype::fp8)) == VllmKvFormat::flash_attn_fp8);
    CHECK(default_vllm_kv_format(P::deepseek_ocr, Optional<Dtype>(Dtype::bf16)) == VllmKvFormat::flash_attn);
    CHECK(default_vllm_kv_format(P::deepseek_v3, {}) == VllmKvFormat::flashmla);
    CHECK(default_vllm_kv_format(P::deepseek_v32, Optional<Dtype>(Dtype::fp8)) == VllmKvFormat::fp8_ds_mla);
    CHECK(to_string(VllmKvFormat::flash_attn_fp8) == "flash_attn_fp8");
    Deployment d{};
    GpuBudget b{};
    CHECK(vllm_launch_command(d, b, VllmKvFormat::flash_attn_fp8, 8192).find("--kv-cache-dtype fp8") !=
          std::string::npos);
    CHECK(vllm_launch_command(d, b, VllmKvFormat::flash_attn, 8192).find("--kv-cache-dtype") == std::string::npos);
}

TEST_CASE("Fewer KV heads than GPUs: each GPU holds one whole K and V head, as QKVParallelLinear does",
          "[deployment]") {
    // An OCR language model with 1 KV head (no released model has one) at tp 2, under either
    // engine: per layer q_proj [5 x 128, 1280], k_proj and v_proj [128, 1280] (the one head,
    // copied), o_proj [1280, 5 x 128], bf16, over 12 layers. Split as 10 heads' rows would give
    // half a head each.
    constexpr std::uint64_t layer = (640 * 1280 + 128 * 1280 + 128 * 1280 + 1280 * 640) * 2;
    static_assert(12 * layer == 47'185'920);
    for (const Engine engine : {Engine::vllm, Engine::sglang}) {
        Deployment d{};
        d.engine = engine;
        d.tp = 2;
        CHECK(weights_per_gpu(ocr_with_kv_heads(1), d).value().of(Part::attention) == 12 * layer);
        // 2 KV heads over 2 GPUs: one each, the same bytes; 3 KV heads over 2: refused, as both
        // engines' QKVParallelLinear asserts.
        CHECK(weights_per_gpu(ocr_with_kv_heads(2), d).value().of(Part::attention) == 12 * layer);
        CHECK(weights_per_gpu(ocr_with_kv_heads(3), d).error() == MemoryError::tp_does_not_divide);
    }
}

TEST_CASE("DeepSeek-OCR on one 80 GB GPU and on two under vLLM TP 2: KV capacity and requests", "[deployment][kv]") {
    // 80 GB (80e9 bytes), --gpu-memory-utilization 0.9: 72e9 usable; a 4 GiB reserve; FlashAttention
    // bf16; requests of 8,192 tokens (its max_position_embeddings), 512 blocks of 16 each.
    GpuBudget b{};
    b.gpu_memory = 80'000'000'000;
    const std::uint64_t usable = 72'000'000'000, reserve = 4'294'967'296;

    // TP 1: the whole checkpoint, 6,672,212,480 bytes (its index's total_size); 12 x 5,120 =
    // 61,440 B a token, blocks of 983,040 B: 61,032,820,224 bytes left hold 62,085 blocks.
    Deployment d{};
    const GpuPlan one = plan_gpu(P::deepseek_ocr, d, VllmKvFormat::flash_attn, b).value();
    const std::uint64_t held1 = 6'672'212'480 + reserve, block1 = ocr_layers * ocr_kv_layer(10, 2) * 16;
    CHECK(one.weights.total() == 6'672'212'480);
    CHECK(one.kv_bytes_per_token == 61'440);
    CHECK(one.entry.block == 16);
    CHECK(one.kv_blocks == 62'085);
    CHECK(one.kv_blocks * block1 + held1 <= usable); // and one more block would not fit
    CHECK((one.kv_blocks + 1) * block1 + held1 > usable);
    CHECK(one.kv_tokens == 62'085 * 16);
    CHECK(one.context == 8'192);
    CHECK(one.max_requests == 121); // 62,085 / 512

    // TP 2: 3,436,249,600 bytes of weights per GPU (derived in the next test); 12 x 2,560 = 30,720 B
    // a token on each GPU, blocks of 491,520 B: 64,268,783,104 bytes left hold 130,755 blocks.
    d.tp = 2;
    const GpuPlan two = plan_gpu(P::deepseek_ocr, d, VllmKvFormat::flash_attn, b).value();
    const std::uint64_t held2 = 3'436'249'600 + reserve, block2 = ocr_layers * ocr_kv_layer(5, 2) * 16;
    CHECK(two.weights.total() == 3'436'249'600);
    CHECK(two.kv_bytes_per_token == 30'720);
    CHECK(two.kv_blocks == 130'755);
    CHECK(two.kv_blocks * block2 + held2 <= usable);
    CHECK((two.kv_blocks + 1) * block2 + held2 > usable);
    CHECK(two.max_requests == 255); // 130,755 / 512
    CHECK(two.total_requests == 255);
    // plan_deployment agrees, and with dp 2 holds twice the requests.
    d.dp = 2;
    const DeploymentPlan plan = plan_deployment(P::deepseek_ocr, d, VllmKvFormat::flash_attn, b).value();
    CHECK(plan.gpus == 4);
    CHECK(plan.entry.bytes == 2'560);
    CHECK(plan.kv_blocks == 130'755);
    CHECK(plan.max_requests == 255);
    CHECK(plan.total_requests == 510);
    // DeepSeek-VL2-Tiny at TP 2: the same 30,720 B a token on each GPU.
    d.dp = 1;
    CHECK(plan_gpu(P::deepseek_vl2_tiny, d, VllmKvFormat::flash_attn, b).value().kv_bytes_per_token == 30'720);
    // Refused: an MLA format for it, and TP 4 (10 heads).
    CHECK(plan_gpu(P::deepseek_ocr, d, VllmKvFormat::flashmla, b).error() == MemoryError::layout_needs_mla);
    CHECK(plan_deployment(P::deepseek_ocr, d, VllmKvFormat::flashmla_fp8, b).error() == MemoryError::layout_needs_mla);
    d.tp = 4;
    CHECK(plan_gpu(P::deepseek_ocr, d, VllmKvFormat::flash_attn, b).error() == MemoryError::tp_does_not_divide);
    CHECK(plan_deployment(P::deepseek_ocr, d, VllmKvFormat::flash_attn, b).error() == MemoryError::tp_does_not_divide);
}

TEST_CASE("Summed over a TP group, DeepSeek-OCR's GPUs hold the model once and the replicated tensors tp times",
          "[deployment]") {
    // DeepSeek-OCR's tensors by hand (ocr_tensors.hpp). Under vLLM every GPU holds whole the
    // language model's norms and routers, SAM, the projector and the separators; CLIP is split.
    namespace O = ocr_tensors;
    static_assert(O::replicated - O::clip_split * 2 == 200'286'720);
    constexpr std::uint64_t held_whole = O::replicated - O::clip_split * 2;
    static_assert((6'672'212'480 + held_whole) / 2 == 3'436'249'600); // one GPU of TP 2
    Deployment d{};
    d.tp = 2;
    const GpuWeights w = weights_per_gpu(P::deepseek_ocr, d).value();
    CHECK(2 * w.total() == 6'672'212'480 + held_whole);
    CHECK(w.of(Part::vision) == (O::sam + O::clip + O::projector - O::clip_split / 2) * 2);
    // deepseek_ocr.py does not declare supports_encoder_tp_data: under --mm-encoder-tp-mode data
    // vLLM warns, falls back to weights and splits CLIP all the same.
    Deployment data = d;
    data.mm_encoder_data = true;
    CHECK(weights_per_gpu(P::deepseek_ocr, data).value().total() == w.total());
    // --language-model-only: SAM, CLIP, the projector and the two separators are not built (all
    // inside _mark_tower_model in deepseek_ocr.py): a GPU of TP 2 holds the language model's
    // share alone, (6,672,212,480 - 802,744,320 + the language model's replicated bytes) / 2.
    Deployment text = d;
    text.language_model_only = true;
    const GpuWeights t2 = weights_per_gpu(P::deepseek_ocr, text).value();
    CHECK(t2.of(Part::vision) == 0);
    CHECK(2 * t2.total() == 6'672'212'480 - 401'372'160 * 2 + O::lm_replicated * 2);
    // DeepSeek-OCR-2's Qwen2 encoder vLLM builds as a transformers Qwen2Model (deepencoder2.py),
    // of plain Linear layers: whole on every GPU, like its SAM and projector. Its language model
    // is DeepSeek-OCR's (the same tensors), so a GPU of TP 2 holds OCR-2's whole encoder and the
    // same language-model share as a GPU of DeepSeek-OCR.
    const std::uint64_t ocr2_vision = weights_per_gpu(P::deepseek_ocr2, Deployment{}).value().of(Part::vision);
    const GpuWeights w2 = weights_per_gpu(P::deepseek_ocr2, d).value();
    CHECK(w2.of(Part::vision) == ocr2_vision);
    CHECK(w2.total() - w2.of(Part::vision) == w.total() - w.of(Part::vision));
}

namespace kimi_vl_vision {
// Kimi-VL's MoonViT (width 1,152, MLP 4,304, 27 blocks, 16 heads), per block: norm0 and norm1
// (weight, bias), wqkv [3456, 1152] + bias, wo [1152, 1152] + bias, mlp.fc0 [4304, 1152] + bias,
// mlp.fc1 [1152, 4304] + bias.
constexpr std::uint64_t block =
    4 * 1152 + 3456 * 1152 + 3456 + 1152 * 1152 + 1152 + 4304 * 1152 + 4304 + 1152 * 4304 + 1152;
// The rest: patch_embed.proj [1152, 3, 14, 14] + bias, pos_emb [64, 64, 1152], final_layernorm
// (weight, bias); the projector: pre_norm (weight, bias), linear_1 [4608, 4608] + bias (4608 =
// 1152 x the 2 x 2 merged patches), linear_2 [2048, 4608] + bias.
constexpr std::uint64_t whole =
    1152 * 3 * 14 * 14 + 1152 + 64 * 64 * 1152 + 2 * 1152 + 2 * 1152 + 4608 * 4608 + 4608 + 2048 * 4608 + 2048;
} // namespace kimi_vl_vision

TEST_CASE("Kimi-VL's MoonViT under vLLM tensor parallelism: the blocks' projections split, the rest whole",
          "[deployment]") {
    using kimi_vl_vision::block, kimi_vl_vision::whole; // written out from the tensor list above
    Deployment d{};
    CHECK(weights_per_gpu(P::kimi_vl_a3b, d).value().of(Part::vision) == (27 * block + whole) * 2); // bf16
    CHECK(weights_per_gpu(P::kimi_vl_a3b, d).value().vision_modelled);
    CHECK(weights_per_gpu(P::deepseek_v3, d).value().vision_modelled); // nothing to model
    // vLLM (moonvit.py): wqkv (QKVParallelLinear) and fc0 (ColumnParallelLinear) split by rows with
    // their biases, wo and fc1 (RowParallelLinear) by columns, their biases whole; the patch
    // embedding, position table, norms and projector (ReplicatedLinear) on every GPU.
    constexpr std::uint64_t split = 3456 * 1152 + 3456 + 1152 * 1152 + 4304 * 1152 + 4304 + 1152 * 4304;
    d.tp = 2;
    CHECK(weights_per_gpu(P::kimi_vl_a3b, d).value().of(Part::vision) == (27 * (block - split / 2) + whole) * 2);
    d.tp = 4;
    CHECK(weights_per_gpu(P::kimi_vl_a3b, d).value().of(Part::vision) == (27 * (block - split * 3 / 4) + whole) * 2);
    // --mm-encoder-tp-mode data (kimi_vl.py declares supports_encoder_tp_data; moonvit.py builds
    // every Linear with disable_tp): the whole encoder on each GPU, the language model unchanged.
    const GpuWeights split4 = weights_per_gpu(P::kimi_vl_a3b, d).value();
    d.mm_encoder_data = true;
    const GpuWeights data4 = weights_per_gpu(P::kimi_vl_a3b, d).value();
    CHECK(data4.of(Part::vision) == (27 * block + whole) * 2);
    CHECK(data4.total() - data4.of(Part::vision) == split4.total() - split4.of(Part::vision));
    // SGLang's own switch (--mm-enable-dp-encoder): its Kimi-VL code does not pass it to the tower
    // (kimi_vl.py at 44068a09), so MoonViT is split over the attention group as without it (the
    // MLPs too under SGLang: 27 x (block - split x 3/4) + whole at tp 4); kimi_test has Kimi-K2.5,
    // whole with it. --language-model-only is vLLM's: refused, with the reason.
    Deployment s{};
    s.engine = Engine::sglang;
    s.tp = 4;
    s.mm_encoder_data = true;
    const GpuWeights sglang4 = weights_per_gpu(P::kimi_vl_a3b, s).value();
    CHECK(sglang4.of(Part::vision) == (27 * (block - split * 3 / 4) + whole) * 2);
    CHECK(sglang_launch_command(s, GpuBudget{}, EngineKvFormat::sglang, 4096).find(" --mm-enable-dp-encoder ") !=
          std::string::npos);
    s.mm_encoder_data = false;
    s.language_model_only = true;
    CHECK(weights_per_gpu(P::deepseek_v3, s).error() == MemoryError::engine_option_invalid);
    CHECK(error_message(MemoryError::engine_option_invalid).find("--language-model-only is vLLM's") !=
          std::string_view::npos);
}

TEST_CASE("DeepSeek-VL2's SigLIP under vLLM tensor parallelism: its MLPs split, the rest whole", "[deployment]") {
    // DeepSeek-VL2-Tiny's SigLIP-SO400M/14 (width 1,152, 27 blocks, MLP int(1152 x 3.7362) =
    // 4,304) and its attention pool each hold a timm Mlp: fc1 [4304, 1152] + bias, fc2 [1152,
    // 4304] + bias. vLLM (deepseek_vl2.py, patch_vit_for_tp, #21494) makes fc1 a
    // ColumnParallelLinear (rows and bias split) and fc2 a RowParallelLinear (columns split, its
    // bias whole) at tp > 1: 28 MLPs of split values. Everything else of the vision side (the
    // attention, norms, patch embedding, position table, projector, separators) stays whole.
    constexpr std::uint64_t mlp = 4304 * 1152 + 4304 + 1152 * 4304 + 1152;
    constexpr std::uint64_t split = 28 * (mlp - 1152);
    // The whole vision side, written out: patch_embed [1152, 3, 14, 14] + bias, pos_embed [1, 729,
    // 1152]; per block norm1, norm2 (weight, bias), qkv [3456, 1152] + bias, proj [1152, 1152] +
    // bias and the MLP; the final norm; the attention pool's latent [1, 1, 1152], q [1152, 1152] +
    // bias, kv [2304, 1152] + bias, proj [1152, 1152] + bias, norm and MLP; the projector
    // (downsample_mlp_gelu, depth 2: [1280, 4608] + bias, [1280, 1280] + bias) and the two
    // separators [1280].
    constexpr std::uint64_t block = 4 * 1152 + 3456 * 1152 + 3456 + 1152 * 1152 + 1152 + mlp;
    constexpr std::uint64_t pool = 1152 + 1152 * 1152 + 1152 + 2304 * 1152 + 2304 + 1152 * 1152 + 1152 + 2 * 1152 + mlp;
    constexpr std::uint64_t vision = 1152 * 3 * 14 * 14 + 1152 + 729 * 1152 + 27 * block + 2 * 1152 + pool +
                                     1280 * 4608 + 1280 + 1280 * 1280 + 1280 + 2 * 1280;
    Deployment d{};
    CHECK(weights_per_gpu(P::deepseek_vl2_tiny, d).value().of(Part::vision) == vision * 2); // bf16, tp 1
    d.tp = 2;
    CHECK(weights_per_gpu(P::deepseek_vl2_tiny, d).value().of(Part::vision) == (vision - split / 2) * 2);
    // deepseek_vl2.py does not declare supports_encoder_tp_data, so --mm-encoder-tp-mode data
    // falls back to weights (and patch_vit_for_tp does not read the mode): the same split.
    d.mm_encoder_data = true;
    CHECK(weights_per_gpu(P::deepseek_vl2_tiny, d).value().of(Part::vision) == (vision - split / 2) * 2);
    d.mm_encoder_data = false;
    // --language-model-only: no tower on any GPU; the language model's share is what it was.
    Deployment text = d;
    text.language_model_only = true;
    const GpuWeights with = weights_per_gpu(P::deepseek_vl2_tiny, d).value();
    const GpuWeights without = weights_per_gpu(P::deepseek_vl2_tiny, text).value();
    CHECK(without.of(Part::vision) == 0);
    CHECK(without.total() == with.total() - with.of(Part::vision));
    // vLLM's ColumnParallelLinear needs tp to divide fc1's rows. No released VL2 meets that limit
    // before its language model's (VL2-Tiny's 10 heads and 896-wide experts allow tp 1 and 2;
    // 4,304 = 16 x 269 allows 1 to 16), so an odd width shows it: int(1152 x 3.7353) = 4,303
    // rows, refused at tp 2, and loaded when the tower is not built.
    DeepseekVL2Config odd = P::deepseek_vl2_tiny;
    odd.vision_config.mlp_ratio = 3.7353;
    CHECK(weights_per_gpu(odd, d).error() == MemoryError::tp_does_not_divide);
    CHECK(weights_per_gpu(odd, text).has_value());
    d.tp = 1;
    CHECK(weights_per_gpu(odd, d).has_value());
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

TEST_CASE("One GPU with everything loaded holds the checkpoint as released (as vLLM stores it)", "[deployment]") {
    // The released checkpoints' tensor bytes: DeepSeek-V3 688,574,839,360 (docs/memory-model.md),
    // DeepSeek-V4-Flash 159,609,485,896 (a header listing of its shards, docs/deepseek-v4.md).
    Deployment d{};
    d.mtp = true;
    // V3's MTP layer stores its own copies of the embedding and the head ([129280, 7168] bf16
    // each), which vLLM frees for the target's.
    CHECK(weights_per_gpu(P::deepseek_v3, d).value().total() == 688'574'839'360 - 2ULL * 129'280 * 7'168 * 2);
    // vLLM holds V4's three hash-routing tables [129280, 6], I64 in the file, as int32.
    CHECK(weights_per_gpu(P::deepseek_v4_flash, d).value().total() == 159'609'485'896 - 3 * 129'280 * 6 * 4);
    // A vision encoder's blocks are not decoder layers: all of them are held, CLIP-L's 24 and
    // SigLIP's 27 beside 12 decoder layers. DeepSeek-OCR: 6,672,212,480 bytes (its index's
    // total_size); OCR-2 and VL2-Tiny as checkpoint_bytes counts them (vLLM loads every tensor).
    CHECK(weights_per_gpu(P::deepseek_ocr, d).value().total() == 6'672'212'480);
    CHECK(weights_per_gpu(P::deepseek_ocr2, d).value().total() == checkpoint_bytes(P::deepseek_ocr2));
    CHECK(weights_per_gpu(P::deepseek_vl2_tiny, d).value().total() == checkpoint_bytes(P::deepseek_vl2_tiny));
    // DeepSeek-V4 over data and expert parallelism: only the routed experts are split, 256 over
    // 8 GPUs, 32 each.
    d.mtp = false;
    d.dp = 8;
    d.expert_parallel = true;
    CHECK(weights_per_gpu(P::deepseek_v4_flash, d).value().experts_per_gpu == 32);
}

TEST_CASE("The engines pad the vocabulary to a multiple of 64 rows before splitting it", "[deployment]") {
    // vLLM's and SGLang's VocabParallelEmbedding and ParallelLMHead (pad_vocab_size, padding 64):
    // a DeepSeek-V2-Lite with one token more than the released 102,400 (a fine-tune's added
    // token) holds 102,464 rows of 2,048 bf16 values in the embedding and in the head.
    DeepseekV2Config c = P::deepseek_v2_lite;
    c.vocab_size = 102'401;
    constexpr std::uint64_t row = 2'048 * 2;
    Deployment d{};
    GpuWeights w = weights_per_gpu(c, d).value();
    CHECK(w.of(Part::embedding) == 102'464 * row);
    CHECK(w.of(Part::lm_head) == 102'464 * row);
    // tp 8 splits the padded rows, 12,808 a GPU; 102,401 rows alone would not divide.
    d.tp = 8;
    w = weights_per_gpu(c, d).value();
    CHECK(w.of(Part::embedding) == 12'808 * row);
    CHECK(w.of(Part::lm_head) == 12'808 * row);
    // SGLang's the same, the embedding over the attention group: --tp 8 --dp 8 --enable-dp-attention
    // holds all 102,464 rows on every GPU.
    d.engine = Engine::sglang;
    d.dp = 8;
    d.dp_attention = true;
    w = weights_per_gpu(c, d).value();
    CHECK(w.of(Part::embedding) == 102'464 * row);
    CHECK(w.of(Part::lm_head) == 12'808 * row);
    // The released vocabulary, a multiple of 64, is not padded: 102,400 / 8 rows a GPU.
    d = Deployment{};
    d.tp = 8;
    CHECK(weights_per_gpu(P::deepseek_v2_lite, d).value().of(Part::embedding) == 12'800 * row);
}

TEST_CASE("What vLLM's loader skips is not held: Kimi-K2's rotary inv_freq buffers", "[deployment]") {
    // Kimi-K2's checkpoint stores self_attn.rotary_emb.inv_freq in each of its 61 layers, [56]
    // bf16 (7168 / 64 heads / 2, as its index lists them); vLLM skips them when loading (it
    // computes them): 61 x 112 bytes.
    Deployment d{};
    d.mtp = true;
    CHECK(checkpoint_bytes(P::kimi_k2) - weights_per_gpu(P::kimi_k2, d).value().total() == 61 * 56 * 2);
}

TEST_CASE("Weights per GPU by component: DeepSeek-V3 under vLLM TP 8", "[deployment]") {
    // Each component written out from the tensors above; a scale counts with its weight.
    const GpuWeights w = weights_per_gpu(P::deepseek_v3, tp8).value();
    // Attention: q_a, kv_a and their norms replicated, q_b, kv_b and o split 8 ways.
    CHECK(w.of(Part::attention) == 61 * (attn_replicated + attn_split / 8));
    CHECK(w.of(Part::norm) == 61 * layer_norms + final_norm);
    CHECK(w.of(Part::dense_mlp) == 3 * dense_mlp / 8);
    CHECK(w.of(Part::router) == 58 * router);
    CHECK(w.of(Part::shared_experts) == 58 * expert / 8);
    CHECK(w.of(Part::routed_experts) == 58 * 256 * expert / 8);
    CHECK(w.of(Part::embedding) == embedding / 8);
    CHECK(w.of(Part::lm_head) == head / 8);
    CHECK(w.of(Part::indexer) == 0);
    CHECK(w.of(Part::scale) == 0); // no component of their own
    CHECK(w.mtp == 0);
    CHECK(w.total() == 85'140'130'848);
    CHECK(to_string(Part::routed_experts) == "routed_experts");
    CHECK(to_string(Part::norm) == "norms");
}

namespace v4_flash {
// DeepSeek-V4-Flash's tensors as released (hidden 4096, 43 layers: 21 at compress ratio 4, 20 at
// 128, 2 at 0; 64 heads of 512; q_lora 1024; 8 output groups of rank 1024; 256 routed experts
// and one shared of width 2048; 3 hash-routed layers; vocab 129,280; hc_mult 4; indexer 64 heads
// of 128), written out from DeepSeek's inference code (docs/deepseek-v4.md): FP8 Linears with
// one UE8M0 byte per 128 x 128 block, FP4 experts two a byte with a UE8M0 byte per 32 inputs,
// the rest BF16 or float32 as named. Each figure is one layer's on one GPU, by component.
constexpr std::uint64_t fp8(std::uint64_t out, std::uint64_t in) { return out * in + (out / 128) * (in / 128); }
constexpr std::uint64_t fp4(std::uint64_t out, std::uint64_t in) { return out * in / 2 + out * (in / 32); }
// Attention, replicated: wq_a [1024, 4096], wkv [512, 4096] (FP8), q_norm [1024], kv_norm [512].
constexpr std::uint64_t attention_replicated = fp8(1024, 4096) + fp8(512, 4096) + 2 * 1024 + 2 * 512;
// Split by tp: wq_b [32768, 1024] and wo_a [8192, 4096] by rows, wo_b [4096, 8192] by columns.
constexpr std::uint64_t attention_split = fp8(32768, 1024) + fp8(8192, 4096) + fp8(4096, 8192);
// The compressors (replicated): ratio 4, width 2 x 512: ape [4, 1024] float32, wkv and wgate
// [1024, 4096] BF16, norm [512]; ratio 128, width 512: ape [128, 512], wkv and wgate [512, 4096].
constexpr std::uint64_t compressor_4 = 4 * 1024 * 4 + 2 * (2 * 1024 * 4096) + 2 * 512;
constexpr std::uint64_t compressor_128 = 128 * 512 * 4 + 2 * (2 * 512 * 4096) + 2 * 512;
// The indexer of a ratio-4 layer (vLLM replicates it): wq_b [8192, 1024] FP8, weights_proj
// [64, 4096] BF16, its compressor of width 2 x 128: ape [4, 256] float32, wkv and wgate [256,
// 4096], norm [128].
constexpr std::uint64_t indexer = fp8(8192, 1024) + 2 * 64 * 4096 + 4 * 256 * 4 + 2 * (2 * 256 * 4096) + 2 * 128;
// The mHC mixing weights, float32: per layer hc_attn and hc_ffn, each fn [24, 16384], base [24],
// scale [3]; the head's fn [4, 16384], base [4], scale [1].
constexpr std::uint64_t mixing = 2 * 4 * (24 * 16384 + 24 + 3);
constexpr std::uint64_t head_mixing = 4 * (4 * 16384 + 4 + 1);
constexpr std::uint64_t norms = 2 * 2 * 4096; // attn_norm and ffn_norm
// The router: gate [256, 4096] BF16, and either the float32 bias [256] or (the 3 hash layers)
// tid2eid [129280, 6], which vLLM holds as int32.
constexpr std::uint64_t gate = 2 * 256 * 4096;
constexpr std::uint64_t tid2eid_int32 = 129280ULL * 6 * 4;
// One routed expert: w1 and w3 [2048, 4096], w2 [4096, 2048], FP4; the shared expert the same
// shapes in FP8, split by tp in vLLM (w1 and w3 by rows, w2 by columns).
constexpr std::uint64_t routed_expert = 2 * fp4(2048, 4096) + fp4(4096, 2048);
constexpr std::uint64_t shared_expert = 2 * fp8(2048, 4096) + fp8(4096, 2048);
constexpr std::uint64_t vocab_table = 2ULL * 129280 * 4096; // and the head alike
} // namespace v4_flash

TEST_CASE("vLLM tensor parallelism: DeepSeek-V4-Flash by component, from its tensors", "[deployment][v4]") {
    // vLLM's rules for V4 (models/deepseek_v4.py at 023da1fc): wq_b, wo_a by rows and wo_b by
    // columns; wq_a, wkv, the compressors, the indexer, the router and the mixing weights
    // replicated; the shared expert split like an MLP; the attention sinks max(64 / tp, 64)
    // float32 per layer (padded for FlashMLA); the routed experts split by width, or whole over
    // expert parallelism; the embedding and head by vocabulary.
    using namespace v4_flash;
    for (const std::uint64_t tp : {1u, 2u, 4u, 8u}) {
        for (const bool ep : {false, true}) {
            Deployment d{};
            d.tp = tp;
            d.expert_parallel = ep && tp > 1;
            INFO("tp " << tp << (d.expert_parallel ? " with EP" : ""));
            const GpuWeights w = weights_per_gpu(P::deepseek_v4_flash, d).value();
            CHECK(w.of(Part::attention) == 43 * (attention_replicated + attention_split / tp + 64 * 4) +
                                               21 * compressor_4 + 20 * compressor_128);
            CHECK(w.of(Part::indexer) == 21 * indexer);
            CHECK(w.of(Part::hyper_connections) == 43 * mixing + head_mixing);
            CHECK(w.of(Part::norm) == 43 * norms + 2 * 4096);
            CHECK(w.of(Part::router) == 43 * gate + 40 * 256 * 4);
            CHECK(w.of(Part::buffer) == 3 * tid2eid_int32);
            CHECK(w.of(Part::shared_experts) == 43 * shared_expert / tp);
            CHECK(w.of(Part::routed_experts) == 43 * 256 * routed_expert / tp); // 256 / tp whole, or each / tp
            CHECK(w.experts_per_gpu == (d.expert_parallel ? 256 / tp : 0));
            CHECK(w.of(Part::embedding) == vocab_table / tp);
            CHECK(w.of(Part::lm_head) == vocab_table / tp);
        }
    }
    // TP 8 with expert parallelism, in full: 20,644,900,892 bytes a GPU.
    Deployment d{};
    d.tp = 8;
    d.expert_parallel = true;
    CHECK(weights_per_gpu(P::deepseek_v4_flash, d).value().total() ==
          43 * (attention_replicated + attention_split / 8 + 256 + mixing + norms + gate + shared_expert / 8 +
                32 * routed_expert) +
              21 * (compressor_4 + indexer) + 20 * compressor_128 + 40 * 1024 + 3 * tid2eid_int32 + head_mixing +
              2 * 4096 + 2 * vocab_table / 8);
    CHECK(weights_per_gpu(P::deepseek_v4_flash, d).value().total() == 20'644'900'892);
    // vLLM refuses a tp that does not divide the 8 output groups (and the 64 heads, 256 experts).
    d.tp = 16;
    CHECK(weights_per_gpu(P::deepseek_v4_flash, d).error() == MemoryError::tp_does_not_divide);
}

TEST_CASE("vLLM's pipeline stages of DeepSeek-V4-Flash: its layer kinds split where the stages fall",
          "[deployment][v4][pp]") {
    // TP 8 with expert parallelism, pp 2: get_pp_indices gives layers 0-21 and 22-42. The first
    // stage has the two ratio-0 layers, 10 ratio-4 and 10 ratio-128 layers, the 3 hash-routed
    // layers (and 19 router biases) and the embedding; the second 11 ratio-4 (layer 42 is one)
    // and 10 ratio-128 layers, 21 biases, the final norm and the head. vLLM builds the head's
    // mixing weights on every stage.
    using namespace v4_flash;
    Deployment d{};
    d.tp = 8;
    d.pp = 2;
    d.expert_parallel = true;
    const std::uint64_t layer = attention_replicated + attention_split / 8 + 64 * 4 + mixing + norms + gate +
                                shared_expert / 8 + 32 * routed_expert;
    const GpuWeights first = weights_per_gpu(P::deepseek_v4_flash, d, 0).value();
    const GpuWeights last = weights_per_gpu(P::deepseek_v4_flash, d, 1).value();
    CHECK(first.layers.first == 0);
    CHECK(first.layers.count == 22);
    CHECK(first.total() == 22 * layer + 10 * (compressor_4 + indexer) + 10 * compressor_128 + 3 * tid2eid_int32 +
                               19 * 256 * 4 + vocab_table / 8 + head_mixing);
    CHECK(last.layers.count == 21);
    CHECK(last.total() == 21 * layer + 11 * (compressor_4 + indexer) + 10 * compressor_128 + 21 * 256 * 4 + 2 * 4096 +
                              vocab_table / 8 + head_mixing);
    CHECK(last.of(Part::embedding) == 0);
    CHECK(first.of(Part::lm_head) == 0);
    // The stages hold the pp 1 GPU's weights, and one more copy of the head's mixing weights.
    d.pp = 1;
    CHECK(first.total() + last.total() == weights_per_gpu(P::deepseek_v4_flash, d).value().total() + head_mixing);
}

// vLLM's pool for DeepSeek-V4 (fp8_ds_mla, vLLM 0.31's packed grouping), its pages written out by
// hand: a compressed entry of 584 bytes (448 FP8, 64 BF16 RoPE values, 7 scales, a pad), an
// indexer key of 132, compressor states of float32, every page rounded up to 576 bytes.
namespace v4_pool {
constexpr std::uint64_t align(std::uint64_t n) { return (n + 575) / 576 * 576; }
constexpr std::uint64_t c4_entries = align(64 * 584), c128_entries = align(2 * 584), c4_keys = align(64 * 132);
constexpr std::uint64_t window = align(64 * 584); // 64 tokens a block
constexpr std::uint64_t c4_state = align(4 * 2 * 2 * 512 * 4), c4_key_state = align(4 * 2 * 2 * 128 * 4);
constexpr std::uint64_t c128_state = align(8 * 2 * 512 * 4);
static_assert(c4_entries == 37'440 && c128_entries == 1'728 && c4_keys == 8'640 && window == 37'440);
static_assert(c4_state == 32'832 && c4_key_state == 8'640 && c128_state == 32'832);
} // namespace v4_pool

TEST_CASE("vLLM's pool for DeepSeek-V4: its block, and a request's blocks, by hand", "[deployment][v4][kv]") {
    using namespace v4_pool;
    // V4-Flash: 21 ratio-4 layers, 20 ratio-128, 2 window-only. The compressed entries and keys
    // are one bucket of unequal counts (21, 20, 21): one group. The 43 windows, the ratio-4 states
    // (21 and 21) and the ratio-128 states (20) are buckets of equal counts; the one of two page
    // sizes sets the floor, 21, and 22 pads [43, 21, 20] least (1 + 1 + 2): the windows make two
    // groups (22 and 21), the others one each. A block is the widest group's pages.
    const VllmV4Pool flash = vllm_v4_pool(P::deepseek_v4_flash, false);
    constexpr std::uint64_t compressed_group = 21 * c4_entries + 20 * c128_entries + 21 * c4_keys;
    static_assert(compressed_group == 1'002'240);
    static_assert(compressed_group > 22 * window && compressed_group > 21 * (c4_state + c4_key_state) &&
                  compressed_group > 20 * c128_state);
    CHECK(flash.block_bytes == compressed_group);
    // With the MTP block's window (44): 22 still pads least (0 + 1 + 2); the block is the same.
    CHECK(vllm_v4_pool(P::deepseek_v4_flash, true).block_bytes == compressed_group);
    // A request of 262,144 tokens with 16,384 in flight (8,192 a batch, two with async
    // scheduling): the compressed group a block per 256 tokens, each window group its window
    // less one plus the tokens in flight, in its blocks, and one more.
    const std::uint64_t in_flight = vllm_in_flight_tokens(VllmScheduler{});
    CHECK(in_flight == 16'384);
    // vLLM's default batch for `vllm serve`: 8,192 tokens from 70 GiB of GPU memory, else 2,048.
    CHECK(vllm_default_max_num_batched_tokens(std::uint64_t{70} << 30) == 8'192);
    CHECK(vllm_default_max_num_batched_tokens((std::uint64_t{70} << 30) - 1) == 2'048);
    constexpr std::uint64_t per_request =
        262'144 / 256 + 2 * ((127 + 16'384 + 63) / 64 + 1) + ((7 + 16'384 + 3) / 4 + 1) + ((127 + 16'384 + 7) / 8 + 1);
    static_assert(per_request == 7'706);
    CHECK(vllm_v4_blocks_per_request(flash, 262'144, in_flight) == per_request);
    // Without async scheduling, one batch in flight; a short request's windows are its tokens.
    CHECK(vllm_v4_blocks_per_request(flash, 262'144, vllm_in_flight_tokens({8192, false})) ==
          1'024 + 2 * ((127 + 8'192 + 63) / 64 + 1) + ((7 + 8'192 + 3) / 4 + 1) + ((127 + 8'192 + 7) / 8 + 1));
    CHECK(vllm_v4_blocks_per_request(flash, 4'096, in_flight) == 16 + 2 * (64 + 1) + (1'024 + 1) + (512 + 1));
    // V4-Pro: 30 ratio-4 layers and 31 ratio-128; 31 pads [61, 30, 31] least (1 + 1 + 0).
    constexpr std::uint64_t pro_group = 30 * c4_entries + 31 * c128_entries + 30 * c4_keys;
    static_assert(pro_group > 31 * window && pro_group > 30 * (c4_state + c4_key_state) && pro_group > 31 * c128_state);
    CHECK(vllm_v4_pool(P::deepseek_v4_pro, false).block_bytes == pro_group);
    static_assert(vllm_v4_pool(P::deepseek_v4_flash, false).block_bytes == 1'002'240); // at compile time
}

TEST_CASE("vLLM's pool for DeepSeek-V4 reproduces a vLLM 0.31 log", "[deployment][v4][kv]") {
    // vLLM 0.31.1rc1.dev50+g554340f3d serving V4-Flash on 8 x H100 (TP 8, expert parallelism,
    // --max-model-len 262144, --max-num-batched-tokens 8192, fp8 cache, async scheduling by
    // default) logged "Available KV cache memory: 47.43 GiB" and "GPU KV cache size: 1,728,531
    // tokens" (tant2tls/Deepseek-serving, docs/model-setup.md). Give a GPU that leaves the cache
    // 47.4289 GiB (printed 47.43), weights and reserve beside it:
    Deployment d{};
    d.tp = 8;
    d.expert_parallel = true;
    const std::uint64_t weights = weights_per_gpu(P::deepseek_v4_flash, d).value().total();
    const std::uint64_t room = 50'926'300'000;
    CHECK((room * 100 + (std::uint64_t{1} << 29)) >> 30 == 4'743); // GiB to two decimals
    GpuBudget b{};
    b.gpu_memory = weights + b.reserve + room;
    b.memory_fraction = 1.0;
    b.context = 262'144;
    const V4DeploymentPlan p = plan_v4_deployment(P::deepseek_v4_flash, d, b).value();
    CHECK(p.fits);
    CHECK(p.kv_blocks == room / 1'002'240);
    CHECK(p.blocks_per_request == 7'706);
    CHECK(p.kv_tokens == 1'728'531); // the log's figure
    // The blocks fit beside weights and reserve, and one more would not.
    CHECK(p.kv_blocks * p.pool.block_bytes + weights + b.reserve <= p.usable);
    CHECK((p.kv_blocks + 1) * p.pool.block_bytes + weights + b.reserve > p.usable);
    CHECK(p.max_requests == 6); // 6.59 at once
    CHECK(p.total_requests == 6);
    CHECK(p.gpus == 8);
    // Each data-parallel group holds its own requests (with expert parallelism over 16 GPUs, each
    // holds fewer experts, so more fit).
    d.dp = 2;
    const V4DeploymentPlan two = plan_v4_deployment(P::deepseek_v4_flash, d, b).value();
    CHECK(two.total_requests == 2 * two.max_requests);
    CHECK(two.max_requests >= 6);
    // A GPU a byte short of the weights and reserve does not fit.
    d.dp = 1;
    b.gpu_memory = weights + b.reserve - 1;
    const V4DeploymentPlan short_one = plan_v4_deployment(P::deepseek_v4_flash, d, b).value();
    CHECK_FALSE(short_one.fits);
    CHECK(short_one.shortfall == 1);
    CHECK(short_one.kv_blocks == 0);
    // Not modelled: SGLang's V4 model.
    d.engine = Engine::sglang;
    CHECK(plan_v4_deployment(P::deepseek_v4_flash, d, b).error() == MemoryError::engine_not_modelled);
}

TEST_CASE("vLLM 0.23 to 0.25's pool for DeepSeek-V4 reproduces two vLLM logs", "[deployment][v4][kv]") {
    using namespace v4_pool;
    // vLLM 0.23 to 0.25 group the compressed caches (21 + 20 + 21 layers; 21 of the commonest
    // page), the windows (43), the ratio-4 states (21 + 21) and the ratio-128 states (20) by
    // tuples: 22 pads [21, 43, 21, 20] least from 21, so the windows make two groups (22 and
    // 21). Every page is padded up to the next compressed-cache page (the states' 32,832 bytes
    // to 37,440), and a block is one page of each slot: 22 of 37,440 (a window group), 21 of
    // 8,640 (the keys, the indexer states), 20 of 1,728.
    constexpr std::uint64_t block = 22 * c4_entries + 21 * c4_keys + 20 * c128_entries;
    static_assert(block == 1'039'680);
    static_assert(c4_state == 32'832 && c128_state == 32'832 && c4_entries == 37'440 && c4_key_state == 8'640);
    const VllmV4Pool old = vllm_v4_pool(P::deepseek_v4_flash, false, VllmRelease::v0_23);
    CHECK(old.block_bytes == block);
    CHECK(old.groups() == 5);
    CHECK(vllm_v4_pool(P::deepseek_v4_flash, true, VllmRelease::v0_23).block_bytes == block); // 44 windows: 22, 22
    // Its log divides by a request's bytes over the compressed group's page (one page of each
    // compressed cache, 1,002,240 bytes), rounded up; its windows keep one batch in flight. Each
    // layer's pages: a block per 256 tokens of its compressed caches; per window or state, its
    // window less one plus the batch, in its blocks, and one more, each page padded (a state's
    // 32,832 bytes to 37,440).
    constexpr std::uint64_t group_page = 21 * c4_entries + 20 * c128_entries + 21 * c4_keys;
    const auto request_bytes = [](std::uint64_t tokens, std::uint64_t batch, std::uint64_t windows) {
        const auto held = [&](std::uint64_t w, std::uint64_t b) {
            const std::uint64_t t = w - 1 + batch < tokens ? w - 1 + batch : tokens;
            return (t + b - 1) / b + 1;
        };
        return (tokens + 255) / 256 * group_page + windows * held(128, 64) * window +
               21 * held(8, 4) * (c4_entries + c4_key_state) + 20 * held(128, 8) * c4_entries;
    };
    const std::uint64_t per_131k = (request_bytes(131'072, 8'192, 43) + group_page - 1) / group_page;
    CHECK(per_131k == 3'481);
    CHECK(vllm_v4_reported_blocks_per_request(P::deepseek_v4_flash, false, VllmRelease::v0_23, 131'072, 8'192) ==
          per_131k);
    // vLLM 0.23.0, V4-Flash on 2 x H200 NVL (TP 2, --max-model-len 131072, fp8 cache, the default
    // batch of 8,192; uv-xiao/pto-cu, docs/in_progress/nvidia_backend/
    // vllm_remote_128k_context_health_probe.md): "Available KV cache memory: 32.08 GiB", "GPU KV
    // cache size: 1,247,687 tokens", "Maximum concurrency for 131,072 tokens per request: 9.52x".
    // Of the block counts that print as 32.08 GiB (33,125 to 33,136), 33,136 gives the figure.
    Deployment d{};
    d.tp = 2;
    const auto plan = [&](bool mtp, std::uint64_t room, std::uint64_t context, std::uint64_t batch) {
        Deployment m = d;
        m.mtp = mtp;
        GpuBudget b{};
        b.gpu_memory = weights_per_gpu(P::deepseek_v4_flash, m).value().total() + b.reserve + room;
        b.memory_fraction = 1.0;
        b.context = context;
        VllmScheduler s{};
        s.max_num_batched_tokens = batch;
        s.release = VllmRelease::v0_23;
        return plan_v4_deployment(P::deepseek_v4_flash, m, b, s).value();
    };
    const std::uint64_t room_023 = 33'136 * block + 1;
    CHECK((room_023 * 100 + (std::uint64_t{1} << 29)) >> 30 == 3'208); // 32.08 GiB
    const V4DeploymentPlan p023 = plan(false, room_023, 131'072, 8'192);
    CHECK(p023.kv_blocks == 33'136);
    CHECK(p023.in_flight_tokens == 8'192); // async scheduling does not double it here
    CHECK(p023.reported_blocks_per_request == 3'481);
    CHECK(p023.kv_tokens == 1'247'687); // the log's figure
    // The blocks a request holds, group by group: 512 compressed, 2 x 131 window, 2,051 and 1,041
    // state blocks; vLLM admits 8 at once where it logs 9.52.
    CHECK(p023.blocks_per_request == 512 + 2 * 131 + 2'051 + 1'041);
    CHECK(p023.max_requests == 33'136 / 3'866);
    // vLLM 0.25.0, V4-Flash on 2 x RTX PRO 6000 (TP 2, --max-model-len 1048576,
    // --max-num-batched-tokens 4096, MTP with 2 speculative tokens; AzallazA/ds4-vllm-0.25-test,
    // README.md): "Available KV cache memory: 10.29 GiB", "GPU KV cache size: 1,993,100 tokens",
    // "Maximum concurrency for 1,048,576 tokens per request: 1.90x". The MTP block's window makes
    // 44; of the counts that print as 10.29 GiB (10,621 to 10,632), 10,631 gives the figure.
    const std::uint64_t per_1m = (request_bytes(1'048'576, 4'096, 44) + group_page - 1) / group_page;
    CHECK(per_1m == 5'593);
    const std::uint64_t room_025 = 10'631 * block;
    CHECK((room_025 * 100 + (std::uint64_t{1} << 29)) >> 30 == 1'029); // 10.29 GiB
    const V4DeploymentPlan p025 = plan(true, room_025, 1'048'576, 4'096);
    CHECK(p025.kv_blocks == 10'631);
    CHECK(p025.reported_blocks_per_request == per_1m);
    CHECK(p025.kv_tokens == 1'993'100); // the log's figure
    // Under pipelining this layout is not modelled.
    d.pp = 2;
    VllmScheduler s{};
    s.release = VllmRelease::v0_23;
    GpuBudget b{};
    b.gpu_memory = std::uint64_t{141} << 30;
    CHECK(plan_v4_deployment(P::deepseek_v4_flash, d, b, s).error() == MemoryError::pp_not_modelled);
    // From 0.31 the log divides by the blocks a request holds.
    CHECK(vllm_v4_reported_blocks_per_request(P::deepseek_v4_flash, false, VllmRelease::v0_31, 262'144, 16'384) ==
          7'706);
}

TEST_CASE("vLLM's pool for DeepSeek-V4 under pipelining: each stage's block, the fewest blocks",
          "[deployment][v4][kv]") {
    using namespace v4_pool;
    // vLLM groups the whole model's layers (get_kv_cache_configs), as at pp 1: one group of the
    // compressed entries and keys, two of the 43 windows, one of each kind of state. Each stage's
    // block is one page of each of its own layers of its widest group. V4-Flash at pp 2: layers
    // 0-21 (2 window-only, 10 ratio-4 at 2, 4, ..., 20, 10 ratio-128) and 22-42 (11 and 10).
    Deployment d{};
    d.tp = 8;
    d.pp = 2;
    constexpr std::uint64_t block0 = 10 * (c4_entries + c4_keys) + 10 * c128_entries; // the compressed group
    constexpr std::uint64_t block1 = 11 * (c4_entries + c4_keys) + 10 * c128_entries;
    static_assert(block0 == 478'080 && block1 == 524'160);
    static_assert(block0 > 11 * window && block0 > 10 * (c4_state + c4_key_state) && block0 > 10 * c128_state);
    static_assert(block1 > 11 * window && block1 > 11 * (c4_state + c4_key_state) && block1 > 10 * c128_state);
    CHECK(vllm_v4_stage_block(P::deepseek_v4_flash, d, 0) == block0);
    CHECK(vllm_v4_stage_block(P::deepseek_v4_flash, d, 1) == block1);
    // A split bucket deals its layers out in turn (layers[i::n], _get_packed_kv_cache_groups):
    // with VLLM_PP_LAYER_PARTITION=2,41 stage 0 holds the two window-only layers, one in each
    // window group, so its block is one window page (two, were the groups runs of layers).
    Deployment split = d;
    REQUIRE(split.layer_partition.push_back(2));
    REQUIRE(split.layer_partition.push_back(41));
    CHECK(vllm_v4_stage_block(P::deepseek_v4_flash, split, 0) == window);
    CHECK(vllm_v4_stage_block(P::deepseek_v4_flash, split, 1) == 1'002'240); // every compressed layer
    // In flight: a batch a stage, one more with async scheduling on vLLM's V2 model runner
    // (VllmConfig.max_concurrent_batches); the V1 runner adds none under pipelining.
    CHECK(vllm_in_flight_tokens(VllmScheduler{}, 2) == 3 * 8'192);
    CHECK(vllm_in_flight_tokens(VllmScheduler{8'192, true, false}, 2) == 2 * 8'192);
    CHECK(vllm_in_flight_tokens(VllmScheduler{8'192, false, true}, 4) == 4 * 8'192);
    CHECK(vllm_in_flight_tokens(VllmScheduler{8'192, true, false}, 1) == 2 * 8'192);
    // On 80 GiB GPUs at 0.9: each stage's room (its weights derived above) in its own blocks; every
    // GPU gets the fewest; a request of 262,144 tokens holds its compressed group's 1,024 blocks
    // and its windows' with 24,576 tokens in flight.
    GpuBudget b{};
    b.gpu_memory = std::uint64_t{80} << 30;
    b.context = 262'144;
    const V4DeploymentPlan p = plan_v4_deployment(P::deepseek_v4_flash, d, b).value();
    const std::uint64_t usable = (std::uint64_t{72} << 30);
    const std::uint64_t w0 = weights_per_gpu(P::deepseek_v4_flash, d, 0).value().total();
    const std::uint64_t w1 = weights_per_gpu(P::deepseek_v4_flash, d, 1).value().total();
    const std::uint64_t blocks0 = (usable - w0 - b.reserve) / block0, blocks1 = (usable - w1 - b.reserve) / block1;
    CHECK(p.usable == usable);
    CHECK(p.fits);
    CHECK(p.gpus == 16);
    CHECK(p.weights_per_gpu == w0);
    CHECK(p.largest_stage == 0);
    CHECK(blocks1 < blocks0);
    CHECK(p.kv_blocks == blocks1);
    CHECK(p.smallest_stage == 1);
    CHECK(p.in_flight_tokens == 24'576);
    constexpr std::uint64_t per_request =
        1'024 + 2 * ((127 + 24'576 + 63) / 64 + 1) + ((7 + 24'576 + 3) / 4 + 1) + ((127 + 24'576 + 7) / 8 + 1);
    static_assert(per_request == 11'034);
    CHECK(p.blocks_per_request == per_request);
    CHECK(p.max_requests == blocks1 / per_request);
    CHECK(p.kv_tokens == blocks1 * 262'144 / per_request);
    // Every stage's blocks fit beside its weights and the reserve; one more would not on stage 1.
    CHECK(p.kv_blocks * block0 + w0 + b.reserve <= usable);
    CHECK(p.kv_blocks * block1 + w1 + b.reserve <= usable);
    CHECK((p.kv_blocks + 1) * block1 + w1 + b.reserve > usable);
    // A stage that does not fit: the largest shortfall, no blocks.
    b.gpu_memory = w0 + b.reserve; // stage 0 fits at fraction 1, stage 1's are smaller
    b.memory_fraction = 1.0;
    const V4DeploymentPlan tight = plan_v4_deployment(P::deepseek_v4_flash, d, b).value();
    CHECK(tight.fits);
    CHECK(tight.kv_blocks == 0);
    b.gpu_memory = w0 + b.reserve - 5;
    const V4DeploymentPlan short_one = plan_v4_deployment(P::deepseek_v4_flash, d, b).value();
    CHECK_FALSE(short_one.fits);
    CHECK(short_one.shortfall == 5);
    CHECK(short_one.kv_blocks == 0);
    CHECK(short_one.max_requests == 0);
    static_assert(plan_v4_deployment(P::deepseek_v4_flash, Deployment{8, 2}, GpuBudget{std::uint64_t{80} << 30})
                      .value()
                      .fits); // at compile time
}

TEST_CASE("vLLM pads a GPU's share of DeepSeek-V4's FP4 experts as its MoE backend does", "[deployment][v4]") {
    // Mxfp4MoEMethod rounds each GPU's expert width up to a multiple of 128 (Marlin, DeepGEMM)
    // or 256 (FlashInfer TRT-LLM). A width of 3,584 over 8 GPUs is 448 a GPU: 512 either way, so
    // each expert's w1 and w3 [512, 4096] and w2 [4096, 512] are allocated, FP4 with a byte per 32
    // inputs. (Two shared experts keep their 896-wide share whole FP8 blocks.)
    DeepseekV4Config c = P::deepseek_v4_flash;
    c.moe_intermediate_size = 3584;
    c.n_shared_experts = 2;
    Deployment d{};
    d.tp = 8;
    const std::uint64_t padded_expert = 2 * (512 * 4096 / 2 + 512 * 4096 / 32) + (4096 * 512 / 2 + 4096 * 512 / 32);
    CHECK(weights_per_gpu(c, d).value().of(Part::routed_experts) == 43 * 256 * padded_expert);
    // V4-Pro's 3,072 over 8 is 384 a GPU: 384 on Hopper, 512 on Blackwell. Not modelled; with
    // expert parallelism the experts are whole (384 / 8 = 48 a GPU).
    CHECK(weights_per_gpu(P::deepseek_v4_pro, d).error() == MemoryError::moe_padding_not_modelled);
    CHECK(error_kind_of(MemoryError::moe_padding_not_modelled) == ErrorKind::not_modelled);
    // On Hopper vLLM picks Marlin (DeepGEMM's FP4 kernels need Blackwell), which rounds to 128:
    // 384 is whole, so each of the 384 experts holds w1 and w3 [384, 7168] and w2 [7168, 384],
    // unpadded, on each of the 61 layers.
    d.gpu_arch = GpuArch::hopper;
    const std::uint64_t pro_expert = 2 * (384 * 7168 / 2 + 384 * 7168 / 32) + (7168 * 384 / 2 + 7168 * 384 / 32);
    CHECK(weights_per_gpu(P::deepseek_v4_pro, d).value().of(Part::routed_experts) == 61 * 384 * pro_expert);
    d.gpu_arch = GpuArch::blackwell;
    CHECK(weights_per_gpu(P::deepseek_v4_pro, d).error() == MemoryError::moe_padding_not_modelled);
    d.gpu_arch = GpuArch::unspecified;
    d.expert_parallel = true;
    CHECK(weights_per_gpu(P::deepseek_v4_pro, d).value().experts_per_gpu == 48);
    // At tp 16 its shared expert's share, 192 rows, is not whole 128-blocks: vLLM refuses it.
    d.tp = 16;
    CHECK(weights_per_gpu(P::deepseek_v4_pro, d).error() == MemoryError::fp8_block_split);
}

TEST_CASE("vLLM's pipeline stages: layers by get_pp_indices, the embedding first, the head last", "[deployment][pp]") {
    // vLLM's get_pp_indices (vllm/distributed/utils.py): num_hidden_layers / pp each, the remainder
    // one each to the second-to-last stage, the one before, ... V3's 61 layers (the reference's
    // table, next-capabilities.md §5.5): pp 2 [31, 30], pp 4 [15, 15, 16, 15], pp 8
    // [7, 7, 8, 8, 8, 8, 8, 7]; DeepSeek-V2's 60 layers at pp 7: 8 each and 4 over, [8, 8, 9, 9, 9, 9, 8].
    const auto stages = [](const auto& c, std::uint64_t pp) {
        Deployment d{};
        d.pp = pp;
        std::vector<std::uint64_t> counts;
        std::uint64_t next = 0;
        for (std::uint64_t s = 0; s < pp; ++s) {
            const LayerRange r = pipeline_stage_layers(c, d, s);
            CHECK(r.first == next); // contiguous, from layer 0
            next = r.first + r.count;
            counts.push_back(r.count);
        }
        CHECK(next == c.num_hidden_layers);
        return counts;
    };
    using V = std::vector<std::uint64_t>;
    CHECK(stages(P::deepseek_v3, 1) == V{61});
    CHECK(stages(P::deepseek_v3, 2) == V{31, 30});
    CHECK(stages(P::deepseek_v3, 4) == V{15, 15, 16, 15});
    CHECK(stages(P::deepseek_v3, 8) == V{7, 7, 8, 8, 8, 8, 8, 7});
    CHECK(stages(P::deepseek_v2, 7) == V{8, 8, 9, 9, 9, 9, 8});
    CHECK(stages(P::deepseek_v3, 61) == V(61, 1));

    // V3 on two nodes, TP 8 x PP 2: stage 0 holds layers 0-30 (the 3 dense layers and 28 MoE
    // layers) and the embedding, stage 1 layers 31-60 (30 MoE layers), the final norm and the head.
    Deployment d{};
    d.tp = 8;
    d.pp = 2;
    constexpr std::uint64_t stage0 = 31 * (attn_replicated + layer_norms) + 28 * router +
                                     (31 * attn_split + 3 * dense_mlp + 28 * expert + embedding) / 8 +
                                     28 * 256 * expert / 8;
    constexpr std::uint64_t stage1 = 30 * (attn_replicated + layer_norms) + 30 * router + final_norm +
                                     (30 * attn_split + 30 * expert + head) / 8 + 30 * 256 * expert / 8;
    static_assert(stage0 + stage1 == tp_only(8)); // the two stages hold one TP 8 GPU's share between them
    const GpuWeights w0 = weights_per_gpu(P::deepseek_v3, d, 0).value();
    const GpuWeights w1 = weights_per_gpu(P::deepseek_v3, d, 1).value();
    CHECK(w0.total() == stage0);
    CHECK(w1.total() == stage1);
    CHECK(w0.gpus == 16);
    CHECK(w0.layers.first == 0);
    CHECK(w0.layers.count == 31);
    CHECK(w1.layers.first == 31);
    CHECK(w0.of(Part::lm_head) == 0);
    CHECK(w1.of(Part::embedding) == 0);
    CHECK(w0.of(Part::dense_mlp) == 3 * dense_mlp / 8);
    CHECK(w1.of(Part::dense_mlp) == 0);

    // KV: each stage caches its own layers; vLLM gives every GPU the fewest blocks of any stage.
    GpuBudget b{};
    b.gpu_memory = 141'000'000'000;
    b.context = 131'072;
    const DeploymentPlan plan = plan_deployment(P::deepseek_v3, d, VllmKvFormat::flashmla, b).value();
    const GpuPlan p0 = plan_gpu(P::deepseek_v3, d, VllmKvFormat::flashmla, b, 0).value();
    const GpuPlan p1 = plan_gpu(P::deepseek_v3, d, VllmKvFormat::flashmla, b, 1).value();
    const std::uint64_t usable = 126'900'000'000, reserve = 4'294'967'296;
    const std::uint64_t blocks0 = (usable - stage0 - reserve) / (31 * 1152 * 64);
    const std::uint64_t blocks1 = (usable - stage1 - reserve) / (30 * 1152 * 64);
    CHECK(p0.kv_layers == 31);
    CHECK(p1.kv_layers == 30);
    CHECK(p0.kv_blocks == blocks0);
    CHECK(p1.kv_blocks == blocks1);
    CHECK(plan.gpus == 16);
    CHECK(plan.kv_blocks == (blocks0 < blocks1 ? blocks0 : blocks1));
    CHECK(plan.weights_per_gpu == (stage0 > stage1 ? stage0 : stage1));
    CHECK(plan.largest_stage == (stage0 > stage1 ? 0U : 1U));
    CHECK(plan.smallest_stage == (blocks0 < blocks1 ? 0U : 1U));
    CHECK(plan.max_requests == plan.kv_blocks / 2048);
    CHECK(plan.fits);
    CHECK(vllm_launch_command(d, b, VllmKvFormat::flashmla, 131'072).find("--pipeline-parallel-size 2") !=
          std::string::npos);
    // Without pipelining, plan_deployment is plan_gpu's one stage.
    d.pp = 1;
    const DeploymentPlan one = plan_deployment(P::deepseek_v3, d, VllmKvFormat::flashmla, b).value();
    CHECK(one.weights_per_gpu == 85'140'130'848);
    CHECK(one.kv_blocks == 8'330);
    CHECK(one.max_requests == 4);
}

TEST_CASE("Pipeline layouts that are refused, each with its reason", "[deployment][pp]") {
    Deployment d{};
    d.pp = 0;
    CHECK(weights_per_gpu(P::deepseek_v3, d).error() == MemoryError::pp_too_many);
    d.pp = 62; // more stages than V3's 61 layers
    CHECK(weights_per_gpu(P::deepseek_v3, d).error() == MemoryError::pp_too_many);
    d.pp = 2;
    CHECK(weights_per_gpu(P::deepseek_v3, d, 2).error() == MemoryError::pp_too_many); // no stage 2
    // What vLLM's DeepSeek-V4 draft holds for an embedding on the last stage (the checkpoint has
    // none for it) is not modelled, nor where SGLang puts its draft.
    d.mtp = true;
    CHECK(weights_per_gpu(P::deepseek_v4_flash, d).error() == MemoryError::pp_not_modelled);
    d.engine = Engine::sglang;
    CHECK(weights_per_gpu(P::deepseek_v3, d).error() == MemoryError::pp_not_modelled);
    d.engine = Engine::vllm;
    CHECK(error_kind_of(MemoryError::pp_not_modelled) == ErrorKind::not_modelled);
    CHECK(error_message(MemoryError::pp_too_many).find("pipeline-parallel size") != std::string_view::npos);
    // A model without MTP or vision pipelines with MTP asked for: nothing to place.
    d.mtp = true;
    CHECK(weights_per_gpu(P::deepseek_v2_lite, d).has_value());
}

TEST_CASE("vLLM's pipeline with the MTP draft: on the last stage, with its own embedding", "[deployment][pp]") {
    // vLLM builds the drafter on the last PP rank only (gpu_model_runner.py: "we put the entire
    // draft model on the last PP rank"). At pp 1 the draft shares the target's embedding and
    // head; at pp > 1 it shares the head, which the last stage holds, and keeps the embedding the
    // checkpoint stores for it (model.layers.61.embed_tokens, bf16 [vocab, H]), split tp ways
    // (llm_base_proposer.py, _maybe_share_embeddings: shared only when the PP group is one GPU).
    // V3 at TP 8 x PP 2: stage 1 holds layers 31-60, the final norm and head, and the MTP layer:
    // an MoE decoder layer, enorm, hnorm, shared_head.norm (bf16 [H]) and eh_proj (bf16 [H, 2H],
    // replicated), plus the embedding copy.
    constexpr std::uint64_t stage1 = 30 * (attn_replicated + layer_norms) + 30 * router + final_norm +
                                     (30 * attn_split + 30 * expert + head) / 8 + 30 * 256 * expert / 8;
    constexpr std::uint64_t mtp = attn_replicated + layer_norms + router + 3 * H * 2 + H * 2 * H * 2 +
                                  (attn_split + expert + embedding) / 8 + 256 * expert / 8;
    Deployment d{};
    d.tp = 8;
    d.pp = 2;
    d.mtp = true;
    const GpuWeights w0 = weights_per_gpu(P::deepseek_v3, d, 0).value();
    const GpuWeights w1 = weights_per_gpu(P::deepseek_v3, d, 1).value();
    CHECK(w0.mtp == 0);
    CHECK(w1.mtp == mtp);
    CHECK(w1.total() == stage1 + mtp);
    CHECK(w1.of(Part::embedding) == 0); // the draft's copy is in w1.mtp
    d.mtp = false;
    CHECK(weights_per_gpu(P::deepseek_v3, d, 0).value().total() == w0.total()); // stage 0 unchanged

    // The draft's layer has its cache on the last stage: 31 layers there.
    d.mtp = true;
    GpuBudget b{};
    b.gpu_memory = 141'000'000'000;
    b.context = 131'072;
    const GpuPlan p1 = plan_gpu(P::deepseek_v3, d, VllmKvFormat::flashmla, b, 1).value();
    CHECK(p1.kv_layers == 31);
    CHECK(p1.kv_blocks == (126'900'000'000 - stage1 - mtp - 4'294'967'296) / (31 * 1152 * 64));
    const DeploymentPlan plan = plan_deployment(P::deepseek_v3, d, VllmKvFormat::flashmla, b).value();
    CHECK(plan.weights_per_gpu == stage1 + mtp); // the last stage is now the larger
    CHECK(plan.largest_stage == 1);
}

TEST_CASE("vLLM's pipeline stages of a vision model: the encoder and projector on every stage", "[deployment][pp]") {
    // vLLM builds the vision tower and projector in the model's __init__ with no pipeline check
    // (deepseek_vl2.py, deepseek_ocr.py, deepseek_ocr2.py, kimi_vl.py) and loads them with
    // AutoWeightsLoader on every stage; only the first stage runs them. Kimi-VL's MoonViT and
    // projector in bf16, from the tensor list written out in kimi_vl_vision.
    constexpr std::uint64_t vision = (27 * kimi_vl_vision::block + kimi_vl_vision::whole) * 2;
    Deployment d{};
    const GpuWeights one = weights_per_gpu(P::kimi_vl_a3b, d).value();
    for (const std::uint64_t pp : {std::uint64_t{2}, std::uint64_t{3}, std::uint64_t{9}}) {
        d.pp = pp;
        std::uint64_t sum = 0;
        for (std::uint64_t s = 0; s < pp; ++s) {
            const GpuWeights w = weights_per_gpu(P::kimi_vl_a3b, d, s).value();
            CHECK(w.of(Part::vision) == vision);
            CHECK((w.of(Part::embedding) != 0) == (s == 0)); // the language model's embedding: first stage only
            CHECK((w.of(Part::lm_head) != 0) == (s + 1 == pp));
            sum += w.total();
        }
        // The stages add up to one GPU's weights, with the encoder held pp times instead of once.
        CHECK(sum == one.total() + (pp - 1) * vision);
        GpuBudget b{};
        b.gpu_memory = 80'000'000'000;
        const DeploymentPlan plan = plan_deployment(P::kimi_vl_a3b, d, VllmKvFormat::flashmla, b).value();
        std::uint64_t largest = 0;
        for (std::uint64_t s = 0; s < pp; ++s) {
            const std::uint64_t t = weights_per_gpu(P::kimi_vl_a3b, d, s).value().total();
            largest = t > largest ? t : largest;
        }
        CHECK(plan.weights_per_gpu == largest);
    }
    // --language-model-only: no stage holds the encoder.
    d.language_model_only = true;
    for (std::uint64_t s = 0; s < d.pp; ++s) CHECK(weights_per_gpu(P::kimi_vl_a3b, d, s).value().of(Part::vision) == 0);
    d.language_model_only = false;
    // The same for a model without MLA: DeepSeek-OCR's SAM, CLIP and projector (401,372,160 values
    // in bf16, memory-formulas.md's "OCR DeepEncoder"), whole at tp 1, on both stages.
    d.pp = 2;
    CHECK(weights_per_gpu(P::deepseek_ocr, d, 0).value().of(Part::vision) == 401'372'160 * 2);
    CHECK(weights_per_gpu(P::deepseek_ocr, d, 1).value().of(Part::vision) == 401'372'160 * 2);
}

TEST_CASE("VLLM_PP_LAYER_PARTITION: the stages hold the layers given, in order", "[deployment][pp]") {
    // vLLM's own test of get_pp_indices (tests/distributed/test_pipeline_partition.py): "4,6,6,4"
    // over 20 layers gives [0, 4), [4, 10), [10, 16), [16, 20).
    DeepseekV2Config twenty = P::deepseek_v2_lite;
    twenty.num_hidden_layers = 20;
    Deployment d{};
    d.pp = 4;
    for (const std::uint64_t n : {4U, 6U, 6U, 4U}) REQUIRE(d.layer_partition.push_back(n));
    const std::array<std::array<std::uint64_t, 2>, 4> golden{{{0, 4}, {4, 10}, {10, 16}, {16, 20}}};
    for (std::uint64_t s = 0; s < 4; ++s) {
        const GpuWeights w = weights_per_gpu(twenty, d, s).value();
        CHECK(w.layers.first == golden[s][0]);
        CHECK(w.layers.first + w.layers.count == golden[s][1]);
    }

    // V3 at TP 8 x PP 2 with "30,31" instead of vLLM's own 31, 30: layer 30 (an MoE layer) moves
    // from stage 0 to stage 1, with its attention, norms, router, shared expert and 256 experts.
    Deployment v3{};
    v3.tp = 8;
    v3.pp = 2;
    const std::uint64_t own0 = weights_per_gpu(P::deepseek_v3, v3, 0).value().total();
    const std::uint64_t own1 = weights_per_gpu(P::deepseek_v3, v3, 1).value().total();
    REQUIRE(v3.layer_partition.push_back(30));
    REQUIRE(v3.layer_partition.push_back(31));
    constexpr std::uint64_t moe_layer =
        attn_replicated + layer_norms + router + (attn_split + expert) / 8 + 256 * expert / 8;
    CHECK(weights_per_gpu(P::deepseek_v3, v3, 0).value().total() == own0 - moe_layer);
    CHECK(weights_per_gpu(P::deepseek_v3, v3, 1).value().total() == own1 + moe_layer);
    // The plan caches 30 layers on stage 0 and 31 on stage 1.
    GpuBudget b{};
    b.gpu_memory = 141'000'000'000;
    CHECK(plan_gpu(P::deepseek_v3, v3, VllmKvFormat::flashmla, b, 0).value().kv_layers == 30);
    CHECK(plan_gpu(P::deepseek_v3, v3, VllmKvFormat::flashmla, b, 1).value().kv_layers == 31);
    CHECK(
        vllm_launch_command(v3, b, VllmKvFormat::flashmla, 8192)
            .rfind("VLLM_PP_LAYER_PARTITION=30,31 vllm serve MODEL --tensor-parallel-size 8 --pipeline-parallel-size 2",
                   0) == 0);

    // Refused as vLLM refuses them (a count per stage, adding up to the layers), and an empty stage.
    const auto partition_error = [](std::initializer_list<std::uint64_t> counts) {
        Deployment p{};
        p.pp = 2;
        for (const std::uint64_t n : counts) (void)p.layer_partition.push_back(n);
        return weights_per_gpu(P::deepseek_v3, p).error();
    };
    CHECK(partition_error({61}) == MemoryError::pp_partition_invalid);            // 1 count for 2 stages
    CHECK(partition_error({30, 30}) == MemoryError::pp_partition_invalid);        // 60 of 61 layers
    CHECK(partition_error({31, 31}) == MemoryError::pp_partition_invalid);        // 62
    CHECK(partition_error({0, 61}) == MemoryError::pp_partition_invalid);         // an empty stage
    CHECK(partition_error({UINT64_MAX, 2}) == MemoryError::pp_partition_invalid); // no wrap-around
    CHECK(error_message(MemoryError::pp_partition_invalid).find("VLLM_PP_LAYER_PARTITION") != std::string_view::npos);
    CHECK(error_kind_of(MemoryError::pp_partition_invalid) == ErrorKind::invalid_query);
}

TEST_CASE("Pipeline stages share out one GPU's weights: their sum is the pp 1 figure, for any pp", "[deployment][pp]") {
    // Each layer, the embedding and the head are on exactly one stage, so the stages' weights add up
    // to those of one GPU without pipelining; plan_deployment (every stage in one walk) agrees with
    // plan_gpu stage by stage on the largest stage and the fewest blocks.
    GpuBudget b{};
    b.gpu_memory = 141'000'000'000;
    const auto check = [&b](const auto& c, std::uint64_t tp) {
        Deployment d{};
        d.tp = tp;
        const std::uint64_t whole = weights_per_gpu(c, d).value().total();
        for (const std::uint64_t pp : {std::uint64_t{2}, std::uint64_t{3}, std::uint64_t{4}, std::uint64_t{8},
                                       std::uint64_t{c.num_hidden_layers}}) {
            d.pp = pp;
            std::uint64_t sum = 0, largest = 0, fewest = ~std::uint64_t{0};
            for (std::uint64_t s = 0; s < pp; ++s) {
                const GpuPlan p = plan_gpu(c, d, VllmKvFormat::flashmla, b, s).value();
                sum += p.weights.total();
                largest = p.weights.total() > largest ? p.weights.total() : largest;
                fewest = p.kv_blocks < fewest ? p.kv_blocks : fewest;
            }
            CHECK(sum == whole);
            const DeploymentPlan plan = plan_deployment(c, d, VllmKvFormat::flashmla, b).value();
            CHECK(plan.weights_per_gpu == largest);
            if (plan.fits) CHECK(plan.kv_blocks == fewest);
        }
    };
    check(P::deepseek_v3, 8);
    check(P::deepseek_v2_lite, 1);
    check(P::kimi_k2, 8);
    check(P::deepseek_v32, 8);
}

} // namespace deployment_test
