// SGLang deployments. Each expected value is worked out here from DeepSeek-V3's tensors written
// out by hand (v3_tensors.hpp) and SGLang's rules as its code states them (sglang b26729f2,
// models/deepseek_v2.py, layers/dp_attention.py, layers/vocab_parallel_embedding.py,
// server_args.py, mem_cache/memory_pool.py; docs/deployment.md gives the lines).
#include <deepseek/deployment.hpp>
#include <deepseek/presets.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "catch.hpp"
#include "expected_figures.hpp"
#include "ocr_tensors.hpp"
#include "v3_tensors.hpp"

// One namespace per test file: the files of a batch share a translation unit (tests/CMakeLists.txt).
namespace sglang_test {

using namespace deepseek;
using namespace v3_tensors;
namespace P = deepseek::presets;

namespace {

Deployment sglang(std::uint64_t tp, std::uint64_t dp = 1, bool dp_attention = false) {
    Deployment d{};
    d.engine = Engine::sglang;
    d.tp = tp;
    d.dp = dp;
    d.dp_attention = dp_attention;
    return d;
}

std::uint64_t weights(const Deployment& d) { return weights_per_gpu(P::deepseek_v3, d).value().total(); }

constexpr std::uint64_t h200 = std::uint64_t{143'771} << 20; // nvidia-smi's memory.total, MiB

constexpr Deployment dp_attention8 = [] {
    Deployment d{};
    d.engine = Engine::sglang;
    d.tp = 8;
    d.dp = 8;
    d.dp_attention = true;
    return d;
}();
/// An H200 at SGLang's TP 8 fraction (0.886), a 1 GiB reserve, requests of 131,072 tokens.
GpuBudget h200_tp8_budget() {
    GpuBudget b{};
    b.gpu_memory = h200;
    b.memory_fraction = 0.886;
    b.reserve = std::uint64_t{1} << 30;
    b.context = 131'072;
    return b;
}
constexpr GpuBudget h200_budget = [] {
    GpuBudget b{};
    b.gpu_memory = h200;
    b.memory_fraction = sglang_mem_fraction_static(h200, dp_attention8);
    b.reserve = std::uint64_t{1} << 30;
    b.context = 131'072;
    return b;
}();
// One SGLang layout planned at compile time, against its weights written out by hand (the DP
// attention test below): the tokens of SGLang's pool, 576 B per token per layer over 61 layers.
constexpr std::uint64_t dp8_weights =
    replicated + 61 * attn_split + embedding + (3 * dense_mlp + 58 * expert + head + 256 * routed_layer_expert) / 8;
static_assert(
    plan_deployment(P::deepseek_v3, dp_attention8, EngineKvFormat::sglang_fp8, h200_budget).value().kv_tokens ==
    (static_cast<std::uint64_t>(static_cast<double>(h200) * 0.758) - dp8_weights - (std::uint64_t{1} << 30)) /
        (576 * 61));

} // namespace

TEST_CASE("SGLang tensor parallelism: V3 on 8 GPUs holds what vLLM's does", "[sglang]") {
    // q_b/kv_b/o, the dense and shared MLPs, the embedding and head split 8 ways (the shared
    // expert fused into the MoE on Hopper is split by the MoE's tp, 8, the same bytes), the
    // routed experts split 8 ways by width, the rest replicated.
    CHECK(weights(sglang(8)) == tp_only(8));
    CHECK(weights(sglang(8)) == 85'140'130'848);
    // --dp 2 without DP attention: two replicas of the 8 GPUs.
    const GpuWeights two = weights_per_gpu(P::deepseek_v3, sglang(8, 2)).value();
    CHECK(two.total() == tp_only(8));
    CHECK(two.gpus == 16);
}

TEST_CASE("SGLang DP attention: the attention and embedding split over tp / dp, the rest over tp", "[sglang]") {
    // --tp 8 --dp 8 --enable-dp-attention: attention groups of one GPU, so every GPU holds the
    // whole q_b/kv_b/o projections and the whole embedding; the head, dense MLP, shared and routed
    // experts stay split 8 ways. 8 GPUs in all.
    constexpr std::uint64_t dp8 = dp8_weights;
    const GpuWeights w = weights_per_gpu(P::deepseek_v3, sglang(8, 8, true)).value();
    CHECK(w.total() == dp8);
    CHECK(w.gpus == 8);
    CHECK(w.of(Part::embedding) == embedding);
    CHECK(w.of(Part::lm_head) == head / 8);
    // --tp 8 --dp 2: groups of 4 GPUs.
    CHECK(weights(sglang(8, 2, true)) == replicated + (61 * attn_split + embedding) / 4 +
                                             (3 * dense_mlp + 58 * expert + head + 256 * routed_layer_expert) / 8);
    // --moe-dense-tp-size 1: the 3 dense MLP layers whole on every GPU.
    Deployment dense = sglang(8, 8, true);
    dense.dense_tp1 = true;
    CHECK(weights(dense) == dp8 + 3 * dense_mlp - 3 * dense_mlp / 8);
    // --enable-dp-lm-head: the head split as the embedding, over the attention group (1 GPU).
    Deployment lm_head = sglang(8, 8, true);
    lm_head.dp_lm_head = true;
    CHECK(weights(lm_head) == dp8 + head - head / 8);
}

TEST_CASE("SGLang splits the heads over the attention group: tp / dp with DP attention", "[sglang]") {
    // deepseek_v2.py's MLA attention asserts num_heads % attn_tp_size == 0. DeepSeek-V2-Lite has
    // 16 heads; every other tensor it splits divides 32 ways (q_proj 3,072 rows, kv_b_proj 4,096,
    // o_proj 2,048 columns, the vocabulary 102,400 rows, the MLPs 10,944 and 1,408 wide).
    CHECK(weights_per_gpu(P::deepseek_v2_lite, sglang(32)).error() == MemoryError::tp_does_not_divide);
    // --tp 32 --dp 2 --enable-dp-attention: attention groups of 16 GPUs, one head each.
    CHECK(weights_per_gpu(P::deepseek_v2_lite, sglang(32, 2, true)).has_value());
    CHECK(weights_per_gpu(P::deepseek_v2_lite, sglang(16)).has_value());
}

TEST_CASE("SGLang expert parallelism: --ep-size tp, with redundant experts", "[sglang]") {
    // 256 experts over 8 GPUs, 32 whole experts per MoE layer on each: the bytes of an 8-way split.
    Deployment ep = sglang(8);
    ep.expert_parallel = true;
    const GpuWeights w = weights_per_gpu(P::deepseek_v3, ep).value();
    CHECK(w.experts_per_gpu == 32);
    CHECK(w.total() == tp_only(8));
    // --ep-num-redundant-experts 8: (256 + 8) / 8 = 33 per GPU, one more expert per MoE layer.
    ep.redundant_experts = 8;
    CHECK(weights_per_gpu(P::deepseek_v3, ep).value().experts_per_gpu == 33);
    CHECK(weights(ep) == tp_only(8) + routed_layer_expert);
    ep.redundant_experts = 4; // 260 over 8 GPUs
    CHECK(weights_per_gpu(P::deepseek_v3, ep).error() == MemoryError::ep_does_not_divide);
}

TEST_CASE("SGLang's --ep-size below tp: experts over ep GPUs, each split tp / ep ways", "[sglang]") {
    // moe_tp_size = tp / ep (parallel_state.py): at tp 8 and --ep-size 4, 64 experts a GPU, each
    // split 2 ways by its width, the same bytes as whole experts over 8 or each split 8 ways.
    Deployment d = sglang(8);
    d.expert_parallel = true;
    d.ep_size = 4;
    CHECK(expert_tp(d) == 2);
    const GpuWeights w = weights_per_gpu(P::deepseek_v3, d).value();
    CHECK(w.experts_per_gpu == 64);
    CHECK(w.of(Part::routed_experts) == 58 * 64 * expert / 2);
    CHECK(w.total() == tp_only(8));
    // 32 redundant experts: 288 / 4 = 72 a GPU, each halved.
    d.redundant_experts = 32;
    CHECK(weights_per_gpu(P::deepseek_v3, d).value().of(Part::routed_experts) == 58 * 72 * expert / 2);
    d.redundant_experts = 2; // 258 over 4 GPUs
    CHECK(weights_per_gpu(P::deepseek_v3, d).error() == MemoryError::ep_does_not_divide);
    d.redundant_experts = 0;
    // Each GPU's share of an expert must be whole 128-blocks: 2,048 / 32 = 64 is not (tp 32, ep 1).
    d.tp = 32;
    d.ep_size = 1;
    CHECK(weights_per_gpu(P::deepseek_v3, d).error() == MemoryError::fp8_block_split);
    // ep must divide tp and needs expert parallelism; vLLM has no such option.
    d.tp = 8;
    d.ep_size = 3;
    CHECK(weights_per_gpu(P::deepseek_v3, d).error() == MemoryError::engine_option_invalid);
    d.ep_size = 4;
    d.expert_parallel = false;
    CHECK(weights_per_gpu(P::deepseek_v3, d).error() == MemoryError::engine_option_invalid);
    d.expert_parallel = true;
    CHECK(sglang_launch_command(d, GpuBudget{}, EngineKvFormat::sglang, 4096).find(" --ep-size 4 ") !=
          std::string::npos);
    d.engine = Engine::vllm;
    CHECK(weights_per_gpu(P::deepseek_v3, d).error() == MemoryError::engine_option_invalid);
    CHECK(expert_tp(d) == 1);
}

TEST_CASE("SGLang with DeepEP: the shared expert whole on every GPU, 3 GiB more kept", "[sglang]") {
    // --moe-a2a-backend deepep sets the EP size to tp and builds the shared expert with tp 1
    // (deepseek_v2.py: _shared_expert_use_tp1); server_args.py keeps 1,024 MiB more for the
    // breakable prefill graph under DeepEP (reserve_for_graph_mb, since sglang #31987, 2026-07-31)
    // and 2,048 MiB for its buffers after the 10 GiB floor: H200 with DP attention over 8, 34,816 +
    // 1,024 + 2,048 = 37,888 MiB -> (143,771 - 37,888) / 143,771 = 0.7365 -> 0.736.
    Deployment d = sglang(8, 8, true);
    d.expert_parallel = true;
    d.deepep = true;
    const GpuWeights w = weights_per_gpu(P::deepseek_v3, d).value();
    CHECK(w.of(Part::shared_experts) == 58 * expert);
    CHECK(w.total() == dp8_weights - 58 * expert / 8 + 58 * expert);
    CHECK(sglang_mem_fraction_static(h200, d) == 0.736);
    CHECK(sglang_launch_command(d, GpuBudget{}, EngineKvFormat::sglang, 4096)
              .find("--ep-size 8 --moe-a2a-backend deepep") != std::string::npos);
    // DeepEP needs expert parallelism over tp; vLLM has no such switch.
    d.ep_size = 4;
    CHECK(weights_per_gpu(P::deepseek_v3, d).error() == MemoryError::engine_option_invalid);
    d.ep_size = 0;
    d.expert_parallel = false;
    CHECK(weights_per_gpu(P::deepseek_v3, d).error() == MemoryError::engine_option_invalid);
    d = Deployment{};
    d.expert_parallel = true;
    d.deepep = true;
    CHECK(weights_per_gpu(P::deepseek_v3, d).error() == MemoryError::engine_option_invalid);
}

TEST_CASE("SGLang's MTP draft: one more MoE layer, sharing the target's embedding and head", "[sglang]") {
    // deepseek_nextn.py: the draft's decoder layer split as a target MoE layer, eh_proj a plain
    // Linear on every GPU (bf16 [H, 2H]), its norms whole; its embed_tokens and shared_head.head
    // skipped at load for the target's.
    Deployment d = sglang(8);
    d.mtp = true;
    constexpr std::uint64_t moe_layer =
        attn_replicated + layer_norms + router + (attn_split + expert) / 8 + 256 * expert / 8;
    constexpr std::uint64_t extras = H * 2 * H * 2 + 3 * H * 2; // eh_proj; enorm, hnorm, shared_head.norm
    const GpuWeights w = weights_per_gpu(P::deepseek_v3, d).value();
    CHECK(w.mtp == moe_layer + extras);
    CHECK(w.total() == tp_only(8) + moe_layer + extras);
}

TEST_CASE("SGLang's pipeline stages: the remainder on the last stages", "[sglang][pp]") {
    // sglang's get_pp_indices: L / pp each, the last L % pp stages one more. V3's 61 layers: pp 2
    // 30 + 31, pp 4 15, 15, 15, 16 (vLLM: 31 + 30 and 15, 15, 16, 15).
    const auto stages = [](std::uint64_t pp) {
        Deployment d = sglang(8);
        d.pp = pp;
        std::vector<std::uint64_t> out;
        std::uint64_t next = 0;
        for (std::uint64_t s = 0; s < pp; ++s) {
            const LayerRange r = pipeline_stage_layers(P::deepseek_v3, d, s);
            CHECK(r.first == next);
            next = r.first + r.count;
            out.push_back(r.count);
        }
        CHECK(next == 61);
        return out;
    };
    using V = std::vector<std::uint64_t>;
    CHECK(stages(2) == V{30, 31});
    CHECK(stages(4) == V{15, 15, 15, 16});
    CHECK(stages(8) == V{7, 7, 7, 8, 8, 8, 8, 8});
}

TEST_CASE("SGLang's default mem_fraction_static, by its server_args.py", "[sglang]") {
    // (GPU MiB - reserve) / GPU MiB, rounded to 3 decimals. H200 (143,771 MiB), tp 8: 512 + 8,192
    // x 1.5 + 8 / 8 x 1,024 + (512 x 2 + 1,536) = 16,384 MiB -> 0.886. With DP attention over 8:
    // the decode graph adds 512 x 8 x 3 + 512 x 8 x 1.5 = 18,432 -> 34,816 MiB -> 0.758. H100
    // (81,559 MiB), tp 8: 16,384 -> 0.799. A 16 GiB GPU at tp 1: 512 + 2,048 x 1.5 + 128 + 8 x 2 +
    // 1,536 = 5,264 MiB -> 11,120 / 16,384 = 0.6787 -> 0.679.
    CHECK(sglang_mem_fraction_static(h200, sglang(8)) == 0.886);
    CHECK(sglang_mem_fraction_static(h200, sglang(8, 8, true)) == 0.758);
    CHECK(sglang_mem_fraction_static(std::uint64_t{81'559} << 20, sglang(8)) == 0.799);
    CHECK(sglang_mem_fraction_static(std::uint64_t{16'384} << 20, sglang(1)) == 0.679);
    // At least 10 GiB kept on a GPU above 60 GiB: 64 GiB at tp 1 reserves 512 + 12,288 + 128 +
    // 512 + 1,536 = 14,976 MiB anyway; a 1 MiB GPU keeps nothing.
    CHECK(sglang_mem_fraction_static(std::uint64_t{65'536} << 20, sglang(1)) == 0.771);
    CHECK(sglang_mem_fraction_static(std::uint64_t{1} << 20, sglang(1)) == 0.0);
}

TEST_CASE("SGLang's default fraction for a vision model, by its adjust_mem_fraction_for_vlm", "[sglang]") {
    // The expected values are SGLang's Python expressions evaluated in Python (CPython 3, IEEE
    // doubles): 0.95 x max(0.8, min(1.05, 1.0 - 0.1 x (L x H**2 / (24 x 1024**2) - 1.0))).
    // MoonViT, 27 x 1,152: ratio 1.423828125, 0.9576171875, x 0.95 = 0.9097363281249999.
    CHECK(sglang_vlm_fraction_factor(27, 1152) == 0.9097363281249999);
    CHECK(sglang_vlm_fraction_factor(24, 1024) == 0.95);               // a ViT-L/14: the base cut
    CHECK(sglang_vlm_fraction_factor(0, 1152) == 0.9974999999999999);  // clamped at 1.05
    CHECK(sglang_vlm_fraction_factor(1000000, 1000000) == 0.76);       // clamped at 0.8
    CHECK(sglang_vlm_fraction_factor(UINT64_MAX, UINT64_MAX) == 0.76); // far past 2^53: the floor
    // What SGLang's vision config classes give for the tower: Kimi-VL's MoonViTConfig the file's
    // 27 and 1,152; Kimi-K2.5's class its defaults, whatever its vt_* keys say; DeepSeek-OCR's
    // (layers, width) neither, so 24 and 1,024.
    KimiK25Config k25{};
    k25.vision_config.vt_num_hidden_layers = 40;
    CHECK(sglang_vision_size(k25).layers == 27);
    CHECK(sglang_vision_size(P::kimi_vl_a3b).hidden == 1152);
    CHECK(sglang_vision_size(P::deepseek_ocr).layers == 24);
    // H200 (143,771 MiB) at tp 8. Kimi-VL, its prefill CUDA graph off (a multimodal model SGLang
    // does not list): 512 + 12,288 + 1,024 + 1,024 = 14,848 MiB -> 0.897, x 0.9097363281249999.
    CHECK(sglang_default_fraction(P::kimi_vl_a3b, h200, sglang(8)) == 0.816033486328125);
    // Kimi-K2.5, listed, keeps the graph's 1,536: 0.886 x the same factor; with DP attention or
    // DeepEP, which of SGLang's prefill graphs it takes is not pinned: nothing.
    CHECK(sglang_default_fraction(k25, h200, sglang(8)) == 0.8060263867187499);
    CHECK(!sglang_default_fraction(k25, h200, sglang(8, 8, true)));
    Deployment deepep = sglang(8);
    deepep.expert_parallel = deepep.deepep = true;
    CHECK(!sglang_default_fraction(k25, h200, deepep));
    // DeepSeek-OCR on an 80 GB GPU (76,293 MiB) at tp 1 and 2: 512 + 12,288 + 128 (256) + 512 =
    // 13,440 (13,568) MiB -> 0.824 (0.822), x 0.95.
    constexpr std::uint64_t gpu80 = 80'000'000'000;
    CHECK(sglang_default_fraction(P::deepseek_ocr, gpu80, sglang(1)) == 0.7827999999999999);
    CHECK(sglang_default_fraction(P::deepseek_ocr, gpu80, sglang(2)) == 0.7808999999999999);
    CHECK(sglang_default_fraction(P::deepseek_vl2_tiny, gpu80, sglang(1)) == 0.7827999999999999);
    // A text model's is sglang_mem_fraction_static's.
    CHECK(sglang_default_fraction(P::deepseek_v3, h200, sglang(8)) == 0.886);
    // DeepSeek-V4: no prefill graph (SGLang turns it off for V4). H200 at tp 4: 512 + 12,288 + 512
    // + 1,024 = 14,336 MiB -> 129,435 / 143,771 = 0.9003 -> 0.900; at tp 8, 14,848 -> 0.897. H100
    // (81,559 MiB) at tp 4: 14,336 -> 0.8242 -> 0.824. With DP attention over 8 on an H200: 14,848
    // + 12,288 + 6,144 = 33,280 -> 0.7685 -> 0.769.
    CHECK(sglang_default_fraction(P::deepseek_v4_flash, h200, sglang(4)) == 0.9);
    CHECK(sglang_default_fraction(P::deepseek_v4_pro, h200, sglang(8)) == 0.897);
    CHECK(sglang_default_fraction(P::deepseek_v4_flash, std::uint64_t{81'559} << 20, sglang(4)) == 0.824);
    CHECK(sglang_default_fraction(P::deepseek_v4_pro, h200, sglang(8, 8, true)) == 0.769);
    constexpr Deployment tp8 = [] {
        Deployment d{};
        d.engine = Engine::sglang;
        d.tp = 8;
        return d;
    }();
    static_assert(*sglang_default_fraction(P::kimi_vl_a3b, h200, tp8) == 0.816033486328125);
}

TEST_CASE("SGLang's KV pool beside the weights: tokens, pages and requests", "[sglang]") {
    // SGLang: rest = the fraction of the GPU - weights - (here) the reserve; tokens = rest /
    // cell_size, cell_size = 576 B x 61 layers (FP8), in pages of 1; requests = tokens / context.
    GpuBudget b = h200_tp8_budget();
    const auto usable = static_cast<std::uint64_t>(static_cast<double>(h200) * 0.886);
    const std::uint64_t tokens = (usable - tp_only(8) - b.reserve) / (576 * 61);
    const DeploymentPlan p = plan_deployment(P::deepseek_v3, sglang(8), EngineKvFormat::sglang_fp8, b).value();
    CHECK(p.kv_tokens == tokens);
    CHECK(p.entry.block == 1);
    CHECK(p.max_requests == tokens / 131'072);
    CHECK(p.total_requests == tokens / 131'072);
    // DP attention over 8: each GPU's pool is its own attention group's, 8 groups.
    b.memory_fraction = 0.758;
    const Deployment dp8 = sglang(8, 8, true);
    const auto usable8 = static_cast<std::uint64_t>(static_cast<double>(h200) * 0.758);
    const std::uint64_t tokens8 = (usable8 - weights(dp8) - b.reserve) / (576 * 61);
    const DeploymentPlan q = plan_deployment(P::deepseek_v3, dp8, EngineKvFormat::sglang_fp8, b).value();
    CHECK(q.kv_tokens == tokens8);
    CHECK(q.total_requests == tokens8 / 131'072 * 8);
    // V3.2's DSA pool: 656 B of latent and 132 B of indexer key per token per layer, in pages of 64.
    const DeploymentPlan v32 = plan_deployment(P::deepseek_v32, sglang(8), EngineKvFormat::sglang_fp8, b).value();
    const std::uint64_t w32 = weights_per_gpu(P::deepseek_v32, sglang(8)).value().total();
    CHECK(v32.entry.block == 64);
    CHECK(v32.kv_tokens == (usable8 - w32 - b.reserve) / ((656 + 132) * 61) / 64 * 64);
    // The launch line.
    CHECK(sglang_launch_command(dp8, b, EngineKvFormat::sglang_fp8, 131'072) ==
          "python -m sglang.launch_server --model-path MODEL --tp-size 8 --dp-size 8 --enable-dp-attention "
          "--mem-fraction-static 0.758 --context-length 131072 --kv-cache-dtype fp8_e4m3");
}

TEST_CASE("SGLang's --page-size: the pool in whole pages, a request in whole pages", "[sglang]") {
    // With pages of 64 (FlashMLA's), SGLang rounds its token count down to whole pages and a
    // request of 131,072 tokens takes 2,048 pages.
    GpuBudget b = h200_tp8_budget();
    Deployment d = sglang(8);
    d.page_size = 64;
    const auto usable = static_cast<std::uint64_t>(static_cast<double>(h200) * 0.886);
    const std::uint64_t pages = (usable - tp_only(8) - b.reserve) / (576 * 61) / 64;
    const DeploymentPlan p = plan_deployment(P::deepseek_v3, d, EngineKvFormat::sglang_fp8, b).value();
    CHECK(p.entry.block == 64);
    CHECK(p.kv_blocks == pages);
    CHECK(p.kv_tokens == pages * 64);
    CHECK(p.max_requests == pages / 2048);
    CHECK(sglang_launch_command(d, b, EngineKvFormat::sglang_fp8, 131'072) ==
          "python -m sglang.launch_server --model-path MODEL --tp-size 8 --page-size 64 --mem-fraction-static 0.886 "
          "--context-length 131072 --kv-cache-dtype fp8_e4m3");
    // V3.2's DSA pool takes pages of 64 only; vLLM has no such option here.
    d.page_size = 32;
    CHECK(plan_deployment(P::deepseek_v32, d, EngineKvFormat::sglang_fp8, b).error() ==
          MemoryError::engine_option_invalid);
    d.page_size = 64;
    CHECK(plan_deployment(P::deepseek_v32, d, EngineKvFormat::sglang_fp8, b).has_value());
    d.engine = Engine::vllm;
    CHECK(weights_per_gpu(P::deepseek_v3, d).error() == MemoryError::engine_option_invalid);
    CHECK(error_message(MemoryError::engine_option_invalid).find("a page size") != std::string_view::npos);
}

TEST_CASE("Kimi-VL under SGLang: MoonViT split over the attention group, the language model as DeepSeek-V2's",
          "[sglang][kimi]") {
    // Kimi-VL's MoonViT (width 1,152, MLP 4,304, 27 blocks, 16 heads), per block: norm0 and norm1
    // (weight, bias), wqkv [3456, 1152] + bias, wo [1152, 1152] + bias, mlp.fc0 [4304, 1152] +
    // bias, mlp.fc1 [1152, 4304] + bias; the rest: patch_embed.proj [1152, 3, 14, 14] + bias,
    // pos_emb [64, 64, 1152], final_layernorm, the projector's pre_norm, linear_1 [4608, 4608] +
    // bias and linear_2 [2048, 4608] + bias. All BF16.
    constexpr std::uint64_t block =
        4 * 1152 + 3456 * 1152 + 3456 + 1152 * 1152 + 1152 + 4304 * 1152 + 4304 + 1152 * 4304 + 1152;
    constexpr std::uint64_t whole =
        1152 * 3 * 14 * 14 + 1152 + 64 * 64 * 1152 + 2 * 1152 + 2 * 1152 + 4608 * 4608 + 4608 + 2048 * 4608 + 2048;
    // SGLang (kimi_vl_moonvit.py at 00e1106f): VisionAttention's qkv_proj and MLP2's fc0 by rows
    // with their biases, proj and fc1 by columns with their biases whole, over the attention
    // group; the patch embedding, position table, norms and projector (nn.Linear) whole.
    constexpr std::uint64_t split = 3456 * 1152 + 3456 + 1152 * 1152 + 4304 * 1152 + 4304 + 1152 * 4304;
    CHECK(weights_per_gpu(P::kimi_vl_a3b, sglang(1)).value().of(Part::vision) == (27 * block + whole) * 2);
    const GpuWeights tp2 = weights_per_gpu(P::kimi_vl_a3b, sglang(2)).value();
    CHECK(tp2.of(Part::vision) == (27 * (block - split / 2) + whole) * 2);
    CHECK(tp2.vision_modelled);
    // DP attention over 2 of 4 GPUs: attention groups of 2, the tower split 2 ways.
    CHECK(weights_per_gpu(P::kimi_vl_a3b, sglang(4, 2, true)).value().of(Part::vision) ==
          (27 * (block - split / 2) + whole) * 2);
    // The language model (SGLang's DeepseekV2ForCausalLM) at plain tp holds vLLM's bytes.
    Deployment vllm2{};
    vllm2.tp = 2;
    const GpuWeights v2 = weights_per_gpu(P::kimi_vl_a3b, vllm2).value();
    CHECK(tp2.total() - tp2.of(Part::vision) == v2.total() - v2.of(Part::vision));
    // kimi_vl.py's forward (at 44068a09) takes no pp_proxy_tensors: SGLang runs no pipeline stages.
    Deployment pp2 = sglang(2);
    pp2.pp = 2;
    CHECK(weights_per_gpu(P::kimi_vl_a3b, pp2).error() == MemoryError::engine_layout_unsupported);
    CHECK(error_message(MemoryError::engine_layout_unsupported)
              .find("DeepSeek-OCR, OCR-2, VL2 and Kimi-VL runs no "
                    "pipeline stages") != std::string_view::npos);
}

TEST_CASE("DeepSeek-OCR, OCR-2 and VL2-tiny under SGLang: its DeepSeek-V1 code, the vision side whole",
          "[sglang][ocr]") {
    // SGLang serves them with models/deepseek.py (no MLA): attention split by heads, every expert on
    // every GPU split by width, embedding and head by vocabulary, tp ways; the router and norms
    // whole. deepseek_ocr.py builds SAM, CLIP, the projector and the separators of torch modules:
    // whole. So a GPU of tp 2 holds half the model plus half of what stays whole
    // (ocr_tensors.hpp): (6,672,212,480 + 804,610,560) / 2.
    namespace O = ocr_tensors;
    constexpr std::uint64_t ocr_tp2 = (O::whole + O::replicated) / 2;
    static_assert(ocr_tp2 == 3'738'411'520);
    const GpuWeights w = weights_per_gpu(P::deepseek_ocr, sglang(2)).value();
    CHECK(w.total() == ocr_tp2);
    CHECK(w.of(Part::vision) == (O::sam + O::clip + O::projector) * 2);
    CHECK(w.vision_modelled);
    CHECK(weights_per_gpu(P::deepseek_ocr, sglang(1)).value().total() == O::whole);
    // OCR-2: the same language model; SAM, the Qwen2 encoder, the projector and view_seperator
    // (454,385,280 values, ocr2_test.cpp) whole.
    constexpr std::uint64_t ocr2_whole = (O::lm_replicated + expected::ocr2_vision_params) * 2;
    CHECK(2 * weights_per_gpu(P::deepseek_ocr2, sglang(2)).value().total() ==
          expected::ocr2_bf16_checkpoint_bytes + ocr2_whole);
    // VL2-tiny (6,741,002,880 B, every tensor bf16): DeepSeek-OCR's language-model shape, and
    // whole its timm SigLIP (428,225,600 values), the projector (layers.0 [1280, 4608] + bias,
    // layers.2 [1280, 1280] + bias) and image_newline and view_seperator [1280].
    constexpr std::uint64_t tiny_whole =
        (O::lm_replicated + expected::vl2_vision_tower_params + 1280 * 4608 + 1280 + 1280 * 1280 + 1280 + 2 * 1280) * 2;
    CHECK(2 * weights_per_gpu(P::deepseek_vl2_tiny, sglang(2)).value().total() ==
          2 * expected::vl2_tiny_params + tiny_whole);

    // Its KV pool (MHATokenToKVPool): K and V of 10 / 2 heads of 128 at bf16, 2,560 B per token per
    // layer, 12 layers, pages of 1. An 80 GB GPU at a fraction of 0.85, a 1 GiB reserve, requests
    // of 8,192 tokens; dp 2 replicas hold twice the requests.
    GpuBudget b{};
    b.gpu_memory = 80'000'000'000;
    b.memory_fraction = 0.85;
    b.reserve = std::uint64_t{1} << 30;
    b.context = 8'192;
    const auto usable = static_cast<std::uint64_t>(static_cast<double>(b.gpu_memory) * 0.85);
    const std::uint64_t tokens = (usable - ocr_tp2 - b.reserve) / (12 * O::kv_layer(5, 2));
    const DeploymentPlan p = plan_deployment(P::deepseek_ocr, sglang(2, 2), EngineKvFormat::sglang, b).value();
    CHECK(p.gpus == 4);
    CHECK(p.entry.bytes == 2'560);
    CHECK(p.entry.block == 1);
    CHECK(p.kv_tokens == tokens);
    CHECK(p.max_requests == tokens / 8'192);
    CHECK(p.total_requests == tokens / 8'192 * 2);
    CHECK(plan_deployment(P::deepseek_ocr, sglang(2), EngineKvFormat::sglang_fp8, b).value().entry.bytes == 1'280);
    CHECK(sglang_launch_command(sglang(2, 2), b, EngineKvFormat::sglang, 8'192) ==
          "python -m sglang.launch_server --model-path MODEL --tp-size 2 --dp-size 2 --mem-fraction-static 0.85 "
          "--context-length 8192");

    // What deepseek.py does not run: pipeline stages (model_runner.py's assert), expert
    // parallelism, DP attention, --moe-dense-tp-size 1, and tp above the routed experts; 4 GPUs
    // do not divide 10 heads.
    Deployment pp2 = sglang(2);
    pp2.pp = 2;
    Deployment ep = sglang(2);
    ep.expert_parallel = true;
    Deployment dense = sglang(2);
    dense.dense_tp1 = true;
    for (const Deployment& d : {pp2, ep, dense, sglang(2, 2, true)}) {
        CHECK(weights_per_gpu(P::deepseek_ocr, d).error() == MemoryError::engine_layout_unsupported);
        CHECK(weights_per_gpu(P::deepseek_vl2_tiny, d).error() == MemoryError::engine_layout_unsupported);
    }
    DeepseekOCRConfig one_expert = P::deepseek_ocr;
    one_expert.n_routed_experts = 1;
    CHECK(weights_per_gpu(one_expert, sglang(2)).error() == MemoryError::engine_layout_unsupported);
    CHECK(weights_per_gpu(P::deepseek_ocr, sglang(4)).error() == MemoryError::tp_does_not_divide);
    CHECK(error_message(MemoryError::engine_layout_unsupported).find("no pipeline stages") != std::string_view::npos);
    CHECK(error_message(MemoryError::engine_layout_unsupported).find("DP attention") != std::string_view::npos);
    CHECK(error_kind_of(MemoryError::engine_layout_unsupported) == ErrorKind::invalid_query);
}

TEST_CASE("DeepSeek-VL2 with MLA under SGLang: its DeepSeek-V2 code, SigLIP whole, no pipeline", "[sglang]") {
    // deepseek_vl2.py builds DeepseekV2ForCausalLM when use_mla is set (VL2-small, VL2): here
    // VL2-tiny's shape with MLA attention. The language model holds at tp 2 what vLLM's does, the
    // tower the whole of tp 1's (timm, not split as vLLM splits its MLPs).
    DeepseekVL2Config mla = P::deepseek_vl2_tiny;
    mla.use_mla = true;
    mla.kv_lora_rank = 512;
    mla.qk_nope_head_dim = 128;
    mla.qk_rope_head_dim = 64;
    mla.v_head_dim = 128;
    const GpuWeights s2 = weights_per_gpu(mla, sglang(2)).value();
    Deployment vllm2{};
    vllm2.tp = 2;
    const GpuWeights v2 = weights_per_gpu(mla, vllm2).value();
    CHECK(s2.total() - s2.of(Part::vision) == v2.total() - v2.of(Part::vision));
    CHECK(s2.of(Part::vision) == weights_per_gpu(mla, sglang(1)).value().of(Part::vision));
    CHECK(s2.of(Part::vision) > v2.of(Part::vision));
    // SGLang's parallelisms apply (expert parallelism here); pipeline stages do not.
    Deployment ep = sglang(2);
    ep.expert_parallel = true;
    CHECK(weights_per_gpu(mla, ep).has_value());
    Deployment pp2 = sglang(2);
    pp2.pp = 2;
    CHECK(weights_per_gpu(mla, pp2).error() == MemoryError::engine_layout_unsupported);
    // The MLA pool: 576 values at bf16.
    GpuBudget b{};
    b.gpu_memory = 80'000'000'000;
    CHECK(plan_deployment(mla, sglang(2), EngineKvFormat::sglang, b).value().entry.bytes == 1'152);
}

TEST_CASE("SGLang layouts refused, each with its reason", "[sglang]") {
    CHECK(weights_per_gpu(P::deepseek_v3, sglang(8, 3, true)).error() == MemoryError::dp_attention_does_not_divide);
    Deployment dp_head = sglang(8);
    dp_head.dp_lm_head = true; // needs DP attention
    CHECK(weights_per_gpu(P::deepseek_v3, dp_head).error() == MemoryError::engine_option_invalid);
    Deployment vllm_with_sglang_switch{};
    vllm_with_sglang_switch.dense_tp1 = true;
    CHECK(weights_per_gpu(P::deepseek_v3, vllm_with_sglang_switch).error() == MemoryError::engine_option_invalid);
    // Models whose SGLang layout is not modelled: a DeepSeek-V2 config without MLA (SGLang's
    // DeepseekV2ForCausalLM takes it as MLA), an OCR config with noaux_tc routing (SGLang's
    // DeepseekV3ForCausalLM over it), a VL2 whose tile_tag SGLang does not build ("1D").
    DeepseekV2Config lite_mha = P::deepseek_v2_lite;
    lite_mha.use_mla = false;
    CHECK(weights_per_gpu(lite_mha, sglang(1)).error() == MemoryError::engine_not_modelled);
    DeepseekOCRConfig noaux = P::deepseek_ocr;
    noaux.topk_method = TopkMethod::noaux_tc;
    CHECK(weights_per_gpu(noaux, sglang(1)).error() == MemoryError::engine_not_modelled);
    DeepseekVL2Config one_d = P::deepseek_vl2_tiny;
    one_d.tile_tag = TileTag::one_d;
    CHECK(weights_per_gpu(one_d, sglang(1)).error() == MemoryError::engine_not_modelled);
    CHECK(error_message(MemoryError::engine_not_modelled).find("nor an OCR config with noaux_tc routing") !=
          std::string_view::npos);
    // DeepSeek-V4 is modelled on Hopper only (sglang_v4_pool_test): its scales differ by generation.
    CHECK(weights_per_gpu(P::deepseek_v4_flash, sglang(8)).error() == MemoryError::gpu_arch_not_modelled);
    CHECK(error_kind_of(MemoryError::gpu_arch_not_modelled) == ErrorKind::not_modelled);
    CHECK(error_message(MemoryError::gpu_arch_not_modelled).find("hopper") != std::string_view::npos);
    CHECK(weights_per_gpu(P::kimi_k2, sglang(8)).has_value());
    CHECK(error_kind_of(MemoryError::engine_not_modelled) == ErrorKind::not_modelled);
    // A cache format of the other engine.
    GpuBudget b{};
    b.gpu_memory = h200;
    CHECK(plan_deployment(P::deepseek_v3, sglang(8), VllmKvFormat::flashmla, b).error() ==
          MemoryError::format_not_for_engine);
    CHECK(plan_deployment(P::deepseek_v3, Deployment{}, EngineKvFormat::sglang, b).error() ==
          MemoryError::format_not_for_engine);
    CHECK(plan_gpu(P::deepseek_v3, sglang(8), EngineKvFormat::trtllm, b).error() == MemoryError::format_not_for_engine);
    CHECK(error_message(MemoryError::dp_attention_does_not_divide).find("dp to divide tp") != std::string::npos);
}

} // namespace sglang_test
