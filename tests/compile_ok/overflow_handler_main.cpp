// Built with -fno-exceptions: an overflow at run time calls the handler set by
// deepseek::set_overflow_handler (here: print and exit 0), never wraps.
#include <deepseek/memory.hpp>
#include <deepseek/presets.hpp>

#include <cstdio>
#include <cstdlib>

namespace {
void print_and_exit(const char* what) {
    std::printf("handled: %s\n", what);
    std::fflush(stdout);
    std::_Exit(0);
}
} // namespace

int main(int argc, char**) {
    deepseek::set_overflow_handler(&print_and_exit);
    deepseek::DeepseekV2Config c = deepseek::presets::deepseek_v2_lite;
    c.vocab_size = std::uint64_t{1} << (39 + argc); // 2^40 with no arguments: not a constant
    c.hidden_size = std::uint64_t{1} << 40;
    const std::uint64_t n = deepseek::parameter_count(c);
    std::printf("no overflow reported: %llu\n", static_cast<unsigned long long>(n));
    return 1;
}
