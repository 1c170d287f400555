// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// Internal: reading one typed value (scalar, enum, optional, array, nested struct) from JSON,
// each through a checked helper: nlohmann's own conversions turn 1.5 into 1 and -1 into a huge
// unsigned, and those must be errors here, each naming the JSON pointer of the bad value.
#ifndef DEEPSEEK_CONFIG_DETAIL_JSON_READ_HPP
#define DEEPSEEK_CONFIG_DETAIL_JSON_READ_HPP

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>

#include "../config.hpp"
#include "../error.hpp"
#include "../limits.hpp"
#include "../wrappers.hpp"
#include "json_common.hpp"

namespace deepseek {
namespace detail {

// ---- reading one value ----------------------------------------------------------------------

template <class T, class Json> void read_value(const Json& value, const Path& pointer, T& out, Json* extra);

// An integer too large for 64 bits reaches us as a float (nlohmann's fallback): name it so.
// `upper` is 2^64 for unsigned fields, 2^63 for signed ones; -2^63 itself is read as an integer,
// so a float at or below it came from a longer literal.
template <class Json> void fail_if_huge_integer(const Json& value, const Path& pointer, double upper) {
    if (!value.is_number_float()) return;
    const double v = value.template get<double>();
    if (v >= upper || v <= -9223372036854775808.0) {
        fail(ErrorKind::range, pointer, "too large for a 64-bit integer, found " + describe(value));
    }
}

template <class Json> void read_scalar(const Json& value, const Path& pointer, std::uint64_t& out) {
    if (value.is_number_unsigned()) {
        out = value.template get<std::uint64_t>();
    } else if (value.is_number_integer()) {
        const auto v = value.template get<std::int64_t>();
        if (v < 0) fail(ErrorKind::range, pointer, "must not be negative, found " + std::to_string(v));
        out = static_cast<std::uint64_t>(v);
    } else if (value.is_number_float()) {
        fail_if_huge_integer(value, pointer, 18446744073709551616.0);
        type_fail(pointer, "an integer (write it without a fraction or exponent)", value);
    } else {
        type_fail(pointer, "an integer", value);
    }
    if (out > max_dimension) {
        fail(ErrorKind::range, pointer,
             "must be at most 2^32 (4294967296), the limit for any size or count, found " + std::to_string(out));
    }
}

template <class Json> void read_scalar(const Json& value, const Path& pointer, std::int64_t& out) {
    if (value.is_number_integer() && !value.is_number_unsigned()) {
        out = value.template get<std::int64_t>();
    } else if (value.is_number_unsigned()) {
        const auto v = value.template get<std::uint64_t>();
        if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            fail(ErrorKind::range, pointer, "must be at most 2^63-1, found " + std::to_string(v));
        }
        out = static_cast<std::int64_t>(v);
    } else {
        fail_if_huge_integer(value, pointer, 9223372036854775808.0);
        type_fail(pointer, "an integer", value);
    }
}

template <class Json> void read_scalar(const Json& value, const Path& pointer, double& out) {
    if (!value.is_number()) type_fail(pointer, "a number", value);
    out = value.template get<double>();
    // The parser refuses 1e400; a finite check keeps any other route to inf/NaN out too.
    if (!std::isfinite(out)) fail(ErrorKind::range, pointer, "must be a finite number");
}

template <class Json> void read_scalar(const Json& value, const Path& pointer, bool& out) {
    if (!value.is_boolean()) type_fail(pointer, "true or false", value);
    out = value.template get<bool>();
}

template <class Json, class E, std::enable_if_t<std::is_enum_v<E>, int> = 0>
void read_scalar(const Json& value, const Path& pointer, E& out) {
    if (!value.is_string()) type_fail(pointer, "a string", value);
    const auto& text = value.template get_ref<const std::string&>();
    const auto parsed = enum_from_string<E>(text);
    if constexpr (is_open_enum_v<E>) {
        if (!parsed) { // kept as read: the caller leaves the key in the extra keys
            out = E::other;
            return;
        }
    }
    if (!parsed) {
        fail(ErrorKind::unknown_value, pointer,
             "unknown value " + short_dump(value) + "; accepted: " + accepted_values<E>());
    }
    out = *parsed;
}

// Per-struct checks, run after a struct's fields are read.

// `type` or, from newer transformers, `rope_type` (kept as an extra key); `factor` is required.
template <class Json> void check_rope_scaling(RopeScaling& out, const Json& object, const Path& pointer) {
    const auto type_it = object.find("type");
    const auto alias_it = object.find("rope_type");
    if (type_it == object.end()) {
        if (alias_it == object.end()) {
            fail(ErrorKind::missing_key, Path(pointer, "type"),
                 "rope_scaling needs \"type\" (or \"rope_type\"); accepted: " + accepted_values<RopeType>());
        }
        read_scalar(*alias_it, Path(pointer, "rope_type"), out.type);
    } else if (alias_it != object.end()) {
        RopeType alias{};
        read_scalar(*alias_it, Path(pointer, "rope_type"), alias);
        if (alias != out.type) {
            fail(ErrorKind::range, Path(pointer, "rope_type"),
                 "\"" + std::string(to_string(alias)) + "\" disagrees with type \"" + std::string(to_string(out.type)) +
                     "\"");
        }
    }
    if (object.find("factor") == object.end()) {
        fail(ErrorKind::missing_key, Path(pointer, "factor"), "rope_scaling needs a \"factor\"");
    }
    if (!(out.factor >= 1.0)) {
        fail(ErrorKind::range, Path(pointer, "factor"), "must be at least 1, found " + describe(object.at("factor")));
    }
}

inline void require_layer_count(std::uint64_t value, const Path& pointer) {
    if (value > max_layers) {
        fail(ErrorKind::range, pointer,
             "must be at most " + std::to_string(max_layers) + " layers, the limit of this reader, found " +
                 std::to_string(value));
    }
}

template <class Json>
void check_quantization_config(const QuantizationConfig& out, const Json& object, const Path& pointer) {
    if (object.find("quant_method") == object.end()) {
        fail(ErrorKind::missing_key, Path(pointer, "quant_method"),
             "quantization_config needs a \"quant_method\"; accepted: " + accepted_values<QuantMethod>());
    }
    for (std::size_t i = 0; i < 2; ++i) {
        if (out.weight_block_size[i] == 0) {
            fail(ErrorKind::range, Path(Path(pointer, "weight_block_size"), i),
                 "a block size must be positive, found 0");
        }
    }
}

/// Reads the fields of a struct from a JSON object; consumed keys are erased from `extra`.
template <class T, class Json> void read_struct(const Json& object, const Path& pointer, T& out, Json* extra) {
    if (!object.is_object()) type_fail(pointer, "an object", object);
    // A present `width` object lists the towers there are: the ones it lacks are absent.
    if constexpr (std::is_same_v<T, VisionTowers>) out = VisionTowers{std::nullopt, std::nullopt, std::nullopt};
    if constexpr (std::is_same_v<T, QuantizationConfig>) {
        // Another method than DeepSeek's FP8: none of its other keys means what the struct's do,
        // so the whole object stays in the extra keys, as read (the JSON layer reads the formats
        // it models from there: detail/json_quant.hpp).
        const auto method = object.find("quant_method");
        if (method != object.end() && method->is_string()) {
            QuantMethod m{};
            read_scalar(*method, Path(pointer, "quant_method"), m);
            if (m != QuantMethod::fp8) {
                out = QuantizationConfig{};
                out.quant_method = m;
                return;
            }
        }
    }
    field_list<T>::visit([&](const char* key, auto member) {
        const auto it = object.find(key);
        if (it == object.end()) return;
        Json* sub_extra = nullptr;
        if (extra != nullptr && extra->is_object() && extra->contains(key)) sub_extra = &(*extra)[key];
        read_value(*it, Path(pointer, key), out.*member, sub_extra);
        if (is_other_value(out.*member)) return; // an open enum's unknown text stays in extra
        if (extra != nullptr && extra->is_object() && extra->contains(key)) {
            const Json& left = (*extra)[key];
            if (!(left.is_object() && !left.empty() && it->is_object())) extra->erase(key);
        }
    });
    if constexpr (std::is_same_v<T, RopeScaling>) {
        check_rope_scaling(out, object, pointer);
    } else if constexpr (std::is_same_v<T, QuantizationConfig>) {
        check_quantization_config(out, object, pointer);
    } else if constexpr (std::is_same_v<T, ClipVisionConfig> || std::is_same_v<T, SamVisionConfig> ||
                         std::is_same_v<T, SiglipVisionConfig>) {
        require_layer_count(out.layers, Path(pointer, "layers"));
    } else if constexpr (std::is_same_v<T, MoonViTConfig>) {
        require_layer_count(out.num_hidden_layers, Path(pointer, "num_hidden_layers"));
    } else if constexpr (std::is_same_v<T, MoonViT3dConfig>) {
        require_layer_count(out.vt_num_hidden_layers, Path(pointer, "vt_num_hidden_layers"));
    }
}

template <class T, class Json> void read_value(const Json& value, const Path& pointer, T& out, Json* extra) {
    if constexpr (is_optional<T>::value) {
        if (value.is_null()) {
            out = std::nullopt;
        } else {
            typename T::value_type inner = out ? *out : typename T::value_type{};
            read_value(value, pointer, inner, extra);
            out = inner;
        }
    } else if constexpr (is_struct_with_fields<T>::value) {
        read_struct(value, pointer, out, extra);
    } else if constexpr (is_std_array<T>::value) {
        if (!value.is_array()) type_fail(pointer, "an array", value);
        if (value.size() != out.size()) {
            fail(ErrorKind::range, pointer,
                 "expected exactly " + std::to_string(out.size()) + " entries, found " + std::to_string(value.size()));
        }
        for (std::size_t i = 0; i < out.size(); ++i) {
            read_value(value[i], Path(pointer, i), out[i], static_cast<Json*>(nullptr));
        }
    } else if constexpr (is_fixed_vector<T>::value) {
        if (!value.is_array()) type_fail(pointer, "an array", value);
        if (value.size() > T::capacity()) {
            fail(ErrorKind::range, pointer,
                 "at most " + std::to_string(T::capacity()) + " entries are supported, found " +
                     std::to_string(value.size()));
        }
        T list{};
        for (std::size_t i = 0; i < value.size(); ++i) {
            std::remove_cv_t<std::remove_reference_t<decltype(list[0])>> item{};
            read_value(value[i], Path(pointer, i), item, static_cast<Json*>(nullptr));
            (void)list.push_back(item); // cannot fail: the size was checked above
        }
        out = list;
    } else {
        read_scalar(value, pointer, out);
    }
}

} // namespace detail
} // namespace deepseek

#endif // DEEPSEEK_CONFIG_DETAIL_JSON_READ_HPP
