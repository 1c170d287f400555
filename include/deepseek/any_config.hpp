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

namespace deepseek {

/// Any config this library reads; `load_config` picks the alternative like `AutoConfig`.
using AnyConfig = std::variant<DeepseekV2Config, DeepseekOCRConfig, DeepseekOCR2Config, DeepseekV3Config>;

/// The Hugging Face class name of a config type, e.g. "DeepseekOCRConfig".
template <class C> [[nodiscard]] constexpr std::string_view class_name() noexcept {
    static_assert(is_config_v<C>, "class_name<C>: C must be a deepseek config type");
    if constexpr (std::is_same_v<C, DeepseekV2Config>)
        return "DeepseekV2Config";
    else if constexpr (std::is_same_v<C, DeepseekOCRConfig>)
        return "DeepseekOCRConfig";
    else if constexpr (std::is_same_v<C, DeepseekOCR2Config>)
        return "DeepseekOCR2Config";
    else
        return "DeepseekV3Config";
}

// The two below switch on the alternative's index rather than std::visit: the same answer, and a
// translation unit that includes this header does not instantiate std::visit's machinery for them.

/// The `model_type` of whichever config `any` holds.
[[nodiscard]] inline std::string_view model_type_of(const AnyConfig& any) noexcept {
    switch (any.index()) {
    case 0: return DeepseekV2Config::model_type;
    case 1: return DeepseekOCRConfig::model_type;
    case 2: return DeepseekOCR2Config::model_type;
    default: return DeepseekV3Config::model_type;
    }
}

/// The Hugging Face class name of whichever config `any` holds.
[[nodiscard]] inline std::string_view class_name_of(const AnyConfig& any) noexcept {
    switch (any.index()) {
    case 0: return class_name<DeepseekV2Config>();
    case 1: return class_name<DeepseekOCRConfig>();
    case 2: return class_name<DeepseekOCR2Config>();
    default: return class_name<DeepseekV3Config>();
    }
}

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_ANY_CONFIG_HPP
