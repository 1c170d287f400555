// Issue 16's acceptance properties, for both engines: summed over a tensor-parallel group the
// GPUs hold the model once and its replicated tensors once per GPU; and on every GPU of every
// layout the KV blocks granted fit beside the weights and the reserve, one more would not. The
// whole models and their replicated tensors are written out by hand (v3_tensors.hpp; V3.2's
// indexer from ../shared/reference/next-capabilities.md §1.3).
#include <deepseek/deployment.hpp>
#include <deepseek/presets.hpp>
#include <deepseek/sglang_v4_deployment.hpp>

#include <cstdint>
#include <string>

#include "catch.hpp"
#include "ocr_tensors.hpp"
#include "v3_tensors.hpp"

// One namespace per test file: the files of a batch share a translation unit (tests/CMakeLists.txt).
namespace deployment_property_test {

using namespace deepseek;
using namespace v3_tensors;
namespace P = deepseek::presets;

namespace {
// V3 as released without MTP: 673,150,611,808 bytes (the reference's TP 1 figure).
constexpr std::uint64_t v3_whole = replicated + split_but_experts + 256 * routed_layer_expert;
static_assert(v3_whole == 673'150'611'808);
// V3.2: each of the 61 layers adds the indexer (wq_b and wk FP8 with scales, weights_proj bf16,
// k_norm fp32): 14,422,240 bytes, replicated under tp by both engines.
constexpr std::uint64_t indexer_layer = 14'422'240;
constexpr std::uint64_t v32_replicated = replicated + 61 * indexer_layer;
constexpr std::uint64_t v32_whole = v3_whole + 61 * indexer_layer;
// DeepSeek-V2-Lite, bf16, 31,412,968,448 bytes as released (its safetensors index): per layer
// kv_a_proj_with_mqa [576, 2048], kv_a_layernorm [512], the two layer norms [2048]; the router
// [64, 2048] of the 26 MoE layers; the final norm [2048].
constexpr std::uint64_t lite_whole = 31'412'968'448;
constexpr std::uint64_t lite_replicated =
    27 * (576 * 2048 * 2 + 512 * 2 + 2 * 2048 * 2) + 26 * 64 * 2048 * 2 + 2048 * 2;

template <class C> std::uint64_t weights(const C& c, Engine engine, std::uint64_t tp) {
    Deployment d{};
    d.engine = engine;
    d.tp = tp;
    return weights_per_gpu(c, d).value().total();
}
} // namespace

TEST_CASE("Summed over a TP group, both engines' GPUs hold the model once and the replicated tensors tp times",
          "[deployment][sglang]") {
    for (const Engine engine : {Engine::vllm, Engine::sglang}) {
        INFO(std::string(to_string(engine)));
        for (const std::uint64_t tp :
             {std::uint64_t{1}, std::uint64_t{2}, std::uint64_t{4}, std::uint64_t{8}, std::uint64_t{16}}) {
            INFO("tp " << tp);
            CHECK(tp * weights(P::deepseek_v3, engine, tp) == v3_whole + (tp - 1) * replicated);
            CHECK(tp * weights(P::deepseek_v32, engine, tp) == v32_whole + (tp - 1) * v32_replicated);
            CHECK(tp * weights(P::deepseek_v2_lite, engine, tp) == lite_whole + (tp - 1) * lite_replicated);
        }
    }
    // DeepSeek-OCR (ocr_tensors.hpp), at the tp its 10 heads and 896-wide experts allow: SGLang
    // keeps its vision side whole, vLLM splits CLIP's projections.
    namespace O = ocr_tensors;
    for (const std::uint64_t tp : {std::uint64_t{1}, std::uint64_t{2}}) {
        INFO("tp " << tp);
        CHECK(tp * weights(P::deepseek_ocr, Engine::sglang, tp) == O::whole + (tp - 1) * O::replicated);
        CHECK(tp * weights(P::deepseek_ocr, Engine::vllm, tp) ==
              O::whole + (tp - 1) * (O::replicated - 2 * O::clip_split));
    }
}

TEST_CASE("On every GPU of every layout, the KV blocks granted fit and one more would not", "[deployment][sglang]") {
    // Every layout of 8 and 16 GPUs of both engines, for V2-Lite, DeepSeek-OCR, V3 and V3.2 (and
    // Kimi-VL under SGLang), on 80 GB GPUs: what plan_gpu grants each stage's GPU; vLLM's at 0.9,
    // SGLang's at its default fraction for the model and layout, as `plan` lays them out.
    GpuBudget b{};
    b.gpu_memory = 80'000'000'000;
    b.context = 32'768;
    std::uint64_t checked = 0;
    const auto check = [&](const auto& c, const Deployment& d, auto format) {
        for (std::uint64_t s = 0; s < d.pp; ++s) {
            const auto p = plan_gpu(c, d, format, b, s);
            if (!p || !p->fits) continue;
            const std::uint64_t block_bytes = p->kv_bytes_per_token * p->entry.block;
            const std::uint64_t held = p->weights.total() + b.reserve;
            CHECK(p->kv_blocks * block_bytes + held <= p->usable);
            CHECK((p->kv_blocks + 1) * block_bytes + held > p->usable);
            CHECK(p->usable == static_cast<std::uint64_t>(static_cast<double>(b.gpu_memory) * b.memory_fraction));
            ++checked;
        }
    };
    for (const std::uint64_t gpus : {std::uint64_t{8}, std::uint64_t{16}}) {
        for_each_layout(gpus, Engine::vllm, [&](const Deployment& d) {
            check(P::deepseek_v2_lite, d, VllmKvFormat::flashmla);
            check(P::deepseek_ocr, d, VllmKvFormat::flash_attn);
            check(P::deepseek_v3, d, VllmKvFormat::flashmla_fp8);
            check(P::deepseek_v32, d, VllmKvFormat::fp8_ds_mla);
        });
        const auto sglang_default = [&](const auto& c, const Deployment& d, EngineKvFormat f) {
            const double vllm_default = b.memory_fraction;
            b.memory_fraction = sglang_default_fraction(c, b.gpu_memory, d).value();
            check(c, d, f);
            b.memory_fraction = vllm_default;
        };
        for_each_layout(gpus, Engine::sglang, [&](const Deployment& d) {
            sglang_default(P::deepseek_v2_lite, d, EngineKvFormat::sglang);
            sglang_default(P::deepseek_ocr, d, EngineKvFormat::sglang);
            sglang_default(P::deepseek_v3, d, EngineKvFormat::sglang_fp8);
            sglang_default(P::deepseek_v32, d, EngineKvFormat::sglang_fp8);
            sglang_default(P::kimi_vl_a3b, d, EngineKvFormat::sglang);
        });
    }
    CHECK(checked > 100); // the layouts that fit: enough to mean something
}

TEST_CASE("DeepSeek-V4 under vLLM: on every stage of every layout the blocks fit, and one more would not on the "
          "smallest",
          "[deployment][v4][kv]") {
    // Every vLLM layout of 8, 16 and 32 GPUs for V4-Flash and V4-Pro, on 80 GiB and 141 GB GPUs:
    // every stage holds the pipeline's blocks of its own block (vllm_v4_stage_block) beside its
    // weights and the reserve; the stage with the fewest could not hold one more; no stage's
    // block is wider than the whole model's, and at pp 1 it is the whole model's.
    std::uint64_t checked = 0;
    const auto check = [&](const DeepseekV4Config& c, const Deployment& d, const GpuBudget& b) {
        const auto p = plan_v4_deployment(c, d, b);
        if (!p || !p->fits) return;
        for (std::uint64_t s = 0; s < d.pp; ++s) {
            const std::uint64_t held = weights_per_gpu(c, d, s).value().total() + b.reserve;
            const std::uint64_t block = vllm_v4_stage_block(c, d, s);
            CHECK(block <= p->pool.block_bytes);
            if (d.pp == 1) CHECK(block == p->pool.block_bytes);
            CHECK(p->kv_blocks * block + held <= p->usable);
            if (s == p->smallest_stage) CHECK((p->kv_blocks + 1) * block + held > p->usable);
        }
        CHECK(p->max_requests * p->blocks_per_request <= p->kv_blocks);
        CHECK(p->kv_blocks < (p->max_requests + 1) * p->blocks_per_request);
        ++checked;
    };
    for (const std::uint64_t memory : {std::uint64_t{80} << 30, std::uint64_t{141'000'000'000}}) {
        GpuBudget b{};
        b.gpu_memory = memory;
        b.context = 131'072;
        for (const std::uint64_t gpus : {std::uint64_t{8}, std::uint64_t{16}, std::uint64_t{32}}) {
            for_each_layout(gpus, Engine::vllm, [&](const Deployment& d) {
                check(P::deepseek_v4_flash, d, b);
                check(P::deepseek_v4_pro, d, b);
            });
        }
    }
    CHECK(checked > 100);
}

TEST_CASE("DeepSeek-V4 under SGLang on Hopper: every layout's pool fills the available bytes to the page, on the "
          "stage that holds the fewest",
          "[deployment][v4][sglang]") {
    // Every SGLang layout of 8, 16 and 32 GPUs for V4-Flash and V4-Pro, on 80 GiB and 141 GB
    // GPUs at a fraction of 0.9: the available bytes are the usable less the largest stage's
    // weights and the reserve; the full pool and the rings set aside fit them, and one more page
    // would not, on the stage with the smallest pool, whose sizes every stage takes; the
    // requests fill the pool's pages to the last whole request, or SGLang's limit.
    std::uint64_t checked = 0;
    const auto check = [&](const DeepseekV4Config& c, const Deployment& d, const GpuBudget& b) {
        const auto p = plan_sglang_v4_deployment(c, d, b);
        if (!p || !p->fits) return;
        std::uint64_t largest = 0;
        for (std::uint64_t s = 0; s < d.pp; ++s) {
            const std::uint64_t w = weights_per_gpu(c, d, s).value().total();
            largest = w > largest ? w : largest;
        }
        CHECK(p->weights_per_gpu == largest);
        CHECK(p->available_bytes + largest + b.reserve == p->usable);
        const SglangV4Settings settings = sglang_v4_settings(d);
        const double room = static_cast<double>(p->available_bytes - p->pool.c128_state_fixed_bytes);
        CHECK(static_cast<double>(p->pool.full) * p->pool.bytes_per_full_token <= room);
        CHECK(p->pool.full % settings.page_size == 0);
        for (std::uint64_t s = 0; s < d.pp; ++s) {
            const LayerRange r = pipeline_stage_layers(c, d, s);
            const SglangV4Pool own = sglang_v4_pool(c, p->available_bytes, settings, r.first, r.count).value();
            CHECK(p->pool.full <= own.full);
            if (s == p->smallest_stage) {
                CHECK(own.full == p->pool.full);
                CHECK(static_cast<double>(own.full + settings.page_size) * own.bytes_per_full_token > room);
            }
        }
        const std::uint64_t pages = p->pool.full / settings.page_size;
        CHECK(p->max_requests * p->pages_per_request <= pages);
        CHECK((p->max_requests == p->pool.requests || (p->max_requests + 1) * p->pages_per_request > pages));
        CHECK(p->total_requests == p->max_requests * d.dp);
        ++checked;
    };
    for (const std::uint64_t memory : {std::uint64_t{80} << 30, std::uint64_t{141'000'000'000}}) {
        GpuBudget b{};
        b.gpu_memory = memory;
        b.memory_fraction = 0.9;
        b.reserve = std::uint64_t{1} << 30;
        b.context = 131'072;
        for (const std::uint64_t gpus : {std::uint64_t{8}, std::uint64_t{16}, std::uint64_t{32}}) {
            for_each_layout(gpus, Engine::sglang, [&](Deployment d) {
                d.gpu_arch = GpuArch::hopper;
                check(P::deepseek_v4_flash, d, b);
                check(P::deepseek_v4_pro, d, b);
            });
        }
    }
    CHECK(checked > 100);
}

} // namespace deployment_property_test
