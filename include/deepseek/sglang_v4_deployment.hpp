// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// DeepSeek-V4 on an SGLang deployment: the weights every pipeline stage's GPUs hold
// (weights_per_gpu's rules; Hopper with the Marlin MoE runner), what SGLang then has left for its
// caches, and how it divides that (sglang_v4_pool.hpp). `constexpr`, standard library only.
#ifndef DEEPSEEK_CONFIG_SGLANG_V4_DEPLOYMENT_HPP
#define DEEPSEEK_CONFIG_SGLANG_V4_DEPLOYMENT_HPP

#include <cstdint>
#include <string>

#include "deployment.hpp"
#include "sglang_v4_pool.hpp"

namespace deepseek {
inline namespace DEEPSEEK_CONFIG_ABI_NAMESPACE {

/// DeepSeek-V4 on an SGLang deployment (plan_sglang_v4_deployment). SGLang takes the smallest
/// free memory of all its GPUs as every GPU's (its memory probe is min-reduced over the world),
/// prices each stage's full token over its own layers, and sizes every stage's pools from the
/// smallest full pool of any stage. Each DP-attention group (or data-parallel replica) holds a
/// pool and its own requests.
struct SglangV4DeploymentPlan {
    std::uint64_t gpus = 1;            ///< tp x pp x dp (tp x pp with DP attention)
    std::uint64_t usable = 0;          ///< floor(gpu_memory x mem_fraction_static)
    bool fits = false;                 ///< every stage's weights + reserve <= usable
    std::uint64_t shortfall = 0;       ///< when not: the largest shortfall of a stage
    std::uint64_t largest_stage = 0;   ///< the stage with the most weight bytes
    std::uint64_t weights_per_gpu = 0; ///< its weights per GPU
    /// SGLang's available_bytes on every GPU: usable - the largest stage's weights - the reserve.
    std::uint64_t available_bytes = 0;
    std::uint64_t smallest_stage = 0;    ///< the stage whose full pool is the smallest
    SglangV4Pool pool{};                 ///< that stage's pool, whose sizes every stage takes
    std::uint64_t context = 0;           ///< tokens per request
    std::uint64_t pages_per_request = 0; ///< ceil(context / page_size): a request's pages of the full pool
    /// Requests of `context` tokens at once in one pool: its full pages over a request's, at most
    /// the worker's max_running_requests.
    std::uint64_t max_requests = 0;
    std::uint64_t total_requests = 0; ///< max_requests x dp
};

/// SGLang's settings for its V4 pool under deployment `d`: `s` with the MTP draft (d.mtp), the
/// DP-attention groups and the page size (d.page_size, 0: 256) of the deployment.
[[nodiscard]] constexpr SglangV4Settings sglang_v4_settings(const Deployment& d, SglangV4Settings s = {}) noexcept {
    s.speculative = d.mtp;
    s.attention_dp = d.dp_attention ? d.dp : 1;
    if (d.page_size != 0) s.page_size = d.page_size;
    return s;
}

/// DeepSeek-V4 on SGLang deployment `d` (Deployment::gpu_arch hopper) with budget `b` (its
/// memory_fraction SGLang's --mem-fraction-static) and pool settings `s`
/// (SglangV4DeploymentPlan). Not an error: a layout whose weights and reserve do not fit (`fits`
/// false). Errors: those of weights_per_gpu, engine_not_modelled (vLLM: plan_v4_deployment),
/// engine_option_invalid (a page size other than 256, which SGLang asserts on GPUs, and the
/// pool's), tp_zero (a budget of 0 bytes), overflow.
[[nodiscard]] constexpr Result<SglangV4DeploymentPlan, MemoryError>
plan_sglang_v4_deployment(const DeepseekV4Config& c, const Deployment& d, const GpuBudget& b,
                          const SglangV4Settings& s = {}) {
    if (d.engine != Engine::sglang) return MemoryError::engine_not_modelled;
    return detail::overflow_as_error([&]() -> Result<SglangV4DeploymentPlan, MemoryError> {
        const char* const what = "deployment plan";
        GpuWeights w{};
        if (const MemoryError e = detail::check_deployment(c, d, 0, w); e != MemoryError::none) return e;
        detail::GpuWeightsSum<DeepseekV4Config> sum{c, d, w.experts_per_gpu, 0};
        if (const MemoryError e = detail::walk_gpu_weights(sum, w); e != MemoryError::none) return e;
        if (d.page_size != 0 && d.page_size != 256) return MemoryError::engine_option_invalid;
        if (!detail::budget_valid(b)) return MemoryError::tp_zero;
        const SglangV4Settings settings = sglang_v4_settings(d, s);
        SglangV4DeploymentPlan p{};
        p.gpus = w.gpus;
        p.usable = usable_memory(b);
        p.context = plan_context(c, b);
        p.fits = true;
        for (std::uint64_t stage = 0; stage < d.pp; ++stage) {
            const std::uint64_t held = detail::checked_add(sum.stage_bytes[stage], b.reserve, what);
            if (sum.stage_bytes[stage] > p.weights_per_gpu)
                p.weights_per_gpu = sum.stage_bytes[stage], p.largest_stage = stage;
            if (held > p.usable) {
                p.fits = false;
                if (held - p.usable > p.shortfall) p.shortfall = held - p.usable;
            }
        }
        if (!p.fits) return p;
        p.available_bytes = p.usable - detail::checked_add(p.weights_per_gpu, b.reserve, what);
        for (std::uint64_t stage = 0; stage < d.pp; ++stage) {
            const LayerRange r = pipeline_stage_layers(c, d, stage);
            const auto pool = sglang_v4_pool(c, p.available_bytes, settings, r.first, r.count);
            if (!pool) return pool.error();
            if (stage == 0 || pool->full < p.pool.full) p.pool = *pool, p.smallest_stage = stage;
        }
        p.pages_per_request = detail::ceil_div(p.context, settings.page_size);
        if (p.pages_per_request == 0) return p;
        const std::uint64_t by_pages = p.pool.full / settings.page_size / p.pages_per_request;
        p.max_requests = by_pages < p.pool.requests ? by_pages : p.pool.requests;
        p.total_requests = detail::checked_mul(p.max_requests, d.dp, what);
        return p;
    });
}

/// The SGLang command line for DeepSeek-V4 deployment `d` (sglang_launch_command) with the MoE
/// runner its weights were laid out for (`--moe-runner-backend marlin`: SGLang's default for V4's
/// FP4 experts on Hopper is not modelled) and the pool's settings when they are not SGLang's
/// defaults (`--swa-full-tokens-ratio`, `--max-running-requests`).
inline std::string sglang_v4_launch_command(const Deployment& d, const GpuBudget& b, const SglangV4Settings& s,
                                            std::uint64_t context) {
    std::string out = sglang_launch_command(d, b, EngineKvFormat::sglang, context) + " --moe-runner-backend marlin";
    if (s.swa_full_tokens_ratio != SglangV4Settings{}.swa_full_tokens_ratio)
        out += " --swa-full-tokens-ratio " + detail::fraction_text(s.swa_full_tokens_ratio);
    if (s.max_running_requests != SglangV4Settings{}.max_running_requests && s.max_running_requests != 0)
        out += " --max-running-requests " + std::to_string(s.max_running_requests);
    return out;
}

} // namespace DEEPSEEK_CONFIG_ABI_NAMESPACE
} // namespace deepseek

#endif // DEEPSEEK_CONFIG_SGLANG_V4_DEPLOYMENT_HPP
