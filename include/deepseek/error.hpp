// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// The errors of the library: what went wrong, where (JSON pointer, file) and a message a person can
// act on; and the result type of the non-throwing functions. Standard library only.
#ifndef DEEPSEEK_CONFIG_ERROR_HPP
#define DEEPSEEK_CONFIG_ERROR_HPP

#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace deepseek {

/// What went wrong, coarsely, so callers can branch without parsing messages.
enum class error_kind {
    syntax,        ///< the text is not JSON (message has line and column)
    type,          ///< a value has the wrong JSON type (string for int, 12.5 for int, null...)
    range,         ///< a value is out of its valid range or inconsistent with another
    unknown_value, ///< a string outside a closed set (topk_method, rope type, ...)
    missing_key,   ///< a required key is absent
    unknown_model, ///< not a DeepSeek family this library knows
    type_mismatch, ///< load_config<T> on a file of another type
    io,            ///< the file cannot be found, read or written
    out_of_memory, ///< an allocation failed (std::bad_alloc, caught by the try_ functions)
    overflow,      ///< a size does not fit in 64 bits
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
    case error_kind::out_of_memory: return "out_of_memory";
    case error_kind::overflow: return "overflow";
    }
    return "";
}

/// The library's error, and the base of every exception it throws: the kind, the JSON pointer of
/// the bad value, the file it came from, and a message a person can act on. `what()` reads
/// "<file>: <pointer>: <message>" (parts that are empty left out).
class error : public std::runtime_error {
  public:
    error(error_kind kind, std::string pointer, std::string message, std::string file = {})
        : std::runtime_error(format(file, pointer, message)), kind_(kind), pointer_(std::move(pointer)),
          message_(std::move(message)), file_(std::move(file)) {}

    /// The kind of error.
    [[nodiscard]] error_kind kind() const noexcept { return kind_; }
    /// The JSON pointer (RFC 6901) of the bad value: "" for the whole document or the file.
    [[nodiscard]] const std::string& pointer() const noexcept { return pointer_; }
    /// The former name of pointer() (0.1); will be removed.
    [[nodiscard]] const std::string& path() const noexcept { return pointer_; }
    /// The message without the file and pointer prefix.
    [[nodiscard]] const std::string& message() const noexcept { return message_; }
    /// The file path the error is about, when it came from a file.
    [[nodiscard]] const std::string& file() const noexcept { return file_; }

    /// The same error, attributed to a file.
    [[nodiscard]] error with_file(const std::string& file) const { return error(kind_, pointer_, message_, file); }

  private:
    static std::string format(const std::string& file, const std::string& pointer, const std::string& message) {
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

/// A value of type T, or the error that prevented it: the return type of every non-throwing
/// function, shaped like C++23's std::expected<T, error>. Discarding one is a warning
/// ([[nodiscard]]), so an unchecked failure does not go unseen.
template <class T> class [[nodiscard]] result {
  public:
    using value_type = T;
    using error_type = deepseek::error;

    /// A result holding `value`.
    result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
    /// A result holding `e`.
    result(deepseek::error e) : state_(std::in_place_index<1>, std::move(e)) {}

    /// True when it holds a value.
    [[nodiscard]] bool has_value() const noexcept { return state_.index() == 0; }
    /// True when it holds a value.
    explicit operator bool() const noexcept { return has_value(); }

    /// The value. Without one: throws the error (with exceptions disabled: calls std::abort).
    [[nodiscard]] const T& value() const& {
        check();
        return *std::get_if<0>(&state_);
    }
    /// The value, moved out. Without one: as value() const&.
    [[nodiscard]] T&& value() && {
        check();
        return std::move(*std::get_if<0>(&state_));
    }
    /// The value; precondition: has_value().
    [[nodiscard]] const T& operator*() const& noexcept { return *std::get_if<0>(&state_); }
    /// The value, moved out; precondition: has_value().
    [[nodiscard]] T&& operator*() && noexcept { return std::move(*std::get_if<0>(&state_)); }
    /// Member access to the value; precondition: has_value().
    [[nodiscard]] const T* operator->() const noexcept { return std::get_if<0>(&state_); }
    /// The value, or `fallback` when there is none.
    template <class U> [[nodiscard]] T value_or(U&& fallback) const& {
        return has_value() ? **this : static_cast<T>(std::forward<U>(fallback));
    }
    /// The error; precondition: !has_value().
    [[nodiscard]] const deepseek::error& error() const& noexcept { return *std::get_if<1>(&state_); }

  private:
    void check() const {
        if (has_value()) return;
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS) || defined(_CPPUNWIND)
        throw *std::get_if<1>(&state_);
#else
        std::abort();
#endif
    }

    std::variant<T, deepseek::error> state_;
};

/// The former name of `error` (0.1); will be removed.
using config_error = error;

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_ERROR_HPP
