// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// The errors of the library: what went wrong, where (JSON pointer, file) and a message a person can
// act on; and the result type of the non-throwing functions. Standard library only.
#ifndef DEEPSEEK_CONFIG_ERROR_HPP
#define DEEPSEEK_CONFIG_ERROR_HPP

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

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_ERROR_HPP
