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
#include <type_traits>
#include <utility>
#include <variant>

namespace deepseek {

/// What went wrong, coarsely, so callers can branch without parsing messages.
enum class ErrorKind {
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
    invalid_query, ///< a memory query the model cannot take (tp 0, tp not dividing, a KV layout it lacks)
    does_not_fit,  ///< the weights alone exceed a memory budget
    not_modelled,  ///< the figure depends on something the library does not model yet
};

/// The text of an error kind, e.g. "range".
[[nodiscard]] constexpr std::string_view to_string(ErrorKind kind) noexcept {
    switch (kind) {
    case ErrorKind::syntax: return "syntax";
    case ErrorKind::type: return "type";
    case ErrorKind::range: return "range";
    case ErrorKind::unknown_value: return "unknown_value";
    case ErrorKind::missing_key: return "missing_key";
    case ErrorKind::unknown_model: return "unknown_model";
    case ErrorKind::type_mismatch: return "type_mismatch";
    case ErrorKind::io: return "io";
    case ErrorKind::out_of_memory: return "out_of_memory";
    case ErrorKind::overflow: return "overflow";
    case ErrorKind::invalid_query: return "invalid_query";
    case ErrorKind::does_not_fit: return "does_not_fit";
    case ErrorKind::not_modelled: return "not_modelled";
    }
    return "";
}

/// The library's error, and the base of every exception it throws: the kind, the JSON pointer of
/// the bad value, the file it came from, and a message a person can act on. `what()` reads
/// "<file>: <pointer>: <message>" (parts that are empty left out).
class Error : public std::runtime_error {
  public:
    Error(ErrorKind kind, std::string pointer, std::string message, std::string file = {})
        : std::runtime_error(format(file, pointer, message)), kind_(kind), pointer_(std::move(pointer)),
          message_(std::move(message)), file_(std::move(file)) {}

    /// The kind of error.
    [[nodiscard]] ErrorKind kind() const noexcept { return kind_; }
    /// The JSON pointer (RFC 6901) of the bad value: "" for the whole document or the file.
    [[nodiscard]] const std::string& pointer() const noexcept { return pointer_; }
    /// The message without the file and pointer prefix.
    [[nodiscard]] const std::string& message() const noexcept { return message_; }
    /// The file path the error is about, when it came from a file.
    [[nodiscard]] const std::string& file() const noexcept { return file_; }

    /// The same error, attributed to a file.
    [[nodiscard]] Error with_file(const std::string& file) const { return Error(kind_, pointer_, message_, file); }

  private:
    [[nodiscard]] static std::string format(const std::string& file, const std::string& pointer,
                                            const std::string& message) {
        std::string out;
        if (!file.empty()) out += file + ": ";
        if (!pointer.empty()) out += pointer + ": ";
        return out + message;
    }

    ErrorKind kind_;
    std::string pointer_;
    std::string message_;
    std::string file_;
};

// Code that behaves differently with and without exceptions lives in an inline namespace named
// after the mode (`ex` or `noex`), so translation units built both ways in one program do not
// disagree about one inline function (the ODR); the names users write are the same.
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS) || defined(_CPPUNWIND)
#define DEEPSEEK_CONFIG_EXCEPTIONS 1
#define DEEPSEEK_CONFIG_ABI_NAMESPACE ex
#else
#define DEEPSEEK_CONFIG_EXCEPTIONS 0
#define DEEPSEEK_CONFIG_ABI_NAMESPACE noex
#endif

/// An Error as itself (the hook `Result<T, E>::value()` calls, found by argument-dependent lookup;
/// an error code type E provides its own `to_error(E)`).
inline const Error& to_error(const Error& e) noexcept { return e; }

namespace detail {
inline namespace DEEPSEEK_CONFIG_ABI_NAMESPACE {
/// Throws `e` (built without exceptions: calls std::abort). The one place the library throws
/// an Error it holds.
[[noreturn]] inline void throw_error(const Error& e) {
#if DEEPSEEK_CONFIG_EXCEPTIONS
    throw e;
#else
    (void)e;
    std::abort();
#endif
}
} // namespace DEEPSEEK_CONFIG_ABI_NAMESPACE
} // namespace detail

namespace detail {
/// What a Result holds. For trivially copyable T and E (a byte count and a MemoryError, a Report):
/// both members and a flag, which is cheap to compile and a literal type; otherwise a
/// std::variant.
template <class T, class E,
          bool Plain = std::is_trivially_copyable_v<T>&& std::is_trivially_copyable_v<E>&&
              std::is_default_constructible_v<T>&& std::is_default_constructible_v<E>>
struct ResultStorage {
    std::variant<T, E> state;
    constexpr ResultStorage(std::in_place_index_t<0>, T v) : state(std::in_place_index<0>, std::move(v)) {}
    constexpr ResultStorage(std::in_place_index_t<1>, E e) : state(std::in_place_index<1>, std::move(e)) {}
    [[nodiscard]] constexpr bool has_value() const noexcept { return state.index() == 0; }
    [[nodiscard]] constexpr const T& value() const { return std::get<0>(state); }
    [[nodiscard]] constexpr T& value() { return std::get<0>(state); }
    [[nodiscard]] constexpr const E& error() const { return std::get<1>(state); }
};
template <class T, class E> struct ResultStorage<T, E, true> {
    T value_{};
    E error_{};
    bool has_value_ = true;
    constexpr ResultStorage(std::in_place_index_t<0>, T v) : value_(v) {}
    constexpr ResultStorage(std::in_place_index_t<1>, E e) : error_(e), has_value_(false) {}
    [[nodiscard]] constexpr bool has_value() const noexcept { return has_value_; }
    [[nodiscard]] constexpr const T& value() const noexcept { return value_; }
    [[nodiscard]] constexpr T& value() noexcept { return value_; }
    [[nodiscard]] constexpr const E& error() const noexcept { return error_; }
};
} // namespace detail

inline namespace DEEPSEEK_CONFIG_ABI_NAMESPACE {

/// A value of type T, or the error E that prevented it: the return type of every non-throwing
/// function, shaped like C++23's std::expected<T, E>. E is `Error` for anything read from a
/// file, and `MemoryError` (a code, so that the figures stay `constexpr`) for the memory
/// figures. There is no default value on error: `value()` checks, and discarding a Result is a
/// warning ([[nodiscard]]).
template <class T, class E = Error> class [[nodiscard]] Result {
  public:
    using value_type = T;
    using error_type = E;

    /// A result holding `value`.
    constexpr Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
    /// A result holding the error `e`.
    constexpr Result(E e) : state_(std::in_place_index<1>, std::move(e)) {}

    /// True when it holds a value.
    [[nodiscard]] constexpr bool has_value() const noexcept { return state_.has_value(); }
    /// True when it holds a value.
    [[nodiscard]] constexpr explicit operator bool() const noexcept { return has_value(); }

    /// The value. Without one: throws the error as an `Error` (built without exceptions: calls
    /// std::abort).
    [[nodiscard]] constexpr const T& value() const& {
        if (!has_value()) detail::throw_error(to_error(state_.error()));
        return state_.value();
    }
    /// The value, moved out. Without one: as value() const&.
    [[nodiscard]] constexpr T&& value() && {
        if (!has_value()) detail::throw_error(to_error(state_.error()));
        return std::move(state_.value());
    }
    /// The value; precondition: has_value().
    [[nodiscard]] constexpr const T& operator*() const& noexcept { return state_.value(); }
    /// The value, moved out; precondition: has_value().
    [[nodiscard]] constexpr T&& operator*() && noexcept { return std::move(state_.value()); }
    /// Member access to the value; precondition: has_value().
    [[nodiscard]] constexpr const T* operator->() const noexcept { return &state_.value(); }
    /// The value, or `fallback` when there is none.
    template <class U> [[nodiscard]] constexpr T value_or(U&& fallback) const& {
        return has_value() ? **this : static_cast<T>(std::forward<U>(fallback));
    }
    /// The error; precondition: !has_value().
    [[nodiscard]] constexpr const E& error() const& noexcept { return state_.error(); }

  private:
    detail::ResultStorage<T, E> state_;
};

} // namespace DEEPSEEK_CONFIG_ABI_NAMESPACE

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_ERROR_HPP
