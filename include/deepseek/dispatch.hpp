// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// Which config class a model is, picked as AutoConfig does from strings already read (from a
// config.json by any parser, from GGUF metadata, ...): `model_type`, `architectures`,
// `auto_map.AutoConfig`. parse_config dispatches through these same rules. Standard library only.
#ifndef DEEPSEEK_CONFIG_DISPATCH_HPP
#define DEEPSEEK_CONFIG_DISPATCH_HPP

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "any_config.hpp"
#include "config.hpp"
#include "optional.hpp"

namespace deepseek {

/// The config classes this library reads, as AutoConfig picks them.
enum class ConfigKind {
    deepseek_v2,    ///< DeepseekV2Config (DeepSeek-V2, V2-Lite, Coder-V2), keys at the top level
    deepseek_ocr,   ///< DeepseekOCRConfig (DeepSeek-OCR)
    deepseek_ocr2,  ///< DeepseekOCR2Config (DeepSeek-OCR-2)
    deepseek_v3,    ///< DeepseekV3Config (DeepSeek-V3, R1, V3.1, V3.2)
    deepseek_vl_v2, ///< DeepseekVL2Config (DeepSeek-VL2: language keys inside `language_config`)
    kimi_k2,        ///< KimiK2Config (Kimi-K2: DeepseekV3Config's keys, model_type "kimi_k2")
    kimi_vl,        ///< KimiVLConfig (Kimi-VL: language keys inside `text_config`)
    kimi_k25,       ///< KimiK25Config (Kimi-K2.5: language keys inside `text_config`)
    deepseek_v4,    ///< DeepseekV4Config (DeepSeek-V4-Flash and -Pro)
};

/// What a config file says about its class, read by the caller: the strings AutoConfig looks at.
struct ConfigHints {
    /// `model_type`; empty when absent.
    std::string_view model_type{};
    /// The string entries of `architectures`, in order (e.g. "DeepseekV3ForCausalLM").
    std::vector<std::string_view> architectures{};
    /// `auto_map.AutoConfig`, e.g. "configuration_deepseek.DeepseekV3Config"; empty when absent.
    std::string_view auto_config{};
    /// The same two inside `language_config` (DeepSeek-VL2 and OCR files); its model_type is not
    /// consulted (VL2 files name "deepseek_v2" there).
    std::vector<std::string_view> language_config_architectures{};
    std::string_view language_config_auto_config{};
};

namespace detail {

struct ConfigKindName {
    std::string_view name;
    ConfigKind kind;
};

/// The `model_type` values that name a class. ("deepseek_vl_v2" is also the model_type of
/// DeepSeek-OCR and OCR-2 files: see detect_config_kind.)
inline constexpr std::array<ConfigKindName, 10> model_type_kinds{{
    {"deepseek_v2", ConfigKind::deepseek_v2},
    {"deepseek_v3", ConfigKind::deepseek_v3},
    {"deepseek_v32", ConfigKind::deepseek_v3},
    {"DeepseekOCR", ConfigKind::deepseek_ocr},
    {"DeepseekOCR2", ConfigKind::deepseek_ocr2},
    {"deepseek_vl_v2", ConfigKind::deepseek_vl_v2},
    {"kimi_k2", ConfigKind::kimi_k2},
    {"kimi_vl", ConfigKind::kimi_vl},
    {"kimi_k25", ConfigKind::kimi_k25},
    {"deepseek_v4", ConfigKind::deepseek_v4},
}};

/// The `architectures` entries that name a class.
inline constexpr std::array<ConfigKindName, 9> architecture_kinds{{
    {"DeepseekV2ForCausalLM", ConfigKind::deepseek_v2},
    {"DeepseekV3ForCausalLM", ConfigKind::deepseek_v3},
    {"DeepseekV32ForCausalLM", ConfigKind::deepseek_v3},
    {"DeepseekOCRForCausalLM", ConfigKind::deepseek_ocr},
    {"DeepseekOCR2ForCausalLM", ConfigKind::deepseek_ocr2},
    {"DeepseekVLV2ForCausalLM", ConfigKind::deepseek_vl_v2},
    {"KimiVLForConditionalGeneration", ConfigKind::kimi_vl},
    {"KimiK25ForConditionalGeneration", ConfigKind::kimi_k25},
    {"DeepseekV4ForCausalLM", ConfigKind::deepseek_v4},
}};

/// The classes `auto_map.AutoConfig` may name ("module.ClassName": the class decides).
inline constexpr std::array<ConfigKindName, 8> auto_config_kinds{{
    {"DeepseekV2Config", ConfigKind::deepseek_v2},
    {"DeepseekV3Config", ConfigKind::deepseek_v3},
    {"DeepseekOCRConfig", ConfigKind::deepseek_ocr},
    {"DeepseekOCR2Config", ConfigKind::deepseek_ocr2},
    {"DeepseekVLV2Config", ConfigKind::deepseek_vl_v2},
    {"KimiVLConfig", ConfigKind::kimi_vl},
    {"KimiK25Config", ConfigKind::kimi_k25},
    {"DeepseekV4Config", ConfigKind::deepseek_v4},
}};

template <std::size_t N>
constexpr Optional<ConfigKind> find_kind(const std::array<ConfigKindName, N>& table, std::string_view name) {
    for (const auto& entry : table) {
        if (entry.name == name) return entry.kind;
    }
    return std::nullopt;
}

/// Where a class hint sits in the file.
enum class HintLevel { top_level, language_config };

/// AutoConfig's rule, the one implementation: `model_type` where it names a class; else, at the
/// top level and then inside `language_config`, the first entry of `architectures` that names
/// one, else `auto_map.AutoConfig`. One model_type names several classes: "deepseek_vl_v2" is
/// DeepSeek-VL2's and also that of the DeepSeek-OCR and OCR-2 files, so with it the top level's
/// hints decide when they name an OCR class, and it is DeepSeek-VL2 otherwise.
/// `hints_at(level, architectures, auto_config)` fills in a level's hints when they are needed
/// and returns false when the level is absent; the JSON reader passes one that reads (and
/// type-checks) them only then.
template <class HintsAt> Optional<ConfigKind> detect_config_kind(std::string_view model_type, HintsAt&& hints_at) {
    const Optional<ConfigKind> named = find_kind(model_type_kinds, model_type);
    if (named && *named != ConfigKind::deepseek_vl_v2) return named;
    // Under "deepseek_vl_v2" only an OCR class may be named instead (at the top level).
    const auto accept = [&named](ConfigKind kind) {
        return !named || kind == ConfigKind::deepseek_ocr || kind == ConfigKind::deepseek_ocr2;
    };
    for (const HintLevel level : {HintLevel::top_level, HintLevel::language_config}) {
        if (named && level != HintLevel::top_level) break;
        std::vector<std::string_view> architectures;
        std::string_view auto_config;
        if (!hints_at(level, architectures, auto_config)) continue;
        for (const std::string_view name : architectures) {
            const auto kind = find_kind(architecture_kinds, name);
            if (kind && accept(*kind)) return kind;
        }
        const auto dot = auto_config.rfind('.');
        const auto kind =
            find_kind(auto_config_kinds, dot == std::string_view::npos ? auto_config : auto_config.substr(dot + 1));
        if (kind && accept(*kind)) return kind;
    }
    return named;
}

/// " and no known architectures; supported: model_type ..., or architectures ...": the end of
/// the message when no class is found.
inline std::string supported_config_names() {
    std::string out = " and no known architectures; supported: model_type ";
    for (std::size_t i = 0; i < model_type_kinds.size(); ++i) {
        if (i != 0) out += ", ";
        out += model_type_kinds[i].name;
    }
    out += ", or architectures ";
    for (std::size_t i = 0; i < architecture_kinds.size(); ++i) {
        if (i != 0) out += ", ";
        out += architecture_kinds[i].name;
    }
    return out;
}

} // namespace detail

/// The config class AutoConfig would pick for these hints (as parse_config does for a file), or
/// nullopt when none is a DeepSeek class this library reads.
template <class... Deferred> [[nodiscard]] Optional<ConfigKind> detect_config(const ConfigHints& hints) {
    return detail::detect_config_kind(
        hints.model_type,
        [&hints](detail::HintLevel level, std::vector<std::string_view>& architectures, std::string_view& auto_config) {
            const bool top = level == detail::HintLevel::top_level;
            architectures = top ? hints.architectures : hints.language_config_architectures;
            auto_config = top ? hints.auto_config : hints.language_config_auto_config;
            return true;
        });
}

/// detect_config of a `model_type` and top-level `architectures` only. Example:
/// `detect_config("kimi_k2", {"DeepseekV3ForCausalLM"})` is ConfigKind::kimi_k2.
template <class... Deferred> [[nodiscard]] Optional<ConfigKind>
detect_config(std::string_view model_type, const std::vector<std::string_view>& architectures = {}) {
    ConfigHints hints;
    hints.model_type = model_type;
    hints.architectures = architectures;
    return detect_config(hints);
}

/// The config AutoConfig builds for `kind` before reading any key: its class's defaults.
/// Fill in its fields, then check it with validate().
template <class... Deferred> [[nodiscard]] AnyConfig default_config(ConfigKind kind) {
    // std::in_place_type: cheaper to compile than the variant's converting constructor.
    switch (kind) {
    case ConfigKind::deepseek_v2: break;
    case ConfigKind::deepseek_ocr: return AnyConfig{std::in_place_type<DeepseekOCRConfig>};
    case ConfigKind::deepseek_ocr2: return AnyConfig{std::in_place_type<DeepseekOCR2Config>};
    case ConfigKind::deepseek_v3: return AnyConfig{std::in_place_type<DeepseekV3Config>};
    case ConfigKind::deepseek_vl_v2: return AnyConfig{std::in_place_type<DeepseekVL2Config>};
    case ConfigKind::kimi_k2: return AnyConfig{std::in_place_type<KimiK2Config>};
    case ConfigKind::kimi_vl: return AnyConfig{std::in_place_type<KimiVLConfig>};
    case ConfigKind::kimi_k25: return AnyConfig{std::in_place_type<KimiK25Config>};
    case ConfigKind::deepseek_v4: return AnyConfig{std::in_place_type<DeepseekV4Config>};
    }
    return AnyConfig{std::in_place_type<DeepseekV2Config>};
}

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_DISPATCH_HPP
