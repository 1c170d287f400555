// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// Internal: which of SGLang's model files serves a config, the fact the layout rules of
// gpu_weights.hpp and the KV pool of engine_kv.hpp turn on (docs/deployment.md). Standard library
// only.
#ifndef DEEPSEEK_CONFIG_DETAIL_SGLANG_CODE_HPP
#define DEEPSEEK_CONFIG_DETAIL_SGLANG_CODE_HPP

#include <type_traits>

#include "../config.hpp"
#include "../config_v4.hpp"
#include "../enums.hpp"
#include "../wrappers.hpp"

namespace deepseek {
namespace detail {

/// SGLang's model code for a config, as far as it is modelled.
enum class SglangCode {
    none,        ///< not modelled (a DeepSeek-V2 config without MLA, an OCR config with noaux_tc routing)
    deepseek_v1, ///< models/deepseek.py, DeepseekForCausalLM: MHA, every expert on every GPU split by width
    deepseek_v2, ///< models/deepseek_v2.py, DeepseekV2ForCausalLM: MLA, SGLang's parallelisms
    deepseek_v4, ///< models/deepseek_v4.py
};

/// The model code SGLang builds for `c`'s language model. DeepSeek-OCR and OCR-2
/// (deepseek_ocr.py at b4ea46ff; OCR-2 renamed DeepseekOCRForCausalLM by SGLang's config loader):
/// DeepseekV3ForCausalLM when topk_method is noaux_tc, else DeepseekForCausalLM without MLA, else
/// DeepseekV2ForCausalLM. DeepSeek-VL2 (deepseek_vl2.py at 3d7da5a4): DeepseekV2ForCausalLM with
/// MLA, else DeepseekForCausalLM ("deepseek-vl2-tiny forbids mla"). The text models and Kimi's
/// vision models: DeepseekV2ForCausalLM (V3 and Kimi-K2 take its subclass), MLA only.
template <class C> [[nodiscard]] constexpr SglangCode sglang_code(const C& c) noexcept {
    if constexpr (std::is_same_v<C, DeepseekV4Config>) {
        (void)c;
        return SglangCode::deepseek_v4;
    } else if constexpr (std::is_base_of_v<DeepseekOCRConfig, C>) {
        if (c.topk_method == TopkMethod::noaux_tc) return SglangCode::none;
        return uses_mla(c) ? SglangCode::deepseek_v2 : SglangCode::deepseek_v1;
    } else if constexpr (std::is_same_v<C, DeepseekVL2Config>) {
        return uses_mla(c) ? SglangCode::deepseek_v2 : SglangCode::deepseek_v1;
    } else {
        return uses_mla(c) ? SglangCode::deepseek_v2 : SglangCode::none;
    }
}

/// Whether `c` has a vision tower: DeepSeek-OCR, OCR-2, VL2, Kimi-VL and Kimi-K2.5.
template <class C> inline constexpr bool has_vision_tower_v =
    std::is_base_of_v<DeepseekOCRConfig, C> || std::is_same_v<C, DeepseekVL2Config> ||
    std::is_same_v<C, KimiVLConfig> || std::is_same_v<C, KimiK25Config>;

} // namespace detail
} // namespace deepseek

#endif // DEEPSEEK_CONFIG_DETAIL_SGLANG_CODE_HPP
