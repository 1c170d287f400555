// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// AnyConfig: any one of the config types, as AutoConfig would pick it. Standard library only.
#ifndef DEEPSEEK_CONFIG_ANY_CONFIG_HPP
#define DEEPSEEK_CONFIG_ANY_CONFIG_HPP

#include <string_view>
#include <type_traits>
#include <variant>

#include "config.hpp"
#include "wrappers.hpp"

namespace deepseek {

/// Any config this library reads; `load_config` picks the alternative like `AutoConfig`.
using AnyConfig = std::variant<DeepseekV2Config, DeepseekOCRConfig, DeepseekOCR2Config, DeepseekV3Config,
                               DeepseekVL2Config, KimiK2Config, KimiVLConfig, KimiK25Config, DeepseekV4Config>;

/// The Hugging Face class name of a config type, e.g. "DeepseekOCRConfig" ("DeepseekVLV2Config"
/// for DeepseekVL2Config; "DeepseekV3Config" for KimiK2Config, whose files name that class).
template <class C> [[nodiscard]] constexpr std::string_view class_name() noexcept {
    static_assert(is_config_v<C>, "class_name<C>: C must be a deepseek config type");
    if constexpr (std::is_same_v<C, DeepseekV2Config>)
        return "DeepseekV2Config";
    else if constexpr (std::is_same_v<C, DeepseekOCRConfig>)
        return "DeepseekOCRConfig";
    else if constexpr (std::is_same_v<C, DeepseekOCR2Config>)
        return "DeepseekOCR2Config";
    else if constexpr (std::is_same_v<C, DeepseekVL2Config>)
        return "DeepseekVLV2Config";
    else if constexpr (std::is_same_v<C, KimiVLConfig>)
        return "KimiVLConfig";
    else if constexpr (std::is_same_v<C, KimiK25Config>)
        return "KimiK25Config";
    else if constexpr (std::is_same_v<C, DeepseekV4Config>)
        return "DeepseekV4Config";
    else
        return "DeepseekV3Config";
}

// The two below switch on the alternative's index rather than std::visit: the same answer, and a
// translation unit that includes this header does not instantiate std::visit's machinery for them.

/// The `model_type` of whichever config `any` holds.
template <class... Deferred> [[nodiscard]] std::string_view model_type_of(const AnyConfig& any) noexcept {
    switch (any.index()) {
    case 0: return DeepseekV2Config::model_type;
    case 1: return DeepseekOCRConfig::model_type;
    case 2: return DeepseekOCR2Config::model_type;
    case 3: return DeepseekV3Config::model_type;
    case 4: return DeepseekVL2Config::model_type;
    case 5: return KimiK2Config::model_type;
    case 6: return KimiVLConfig::model_type;
    case 7: return KimiK25Config::model_type;
    default: return DeepseekV4Config::model_type;
    }
}

/// The Hugging Face class name of whichever config `any` holds.
template <class... Deferred> [[nodiscard]] std::string_view class_name_of(const AnyConfig& any) noexcept {
    switch (any.index()) {
    case 0: return class_name<DeepseekV2Config>();
    case 1: return class_name<DeepseekOCRConfig>();
    case 2: return class_name<DeepseekOCR2Config>();
    case 3: return class_name<DeepseekV3Config>();
    case 4: return class_name<DeepseekVL2Config>();
    case 5: return class_name<KimiK2Config>();
    case 6: return class_name<KimiVLConfig>();
    case 7: return class_name<KimiK25Config>();
    default: return class_name<DeepseekV4Config>();
    }
}

/// Where the language model's keys of whichever config `any` holds sit in its file: "" (the top
/// level), "language_config" or "text_config" (see language_config_key).
template <class... Deferred> [[nodiscard]] std::string_view language_config_key_of(const AnyConfig& any) noexcept {
    switch (any.index()) {
    case 4: return language_config_key<DeepseekVL2Config>();
    case 6: return language_config_key<KimiVLConfig>();
    case 7: return language_config_key<KimiK25Config>();
    default: return "";
    }
}

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_ANY_CONFIG_HPP
