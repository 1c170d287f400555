// ODR test, second translation unit: every public header on its own, in reverse order, and main.
#include <deepseek/config.hpp>
#include <deepseek/deepseek.hpp>
#include <deepseek/json.hpp>
#include <deepseek/memory.hpp>
#include <deepseek/ocr.hpp>
#include <deepseek/presets.hpp>
#include <deepseek/report.hpp>
#include <deepseek/tensors.hpp>
#include <deepseek/version.hpp>

#include <cstdint>
#include <iostream>
#include <string>

namespace odr {
std::uint64_t figures_a(const std::string& json_text);

std::uint64_t figures_b(const std::string& json_text) {
    const auto cfg = deepseek::parse_config<deepseek::DeepseekV2Config>(json_text);
    const auto report = deepseek::make_report(cfg, deepseek::ReportOptions{}).value();
    const auto manifest = deepseek::tensor_manifest(cfg);
    return deepseek::parameter_count(cfg) + report.checkpoint_bytes.value_or(0) + manifest.size() +
           deepseek::config_to_json(cfg).size() + deepseek::parameter_count(deepseek::presets::deepseek_v3);
}
} // namespace odr

int main() {
    const std::string text = R"({"model_type": "deepseek_v2", "num_hidden_layers": 2,
        "hidden_size": 256, "intermediate_size": 512, "num_attention_heads": 4,
        "num_key_value_heads": 4, "vocab_size": 1000, "q_lora_rank": null})";
    // What this test proves is that it links: both TUs instantiate the same inline functions and
    // variables of every header, so a header definition that is not inline is a duplicate symbol
    // and the link fails. (Comparing the two TUs' figures proved nothing: the linker keeps one copy
    // of each inline function, so both calls run the same code. The figures are checked elsewhere.)
    std::cout << "odr: linked; umbrella TU " << odr::figures_a(text) << ", header-by-header TU " << odr::figures_b(text)
              << "\n";
    return 0;
}
