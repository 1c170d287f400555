// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// Checked 64-bit arithmetic. An overflow in a constant expression fails to compile; at run time it
// throws `deepseek::arithmetic_overflow` (or, built without exceptions, calls the handler set by
// `set_overflow_handler`). It never wraps. Standard library only.
#ifndef DEEPSEEK_CONFIG_OVERFLOW_HPP
#define DEEPSEEK_CONFIG_OVERFLOW_HPP

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <limits>

namespace deepseek {

/// Thrown (when exceptions are enabled) when a size does not fit in 64 bits.
/// It derives from std::exception, not std::overflow_error, so that this header does not pull
/// in <stdexcept> and <string> (a quarter of a second of compile time in every TU).
class arithmetic_overflow : public std::exception {
  public:
    /// `quantity` names what overflowed, e.g. "tensor elements" (truncated to fit the message).
    explicit arithmetic_overflow(const char* quantity) noexcept {
        const char prefix[] = "deepseek: uint64 overflow computing ";
        std::size_t n = 0;
        for (const char* p = prefix; *p != '\0'; ++p) message_[n++] = *p;
        for (const char* p = quantity; p != nullptr && *p != '\0' && n + 1 < sizeof message_; ++p) message_[n++] = *p;
        message_[n] = '\0';
    }
    const char* what() const noexcept override { return message_; }

  private:
    char message_[128] = {};
};

/// The function called on overflow when exceptions are disabled. It must not return (if it
/// does, std::abort is called). The argument names the quantity that overflowed.
using overflow_handler = void (*)(const char* what);

namespace detail {
inline void default_overflow_handler(const char* what) noexcept {
    std::fputs("deepseek: uint64 overflow computing ", stderr);
    std::fputs(what, stderr);
    std::fputc('\n', stderr);
    std::abort();
}
inline overflow_handler current_overflow_handler = &default_overflow_handler;

/// Not constexpr on purpose: reaching it inside a constant expression is a compile error.
[[noreturn]] inline void report_overflow(const char* what) {
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS) || defined(_CPPUNWIND)
    throw arithmetic_overflow(what);
#else
    current_overflow_handler(what);
    std::abort();
#endif
}

inline constexpr std::uint64_t u64_max = std::numeric_limits<std::uint64_t>::max();

/// a + b, or report_overflow(what).
constexpr std::uint64_t checked_add(std::uint64_t a, std::uint64_t b, const char* what) {
    if (b > u64_max - a) report_overflow(what);
    return a + b;
}
/// a * b, or report_overflow(what). (GCC and Clang check the product without the division the
/// portable test needs; both forms work in constant expressions.)
constexpr std::uint64_t checked_mul(std::uint64_t a, std::uint64_t b, const char* what) {
#if defined(__GNUC__) || defined(__clang__)
    std::uint64_t product = 0;
    if (__builtin_mul_overflow(a, b, &product)) report_overflow(what);
    return product;
#else
    if (a != 0 && b > u64_max / a) report_overflow(what);
    return a * b;
#endif
}
/// ceil(a / b) for b > 0 (b == 0 is treated as 1: one block spanning the dimension).
constexpr std::uint64_t ceil_div(std::uint64_t a, std::uint64_t b) noexcept {
    if (b == 0) return a == 0 ? 0 : 1;
    return a / b + (a % b != 0 ? 1 : 0);
}
} // namespace detail

/// Sets the overflow handler of builds without exceptions (with exceptions an overflow always
/// throws); returns the previous one. The default prints the message to stderr and calls
/// std::abort; nullptr restores it.
inline overflow_handler set_overflow_handler(overflow_handler handler) noexcept {
    overflow_handler previous = detail::current_overflow_handler;
    detail::current_overflow_handler = handler ? handler : &detail::default_overflow_handler;
    return previous;
}

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_OVERFLOW_HPP
