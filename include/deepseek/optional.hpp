// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// Optional<T>: a value that may be absent. The type of every config field a file may leave out
// and of every figure that may not exist, with std::optional's interface. Standard library only.
#ifndef DEEPSEEK_CONFIG_OPTIONAL_HPP
#define DEEPSEEK_CONFIG_OPTIONAL_HPP

#include <optional> // std::nullopt, and the conversions to and from std::optional
#include <utility>

namespace deepseek {

/// A T or nothing, with the interface of std::optional<T> that code reading a config uses:
/// `has_value()`, `explicit operator bool`, `*`, `->`, `value()` (checks: throws
/// std::bad_optional_access as std::optional does), `value_or`, `reset`, `emplace`, assignment of
/// a T or `std::nullopt`, and `==` / `!=` with another Optional, a T or `std::nullopt`. It
/// converts to and from std::optional (`std::optional<std::uint64_t> r = cfg.q_lora_rank;`).
///
/// Why not std::optional itself: compiling each std::optional<T> costs g++ 12 about 14 M
/// instructions (its constructors and assignments are constrained templates layered over four
/// base classes), and the config types hold about thirty of them; this type costs a tenth of
/// that (docs/performance.md). It holds a T at all times (T{} when empty), so T must be default
/// constructible; for a literal T it is a literal type, and trivially copyable when T is.
template <class T> class Optional {
  public:
    using value_type = T;

    /// Empty.
    constexpr Optional() = default;
    /// Empty.
    constexpr Optional(std::nullopt_t) noexcept {}
    /// Holding `value`.
    constexpr Optional(const T& value) : value_(value), engaged_(true) {}
    /// Holding `value`.
    constexpr Optional(T&& value) : value_(std::move(value)), engaged_(true) {}
    /// What a std::optional holds (empty when it is).
    template <class U> constexpr Optional(const std::optional<U>& other)
        : value_(other ? T(*other) : T{}), engaged_(other.has_value()) {}

    /// Empties it.
    constexpr Optional& operator=(std::nullopt_t) noexcept {
        reset();
        return *this;
    }

    /// True when it holds a value.
    [[nodiscard]] constexpr bool has_value() const noexcept { return engaged_; }
    /// True when it holds a value.
    [[nodiscard]] constexpr explicit operator bool() const noexcept { return engaged_; }

    /// The value; precondition: has_value().
    [[nodiscard]] constexpr const T& operator*() const noexcept { return value_; }
    /// The value; precondition: has_value().
    [[nodiscard]] constexpr T& operator*() noexcept { return value_; }
    /// Member access to the value; precondition: has_value().
    [[nodiscard]] constexpr const T* operator->() const noexcept { return &value_; }
    /// Member access to the value; precondition: has_value().
    [[nodiscard]] constexpr T* operator->() noexcept { return &value_; }

    /// The value. Empty: throws std::bad_optional_access (built without exceptions: what
    /// std::optional does then, which is to abort).
    [[nodiscard]] constexpr const T& value() const {
        if (!engaged_) fail_access();
        return value_;
    }
    /// The value. Empty: as value() const.
    [[nodiscard]] constexpr T& value() {
        if (!engaged_) fail_access();
        return value_;
    }
    /// The value, or `fallback` when there is none.
    template <class U> [[nodiscard]] constexpr T value_or(U&& fallback) const {
        return engaged_ ? value_ : static_cast<T>(std::forward<U>(fallback));
    }

    /// Empties it.
    constexpr void reset() noexcept {
        value_ = T{};
        engaged_ = false;
    }
    /// Holds T(args...) from now on, and returns it.
    template <class... Args> constexpr T& emplace(Args&&... args) {
        value_ = T(std::forward<Args>(args)...);
        engaged_ = true;
        return value_;
    }

    /// A std::optional holding the same (for code written against std::optional).
    template <class U> constexpr operator std::optional<U>() const {
        return engaged_ ? std::optional<U>(value_) : std::optional<U>();
    }

    friend constexpr bool operator==(const Optional& a, const Optional& b) {
        return a.engaged_ == b.engaged_ && (!a.engaged_ || a.value_ == b.value_);
    }
    friend constexpr bool operator!=(const Optional& a, const Optional& b) { return !(a == b); }
    friend constexpr bool operator==(const Optional& a, std::nullopt_t) noexcept { return !a.engaged_; }
    friend constexpr bool operator==(std::nullopt_t, const Optional& a) noexcept { return !a.engaged_; }
    friend constexpr bool operator!=(const Optional& a, std::nullopt_t) noexcept { return a.engaged_; }
    friend constexpr bool operator!=(std::nullopt_t, const Optional& a) noexcept { return a.engaged_; }
    friend constexpr bool operator==(const Optional& a, const T& b) { return a.engaged_ && a.value_ == b; }
    friend constexpr bool operator==(const T& b, const Optional& a) { return a.engaged_ && a.value_ == b; }
    friend constexpr bool operator!=(const Optional& a, const T& b) { return !(a == b); }
    friend constexpr bool operator!=(const T& b, const Optional& a) { return !(a == b); }

  private:
    // std::optional's own check, compiled only where value() is called on an empty Optional:
    // it throws std::bad_optional_access, or aborts when exceptions are off, and keeps this
    // header free of code that differs with the exception mode.
    static void fail_access() { static_cast<void>(std::optional<T>().value()); }

    T value_{};
    bool engaged_ = false;
};

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_OPTIONAL_HPP
