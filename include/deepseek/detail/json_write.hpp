// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// Internal: writing typed values and whole configs as JSON.
#ifndef DEEPSEEK_CONFIG_DETAIL_JSON_WRITE_HPP
#define DEEPSEEK_CONFIG_DETAIL_JSON_WRITE_HPP

#include <string>
#include <string_view>
#include <type_traits>

#include <nlohmann/json.hpp>

#include "../config.hpp"
#include "../optional.hpp"
#include "../wrappers.hpp"
#include "json_common.hpp"

namespace deepseek {
namespace detail {

// ---- writing one value ----------------------------------------------------------------------

/// Whether a typed value is left to the Document's extra keys when saving: an open enum's
/// unknown text, or a quantization_config of a method this library does not model (the reader
/// keeps those as read).
template <class T> bool written_as_extra(const T& value) {
    if constexpr (std::is_same_v<T, Optional<QuantizationConfig>>)
        return value && value->quant_method != QuantMethod::fp8;
    else
        return is_other_value(value);
}

template <class T, class Json = nlohmann::json> Json write_value(const T& value);

template <class T, class Json = nlohmann::json> Json write_struct(const T& value) {
    Json out = Json::object();
    field_list<T>::visit([&](const char* key, auto member) {
        const auto& field = value.*member;
        // Inside nested structs an unset optional is left out rather than written as null.
        if constexpr (is_optional<std::decay_t<decltype(field)>>::value) {
            if (!field) return;
        }
        if (written_as_extra(field)) return;
        out[key] = write_value<std::decay_t<decltype(field)>, Json>(field);
    });
    return out;
}

template <class T, class Json> Json write_value(const T& value) {
    if constexpr (is_optional<T>::value) {
        return value ? write_value<typename T::value_type, Json>(*value) : Json(nullptr);
    } else if constexpr (is_struct_with_fields<T>::value) {
        return write_struct<T, Json>(value);
    } else if constexpr (is_std_array<T>::value || is_fixed_vector<T>::value) {
        Json out = Json::array();
        for (const auto& item : value) out.push_back(write_value<std::decay_t<decltype(item)>, Json>(item));
        return out;
    } else if constexpr (std::is_enum_v<T>) {
        return Json(std::string(to_string(value)));
    } else {
        return Json(value);
    }
}

/// The typed fields of config `C` as JSON; see to_json. A wrapper whose language model's keys sit
/// in `language_config` or `text_config` writes them there, its own keys at the top level.
template <class C, class Json = nlohmann::json> Json write_config(const C& cfg) {
    Json out = Json::object();
    out["model_type"] = std::string(C::model_type);
    constexpr std::string_view nested_key = language_config_key<C>();
    if constexpr (!nested_key.empty()) {
        out[std::string(nested_key)] = write_config<language_model_t<C>, Json>(cfg);
        wrapper_field_list<C>::visit([&](const char* key, auto member) {
            using Field = std::decay_t<decltype(cfg.*member)>;
            if (!written_as_extra(cfg.*member)) out[key] = write_value<Field, Json>(cfg.*member);
        });
    } else {
        field_list<C>::visit([&](const char* key, auto member) {
            // The DSA keys are not upstream constructor parameters, and engines test for their
            // presence (vLLM: hasattr(config, "index_topk")): unset, they are left out, not null.
            using Field = std::decay_t<decltype(cfg.*member)>;
            if constexpr (std::is_base_of_v<DeepseekV3Config, C> && is_optional<Field>::value) {
                if (std::string_view(key).rfind("index_", 0) == 0 && !(cfg.*member).has_value()) return;
            }
            // DeepSeek-V4's optional keys belong to one form of the file or the other
            // (compress_ratios or layer_types, ...): unset, they are left out, as engines test for
            // their presence. The token ids keep their nulls.
            if constexpr (std::is_same_v<C, DeepseekV4Config> && is_optional<Field>::value) {
                if (!(cfg.*member).has_value() && std::string_view(key).find("token_id") == std::string_view::npos)
                    return;
            }
            if (written_as_extra(cfg.*member)) return;
            out[key] = write_value<Field, Json>(cfg.*member);
        });
    }
    return out;
}

} // namespace detail
} // namespace deepseek

#endif // DEEPSEEK_CONFIG_DETAIL_JSON_WRITE_HPP
