// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// What each GPU of a vLLM deployment holds: its weights by component (gpu_weights.hpp) and the KV
// cache beside them in vLLM's cache formats (engine_kv.hpp), the tokens and requests that fit, and the launch
// command (docs/deployment.md). Standard library only.
#ifndef DEEPSEEK_CONFIG_DEPLOYMENT_HPP
#define DEEPSEEK_CONFIG_DEPLOYMENT_HPP

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <type_traits>

#include "config.hpp"
#include "dtypes.hpp"
#include "engine_kv.hpp"
#include "error.hpp"
#include "gpu_weights.hpp"
#include "kv_v4.hpp"
#include "memory.hpp"
#include "overflow.hpp"
#include "report.hpp"
#include "sglang_fraction.hpp"

namespace deepseek {

namespace detail {
/// The cache formats of a deployment: vLLM's and the other engines'.
template <class F> inline constexpr bool is_kv_format_v =
    std::is_same_v<F, VllmKvFormat> || std::is_same_v<F, EngineKvFormat>;
} // namespace detail

/// What one GPU has for the KV cache: its memory, the share the engine may use, and what to keep
/// back. An aggregate: name the fields.
struct GpuBudget {
    std::uint64_t gpu_memory = 0; ///< bytes of one GPU (H200: 141 GB as sold; give what the GPU reports)
    /// vLLM's `--gpu-memory-utilization` (0.9 by default), or SGLang's `--mem-fraction-static`
    /// (SGLang works its default out from the GPU's memory and the layout; give yours).
    double memory_fraction = 0.9;
    /// Kept for what is not modelled: activations, CUDA graphs, workspaces, the CUDA context, and
    /// the absorbed MLA matrices vLLM builds from kv_b_proj after loading (about 2 GB / tp for
    /// V3). The user's figure; 4 GiB by default.
    std::uint64_t reserve = std::uint64_t{4} << 30;
    std::uint64_t context = 0; ///< tokens per request for max_requests; 0: default_context(c)
};

/// One GPU of a deployment: its weights, and the KV cache that fits beside them.
struct GpuPlan {
    GpuWeights weights{};
    std::uint64_t usable = 0;             ///< floor(gpu_memory x memory_fraction)
    bool fits = false;                    ///< weights + reserve <= usable
    std::uint64_t shortfall = 0;          ///< when not: the bytes missing
    KvEntry entry{};                      ///< per token per layer on the GPU (vllm_kv_entry at d.tp)
    std::uint64_t stage = 0;              ///< the pipeline stage of the GPU (0 to pp - 1)
    std::uint64_t kv_layers = 0;          ///< layers with a cache on the GPU (the MTP module's when loaded)
    std::uint64_t kv_bytes_per_token = 0; ///< entry.bytes x kv_layers: on this GPU, its KV heads only without MLA
    /// Whole blocks of every layer of the GPU that fit beside weights and reserve (vLLM then gives
    /// every GPU of a pipeline the fewest of any stage: DeploymentPlan).
    std::uint64_t kv_blocks = 0;
    std::uint64_t kv_tokens = 0; ///< kv_blocks x block: the GPU's capacity in tokens
    std::uint64_t context = 0;   ///< tokens per request
    /// Requests of `context` tokens at once, each in ceil(context / block) whole blocks, on one
    /// tensor-parallel group (every GPU of it holds the same tokens: the whole MLA entry, or its
    /// own KV heads without MLA, so each has the same blocks); vLLM logs the ratio as
    /// "Maximum concurrency for N tokens per request".
    std::uint64_t max_requests = 0;
    std::uint64_t total_requests = 0; ///< max_requests x dp (each data-parallel group holds its own)
};

/// What a whole vLLM deployment holds, every pipeline stage considered: vLLM gives every GPU the
/// fewest KV blocks of any (get_kv_cache_configs: "Change the num_blocks of each rank to the
/// smallest among all ranks"), so the smallest stage sets the capacity. plan_gpu gives one
/// stage's GPU in full.
struct DeploymentPlan {
    std::uint64_t gpus = 1;            ///< tp x pp x dp
    std::uint64_t experts_per_gpu = 0; ///< with expert parallelism: routed experts per MoE layer on a GPU
    KvEntry entry{};                   ///< per token per layer on one GPU (vllm_kv_entry at d.tp)
    std::uint64_t usable = 0;          ///< floor(gpu_memory x memory_fraction)
    bool fits = false;                 ///< every stage fits
    std::uint64_t shortfall = 0;       ///< when not: the largest shortfall of a stage
    std::uint64_t largest_stage = 0;   ///< the stage with the most weight bytes
    std::uint64_t weights_per_gpu = 0; ///< its weights
    std::uint64_t smallest_stage = 0;  ///< the stage with room for the fewest blocks
    std::uint64_t kv_blocks = 0;       ///< its blocks, every GPU's (0 when a stage does not fit)
    std::uint64_t kv_tokens = 0;       ///< kv_blocks x block: tokens of cache the pipeline holds
    std::uint64_t context = 0;         ///< tokens per request
    std::uint64_t max_requests = 0;    ///< requests of `context` tokens at once on one pipeline
    std::uint64_t total_requests = 0;  ///< max_requests x dp
    /// False when the vision encoder is not modelled (GpuWeights::vision_modelled): the weights
    /// leave it out, so kv_blocks, kv_tokens and the requests are upper bounds.
    bool vision_modelled = true;
};

/// What the engine may use of one GPU: floor(gpu_memory x memory_fraction).
[[nodiscard]] constexpr std::uint64_t usable_memory(const GpuBudget& b) noexcept {
    return static_cast<std::uint64_t>(static_cast<double>(b.gpu_memory) * b.memory_fraction);
}

/// Tokens per request of budget `b`: its context, or the model's default context.
template <class C> [[nodiscard]] constexpr std::uint64_t plan_context(const C& c, const GpuBudget& b) {
    return b.context != 0 ? b.context : default_context(c);
}

namespace detail {
/// The KV cache beside weights `weights` and the reserve on one GPU with `kv_layers` layers of
/// entry `p.entry`: fits, shortfall, kv_bytes_per_token, kv_blocks, kv_tokens (p.usable set).
constexpr void fill_gpu_cache(GpuPlan& p, std::uint64_t weights, std::uint64_t kv_layers, const GpuBudget& b) {
    const char* const what = "GPU plan";
    p.kv_layers = kv_layers;
    p.kv_bytes_per_token = checked_mul(p.entry.bytes, p.kv_layers, what);
    const std::uint64_t held = checked_add(weights, b.reserve, what);
    p.fits = held <= p.usable;
    if (!p.fits) {
        p.shortfall = held - p.usable;
        return;
    }
    const std::uint64_t block_bytes = checked_mul(p.kv_bytes_per_token, p.entry.block, what);
    p.kv_blocks = block_bytes == 0 ? 0 : (p.usable - held) / block_bytes;
    p.kv_tokens = checked_mul(p.kv_blocks, p.entry.block, what);
}
/// The layers with a cache on a GPU of stage `s`: the stage's, and the MTP modules' on the last
/// stage when they are loaded.
template <class C> constexpr std::uint64_t stage_kv_layers(const C& c, const Deployment& d, std::uint64_t s) {
    return pipeline_stage_layers(c, d, s).count + (d.mtp && s + 1 == d.pp ? mtp_layer_count(c) : 0);
}
/// The block of pool `pool` (vllm_v4_pool of `c`) on stage `stage` of deployment `d`: the pool's
/// own at pp 1 (whatever its release), else the pages of the stage's decoder layers, and of the
/// MTP blocks on the last stage when d.mtp (vllm_v4_stage_block_bytes).
constexpr std::uint64_t v4_stage_block(const DeepseekV4Config& c, const Deployment& d, const VllmV4Pool& pool,
                                       std::uint64_t stage) {
    if (d.pp == 1) return pool.block_bytes;
    const LayerRange r = pipeline_stage_layers(c, d, stage);
    const std::uint64_t mtp = d.mtp && stage + 1 == d.pp ? c.num_nextn_predict_layers : 0;
    return vllm_v4_stage_block_bytes(c, pool, r.first, r.first + r.count + mtp);
}
/// Whether budget `b` is one: memory, and a fraction in (0, 1].
constexpr bool budget_valid(const GpuBudget& b) {
    return b.gpu_memory != 0 && b.memory_fraction > 0.0 && b.memory_fraction <= 1.0;
}
/// A vLLM format's entry on a GPU of vLLM deployment `d` (vllm_kv_entry at d.tp).
template <class C>
constexpr Result<KvEntry, MemoryError> deployment_kv_entry(const C& c, const Deployment& d, VllmKvFormat f) {
    if (d.engine != Engine::vllm) return MemoryError::format_not_for_engine;
    return vllm_kv_entry(c, f, d.tp);
}
/// An SGLang format's entry on a GPU of SGLang deployment `d`: the latent and V3.2's indexer key
/// (without MLA, K and V of the GPU's KV heads) per token per layer, in pages of d.page_size tokens, or SGLang's
/// default (V3.2's DSA pool takes pages of 64 only: engine_option_invalid otherwise). SGLang sizes its pool by these
/// bytes (its cell_size) and then adds a padding page per layer (engine_kv_cache_bytes), which
/// the capacity leaves out as SGLang's does; with the MTP module loaded it scales the cell by (1 +
/// mtp layers / layers), which is the entry times the layers and the MTP modules (equal, in
/// SGLang's floating point, for the models here).
template <class C>
constexpr Result<KvEntry, MemoryError> deployment_kv_entry(const C& c, const Deployment& d, EngineKvFormat f) {
    if (engine_of(f) != Engine::sglang || d.engine != Engine::sglang) return MemoryError::format_not_for_engine;
    const auto e = engine_kv_entry(c, f, attention_tp(d));
    if (!e) return e.error();
    if (d.page_size != 0 && e->indexer_bytes != 0 && d.page_size != e->block) return MemoryError::engine_option_invalid;
    return KvEntry{checked_add(e->bytes, e->indexer_bytes, "KV entry"), d.page_size != 0 ? d.page_size : e->block};
}
} // namespace detail

inline namespace DEEPSEEK_CONFIG_ABI_NAMESPACE {

/// One GPU of pipeline stage `stage` of deployment `d` with cache format `f` on budget `b`. A
/// vLLM deployment takes a VllmKvFormat: its cache holds vllm_kv_entry(c, f, d.tp) per token per
/// layer (the whole MLA entry, or without MLA the GPU's share of the KV heads), in blocks. An
/// SGLang deployment takes an SGLang EngineKvFormat: its pool holds the entry and V3.2's indexer
/// key, in pages (deployment_kv_entry); `memory_fraction` is then SGLang's mem_fraction_static.
/// A layout whose weights and reserve do not fit is not an error: `fits` is false and
/// `shortfall` says by how much; one that fits with room for no block has 0 kv_blocks. Errors:
/// those of weights_per_gpu, vllm_kv_entry and engine_kv_entry, format_not_for_engine (a format
/// of another engine than d.engine), and tp_zero for a GPU of 0 bytes.
template <class C, class Format, std::enable_if_t<detail::is_kv_format_v<Format>, int> = 0>
[[nodiscard]] constexpr Result<GpuPlan, MemoryError> plan_gpu(const C& c, const Deployment& d, Format f,
                                                              const GpuBudget& b, std::uint64_t stage = 0) {
    const auto weights = weights_per_gpu(c, d, stage);
    if (!weights) return weights.error();
    const auto entry = detail::deployment_kv_entry(c, d, f); // without MLA, the KV heads of one of tp GPUs
    if (!entry) return entry.error();
    if (!detail::budget_valid(b)) return MemoryError::tp_zero;
    return detail::overflow_as_error([&]() -> Result<GpuPlan, MemoryError> {
        GpuPlan p{};
        p.weights = *weights;
        p.entry = *entry;
        p.stage = stage;
        p.usable = usable_memory(b);
        p.context = plan_context(c, b);
        detail::fill_gpu_cache(p, p.weights.total(), detail::stage_kv_layers(c, d, stage), b);
        if (!p.fits) return p;
        p.max_requests = p.kv_blocks / detail::ceil_div(p.context, p.entry.block);
        p.total_requests = detail::checked_mul(p.max_requests, d.dp, "GPU plan");
        return p;
    });
}

/// What deployment `d` holds as a whole with cache format `f` on budget `b` (formats as
/// plan_gpu): every stage's weights from one walk of the model (weights_per_gpu's rules), each
/// stage's room for blocks, and the deployment's capacity, the fewest blocks of any stage (vLLM
/// gives every GPU that many; SGLang takes the smallest pool of its pipeline ranks). Errors:
/// those of plan_gpu.
template <class C, class Format, std::enable_if_t<detail::is_kv_format_v<Format>, int> = 0>
[[nodiscard]] constexpr Result<DeploymentPlan, MemoryError> plan_deployment(const C& c, const Deployment& d, Format f,
                                                                            const GpuBudget& b) {
    const auto entry = detail::deployment_kv_entry(c, d, f);
    return detail::overflow_as_error([&]() -> Result<DeploymentPlan, MemoryError> {
        GpuWeights w{};
        if (const MemoryError e = detail::check_deployment(c, d, 0, w); e != MemoryError::none) return e;
        detail::GpuWeightsSum<C> sum{c, d, w.experts_per_gpu, 0};
        if (const MemoryError e = detail::walk_gpu_weights(sum, w); e != MemoryError::none) return e;
        if (!entry) return entry.error();
        if (!detail::budget_valid(b)) return MemoryError::tp_zero;
        DeploymentPlan out{};
        out.gpus = w.gpus;
        out.experts_per_gpu = w.experts_per_gpu;
        out.vision_modelled = w.vision_modelled;
        out.entry = *entry;
        out.usable = usable_memory(b);
        out.context = plan_context(c, b);
        out.fits = true;
        for (std::uint64_t s = 0; s < d.pp; ++s) {
            GpuPlan p{};
            p.entry = out.entry;
            p.usable = out.usable;
            const std::uint64_t weights = sum.stage_bytes[s];
            detail::fill_gpu_cache(p, weights, detail::stage_kv_layers(c, d, s), b);
            if (weights > out.weights_per_gpu) out.weights_per_gpu = weights, out.largest_stage = s;
            if (!p.fits) out.fits = false;
            if (p.shortfall > out.shortfall) out.shortfall = p.shortfall;
            if (s == 0 || p.kv_blocks < out.kv_blocks) out.kv_blocks = p.kv_blocks, out.smallest_stage = s;
        }
        if (!out.fits) out.kv_blocks = 0;
        out.kv_tokens = detail::checked_mul(out.kv_blocks, out.entry.block, "deployment plan");
        out.max_requests = out.kv_blocks / detail::ceil_div(out.context, out.entry.block);
        out.total_requests = detail::checked_mul(out.max_requests, d.dp, "deployment plan");
        return out;
    });
}

/// vLLM's settings that size DeepSeek-V4's cache: its release (the pool's layout) and its
/// scheduler's (the tokens in flight, vllm_v4_blocks_per_request).
struct VllmScheduler {
    /// `--max-num-batched-tokens`: 8192, vLLM's default for `vllm serve` on a GPU of 70 GiB or
    /// more (vllm_default_max_num_batched_tokens).
    std::uint64_t max_num_batched_tokens = 8192;
    bool async_scheduling = true; ///< vLLM's default; `--no-async-scheduling` turns it off
    /// vLLM's model runner V2 (`VLLM_USE_V2_MODEL_RUNNER`), which keeps one more batch in flight
    /// under pipelining with async scheduling: vLLM's default for DeepSeek-V4 on CUDA in the
    /// newest code read (vllm/config/vllm.py at 000fc94b); 0.27 ran it on the V1 runner.
    bool model_runner_v2 = true;
    VllmRelease release = VllmRelease::v0_31; ///< whose pool layout (vllm_v4_pool)
};

/// vLLM's default `--max-num-batched-tokens` for `vllm serve` on a GPU of `gpu_memory` bytes
/// (EngineArgs.get_batch_defaults): 8192 from 70 GiB up, else 2048. An A100 gets 2048 whatever
/// its memory (vLLM checks the name): give it.
[[nodiscard]] constexpr std::uint64_t vllm_default_max_num_batched_tokens(std::uint64_t gpu_memory) noexcept {
    return gpu_memory >= (std::uint64_t{70} << 30) ? 8192 : 2048;
}

/// The tokens in flight with `pp` pipeline stages (VllmConfig.max_concurrent_batches x
/// max_num_batched_tokens): pp batches, one more with async scheduling at pp 1 or on the V2
/// model runner (the V1 runner does not overlap async scheduling with pipelining). vLLM 0.23 to
/// 0.25 sized a window by one batch (max_num_batched_tokens), whatever the scheduling.
[[nodiscard]] constexpr std::uint64_t vllm_in_flight_tokens(const VllmScheduler& s, std::uint64_t pp = 1) {
    if (s.release == VllmRelease::v0_23) return s.max_num_batched_tokens;
    const bool one_more = s.async_scheduling && (pp == 1 || s.model_runner_v2);
    return detail::checked_mul(detail::checked_add(pp, one_more ? 1 : 0, "KV cache bytes"), s.max_num_batched_tokens,
                               "KV cache bytes");
}

/// A vLLM deployment of DeepSeek-V4 and its cache: vLLM's pool (vllm_v4_pool, fp8_ds_mla) beside
/// the weights and the reserve on every GPU. Each GPU holds the whole cache of its requests (one
/// K=V head: tensor parallelism does not split it), so a tensor-parallel group holds
/// max_requests, and each data-parallel group as many. Under pipelining each stage's block holds
/// its own layers' pages (vllm_v4_stage_block), and every stage gets the fewest blocks of any
/// (get_kv_cache_configs), as for the other models (DeploymentPlan).
struct V4DeploymentPlan {
    std::uint64_t gpus = 1;               ///< tp x pp x dp
    std::uint64_t usable = 0;             ///< floor(gpu_memory x memory_fraction)
    bool fits = false;                    ///< every stage's weights + reserve <= usable
    std::uint64_t shortfall = 0;          ///< when not: the largest shortfall of a stage
    std::uint64_t largest_stage = 0;      ///< the stage with the most weight bytes
    std::uint64_t weights_per_gpu = 0;    ///< its weights per GPU
    VllmV4Pool pool{};                    ///< the pool's groups, and the whole model's block
    std::uint64_t smallest_stage = 0;     ///< the stage with room for the fewest blocks
    std::uint64_t in_flight_tokens = 0;   ///< vllm_in_flight_tokens at d.pp
    std::uint64_t kv_blocks = 0;          ///< the smallest stage's floor((usable - weights - reserve) / its block)
    std::uint64_t context = 0;            ///< tokens per request (vLLM's max_model_len)
    std::uint64_t blocks_per_request = 0; ///< vllm_v4_blocks_per_request at context
    /// What vLLM's log divides by (vllm_v4_reported_blocks_per_request): blocks_per_request from
    /// 0.31, fewer in 0.23 to 0.25 (an estimate by bytes).
    std::uint64_t reported_blocks_per_request = 0;
    /// floor(kv_blocks / blocks_per_request): the requests of `context` tokens whose blocks fit
    /// at once; from 0.31 vLLM's "Maximum concurrency for N tokens per request", whole.
    std::uint64_t max_requests = 0;
    std::uint64_t total_requests = 0; ///< max_requests x dp
    /// vLLM's "GPU KV cache size": kv_blocks / reported_blocks_per_request x context tokens,
    /// truncated (vLLM prints its concurrency times max_model_len).
    std::uint64_t kv_tokens = 0;
};

/// The bytes of a block of vLLM's pool for DeepSeek-V4 `c` on a GPU of stage `stage` of
/// deployment `d`: at pp 1 vllm_v4_pool(c, d.mtp, r).block_bytes; under pipelining (vLLM 0.31)
/// its layers' pages (vllm_v4_stage_block_bytes), the MTP blocks' on the last stage when d.mtp.
[[nodiscard]] constexpr std::uint64_t vllm_v4_stage_block(const DeepseekV4Config& c, const Deployment& d,
                                                          std::uint64_t stage, VllmRelease r = VllmRelease::v0_31) {
    return detail::v4_stage_block(c, d, vllm_v4_pool(c, d.mtp, r), stage);
}

/// DeepSeek-V4 on vLLM deployment `d` with budget `b` and scheduler `s` (V4DeploymentPlan): every
/// stage's weights from one walk of the model (weights_per_gpu's rules), each stage's room for
/// its blocks, and the fewest of any stage. Not an error: a layout whose weights and reserve do
/// not fit (`fits` false). Errors: those of weights_per_gpu, engine_not_modelled (SGLang),
/// pp_not_modelled (vLLM 0.23 to 0.25 under pipelining), tp_zero (a budget of 0 bytes),
/// overflow.
[[nodiscard]] constexpr Result<V4DeploymentPlan, MemoryError>
plan_v4_deployment(const DeepseekV4Config& c, const Deployment& d, const GpuBudget& b, const VllmScheduler& s = {}) {
    if (d.engine != Engine::vllm) return MemoryError::engine_not_modelled; // SGLang: plan_sglang_v4_deployment
    return detail::overflow_as_error([&]() -> Result<V4DeploymentPlan, MemoryError> {
        const char* const what = "deployment plan";
        GpuWeights w{};
        if (const MemoryError e = detail::check_deployment(c, d, 0, w); e != MemoryError::none) return e;
        detail::GpuWeightsSum<DeepseekV4Config> sum{c, d, w.experts_per_gpu, 0};
        if (const MemoryError e = detail::walk_gpu_weights(sum, w); e != MemoryError::none) return e;
        if (d.pp > 1 && s.release == VllmRelease::v0_23) return MemoryError::pp_not_modelled;
        if (!detail::budget_valid(b)) return MemoryError::tp_zero;
        V4DeploymentPlan p{};
        p.gpus = w.gpus;
        p.usable = usable_memory(b);
        p.pool = vllm_v4_pool(c, d.mtp, s.release);
        p.in_flight_tokens = vllm_in_flight_tokens(s, d.pp);
        p.context = plan_context(c, b);
        p.blocks_per_request = vllm_v4_blocks_per_request(p.pool, p.context, p.in_flight_tokens);
        p.reported_blocks_per_request =
            vllm_v4_reported_blocks_per_request(c, d.mtp, s.release, p.context, p.in_flight_tokens);
        p.fits = true;
        for (std::uint64_t stage = 0; stage < d.pp; ++stage) {
            const std::uint64_t weights = sum.stage_bytes[stage];
            if (weights > p.weights_per_gpu) p.weights_per_gpu = weights, p.largest_stage = stage;
            const std::uint64_t held = detail::checked_add(weights, b.reserve, what);
            if (held > p.usable) {
                p.fits = false;
                if (held - p.usable > p.shortfall) p.shortfall = held - p.usable;
                continue;
            }
            const std::uint64_t block = detail::v4_stage_block(c, d, p.pool, stage);
            const std::uint64_t blocks = block == 0 ? 0 : (p.usable - held) / block;
            if (stage == 0 || blocks < p.kv_blocks) p.kv_blocks = blocks, p.smallest_stage = stage;
        }
        if (!p.fits) {
            p.kv_blocks = 0, p.smallest_stage = 0;
            return p;
        }
        if (p.pool.block_bytes == 0 || p.blocks_per_request == 0 || p.reported_blocks_per_request == 0)
            return p; // no layer: check_deployment refuses it
        p.max_requests = p.kv_blocks / p.blocks_per_request;
        p.total_requests = detail::checked_mul(p.max_requests, d.dp, what);
        // kv_blocks x context / reported_blocks_per_request without overflow: whole and remainder parts.
        const std::uint64_t per = p.reported_blocks_per_request, whole = p.kv_blocks / per, rest = p.kv_blocks % per;
        p.kv_tokens = detail::checked_add(detail::checked_mul(whole, p.context, what),
                                          detail::checked_mul(rest, p.context, what) / per, what);
        return p;
    });
}

} // namespace DEEPSEEK_CONFIG_ABI_NAMESPACE

/// Calls `visit(d)` for every layout of exactly `gpus` GPUs under `engine` (vLLM or SGLang): each
/// tp x pp x dp = gpus (dp groups of tp x pp GPUs), with expert parallelism off and, when the
/// experts would spread over more than one GPU, on; and for SGLang each DP attention split too:
/// tp x pp = gpus with dp > 1 dividing tp. Whether a layout suits a model is plan_deployment's
/// answer; `visit` gets them all.
template <class F> constexpr void for_each_layout(std::uint64_t gpus, Engine engine, F&& visit) {
    for (std::uint64_t tp = 1; tp <= gpus; ++tp) {
        if (gpus % tp != 0) continue;
        for (std::uint64_t pp = 1; pp <= gpus / tp; ++pp) {
            if ((gpus / tp) % pp != 0) continue;
            Deployment d{};
            d.engine = engine;
            d.tp = tp, d.pp = pp, d.dp = gpus / tp / pp;
            const std::uint64_t ep_gpus = engine == Engine::sglang ? tp : tp * d.dp;
            for (const bool ep : {false, true}) {
                if (ep && ep_gpus == 1) continue; // expert parallelism over one GPU is none
                d.expert_parallel = ep;
                visit(static_cast<const Deployment&>(d));
            }
            if (engine != Engine::sglang || d.dp != 1) continue;
            for (std::uint64_t dp = 2; dp <= tp; ++dp) { // DP attention inside the tp GPUs
                if (tp % dp != 0) continue;
                Deployment a = d;
                a.dp = dp, a.dp_attention = true;
                for (const bool ep : {false, true}) {
                    a.expert_parallel = ep;
                    visit(static_cast<const Deployment&>(a));
                }
            }
        }
    }
}

namespace detail {
/// "NAME=30,31 " for a deployment with a layer partition (the environment variable the engine
/// reads it from), "" otherwise.
inline std::string layer_partition_prefix(const char* name, const Deployment& d) {
    if (d.layer_partition.empty()) return {};
    std::string out = std::string(name) + "=";
    for (std::size_t i = 0; i < d.layer_partition.size(); ++i)
        out += (i == 0 ? "" : ",") + std::to_string(d.layer_partition[i]);
    return out + " ";
}
/// A memory fraction as the launch lines give it: the fewest digits, from 6, that read back as
/// the same double (0.9, 0.886; SGLang's default for Kimi-VL at tp 8, 0.886 x 0.9097..., in 17).
inline std::string fraction_text(double fraction) {
    char text[32];
    for (int digits = 6; digits <= 17; ++digits) {
        std::snprintf(text, sizeof text, "%.*g", digits, fraction);
        if (std::strtod(text, nullptr) == fraction) break;
    }
    return text;
}
} // namespace detail

/// The `python -m sglang.launch_server` command line for an SGLang deployment (MODEL standing for
/// the model's path), after `SGLANG_SHARED_EXPERT_TP1=1` with shared_expert_tp1: `--tp-size`, and
/// when set `--pp-size` (after `SGLANG_PP_LAYER_PARTITION=...` with a layer partition),
/// `--dp-size` with `--enable-dp-attention`, `--moe-dense-tp-size 1`, `--enable-dp-lm-head`,
/// `--ep-size` (ep_size, or tp) with `--moe-a2a-backend deepep` and `--ep-num-redundant-experts`,
/// the MTP draft as `--speculative-algorithm EAGLE` (SGLang's NEXTN), `--page-size`,
/// `--mm-enable-dp-encoder` (mm_encoder_data), `--mem-fraction-static`, `--context-length` and `--kv-cache-dtype
/// fp8_e4m3` or `fp4_e2m1` for those formats. Multi-node flags (`--nnodes`, `--node-rank`, `--dist-init-addr`) are the
/// user's.
inline std::string sglang_launch_command(const Deployment& d, const GpuBudget& b, EngineKvFormat f,
                                         std::uint64_t context) {
    std::string out = detail::layer_partition_prefix("SGLANG_PP_LAYER_PARTITION", d);
    if (d.shared_expert_tp1) out += "SGLANG_SHARED_EXPERT_TP1=1 ";
    out += "python -m sglang.launch_server --model-path MODEL --tp-size " + std::to_string(d.tp);
    if (d.pp != 1) out += " --pp-size " + std::to_string(d.pp);
    if (d.dp != 1) out += " --dp-size " + std::to_string(d.dp);
    if (d.dp_attention) out += " --enable-dp-attention";
    if (d.dense_tp1) out += " --moe-dense-tp-size 1";
    if (d.dp_lm_head) out += " --enable-dp-lm-head";
    if (d.expert_parallel) out += " --ep-size " + std::to_string(d.ep_size != 0 ? d.ep_size : d.tp);
    if (d.deepep) out += " --moe-a2a-backend deepep";
    if (d.redundant_experts != 0) out += " --ep-num-redundant-experts " + std::to_string(d.redundant_experts);
    if (d.mtp) out += " --speculative-algorithm EAGLE";
    if (d.page_size != 0) out += " --page-size " + std::to_string(d.page_size);
    if (d.mm_encoder_data) out += " --mm-enable-dp-encoder";
    out += " --mem-fraction-static " + detail::fraction_text(b.memory_fraction);
    out += " --context-length " + std::to_string(context);
    if (f == EngineKvFormat::sglang_fp8)
        out += " --kv-cache-dtype fp8_e4m3";
    else if (f == EngineKvFormat::sglang_fp4)
        out += " --kv-cache-dtype fp4_e2m1";
    return out;
}

/// The `vllm serve` command line for a deployment (MODEL standing for the model's path or name),
/// after `VLLM_PP_LAYER_PARTITION=...` when the deployment gives a layer partition:
/// `--tensor-parallel-size`, and when set `--pipeline-parallel-size`, `--data-parallel-size`,
/// `--enable-expert-parallel`, EPLB's redundant experts (`--enable-eplb --eplb-config`, vLLM 0.11's spelling; older
/// versions took `--num-redundant-experts`), `--gpu-memory-utilization`, `--max-model-len` and
/// `--kv-cache-dtype fp8` for the FP8 formats. MTP is `--speculative-config` with the method
/// `deepseek_mtp`; the encoder's data mode `--mm-encoder-tp-mode data`; `--language-model-only`.
inline std::string vllm_launch_command(const Deployment& d, const GpuBudget& b, VllmKvFormat f, std::uint64_t context) {
    std::string out = detail::layer_partition_prefix("VLLM_PP_LAYER_PARTITION", d);
    out += "vllm serve MODEL --tensor-parallel-size " + std::to_string(d.tp);
    if (d.pp != 1) out += " --pipeline-parallel-size " + std::to_string(d.pp);
    if (d.dp != 1) out += " --data-parallel-size " + std::to_string(d.dp);
    if (d.expert_parallel) out += " --enable-expert-parallel";
    if (d.redundant_experts != 0)
        out += " --enable-eplb --eplb-config '{\"num_redundant_experts\":" + std::to_string(d.redundant_experts) + "}'";
    if (d.mtp) out += " --speculative-config '{\"method\":\"deepseek_mtp\",\"num_speculative_tokens\":1}'";
    if (d.mm_encoder_data) out += " --mm-encoder-tp-mode data";
    if (d.language_model_only) out += " --language-model-only";
    out += " --gpu-memory-utilization " + detail::fraction_text(b.memory_fraction);
    out += " --max-model-len " + std::to_string(context);
    if (f == VllmKvFormat::flashmla_fp8 || f == VllmKvFormat::fp8_ds_mla || f == VllmKvFormat::cutlass_mla_fp8 ||
        f == VllmKvFormat::flash_attn_fp8)
        out += " --kv-cache-dtype fp8";
    else if (f == VllmKvFormat::nvfp4_ds_mla)
        out += " --kv-cache-dtype nvfp4_ds_mla";
    return out;
}

/// The deployment's engine's launch line: vllm_launch_command for a vLLM format,
/// sglang_launch_command for an SGLang one.
inline std::string launch_command(const Deployment& d, const GpuBudget& b, VllmKvFormat f, std::uint64_t context) {
    return vllm_launch_command(d, b, f, context);
}
inline std::string launch_command(const Deployment& d, const GpuBudget& b, EngineKvFormat f, std::uint64_t context) {
    return sglang_launch_command(d, b, f, context);
}

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_DEPLOYMENT_HPP
