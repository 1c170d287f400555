// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// Checked 64-bit arithmetic. An overflow in a constant expression fails to compile. At run time
// it never wraps: the functions that return a Result give it as the error value
// `MemoryError::overflow`; those that return a plain number throw `deepseek::ArithmeticOverflow`
// (an `Error`), or, built without exceptions, call the handler set by `set_overflow_handler`.
// Standard library only.
//
// Mixing translation units built with and without exceptions in one program is safe: the
// arithmetic and the tensor walk behave the same in both (an overflow is recorded in a
// thread-local OverflowScope), and only the code that decides what to do about it differs. That
// code, and every public function that uses it, lives in an inline namespace named after the mode
// (`ex` or `noex`), so the two builds never share one inline function with two bodies (the ODR).
#ifndef DEEPSEEK_CONFIG_OVERFLOW_HPP
#define DEEPSEEK_CONFIG_OVERFLOW_HPP

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>
#include <type_traits>

#include "error.hpp"

namespace deepseek {

/// Thrown (when exceptions are enabled) when a size does not fit in 64 bits, by the functions
/// that return a plain number (`parameter_count`, `checkpoint_bytes`, ...). Its kind is
/// `ErrorKind::overflow`.
class ArithmeticOverflow : public Error {
  public:
    /// `quantity` names what overflowed, e.g. "tensor elements".
    explicit ArithmeticOverflow(const char* quantity)
        : Error(ErrorKind::overflow, "", std::string("uint64 overflow computing ") + quantity) {}
};

/// The function called on overflow when exceptions are disabled. It must not return (if it
/// does, std::abort is called). The argument names the quantity that overflowed.
using OverflowHandler = void (*)(const char* what);

namespace detail {
inline void default_overflow_handler(const char* what) noexcept {
    std::fputs("deepseek: uint64 overflow computing ", stderr);
    std::fputs(what, stderr);
    std::fputc('\n', stderr);
    std::abort();
}
inline OverflowHandler current_overflow_handler = &default_overflow_handler;

// Whether the compiler can tell a constant expression from run time in C++17. Without it an
// overflow inside a Result function throws as elsewhere.
#if defined(__has_builtin)
#if __has_builtin(__builtin_is_constant_evaluated)
#define DEEPSEEK_CONFIG_OVERFLOW_AS_VALUE 1
#define DEEPSEEK_CONFIG_IS_CONSTANT_EVALUATED() __builtin_is_constant_evaluated()
#endif
#endif
#if !defined(DEEPSEEK_CONFIG_OVERFLOW_AS_VALUE) && defined(__cpp_lib_is_constant_evaluated)
#define DEEPSEEK_CONFIG_OVERFLOW_AS_VALUE 1
#define DEEPSEEK_CONFIG_IS_CONSTANT_EVALUATED() std::is_constant_evaluated()
#endif
#ifndef DEEPSEEK_CONFIG_OVERFLOW_AS_VALUE
#define DEEPSEEK_CONFIG_OVERFLOW_AS_VALUE 0
#define DEEPSEEK_CONFIG_IS_CONSTANT_EVALUATED() false
#endif

/// True while a constant expression is evaluated (false where the compiler cannot tell).
constexpr bool is_constant_evaluated() noexcept { return DEEPSEEK_CONFIG_IS_CONSTANT_EVALUATED(); }

/// The overflow state of this thread while a library entry point runs (see OverflowScope).
struct OverflowState {
    int depth = 0;              ///< open OverflowScopes
    bool overflowed = false;    ///< an overflow happened in the innermost scope
    const char* what = nullptr; ///< the first quantity that overflowed in it
};
inline OverflowState& overflow_state() noexcept {
    static thread_local OverflowState state;
    return state;
}

/// While one lives, an overflow on this thread is recorded (report_overflow returns the largest
/// uint64, and the figure being computed is discarded) instead of reported.
class OverflowScope {
  public:
    OverflowScope() noexcept : saved_(overflow_state()) {
        ++overflow_state().depth;
        overflow_state().overflowed = false;
        overflow_state().what = nullptr;
    }
    ~OverflowScope() {
        const int depth = overflow_state().depth - 1;
        overflow_state() = saved_;
        overflow_state().depth = depth;
    }
    OverflowScope(const OverflowScope&) = delete;
    OverflowScope& operator=(const OverflowScope&) = delete;
    /// Whether an overflow happened in this scope.
    [[nodiscard]] bool overflowed() const noexcept { return overflow_state().overflowed; }
    /// The first quantity that overflowed in this scope ("" when none did).
    [[nodiscard]] const char* what() const noexcept {
        return overflow_state().what != nullptr ? overflow_state().what : "";
    }

  private:
    OverflowState saved_;
};

/// Reports an overflow of `what`, the same in builds with and without exceptions. Not constexpr
/// on purpose: reaching it inside a constant expression is a compile error. Inside an
/// OverflowScope (every library entry point opens one) it records the overflow and returns the
/// largest uint64; outside one (a TensorSpec's elements() in a walk of your own) it calls the
/// overflow handler, then std::abort.
inline std::uint64_t report_overflow(const char* what) {
    OverflowState& state = overflow_state();
    if (state.depth > 0) {
        if (!state.overflowed) state.what = what;
        state.overflowed = true;
        return std::numeric_limits<std::uint64_t>::max();
    }
    current_overflow_handler(what);
    std::abort();
}

inline namespace DEEPSEEK_CONFIG_ABI_NAMESPACE {
/// Reports an overflow that a plain-number function met: throws ArithmeticOverflow (without
/// exceptions: calls the overflow handler, then std::abort).
[[noreturn]] inline void throw_overflow(const char* what) {
#if DEEPSEEK_CONFIG_EXCEPTIONS
    throw ArithmeticOverflow(what);
#else
    current_overflow_handler(what);
    std::abort();
#endif
}

/// Runs f() in an OverflowScope; an overflow in it is thrown (throw_overflow).
template <class F> auto run_checked(const F& f) -> decltype(f()) {
    const OverflowScope scope;
    auto value = f();
    if (scope.overflowed()) throw_overflow(scope.what());
    return value;
}

/// f(), the body of a function that returns a plain number: an overflow at run time is thrown
/// (throw_overflow); in a constant expression it is a compile error.
template <class F> constexpr auto checked_figure(const F& f) -> decltype(f()) {
    if (!DEEPSEEK_CONFIG_OVERFLOW_AS_VALUE || is_constant_evaluated()) return f();
    return run_checked(f);
}
} // namespace DEEPSEEK_CONFIG_ABI_NAMESPACE

inline constexpr std::uint64_t u64_max = std::numeric_limits<std::uint64_t>::max();

/// a + b, or report_overflow(what).
constexpr std::uint64_t checked_add(std::uint64_t a, std::uint64_t b, const char* what) {
    if (b > u64_max - a) return report_overflow(what);
    return a + b;
}
/// a * b, or report_overflow(what). (GCC and Clang check the product without the division the
/// portable test needs; both forms work in constant expressions.)
constexpr std::uint64_t checked_mul(std::uint64_t a, std::uint64_t b, const char* what) {
#if defined(__GNUC__) || defined(__clang__)
    std::uint64_t product = 0;
    if (__builtin_mul_overflow(a, b, &product)) return report_overflow(what);
    return product;
#else
    if (a != 0 && b > u64_max / a) return report_overflow(what);
    return a * b;
#endif
}
/// ceil(a / b) for b > 0 (b == 0 is treated as 1: one block spanning the dimension).
constexpr std::uint64_t ceil_div(std::uint64_t a, std::uint64_t b) noexcept {
    if (b == 0) return a == 0 ? 0 : 1;
    return a / b + (a % b != 0 ? 1 : 0);
}
} // namespace detail

/// (Not [[nodiscard]]: like std::set_terminate, most callers have no use for the previous handler.)
/// Sets the overflow handler, called on an overflow that cannot be thrown or returned: in a
/// plain-number function built without exceptions, or outside the library's entry points. It must
/// not return. Returns the previous one. The default prints the message to stderr and calls
/// std::abort; nullptr restores it.
inline OverflowHandler set_overflow_handler(OverflowHandler handler) noexcept {
    OverflowHandler previous = detail::current_overflow_handler;
    detail::current_overflow_handler = handler ? handler : &detail::default_overflow_handler;
    return previous;
}

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_OVERFLOW_HPP
