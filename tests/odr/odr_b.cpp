// ODR test, second translation unit: every public header on its own, in reverse order, and main.
#include <deepseek/version.hpp>
#include <deepseek/tensors.hpp>
#include <deepseek/report.hpp>
#include <deepseek/presets.hpp>
#include <deepseek/ocr.hpp>
#include <deepseek/memory.hpp>
#include <deepseek/json.hpp>
#include <deepseek/config.hpp>
#include <deepseek/deepseek.hpp>

#include <cstdint>
#include <iostream>
#include <string>

namespace odr {
std::uint64_t figures_a(const std::string& json_text);

std::uint64_t figures_b(const std::string& json_text) {
    const auto cfg = deepseek::parse_config<deepseek::DeepseekV2Config>(json_text);
    const auto report = deepseek::make_report(cfg, deepseek::ReportOptions{});
    const auto manifest = deepseek::tensor_manifest(cfg);
    return deepseek::parameter_count(cfg) + report.checkpoint_bytes + manifest.size() +
           deepseek::to_json(cfg).size() +
           deepseek::parameter_count(deepseek::presets::deepseek_v3);
}
} // namespace odr

int main() {
    const std::string text = R"({"model_type": "deepseek_v2", "num_hidden_layers": 2,
        "hidden_size": 256, "intermediate_size": 512, "num_attention_heads": 4,
        "num_key_value_heads": 4, "vocab_size": 1000, "q_lora_rank": null})";
    const std::uint64_t a = odr::figures_a(text);
    const std::uint64_t b = odr::figures_b(text);
    std::cout << "odr: " << a << " == " << b << "\n";
    return a == b && a != 0 ? 0 : 1;
}
