// Must NOT compile: the memory helpers take only the library's config types.
#include <deepseek/memory.hpp>

#include <cstdint>

struct NotAConfig {
    std::uint64_t hidden_size = 1;
    std::uint64_t vocab_size = 1;
};

std::uint64_t count() { return deepseek::parameter_count(NotAConfig{}); }
