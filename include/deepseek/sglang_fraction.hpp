// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// SGLang's default `--mem-fraction-static`: what it keeps back from each GPU for activations and
// CUDA graphs, by the GPU's memory and the layout, and its cut for a model with a vision tower
// (docs/deployment.md). Standard library only.
#ifndef DEEPSEEK_CONFIG_SGLANG_FRACTION_HPP
#define DEEPSEEK_CONFIG_SGLANG_FRACTION_HPP

#include <cstdint>
#include <optional>
#include <type_traits>

#include "config_v4.hpp"
#include "detail/sglang_code.hpp"
#include "gpu_weights.hpp"
#include "wrappers.hpp"

namespace deepseek {

namespace detail {
/// SGLang's default fraction (sglang_mem_fraction_static), with or without the 1.5 GiB it keeps
/// for an MLA model's prefill CUDA graph: on by default on CUDA for a text model, off for a
/// vision model unless SGLang lists it as one whose prefill graph it captures.
[[nodiscard]] constexpr double sglang_fraction_of(std::uint64_t gpu_memory, const Deployment& d,
                                                  bool prefill_graph) noexcept {
    const std::uint64_t mib = gpu_memory >> 20;
    if (mib == 0) return 0.0;
    const bool small_tp = d.tp < 4;
    std::uint64_t chunked = 16384, max_bs = 512; // by the GPU's memory (server_args.py's table)
    if (mib < 20 * 1024)
        chunked = 2048, max_bs = 8;
    else if (mib < 35 * 1024)
        chunked = 2048, max_bs = small_tp ? 24 : 80;
    else if (mib < 60 * 1024)
        chunked = 4096, max_bs = small_tp ? 32 : 160;
    else if (mib < 160 * 1024)
        chunked = 8192, max_bs = small_tp ? 256 : 512;
    // Twice the reserve in MiB, to keep the halves of 1.5 x whole.
    std::uint64_t twice = 2 * 512 + 3 * (chunked > 2048 ? chunked : 2048) + d.tp * d.pp * 2 * 1024 / 8;
    twice += 2 * 2 * max_bs; // the decode graph
    if (d.dp_attention) twice += 2 * 3 * max_bs * d.dp + (max_bs > 300 ? 3 * max_bs * d.dp : 0);
    if (prefill_graph) twice += 3 * 1024;             // MLA's prefill graph
    if (prefill_graph && d.deepep) twice += 2 * 1024; // the breakable prefill graph under DeepEP
    if (mib > 60 * 1024 && twice < 2 * 10 * 1024) twice = 2 * 10 * 1024;
    if (d.deepep) twice += 2 * 2 * 1024; // DeepEP's all-to-all buffers in the decode graph, above the floor
    if (twice >= 2 * mib) return 0.0;
    // round((mib - reserve) / mib, 3), half to even, in exact integers.
    const std::uint64_t num = (2 * mib - twice) * 1000, den = 2 * mib;
    std::uint64_t thousandths = num / den;
    const std::uint64_t rest = num % den;
    if (2 * rest > den || (2 * rest == den && thousandths % 2 == 1)) ++thousandths;
    return static_cast<double>(thousandths) / 1000.0;
}
} // namespace detail

/// SGLang's default `--mem-fraction-static` for an MLA model on a GPU of `gpu_memory` bytes
/// under deployment `d`, by server_args.py's `_handle_gpu_memory_settings` at sglang b26729f2
/// (2026-08-16), which reads the GPU's total memory in MiB (nvidia-smi's memory.total: an H200
/// reports 143,771 MiB): it reserves 512 MiB, 1.5 MiB per token of the chunked prefill (8,192
/// tokens below 160 GiB, 16,384 above; 2,048 to 4,096 on small GPUs), 1,024 MiB per 8 GPUs of tp
/// x pp, and for the CUDA graphs 2 MiB per request of the decode graph's largest batch (512 at
/// tp >= 4 from 60 GiB up), 4.5 MiB per request and attention group more with DP attention (3 and
/// 1.5 when the batch is above 300), and 1.5 GiB for MLA's prefill graph (1 GiB more under
/// DeepEP); at least 10 GiB on a GPU above 60 GiB, and 2 GiB more with DeepEP; and keeps the
/// rest's share, rounded to 3 decimals. H200 at tp 8: 0.886; with DP attention over 8: 0.758,
/// and DeepEP 0.736 (its two terms read in forks of early August 2026). Other versions differ; give
/// SGLang's figure from its log when it does. For a model with a vision tower, see
/// sglang_default_fraction.
[[nodiscard]] constexpr double sglang_mem_fraction_static(std::uint64_t gpu_memory, const Deployment& d) noexcept {
    return detail::sglang_fraction_of(gpu_memory, d, true);
}

/// SGLang's factor on its default `--mem-fraction-static` for a model with a vision tower of
/// `layers` blocks `hidden` wide (server_args.py's `adjust_mem_fraction_for_vlm`, the same from
/// 2025 to its newest file): 0.95 x clamp(1 - 0.1 x (layers x hidden^2 / (24 x 1,024^2) - 1), 0.8,
/// 1.05), a ViT-L/14 the baseline, in Python's order of double operations. 27 x 1,152 (MoonViT):
/// 0.95 x 0.9576171875.
[[nodiscard]] constexpr double sglang_vlm_fraction_factor(std::uint64_t layers, std::uint64_t hidden) noexcept {
    constexpr std::uint64_t baseline = 24 * 1024 * 1024;
    constexpr std::uint64_t exact = std::uint64_t{1} << 53; // products below it are exact doubles
    double dynamic = 0.8; // a product too large to convert exactly is far past the floor
    if (hidden == 0 || (hidden <= exact / hidden && layers <= exact / (hidden * hidden))) {
        const double ratio = static_cast<double>(layers * hidden * hidden) / static_cast<double>(baseline);
        dynamic = 1.0 - 0.1 * (ratio - 1.0);
        dynamic = dynamic > 1.05 ? 1.05 : dynamic < 0.8 ? 0.8 : dynamic;
    }
    return 0.95 * dynamic;
}

/// The depth and width of a vision tower as SGLang's `adjust_mem_fraction_for_vlm` reads them:
/// `num_hidden_layers` and `hidden_size` of the vision config class SGLang builds, 24 and 1,024
/// where the class has neither.
struct SglangVisionSize {
    std::uint64_t layers = 24;
    std::uint64_t hidden = 1024;
};

/// `c`'s vision tower as SGLang sizes it for its default fraction (configs/ at sglang's files of
/// 2026): Kimi-VL's MoonViTConfig carries the file's `num_hidden_layers` and `hidden_size`;
/// Kimi-K2.5's KimiK25VisionConfig has them only as constructor defaults, 27 and 1,152, which the
/// file's `vt_*` keys do not set; DeepSeek-OCR's, OCR-2's and VL2's vision configs store
/// `layers` and `width` instead, so SGLang takes 24 and 1,024.
template <class C> [[nodiscard]] constexpr SglangVisionSize sglang_vision_size(const C& c) noexcept {
    if constexpr (std::is_same_v<C, KimiVLConfig>) {
        return {c.vision_config.num_hidden_layers, c.vision_config.hidden_size};
    } else if constexpr (std::is_same_v<C, KimiK25Config>) {
        (void)c;
        return {27, 1152};
    } else {
        (void)c;
        return {};
    }
}

/// SGLang's default `--mem-fraction-static` for `c` on a GPU of `gpu_memory` bytes under `d`, or
/// nothing where it is not modelled. A text model with MLA: sglang_mem_fraction_static. A vision
/// model: its prefill CUDA graph off (SGLang turns it off for a multimodal model it does not list:
/// Kimi-VL, DeepSeek-OCR, OCR-2 and VL2), the fraction then times sglang_vlm_fraction_factor of
/// sglang_vision_size, not rounded again (H200, tp 8: Kimi-VL 0.897 x 0.9097..., OCR 0.897 x
/// 0.95). Kimi-K2.5 is listed: its graph's 1.5 GiB is kept (0.886 x 0.9097... at tp 8), but
/// whether DP attention, DeepEP or pipeline stages turn the graph off depends on which of SGLang's
/// prefill graphs serves it at b26729f2, not pinned: nothing. DeepSeek-V4: the text model's reserve without a
/// prefill graph, which SGLang turns off for V4 ("heavy capture-pool memory pressure", in every
/// file read from July to September 2026; no V4 hook sets the fraction): H200 at tp 4 0.900, at tp
/// 8 0.897. SGLang's cookbook launches V4 on H200 with 0.88 or 0.9 instead.
template <class C> [[nodiscard]] constexpr std::optional<double>
sglang_default_fraction(const C& c, std::uint64_t gpu_memory, const Deployment& d) noexcept {
    if constexpr (std::is_same_v<C, DeepseekV4Config>) {
        (void)c;
        return detail::sglang_fraction_of(gpu_memory, d, false);
    } else if constexpr (detail::has_vision_tower_v<C>) {
        const bool graph = std::is_same_v<C, KimiK25Config>;
        if (graph && (d.dp_attention || d.deepep || d.pp > 1)) return std::nullopt;
        const double base = detail::sglang_fraction_of(gpu_memory, d, graph);
        const SglangVisionSize tower = sglang_vision_size(c);
        return base * sglang_vlm_fraction_factor(tower.layers, tower.hidden);
    } else {
        (void)c;
        return sglang_mem_fraction_static(gpu_memory, d);
    }
}

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_SGLANG_FRACTION_HPP
