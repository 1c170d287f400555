// ODR test, first translation unit: the umbrella header. Linked with odr_b.cpp (every header
// one by one, in another order) and one TU per public header: a non-inline definition in a
// header is a duplicate symbol, and the program fails to link.
#include <deepseek/deepseek.hpp>

#include <cstdint>
#include <string>

namespace odr {
std::uint64_t figures_a(const std::string& json_text) {
    const auto cfg = deepseek::parse_config<deepseek::DeepseekV2Config>(json_text);
    const auto report = deepseek::make_report(cfg, deepseek::ReportOptions{}).value();
    const auto manifest = deepseek::tensor_manifest(cfg);
    return deepseek::parameter_count(cfg) + report.checkpoint_bytes.value_or(0) + manifest.size() +
           deepseek::config_to_json(cfg).size() + deepseek::parameter_count(deepseek::presets::deepseek_v3);
}
} // namespace odr
