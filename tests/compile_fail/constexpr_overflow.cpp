// Must NOT compile: a size that overflows 64 bits inside a constant expression reaches the
// non-constexpr deepseek::detail::report_overflow. (tests/extra_tests.cmake checks the message.)
#include <deepseek/memory.hpp>
#include <deepseek/presets.hpp>

constexpr deepseek::DeepseekV2Config huge() {
    deepseek::DeepseekV2Config c = deepseek::presets::deepseek_v2_lite;
    c.vocab_size = std::uint64_t{1} << 40; // embed_tokens [2^40, 2^40] = 2^80 elements
    c.hidden_size = std::uint64_t{1} << 40;
    return c;
}

static_assert(deepseek::parameter_count(huge()) > 0, "unreachable");
