// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// Reading, validating and saving config.json files (nlohmann_json). Every value is read through
// a checked helper: nlohmann's own conversions turn 1.5 into 1 and -1 into a huge unsigned, and
// those must be errors here, each naming the JSON pointer of the bad value.
#ifndef DEEPSEEK_CONFIG_JSON_HPP
#define DEEPSEEK_CONFIG_JSON_HPP

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>

#include <nlohmann/json.hpp>

#include "any_config.hpp"
#include "config.hpp"

namespace deepseek {

/// What went wrong, coarsely, so callers can branch without parsing messages.
enum class error_kind {
    syntax,        ///< the text is not JSON (message has line and column)
    type,          ///< a value has the wrong JSON type (string for int, 12.5 for int, null...)
    range,         ///< a value is out of its valid range or inconsistent with another
    unknown_value, ///< a string outside a closed set (hidden_act, topk_method, ...)
    missing_key,   ///< a required key is absent
    unknown_model, ///< not a DeepSeek family this library knows
    type_mismatch, ///< load_config<T> on a file of another type
    io,            ///< the file cannot be found or read
};

/// The text of an error kind, e.g. "range".
constexpr std::string_view to_string(error_kind kind) noexcept {
    switch (kind) {
    case error_kind::syntax: return "syntax";
    case error_kind::type: return "type";
    case error_kind::range: return "range";
    case error_kind::unknown_value: return "unknown_value";
    case error_kind::missing_key: return "missing_key";
    case error_kind::unknown_model: return "unknown_model";
    case error_kind::type_mismatch: return "type_mismatch";
    case error_kind::io: return "io";
    }
    return "";
}

/// The one exception type: the JSON pointer of the bad value, the kind, and a message a person
/// can act on. `what()` reads "<file>: <pointer>: <message>" (parts that are empty left out).
class config_error : public std::runtime_error {
  public:
    config_error(error_kind kind, std::string pointer, std::string message, std::string file = {})
        : std::runtime_error(format(file, pointer, message)), kind_(kind),
          pointer_(std::move(pointer)), message_(std::move(message)), file_(std::move(file)) {}

    /// The JSON pointer of the bad value ("" for the whole document or the file).
    const std::string& path() const noexcept { return pointer_; }
    /// The kind of error.
    error_kind kind() const noexcept { return kind_; }
    /// The message without the file and pointer prefix.
    const std::string& message() const noexcept { return message_; }
    /// The file the error is about, when it came from a file.
    const std::string& file() const noexcept { return file_; }

    /// The same error, attributed to a file.
    config_error with_file(const std::string& file) const {
        return config_error(kind_, pointer_, message_, file);
    }

  private:
    static std::string format(const std::string& file, const std::string& pointer,
                              const std::string& message) {
        std::string out;
        if (!file.empty()) out += file + ": ";
        if (!pointer.empty()) out += pointer + ": ";
        return out + message;
    }

    error_kind kind_;
    std::string pointer_;
    std::string message_;
    std::string file_;
};

/// A value or the error that prevented it: the result of the non-throwing entry points.
template <class T> class result {
  public:
    result(T value) : state_(std::move(value)) {}
    result(config_error error) : state_(std::move(error)) {}

    bool ok() const noexcept { return state_.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }
    /// The value; precondition: ok().
    const T& value() const& { return std::get<0>(state_); }
    T&& value() && { return std::get<0>(std::move(state_)); }
    /// The error; precondition: !ok().
    const config_error& error() const { return std::get<1>(state_); }

  private:
    std::variant<T, config_error> state_;
};

/// Where the typed language-model fields live in the file.
enum class Layout {
    top_level,       ///< at the top (V2, V3, and OCR, whose `language_config` is kept as read)
    language_config, ///< only inside `language_config` (DeepSeek-VL2 files)
};

/// A config and everything of its file that the typed fields do not hold, so saving loses
/// nothing. `extra` mirrors the file's structure (nested objects included).
struct Document {
    AnyConfig config;
    nlohmann::json extra = nlohmann::json(nlohmann::json::value_t::object); // {} (braces would make [{}])
    Layout layout = Layout::top_level;
};

/// The largest config file `load_config` reads, in bytes; a larger file is refused unread.
inline constexpr std::uintmax_t max_file_size = 64u * 1024u * 1024u;

/// The largest value any unsigned size or count of a config may have: 2^32. Real models are far
/// below it (the largest, vocab_size 129280, is under 2^17); the cap keeps a crafted file from
/// reaching 64-bit arithmetic with numbers no model has. Products of capped values can still
/// exceed 2^64: the memory helpers report those as `arithmetic_overflow`.
inline constexpr std::uint64_t max_dimension = std::uint64_t{1} << 32;

/// The most layers a config may have in one stack (num_hidden_layers, num_nextn_predict_layers,
/// a vision tower's layers): 4096, 67 times DeepSeek-V3's 61. The memory helpers visit every
/// layer, so this bounds their running time.
inline constexpr std::uint64_t max_layers = 4096;

/// The deepest nesting of arrays and objects a config file may have: 128 (real configs nest 4
/// deep). Deeper text is refused before it is parsed, since copying or printing a JSON tree
/// recurses once per level.
inline constexpr std::size_t max_nesting_depth = 128;

namespace detail {

/// nlohmann::json, named through a template parameter. The readers and writers below take the
/// JSON type as a template parameter (as nlohmann's own from_json functions do), and the public
/// entry points pass json_t<N> of their unused `int N`: code naming a dependent type is compiled
/// only in a translation unit that calls it, so including this header instantiates none of
/// nlohmann's parser, accessors or serializer.
template <int> struct json_type {
    using type = nlohmann::json;
};
template <int N> using json_t = typename json_type<N>::type;

/// Appends one key to a JSON pointer, escaping '~' and '/' as RFC 6901 says.
inline void append_pointer_token(std::string& out, std::string_view key) {
    out += '/';
    for (char ch : key) {
        if (ch == '~') out += "~0";
        else if (ch == '/') out += "~1";
        else out += ch;
    }
}

/// Where a value sits in the document: a chain of keys and indexes on the stack, turned into a
/// JSON pointer only when an error needs one. Reading a valid file builds no pointer strings.
/// A Path refers to its parent and key: it lives only as long as the expression that made it.
class Path {
  public:
    /// The document root ("").
    Path() noexcept = default;
    /// An existing pointer, e.g. "/language_config".
    Path(const std::string& pointer) noexcept : text_(&pointer) {}
    /// `key` inside `parent`.
    Path(const Path& parent, std::string_view key) noexcept : parent_(&parent), key_(key) {}
    /// Entry `index` of the array at `parent`.
    Path(const Path& parent, std::size_t index) noexcept : parent_(&parent), index_(index), is_index_(true) {}

    /// The JSON pointer (RFC 6901).
    std::string str() const {
        std::string out = parent_ != nullptr ? parent_->str() : (text_ != nullptr ? *text_ : std::string());
        if (parent_ != nullptr) append_pointer_token(out, is_index_ ? std::to_string(index_) : std::string(key_));
        return out;
    }

  private:
    const Path* parent_ = nullptr;
    const std::string* text_ = nullptr;
    std::string_view key_{};
    std::size_t index_ = 0;
    bool is_index_ = false;
};

/// The pointer of `key` inside `base`, as a string.
inline std::string pointer_join(const std::string& base, std::string_view key) {
    std::string out = base;
    append_pointer_token(out, key);
    return out;
}

/// A value as JSON text for a message, cut to 60 characters ("..." at the end when cut): a file
/// may hold a string of megabytes.
template <class Json> std::string short_dump(const Json& value) {
    std::string text = value.dump(-1, ' ', true, Json::error_handler_t::replace);
    if (text.size() > 60) text = text.substr(0, 57) + "...";
    return text;
}

/// "a float (12.5)", "a string (\"x\")": how an error message describes a found value.
template <class Json> std::string describe(const Json& value) {
    const std::string text = short_dump(value);
    switch (value.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return "a boolean (" + text + ")";
    case Json::value_t::number_float: return "a float (" + text + ")";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return "an integer (" + text + ")";
    case Json::value_t::string: return "a string (" + text + ")";
    case Json::value_t::array: return "an array";
    case Json::value_t::object: return "an object";
    default: return "a " + std::string(value.type_name());
    }
}

[[noreturn]] inline void fail(error_kind kind, const Path& at, const std::string& message) {
    throw config_error(kind, at.str(), message);
}
[[noreturn]] inline void fail(error_kind kind, const std::string& pointer, const std::string& message) {
    throw config_error(kind, pointer, message);
}

template <class Json> [[noreturn]] void type_fail(const Path& pointer, const char* expected, const Json& found) {
    fail(error_kind::type, pointer, std::string("expected ") + expected + ", found " + describe(found));
}
template <class Json> [[noreturn]] void type_fail(const std::string& pointer, const char* expected, const Json& found) {
    fail(error_kind::type, pointer, std::string("expected ") + expected + ", found " + describe(found));
}

template <class E> std::string accepted_values() {
    std::string out;
    for (const auto& entry : enum_table<E>::entries) {
        if (!out.empty()) out += ", ";
        out += "\"" + std::string(entry.second) + "\"";
    }
    return out;
}

template <class T> struct is_optional : std::false_type {};
template <class T> struct is_optional<std::optional<T>> : std::true_type {};
template <class T> struct is_std_array : std::false_type {};
template <class T, std::size_t N> struct is_std_array<std::array<T, N>> : std::true_type {};
template <class T> struct is_fixed_vector : std::false_type {};
template <class T, std::size_t N> struct is_fixed_vector<FixedVector<T, N>> : std::true_type {};
template <class T, class = void> struct is_struct_with_fields : std::false_type {};
template <class T>
struct is_struct_with_fields<T, std::enable_if_t<has_field_list<T>::value>> : std::true_type {};

// ---- reading one value ----------------------------------------------------------------------

template <class T, class Json> void read_value(const Json& value, const Path& pointer, T& out, Json* extra);

// An integer too large for 64 bits reaches us as a float (nlohmann's fallback): name it so.
// `upper` is 2^64 for unsigned fields, 2^63 for signed ones; -2^63 itself is read as an integer,
// so a float at or below it came from a longer literal.
template <class Json> void fail_if_huge_integer(const Json& value, const Path& pointer, double upper) {
    if (!value.is_number_float()) return;
    const double v = value.template get<double>();
    if (v >= upper || v <= -9223372036854775808.0) {
        fail(error_kind::range, pointer, "too large for a 64-bit integer, found " + describe(value));
    }
}

template <class Json> void read_scalar(const Json& value, const Path& pointer, std::uint64_t& out) {
    if (value.is_number_unsigned()) {
        out = value.template get<std::uint64_t>();
    } else if (value.is_number_integer()) {
        const auto v = value.template get<std::int64_t>();
        if (v < 0) fail(error_kind::range, pointer, "must not be negative, found " + std::to_string(v));
        out = static_cast<std::uint64_t>(v);
    } else if (value.is_number_float()) {
        fail_if_huge_integer(value, pointer, 18446744073709551616.0);
        type_fail(pointer, "an integer (write it without a fraction or exponent)", value);
    } else {
        type_fail(pointer, "an integer", value);
    }
    if (out > max_dimension) {
        fail(error_kind::range, pointer,
             "must be at most 2^32 (4294967296), the limit for any size or count, found " + std::to_string(out));
    }
}

template <class Json> void read_scalar(const Json& value, const Path& pointer, std::int64_t& out) {
    if (value.is_number_integer() && !value.is_number_unsigned()) {
        out = value.template get<std::int64_t>();
    } else if (value.is_number_unsigned()) {
        const auto v = value.template get<std::uint64_t>();
        if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            fail(error_kind::range, pointer, "must be at most 2^63-1, found " + std::to_string(v));
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
    if (!std::isfinite(out)) fail(error_kind::range, pointer, "must be a finite number");
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
    if (!parsed) {
        fail(error_kind::unknown_value, pointer,
             "unknown value " + short_dump(value) +
                 "; accepted: " + accepted_values<E>());
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
            fail(error_kind::missing_key, Path(pointer, "type"),
                 "rope_scaling needs \"type\" (or \"rope_type\"); accepted: " + accepted_values<RopeType>());
        }
        read_scalar(*alias_it, Path(pointer, "rope_type"), out.type);
    } else if (alias_it != object.end()) {
        RopeType alias{};
        read_scalar(*alias_it, Path(pointer, "rope_type"), alias);
        if (alias != out.type) {
            fail(error_kind::range, Path(pointer, "rope_type"),
                 "\"" + std::string(to_string(alias)) + "\" disagrees with type \"" +
                     std::string(to_string(out.type)) + "\"");
        }
    }
    if (object.find("factor") == object.end()) {
        fail(error_kind::missing_key, Path(pointer, "factor"), "rope_scaling needs a \"factor\"");
    }
    if (!(out.factor >= 1.0)) {
        fail(error_kind::range, Path(pointer, "factor"),
             "must be at least 1, found " + describe(object.at("factor")));
    }
}

inline void require_layer_count(std::uint64_t value, const Path& pointer) {
    if (value > max_layers) {
        fail(error_kind::range, pointer,
             "must be at most " + std::to_string(max_layers) + " layers, the limit of this reader, found " +
                 std::to_string(value));
    }
}

template <class Json> void check_quantization_config(const QuantizationConfig& out, const Json& object, const Path& pointer) {
    if (object.find("quant_method") == object.end()) {
        fail(error_kind::missing_key, Path(pointer, "quant_method"),
             "quantization_config needs a \"quant_method\"; accepted: " + accepted_values<QuantMethod>());
    }
    for (std::size_t i = 0; i < 2; ++i) {
        if (out.weight_block_size[i] == 0) {
            fail(error_kind::range, Path(Path(pointer, "weight_block_size"), i),
                 "a block size must be positive, found 0");
        }
    }
}

/// Reads the fields of a struct from a JSON object; consumed keys are erased from `extra`.
template <class T, class Json> void read_struct(const Json& object, const Path& pointer, T& out, Json* extra) {
    if (!object.is_object()) type_fail(pointer, "an object", object);
    // A present `width` object lists the towers there are: the ones it lacks are absent.
    if constexpr (std::is_same_v<T, VisionTowers>) out = VisionTowers{std::nullopt, std::nullopt, std::nullopt};
    field_list<T>::visit([&](const char* key, auto member) {
        const auto it = object.find(key);
        if (it == object.end()) return;
        Json* sub_extra = nullptr;
        if (extra != nullptr && extra->is_object() && extra->contains(key)) sub_extra = &(*extra)[key];
        read_value(*it, Path(pointer, key), out.*member, sub_extra);
        if (extra != nullptr && extra->is_object() && extra->contains(key)) {
            const Json& left = (*extra)[key];
            if (!(left.is_object() && !left.empty() && it->is_object())) extra->erase(key);
        }
    });
    if constexpr (std::is_same_v<T, RopeScaling>) {
        check_rope_scaling(out, object, pointer);
    } else if constexpr (std::is_same_v<T, QuantizationConfig>) {
        check_quantization_config(out, object, pointer);
    } else if constexpr (std::is_same_v<T, ClipVisionConfig> || std::is_same_v<T, SamVisionConfig>) {
        require_layer_count(out.layers, Path(pointer, "layers"));
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
            fail(error_kind::range, pointer,
                 "expected exactly " + std::to_string(out.size()) + " entries, found " +
                     std::to_string(value.size()));
        }
        for (std::size_t i = 0; i < out.size(); ++i) {
            read_value(value[i], Path(pointer, i), out[i], static_cast<Json*>(nullptr));
        }
    } else if constexpr (is_fixed_vector<T>::value) {
        if (!value.is_array()) type_fail(pointer, "an array", value);
        if (value.size() > T::capacity()) {
            fail(error_kind::range, pointer,
                 "at most " + std::to_string(T::capacity()) + " entries are supported, found " +
                     std::to_string(value.size()));
        }
        T list{};
        for (std::size_t i = 0; i < value.size(); ++i) {
            std::remove_cv_t<std::remove_reference_t<decltype(list[0])>> item{};
            read_value(value[i], Path(pointer, i), item, static_cast<Json*>(nullptr));
            list.push_back(item);
        }
        out = list;
    } else {
        read_scalar(value, pointer, out);
    }
}

// ---- writing one value ----------------------------------------------------------------------

template <class T, class Json = nlohmann::json> Json write_value(const T& value);

template <class T, class Json = nlohmann::json> Json write_struct(const T& value) {
    Json out = Json::object();
    field_list<T>::visit([&](const char* key, auto member) {
        const auto& field = value.*member;
        // Inside nested structs an unset optional is left out rather than written as null.
        if constexpr (is_optional<std::decay_t<decltype(field)>>::value) {
            if (!field) return;
        }
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

// ---- the config level -----------------------------------------------------------------------

/// The value of `key` in object `source`, or nullptr.
template <class Json> const Json* find_key(const Json& source, std::string_view key) {
    const auto it = source.find(key);
    return it == source.end() ? nullptr : &*it;
}

/// Finds the value of a config key: in `primary` (where the caller has looked it up already:
/// `in_primary`, nullptr when absent), else (`torch_dtype` only) its newer spelling `dtype`
/// there, else the same in `fallback`. Sets `from_primary` and `actual_key`.
template <class Json>
const Json* find_config_value(const Json* in_primary, const Json& primary, const Json* fallback,
                              std::string_view key, bool& from_primary, std::string_view& actual_key) {
    for (const Json* source : {&primary, fallback}) {
        if (source == nullptr) continue;
        from_primary = source == &primary;
        if (const Json* value = from_primary ? in_primary : find_key(*source, key)) {
            actual_key = key;
            return value;
        }
        // Files re-saved by newer transformers write `dtype` for `torch_dtype`.
        if (key == "torch_dtype") {
            if (const Json* value = find_key(*source, "dtype")) {
                actual_key = "dtype";
                return value;
            }
        }
    }
    return nullptr;
}

/// Where each field of a config was read from, for error pointers in validation. The pointer is
/// worked out again only when an error needs it, by the same lookup as reading.
template <class Json> struct FieldSources {
    const Json* primary = nullptr;
    const Json* fallback = nullptr;
    std::string primary_ptr;
    std::string fallback_ptr;

    std::string operator()(std::string_view key) const {
        bool from_primary = true;
        std::string_view actual_key = key;
        if (primary != nullptr &&
            find_config_value(find_key(*primary, key), *primary, fallback, key, from_primary, actual_key) != nullptr) {
            return pointer_join(from_primary ? primary_ptr : fallback_ptr, actual_key);
        }
        return pointer_join(primary_ptr, key);
    }
};

/// A key of field_list<C> and its place in that list.
struct FieldKey {
    std::string_view name;
    std::size_t index = 0;
};

template <class C> constexpr std::size_t field_count() {
    std::size_t n = 0;
    field_list<C>::visit([&](const char*, auto) { ++n; });
    return n;
}

/// The keys of config `C`'s fields in sorted order (std::sort is not constexpr in C++17, hence
/// the insertion sort; it runs at compile time).
template <class C> constexpr std::array<FieldKey, field_count<C>()> sorted_field_keys() {
    std::array<FieldKey, field_count<C>()> keys{};
    std::size_t n = 0;
    field_list<C>::visit([&](const char* name, auto) {
        keys[n] = FieldKey{name, n};
        ++n;
    });
    for (std::size_t i = 1; i < keys.size(); ++i) {
        for (std::size_t j = i; j > 0 && keys[j].name < keys[j - 1].name; --j) {
            const FieldKey moved = keys[j];
            keys[j] = keys[j - 1];
            keys[j - 1] = moved;
        }
    }
    return keys;
}
template <class C> inline constexpr auto sorted_field_keys_v = sorted_field_keys<C>();

/// The value of each field of config `C` in `object` (nullptr when absent), by its place in
/// field_list<C>. The object's keys (a std::map) and the sorted field keys are walked side by
/// side: one string compare a step, where looking each field up costs a tree search (this saves
/// 8.5 k of the 207 k instructions of a V3 parse).
template <class C, class Json>
std::array<const Json*, field_count<C>()> find_fields(const Json& object) {
    constexpr const auto& keys = sorted_field_keys_v<C>;
    std::array<const Json*, field_count<C>()> found{};
    auto it = object.begin();
    std::size_t k = 0;
    while (it != object.end() && k < keys.size()) {
        const std::string_view name = it.key();
        if (name < keys[k].name) {
            ++it;
        } else if (keys[k].name < name) {
            ++k;
        } else {
            found[keys[k].index] = &*it;
            ++it;
            ++k;
        }
    }
    return found;
}

/// Reads the typed fields of config `C` from `primary` (pointer `sources.primary_ptr`); a key
/// absent there is taken from `sources.fallback` when given (OCR: top level wins over
/// language_config). With `primary_extra`, consumed keys are erased from it.
template <class C, class Json> C read_config_fields(const FieldSources<Json>& sources, Json* primary_extra) {
    const Json& primary = *sources.primary;
    const Path primary_path(sources.primary_ptr);
    const Path fallback_path(sources.fallback_ptr);
    const auto in_primary = find_fields<C>(primary);
    std::size_t index = 0;
    C cfg{};
    bool kv_heads_null = false;
    field_list<C>::visit([&](const char* key, auto member) {
        bool from_primary = true;
        std::string_view actual_key = key;
        const Json* value =
            find_config_value(in_primary[index++], primary, sources.fallback, key, from_primary, actual_key);
        if (value == nullptr) return;
        const Path at(from_primary ? primary_path : fallback_path, actual_key);
        const bool consume = primary_extra != nullptr && from_primary && actual_key == key;
        Json* sub_extra = nullptr;
        if (consume) {
            if (const auto it = primary_extra->find(key); it != primary_extra->end()) sub_extra = &*it;
        }
        if (std::string_view(key) == "num_key_value_heads" && value->is_null()) {
            kv_heads_null = true; // upstream: None means one KV head per attention head
        } else {
            read_value(*value, at, cfg.*member, sub_extra);
        }
        if (consume && sub_extra != nullptr) {
            // A nested object keeps the keys its struct did not take; anything else is consumed.
            if (!(sub_extra->is_object() && !sub_extra->empty() && value->is_object())) primary_extra->erase(key);
        }
    });
    if (kv_heads_null) cfg.num_key_value_heads = cfg.num_attention_heads;
    return cfg;
}

/// `key` of the config must be positive (its pointer is worked out only on failure).
template <class Json> void require_positive(std::uint64_t value, const FieldSources<Json>& at, std::string_view key) {
    if (value == 0) fail(error_kind::range, at(key), std::string(key) + " must be positive, found 0");
}

/// `key` of the config must be a layer count within max_layers.
template <class Json> void require_layer_count(std::uint64_t value, const FieldSources<Json>& at, std::string_view key) {
    if (value > max_layers) require_layer_count(value, Path(at(key)));
}

/// Checks the values that would make the model undefined, naming the bad value's pointer.
template <class C, class Json> void validate(const C& c, const FieldSources<Json>& at) {
    require_positive(c.vocab_size, at, "vocab_size");
    require_positive(c.hidden_size, at, "hidden_size");
    require_positive(c.num_hidden_layers, at, "num_hidden_layers");
    require_layer_count(c.num_hidden_layers, at, "num_hidden_layers");
    if constexpr (std::is_same_v<C, DeepseekV3Config>) {
        require_layer_count(c.num_nextn_predict_layers, at, "num_nextn_predict_layers");
    }
    require_positive(c.num_attention_heads, at, "num_attention_heads");
    require_positive(c.num_key_value_heads, at, "num_key_value_heads");
    require_positive(c.max_position_embeddings, at, "max_position_embeddings");
    require_positive(c.moe_layer_freq, at, "moe_layer_freq");
    require_positive(c.ep_size, at, "ep_size");
    require_positive(c.pretraining_tp, at, "pretraining_tp");
    if (c.num_attention_heads % c.num_key_value_heads != 0) {
        fail(error_kind::range, at("num_key_value_heads"),
             "num_attention_heads (" + std::to_string(c.num_attention_heads) +
                 ") must be a multiple of num_key_value_heads (" + std::to_string(c.num_key_value_heads) + ")");
    }
    if (c.first_k_dense_replace > c.num_hidden_layers) {
        fail(error_kind::range, at("first_k_dense_replace"),
             "must be at most num_hidden_layers (" + std::to_string(c.num_hidden_layers) + "), found " +
                 std::to_string(c.first_k_dense_replace));
    }
    if (!(c.rope_theta > 0.0)) fail(error_kind::range, at("rope_theta"), "must be positive");
    if (!(c.rms_norm_eps > 0.0)) fail(error_kind::range, at("rms_norm_eps"), "must be positive");

    if (uses_mla(c)) {
        if (!c.kv_lora_rank || *c.kv_lora_rank == 0) {
            fail(error_kind::range, at("kv_lora_rank"),
                 "multi-head latent attention (use_mla) needs a positive kv_lora_rank");
        }
        if (c.qk_nope_head_dim + c.qk_rope_head_dim == 0) {
            fail(error_kind::range, at("qk_nope_head_dim"),
                 "multi-head latent attention needs qk_nope_head_dim + qk_rope_head_dim > 0");
        }
        if (c.v_head_dim == 0) {
            fail(error_kind::range, at("v_head_dim"), "multi-head latent attention needs a positive v_head_dim");
        }
    } else if (c.hidden_size % c.num_attention_heads != 0) {
        fail(error_kind::range, at("hidden_size"),
             "hidden_size (" + std::to_string(c.hidden_size) + ") must be a multiple of num_attention_heads (" +
                 std::to_string(c.num_attention_heads) + ") when use_mla is false");
    }

    if (c.n_routed_experts) {
        const std::uint64_t experts = *c.n_routed_experts;
        require_positive(experts, at, "n_routed_experts");
        require_positive(c.moe_intermediate_size, at, "moe_intermediate_size");
        if (!c.num_experts_per_tok) {
            fail(error_kind::missing_key, at("num_experts_per_tok"),
                 "a MoE model (n_routed_experts set) needs num_experts_per_tok");
        }
        require_positive(*c.num_experts_per_tok, at, "num_experts_per_tok");
        if (*c.num_experts_per_tok > experts) {
            fail(error_kind::range, at("num_experts_per_tok"),
                 "must be at most n_routed_experts (" + std::to_string(experts) + "), found " +
                     std::to_string(*c.num_experts_per_tok));
        }
        if (c.n_group) {
            require_positive(*c.n_group, at, "n_group");
            if (experts % *c.n_group != 0) {
                fail(error_kind::range, at("n_group"),
                     "n_routed_experts (" + std::to_string(experts) + ") must be a multiple of n_group (" +
                         std::to_string(*c.n_group) + ")");
            }
        }
    }
    if (c.topk_group && c.n_group && *c.topk_group > *c.n_group) {
        fail(error_kind::range, at("topk_group"),
             "must be at most n_group (" + std::to_string(*c.n_group) + "), found " + std::to_string(*c.topk_group));
    }
    require_positive(c.intermediate_size, at, "intermediate_size");
}

enum class Family { v2, ocr, ocr2, v3, vl2 };

inline std::optional<Family> family_from_model_type(std::string_view type) {
    if (type == "deepseek_v2") return Family::v2;
    if (type == "deepseek_v3" || type == "deepseek_v32") return Family::v3;
    if (type == "DeepseekOCR") return Family::ocr;
    if (type == "DeepseekOCR2") return Family::ocr2;
    return std::nullopt;
}

inline std::optional<Family> family_from_architecture(std::string_view name) {
    if (name == "DeepseekV3ForCausalLM" || name == "DeepseekV32ForCausalLM") return Family::v3;
    if (name == "DeepseekOCRForCausalLM") return Family::ocr;
    if (name == "DeepseekOCR2ForCausalLM") return Family::ocr2;
    if (name == "DeepseekVLV2ForCausalLM") return Family::vl2;
    if (name == "DeepseekV2ForCausalLM") return Family::v2;
    return std::nullopt;
}

inline std::optional<Family> family_from_auto_config(std::string_view reference) {
    // "module.ClassName": the class decides.
    const auto dot = reference.rfind('.');
    const std::string_view cls = dot == std::string_view::npos ? reference : reference.substr(dot + 1);
    if (cls == "DeepseekV2Config") return Family::v2;
    if (cls == "DeepseekV3Config") return Family::v3;
    if (cls == "DeepseekOCRConfig") return Family::ocr;
    if (cls == "DeepseekOCR2Config") return Family::ocr2;
    if (cls == "DeepseekVLV2Config") return Family::vl2;
    return std::nullopt;
}

/// The family by `architectures`, then `auto_map.AutoConfig`, of one object.
template <class Json> std::optional<Family> family_from_hints(const Json& object, const Path& pointer) {
    if (const auto it = object.find("architectures"); it != object.end()) {
        if (!it->is_array()) type_fail(Path(pointer, "architectures"), "an array of strings", *it);
        for (const auto& name : *it) {
            if (name.is_string()) {
                if (auto family = family_from_architecture(name.template get_ref<const std::string&>())) return family;
            }
        }
    }
    if (const auto it = object.find("auto_map"); it != object.end() && it->is_object()) {
        if (const auto cls = it->find("AutoConfig"); cls != it->end() && cls->is_string()) {
            if (auto family = family_from_auto_config(cls->template get_ref<const std::string&>())) return family;
        }
    }
    return std::nullopt;
}

/// Picks the config class like AutoConfig: `model_type` where it decides, else `architectures`
/// / `auto_map`, at the top level and then in `language_config`.
template <class Json> Family detect_family(const Json& root) {
    std::string model_type;
    if (const auto it = root.find("model_type"); it != root.end()) {
        if (!it->is_string()) type_fail("/model_type", "a string", *it);
        model_type = it->template get<std::string>();
        if (auto family = family_from_model_type(model_type)) return *family;
    }
    if (auto family = family_from_hints(root, Path())) return *family;
    if (const auto it = root.find("language_config"); it != root.end() && it->is_object()) {
        if (auto family = family_from_hints(*it, Path(Path(), "language_config"))) return *family;
    }
    fail(error_kind::unknown_model, model_type.empty() ? std::string() : std::string("/model_type"),
         (model_type.empty() ? std::string("no model_type") : "unsupported model_type " + short_dump(Json(model_type))) +
             " and no known architectures; supported: model_type deepseek_v2, deepseek_v3, deepseek_v32, "
             "DeepseekOCR, DeepseekOCR2, or architectures DeepseekV2ForCausalLM, DeepseekV3ForCausalLM, "
             "DeepseekV32ForCausalLM, DeepseekOCRForCausalLM, DeepseekOCR2ForCausalLM, DeepseekVLV2ForCausalLM");
}

/// Reads config `C` laid out as `layout`. With `keep_extra`, `Document::extra` holds every key
/// the typed fields do not; without it (parse_config) that copy of the tree is not made.
template <class C, class Json> Document read_document_as(const Json& root, Layout layout, bool keep_extra) {
    static const std::string language_config_ptr = "/language_config";
    Json extra = keep_extra ? root : Json(Json::value_t::object);
    FieldSources<Json> sources;
    const auto nested = root.find("language_config");
    if (nested != root.end() && !nested->is_object()) type_fail(Path(Path(), "language_config"), "an object", *nested);
    C config{};
    if (layout == Layout::language_config) {
        if (nested == root.end()) {
            fail(error_kind::missing_key, Path(Path(), "language_config"),
                 "a DeepSeek-VL2 file needs a language_config object");
        }
        sources.primary = &*nested;
        sources.primary_ptr = language_config_ptr;
        Json* nested_extra = keep_extra ? &extra["language_config"] : nullptr;
        config = read_config_fields<C>(sources, nested_extra);
        if (nested_extra != nullptr) nested_extra->erase("model_type");
    } else {
        sources.primary = &root;
        if (nested != root.end()) {
            sources.fallback = &*nested;
            sources.fallback_ptr = language_config_ptr;
        }
        config = read_config_fields<C>(sources, keep_extra ? &extra : nullptr);
        if (keep_extra) extra.erase("model_type"); // saving writes the class's, as save_pretrained does
    }
    validate(config, sources);
    return Document{std::move(config), std::move(extra), layout};
}

template <class Json> Document read_document(const Json& root, bool keep_extra) {
    if (!root.is_object()) type_fail("", "a JSON object at the top level", root);
    switch (detect_family(root)) {
    case Family::v2: return read_document_as<DeepseekV2Config>(root, Layout::top_level, keep_extra);
    case Family::ocr: return read_document_as<DeepseekOCRConfig>(root, Layout::top_level, keep_extra);
    case Family::ocr2: return read_document_as<DeepseekOCR2Config>(root, Layout::top_level, keep_extra);
    case Family::v3: return read_document_as<DeepseekV3Config>(root, Layout::top_level, keep_extra);
    case Family::vl2: return read_document_as<DeepseekV2Config>(root, Layout::language_config, keep_extra);
    }
    fail(error_kind::unknown_model, "", "unsupported model family");
}

/// "line L, column C" of byte `index` of `text` (1-based; a column counts bytes).
inline std::string line_column(std::string_view text, std::size_t index) {
    std::size_t line = 1;
    std::size_t column = 1;
    const std::size_t end = std::min(index, text.size());
    for (std::size_t i = 0; i < end; ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

/// Checks what nlohmann's parser would get wrong, before it runs: a NUL byte (which it takes for
/// the end of the input, silently ignoring the rest of the file; JSON text never holds one), and
/// arrays and objects nested deeper than max_nesting_depth (its parser and destructor are
/// iterative, but copying and printing a tree recurse once per level, so 100000 levels would
/// overflow the stack). Brackets inside strings do not count; anything else malformed is left
/// for the parser to describe.
inline void check_structure(std::string_view text) {
    if (text.size() >= 2 && ((text[0] == '\xFF' && text[1] == '\xFE') || (text[0] == '\xFE' && text[1] == '\xFF'))) {
        fail(error_kind::syntax, "", "malformed JSON at line 1, column 1: a UTF-16 byte-order mark; save the file as UTF-8");
    }
    if (const auto nul = text.find('\0'); nul != std::string_view::npos) {
        fail(error_kind::syntax, "",
             "malformed JSON at " + line_column(text, nul) + ": a NUL byte (JSON text cannot hold one)");
    }
}

/// True when `value` holds arrays or objects nested more than `levels` deep. The recursion stops
/// at `levels`, so it is bounded however deep the tree is.
template <class Json> bool nested_deeper_than(const Json& value, std::size_t levels) {
    if (!value.is_structured()) return false;
    if (levels == 0) return true;
    for (const auto& child : value) {
        if (nested_deeper_than(child, levels - 1)) return true;
    }
    return false;
}

/// Refuses a tree nested deeper than max_nesting_depth (copying or printing a tree recurses once
/// per level). Checked on the parsed tree; the text is scanned only to say where.
template <class Json> void check_nesting(const Json& root, std::string_view text) {
    if (!nested_deeper_than(root, max_nesting_depth)) return;
    std::size_t depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char ch = text[i];
        if (in_string) {
            if (ch == '\\') ++i;
            else if (ch == '"') in_string = false;
        } else if (ch == '"') {
            in_string = true;
        } else if (ch == '[' || ch == '{') {
            if (++depth > max_nesting_depth) {
                fail(error_kind::syntax, "",
                     "JSON nested deeper than " + std::to_string(max_nesting_depth) + " levels at " +
                         line_column(text, i));
            }
        } else if ((ch == ']' || ch == '}') && depth > 0) {
            --depth;
        }
    }
    fail(error_kind::syntax, "", "JSON nested deeper than " + std::to_string(max_nesting_depth) + " levels");
}

template <class Json> Json parse_json(std::string_view text) {
    check_structure(text);
    try {
        Json root = Json::parse(text.begin(), text.end());
        check_nesting(root, text);
        return root;
    } catch (const typename Json::parse_error& e) {
        // e.byte is the 1-based byte where parsing stopped.
        std::string reason = e.what();
        if (const auto pos = reason.find(": "); pos != std::string::npos) reason = reason.substr(pos + 2);
        fail(error_kind::syntax, "",
             "malformed JSON at " + line_column(text, e.byte == 0 ? 0 : e.byte - 1) + ": " + reason);
    } catch (const typename Json::out_of_range& e) {
        // A number beyond double's range (1e400): nlohmann throws out_of_range (not parse_error)
        // naming the token but no position. The position given is the token's first occurrence
        // (approximate only if an earlier string holds the same text).
        std::string token;
        const std::string what = e.what();
        if (const auto open = what.find('\''); open != std::string::npos) {
            if (const auto close = what.find('\'', open + 1); close != std::string::npos) {
                token = what.substr(open + 1, close - open - 1);
            }
        }
        const auto at = token.empty() ? std::string_view::npos : text.find(token);
        fail(error_kind::range, "",
             "number out of range" + (at == std::string_view::npos ? std::string() : " at " + line_column(text, at)) +
                 ": " + (token.empty() ? what : token + " does not fit a double"));
    }
}

/// An open file, closed when it goes out of scope. (Through <cstdio>: <fstream> would add 1.5% to
/// the compile time of every translation unit that includes this header.)
class File {
  public:
    /// Opens `path` for binary reading, or for writing (truncated); check `get()` for nullptr.
    File(const std::filesystem::path& path, bool write) noexcept {
#if defined(_WIN32)
        // Windows paths are UTF-16: open them through the wide-character API.
        if (_wfopen_s(&handle_, path.c_str(), write ? L"wb" : L"rb") != 0) handle_ = nullptr;
#else
        handle_ = std::fopen(path.c_str(), write ? "wb" : "rb");
#endif
    }
    File(const File&) = delete;
    File& operator=(const File&) = delete;
    ~File() { close(); }

    std::FILE* get() const noexcept { return handle_; }
    /// Closes the file (flushing what was written); false if that failed.
    bool close() noexcept {
        std::FILE* const handle = handle_;
        handle_ = nullptr;
        return handle == nullptr || std::fclose(handle) == 0;
    }

  private:
    std::FILE* handle_ = nullptr;
};

inline std::string read_file(const std::filesystem::path& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path file = path;
    if (fs::is_directory(file, ec)) {
        file /= "config.json";
        if (!fs::exists(file, ec)) {
            throw config_error(error_kind::io, "", "the folder holds no config.json", path.string());
        }
    }
    const auto status = fs::status(file, ec);
    if (ec || !fs::exists(status)) {
        throw config_error(error_kind::io, "", "no such file", file.string());
    }
    if (!fs::is_regular_file(status)) {
        throw config_error(error_kind::io, "", "not a regular file", file.string());
    }
    const auto size = fs::file_size(file, ec);
    if (ec) throw config_error(error_kind::io, "", "cannot read the file size: " + ec.message(), file.string());
    if (size > max_file_size) {
        throw config_error(error_kind::io, "",
                           "the file is " + std::to_string(size) + " bytes, more than the " +
                               std::to_string(max_file_size) + " a config may have",
                           file.string());
    }
    File in(file, false);
    if (in.get() == nullptr) throw config_error(error_kind::io, "", "cannot open the file for reading", file.string());
    std::string text(static_cast<std::size_t>(size), '\0');
    if (std::fread(text.data(), 1, text.size(), in.get()) != text.size()) {
        throw config_error(error_kind::io, "", "cannot read the whole file", file.string());
    }
    return text;
}

inline std::string display_name(const std::filesystem::path& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) return (path / "config.json").string();
    return path.string();
}

/// The typed fields of config `C` as JSON; see to_json.
template <class C, class Json = nlohmann::json> Json write_config(const C& cfg) {
    Json out = Json::object();
    out["model_type"] = std::string(C::model_type);
    field_list<C>::visit([&](const char* key, auto member) {
        // The DSA keys are not upstream constructor parameters, and engines test for their
        // presence (vLLM: hasattr(config, "index_topk")): unset, they are left out, not null.
        using Field = std::decay_t<decltype(cfg.*member)>;
        if constexpr (std::is_same_v<C, DeepseekV3Config> && is_optional<Field>::value) {
            if (std::string_view(key).rfind("index_", 0) == 0 && !(cfg.*member).has_value()) return;
        }
        out[key] = write_value<Field, Json>(cfg.*member);
    });
    return out;
}

template <class T> T convert_to(const AnyConfig& any) {
    return std::visit(
        [](const auto& c) -> T {
            using Held = std::decay_t<decltype(c)>;
            if constexpr (std::is_base_of_v<T, Held>) {
                return static_cast<const T&>(c); // a subtype loads as its base
            } else {
                throw config_error(error_kind::type_mismatch, "",
                                   "the file holds a " + std::string(class_name<Held>()) + " (model_type \"" +
                                       std::string(Held::model_type) + "\"), not a " +
                                       std::string(class_name<T>()));
            }
        },
        any);
}

} // namespace detail

// ---- public API -------------------------------------------------------------------------------
//
// The entry points below are templates with an unused `int N` parameter (callers never name it)
// that name the JSON type as detail::json_t<N>: a template's body is compiled only in translation
// units that call it, so including this header instantiates no reader or writer, and none of
// nlohmann's parser or serializer.

/// Parses config.json text into a document: the typed config plus every key it does not hold.
/// Any text is safe to pass: a NUL byte, nesting deeper than max_nesting_depth, a number beyond
/// double's range, a size above max_dimension or a layer count above max_layers is a
/// config_error like any other; a UTF-8 byte-order mark is skipped; of duplicate keys the last
/// wins.
template <int N = 0> Document parse_document(std::string_view text) {
    return detail::read_document(detail::parse_json<detail::json_t<N>>(text), true);
}

/// Loads a config.json file, or a folder holding one, into a document.
template <int = 0> Document load_document(const std::filesystem::path& path) {
    const std::string text = detail::read_file(path);
    try {
        return parse_document(text);
    } catch (const config_error& e) {
        throw e.with_file(detail::display_name(path));
    }
}

/// Parses config.json text into the config class its `model_type` / `architectures` name.
template <int N = 0> AnyConfig parse_config(std::string_view text) {
    return detail::read_document(detail::parse_json<detail::json_t<N>>(text), false).config;
}

/// Loads a config.json file (or a folder holding one) into the config class it names.
template <int = 0> AnyConfig load_config(const std::filesystem::path& path) { return load_document(path).config; }

/// Parses text as config type `T`; a subtype's file loads as its base (OCR as DeepseekV2Config),
/// any other type is an error naming both.
template <class T> T parse_config(std::string_view text) {
    static_assert(is_config_v<T>, "parse_config<T>: T must be a deepseek config type");
    return detail::convert_to<T>(parse_config(text));
}

/// Loads a file as config type `T` (see parse_config<T>).
template <class T> T load_config(const std::filesystem::path& path) {
    static_assert(is_config_v<T>, "load_config<T>: T must be a deepseek config type");
    const AnyConfig any = load_config(path);
    try {
        return detail::convert_to<T>(any);
    } catch (const config_error& e) {
        throw e.with_file(detail::display_name(path));
    }
}

/// parse_config without exceptions escaping: the config or the error.
template <int = 0> result<AnyConfig> try_parse_config(std::string_view text) noexcept {
    try {
        return parse_config(text);
    } catch (const config_error& e) {
        return e;
    } catch (const std::exception& e) {
        return config_error(error_kind::io, "", e.what());
    }
}

/// load_config without exceptions escaping: the config or the error.
template <int = 0> result<AnyConfig> try_load_config(const std::filesystem::path& path) noexcept {
    try {
        return load_config(path);
    } catch (const config_error& e) {
        return e;
    } catch (const std::exception& e) {
        return config_error(error_kind::io, "", e.what(), path.string());
    }
}

/// The typed fields of a config as JSON (with its class's `model_type`), the way save_pretrained
/// writes them: unset nullable keys as null.
template <class C, std::enable_if_t<is_config_v<C>, int> = 0> nlohmann::json to_json(const C& cfg) {
    return detail::write_config(cfg);
}

/// The typed fields of whichever config `any` holds.
template <int N = 0> nlohmann::json to_json(const AnyConfig& any) {
    return std::visit([](const auto& c) { return detail::write_config<std::decay_t<decltype(c)>, detail::json_t<N>>(c); },
                      any);
}

namespace detail {
/// Puts every key of `extra` into `out`, merging objects that both have.
template <class Json> void merge_extra(Json& out, const Json& extra) {
    for (auto it = extra.begin(); it != extra.end(); ++it) {
        auto target = out.find(it.key());
        if (target != out.end() && target->is_object() && it->is_object()) {
            merge_extra(*target, *it);
        } else {
            out[it.key()] = *it;
        }
    }
}
} // namespace detail

/// The whole document as JSON: every typed field plus every kept key.
template <int N = 0> nlohmann::json to_json(const Document& doc) {
    using Json = detail::json_t<N>;
    Json out = Json::object();
    if (doc.layout == Layout::language_config) {
        out["language_config"] = to_json<N>(doc.config);
    } else {
        out = to_json<N>(doc.config);
    }
    detail::merge_extra(out, static_cast<const Json&>(doc.extra));
    return out;
}

/// Writes a document as config.json, atomically: to a temporary file beside `path`, then renamed
/// over it, so a crash never leaves half a config.
template <int N = 0> void save_document(const Document& doc, const std::filesystem::path& path) {
    namespace fs = std::filesystem;
    const std::string text = to_json<N>(doc).dump(2) + "\n";
    fs::path temporary = path;
    temporary += ".tmp";
    {
        detail::File out(temporary, true);
        if (out.get() == nullptr) throw config_error(error_kind::io, "", "cannot open for writing", temporary.string());
        const bool written = std::fwrite(text.data(), 1, text.size(), out.get()) == text.size();
        if (!out.close() || !written) {
            std::error_code ignored;
            fs::remove(temporary, ignored);
            throw config_error(error_kind::io, "", "cannot write the file", temporary.string());
        }
    }
    std::error_code ec;
    fs::rename(temporary, path, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(temporary, ignored);
        throw config_error(error_kind::io, "", "cannot replace the file: " + ec.message(), path.string());
    }
}

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_JSON_HPP
