// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// Internal: the JSON type, JSON pointers built lazily, and error helpers of the JSON reader
// (try_invoke: what every try_ function returns).
#ifndef DEEPSEEK_CONFIG_DETAIL_JSON_COMMON_HPP
#define DEEPSEEK_CONFIG_DETAIL_JSON_COMMON_HPP

#include <array>
#include <cstddef>
#include <filesystem>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>

#include <nlohmann/json.hpp>

#include "../config.hpp"
#include "../error.hpp"
#include "../optional.hpp"

namespace deepseek {
namespace detail {

/// nlohmann::json, named through a template parameter. The readers and writers below take the
/// JSON type as a template parameter (as nlohmann's own from_json functions do), and the public
/// entry points pass json_t<N> of their unused `int N`: code naming a dependent type is compiled
/// only in a translation unit that calls it, so including this header instantiates none of
/// nlohmann's parser, accessors or serializer.
template <int> struct json_type { using type = nlohmann::json; };
template <int N> using json_t = typename json_type<N>::type;

/// nlohmann::json, named through the template parameters of the function that uses it (the
/// public entry points pass their own: `T`, or an empty pack), for the same reason as json_t.
template <class...> struct json_type_for { using type = nlohmann::json; };
template <class... Ts> using json_for = typename json_type_for<Ts...>::type;

/// Appends one key to a JSON pointer, escaping '~' and '/' as RFC 6901 says.
inline void append_pointer_token(std::string& out, std::string_view key) {
    out += '/';
    for (char ch : key) {
        if (ch == '~')
            out += "~0";
        else if (ch == '/')
            out += "~1";
        else
            out += ch;
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

[[noreturn]] inline void fail(ErrorKind kind, const Path& at, const std::string& message) {
    throw Error(kind, at.str(), message);
}
[[noreturn]] inline void fail(ErrorKind kind, const std::string& pointer, const std::string& message) {
    throw Error(kind, pointer, message);
}

template <class Json> [[noreturn]] void type_fail(const Path& pointer, const char* expected, const Json& found) {
    fail(ErrorKind::type, pointer, std::string("expected ") + expected + ", found " + describe(found));
}
template <class Json> [[noreturn]] void type_fail(const std::string& pointer, const char* expected, const Json& found) {
    fail(ErrorKind::type, pointer, std::string("expected ") + expected + ", found " + describe(found));
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
template <class T> struct is_optional<Optional<T>> : std::true_type {};
template <class T> struct is_std_array : std::false_type {};
template <class T, std::size_t N> struct is_std_array<std::array<T, N>> : std::true_type {};
template <class T> struct is_fixed_vector : std::false_type {};
template <class T, std::size_t N> struct is_fixed_vector<FixedVector<T, N>> : std::true_type {};
template <class T, class = void> struct is_struct_with_fields : std::false_type {};
template <class T> struct is_struct_with_fields<T, std::enable_if_t<has_field_list<T>::value>> : std::true_type {};

/// Runs `f`, turning what the try_ functions report into a result: a deepseek::Error as it is,
/// std::bad_alloc as ErrorKind::out_of_memory (naming `file` when there is one). Any other
/// exception would be a bug of this library and is not disguised as one of these.
template <class T, class F> Result<T> try_invoke(F&& f, const std::filesystem::path* file) {
    try {
        return std::forward<F>(f)();
    } catch (const Error& e) {
        return e;
    } catch (const std::bad_alloc&) {
        return Error(ErrorKind::out_of_memory, "", "out of memory", file != nullptr ? file->string() : std::string());
    }
}

} // namespace detail
} // namespace deepseek

#endif // DEEPSEEK_CONFIG_DETAIL_JSON_COMMON_HPP
