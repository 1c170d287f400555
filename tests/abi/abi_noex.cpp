// Built with -fno-exceptions: see abi_ex.cpp.
#include <deepseek/memory.hpp>
#include <deepseek/presets.hpp>

#include <cstdio>
#include <cstdlib>

#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
#error "abi_noex.cpp must be built with -fno-exceptions"
#endif

namespace {
[[noreturn]] void handled(const char* what) {
    std::printf("noex: handled %s\n", what);
    std::fflush(stdout);
    std::exit(0);
}
} // namespace

int noex_side() {
    (void)deepseek::set_overflow_handler(&handled);
    deepseek::DeepseekV2Config huge = deepseek::presets::deepseek_v2_lite;
    huge.vocab_size = std::uint64_t{1} << 40;
    huge.hidden_size = std::uint64_t{1} << 40;
    return static_cast<int>(deepseek::parameter_count(huge) & 1);
}
