// The program every CMake consumer project builds (its main.cpp names the consumer and includes
// this): parse a config from a string, print its parameter count and a compile-time figure.
// The CTest test checks the printed numbers.
#include <deepseek/json.hpp>
#include <deepseek/memory.hpp>
#include <deepseek/presets.hpp>
#include <deepseek/version.hpp>

#include <cstdint>
#include <iostream>

#include "../../expected_figures.hpp"

// DeepSeek-V2-Lite's config.json, less the keys the count does not read.
static constexpr const char* v2_lite_json = R"({
  "model_type": "deepseek_v2", "architectures": ["DeepseekV2ForCausalLM"],
  "hidden_size": 2048, "intermediate_size": 10944, "moe_intermediate_size": 1408,
  "num_hidden_layers": 27, "num_attention_heads": 16, "num_key_value_heads": 16,
  "n_routed_experts": 64, "n_shared_experts": 2, "num_experts_per_tok": 6,
  "first_k_dense_replace": 1, "moe_layer_freq": 1, "n_group": 1, "topk_group": 1,
  "q_lora_rank": null, "kv_lora_rank": 512, "qk_nope_head_dim": 128, "qk_rope_head_dim": 64,
  "v_head_dim": 128, "vocab_size": 102400, "tie_word_embeddings": false,
  "topk_method": "greedy", "torch_dtype": "bfloat16"
})";

// DeepSeek-V2-Lite's parameter count (its safetensors index), at compile time.
constexpr std::uint64_t lite_params = deepseek::parameter_count(deepseek::presets::deepseek_v2_lite);
static_assert(lite_params == expected::v2_lite_params, "V2-Lite parameter count");

int main() {
    const auto cfg = deepseek::parse_config<deepseek::DeepseekV2Config>(v2_lite_json);
    std::cout << "version " << DEEPSEEK_CONFIG_VERSION_STRING << "\n";
    std::cout << "parsed parameter_count = " << deepseek::parameter_count(cfg) << "\n";
    std::cout << "constexpr parameter_count(deepseek_v2_lite) = " << lite_params << "\n";
    std::cout << "consumer " << DSC_CONSUMER_NAME << ": OK\n";
    return deepseek::parameter_count(cfg) == lite_params ? 0 : 1;
}
