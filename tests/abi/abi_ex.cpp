// The exceptions switch is ABI-safe: this translation unit is built with exceptions, abi_noex.cpp
// without, and both instantiate the same figure for the same config. Without the `ex` / `noex`
// namespaces the linker would keep one body of `param_breakdown<DeepseekV2Config>` for both (they
// are built at -O0, so the calls are not inlined away), and either this side would call the
// overflow handler instead of throwing, or the other would throw through code built without
// exceptions. The test passes only if each side behaves as its own build says.
#include <deepseek/memory.hpp>
#include <deepseek/presets.hpp>

#include <cstdio>

int noex_side(); // abi_noex.cpp: returns only if the overflow handler was not called

namespace {
bool ex_side() {
    deepseek::DeepseekV2Config huge = deepseek::presets::deepseek_v2_lite;
    huge.vocab_size = std::uint64_t{1} << 40;
    huge.hidden_size = std::uint64_t{1} << 40;
    try {
        (void)deepseek::parameter_count(huge);
    } catch (const deepseek::ArithmeticOverflow& e) {
        std::printf("ex: caught %s\n", e.what());
        return true;
    }
    return false;
}
} // namespace

int main() {
    if (!ex_side()) {
        std::printf("ex: parameter_count did not throw\n");
        return 1;
    }
    std::fflush(stdout);
    noex_side(); // exits 0 from the overflow handler
    std::printf("noex: the overflow handler was not called\n");
    return 1;
}
