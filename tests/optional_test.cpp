// deepseek::Optional: what code written against std::optional does with a config's optional
// fields works the same (each expectation is std::optional's documented behaviour), and it is a
// literal, trivially copyable type for the constexpr configs.
#include <deepseek/config.hpp>
#include <deepseek/optional.hpp>

#include <cstdint>
#include <optional>
#include <type_traits>
#include <vector>

#include "catch.hpp"

// One namespace per test file: the files of a batch share a translation unit (tests/CMakeLists.txt).
namespace optional_test {

using deepseek::Optional;

namespace {

// A literal type: usable in constant expressions like the configs that hold it.
constexpr Optional<std::uint64_t> none{};
constexpr Optional<std::uint64_t> rank{1536};
static_assert(!none.has_value() && !none);
static_assert(rank.has_value() && *rank == 1536);
static_assert(none.value_or(7) == 7 && rank.value_or(7) == 1536);
static_assert(none == std::nullopt && std::nullopt == none && rank != std::nullopt);
static_assert(rank == std::uint64_t{1536} && std::uint64_t{1536} == rank && rank != std::uint64_t{1535});
static_assert(none != std::uint64_t{0}); // empty is not "holds 0"
static_assert(none == Optional<std::uint64_t>{} && rank != none);
static_assert(std::is_trivially_copyable_v<Optional<std::uint64_t>>);
static_assert(std::is_trivially_copyable_v<deepseek::DeepseekV3Config>);

constexpr std::uint64_t assigned() {
    Optional<std::uint64_t> o;
    o = 512;
    const std::uint64_t first = *o;
    o = std::nullopt;
    return first + (o.has_value() ? 1000 : 0) + o.value_or(3);
}
static_assert(assigned() == 515);

} // namespace

TEST_CASE("Optional: std::optional's interface on a config's fields", "[optional]") {
    deepseek::DeepseekV3Config c{};
    c.q_lora_rank = 1536;
    REQUIRE(c.q_lora_rank.has_value());
    CHECK(c.q_lora_rank.value() == 1536);
    c.q_lora_rank.reset();
    CHECK_FALSE(c.q_lora_rank);
    CHECK_THROWS_AS(c.q_lora_rank.value(), std::bad_optional_access);
    CHECK(c.q_lora_rank.emplace(768) == 768);
    CHECK(*c.q_lora_rank == 768);

    // To and from std::optional, both ways, empty and not.
    const std::optional<std::uint64_t> as_std = c.q_lora_rank;
    CHECK(as_std == std::optional<std::uint64_t>{768});
    c.q_lora_rank = std::optional<std::uint64_t>{};
    CHECK(c.q_lora_rank == std::nullopt);
    const std::optional<std::uint64_t> empty_std = c.q_lora_rank;
    CHECK_FALSE(empty_std.has_value());
    c.q_lora_rank = std::optional<std::uint64_t>{64};
    CHECK(c.q_lora_rank == std::uint64_t{64});

    // Member access through ->, on a struct-valued field.
    c.rope_scaling = deepseek::RopeScaling{};
    c.rope_scaling->factor = 40.0;
    CHECK(c.rope_scaling->factor == 40.0);

    // A non-literal T: a value held and copied.
    Optional<std::vector<int>> list;
    CHECK_FALSE(list);
    list.emplace(std::vector<int>{1, 2, 3});
    const Optional<std::vector<int>> copy = list;
    REQUIRE(copy.has_value());
    CHECK(copy->size() == 3);
    CHECK(copy == list);
}

} // namespace optional_test
