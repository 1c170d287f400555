// An engine's view: the config types and the constexpr sizes, nothing else. Built with
// -fno-exceptions -fno-rtti and no nlohmann_json.
#include <deepseek/config.hpp>
#include <deepseek/memory.hpp>
#include <deepseek/presets.hpp>

#include <cstdint>
#include <cstdio>
#include <optional>

#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
#error "the headers_only consumer must be built with -fno-exceptions"
#endif

namespace {
// std::optional's converting assignment is not constexpr in C++17; assigning an optional is.
constexpr std::optional<std::uint64_t> u64(std::uint64_t v) noexcept { return v; }

// A config written in code, as an engine would fill it from its own loader: DeepSeek-V2-Lite.
constexpr deepseek::DeepseekV2Config make_v2_lite() {
    deepseek::DeepseekV2Config c{};
    c.hidden_size = 2048;
    c.intermediate_size = 10944;
    c.moe_intermediate_size = 1408;
    c.num_hidden_layers = 27;
    c.num_attention_heads = 16;
    c.num_key_value_heads = 16;
    c.n_routed_experts = u64(64);
    c.n_shared_experts = u64(2);
    c.num_experts_per_tok = u64(6);
    c.first_k_dense_replace = 1;
    c.n_group = u64(1);
    c.topk_group = u64(1);
    c.q_lora_rank = {}; // no query compression, as V2-Lite
    c.kv_lora_rank = u64(512);
    c.qk_nope_head_dim = 128;
    c.qk_rope_head_dim = 64;
    c.v_head_dim = 128;
    c.vocab_size = 102400;
    return c;
}

constexpr std::uint64_t built = deepseek::parameter_count(make_v2_lite());
constexpr std::uint64_t preset = deepseek::parameter_count(deepseek::presets::deepseek_v2_lite);
static_assert(built == preset, "a V2-Lite written in code counts as the preset");
} // namespace

int main() {
    std::printf("constexpr parameter_count(deepseek_v2_lite) = %llu\n", static_cast<unsigned long long>(preset));
    std::printf("constexpr parameter_count(built in code) = %llu\n", static_cast<unsigned long long>(built));
    std::printf("consumer headers_only: OK\n");
    return 0;
}
