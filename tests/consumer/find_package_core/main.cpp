// The find_package_core consumer: core headers only (deepseek_config::core, no nlohmann_json).
// It looks up the built-in DeepSeek-V2-Lite preset by name and prints its parameter count; the
// CTest test checks the printed figure, read from tests/expected_figures.hpp.
#include <deepseek/any_config.hpp>
#include <deepseek/config.hpp>
#include <deepseek/error.hpp>
#include <deepseek/memory.hpp>
#include <deepseek/presets.hpp>
#include <deepseek/version.hpp>
#if __has_include(<deepseek/validate.hpp>)
#include <deepseek/validate.hpp>
#endif

#include <cstdint>
#include <iostream>
#include <variant>

#include "../../expected_figures.hpp"

// nlohmann/json.hpp is on this machine's default include path, so a core header that included it
// would compile; its include guard and version macro tell.
#if defined(INCLUDE_NLOHMANN_JSON_HPP_) || defined(NLOHMANN_JSON_VERSION_MAJOR)
#error "a core header included nlohmann/json.hpp"
#endif

int main() {
    const auto preset = deepseek::presets::find("deepseek-v2-lite");
    if (!preset) {
        std::cout << "no preset deepseek-v2-lite\n";
        return 1;
    }
    const std::uint64_t params = std::visit([](const auto& cfg) { return deepseek::parameter_count(cfg); }, *preset);
    std::cout << "version " << DEEPSEEK_CONFIG_VERSION_STRING << "\n";
    std::cout << "preset deepseek-v2-lite (" << deepseek::class_name_of(*preset) << ") parameter_count = " << params
              << "\n";
    if (params != expected::v2_lite_params) return 1;
    std::cout << "consumer find_package_core: OK\n";
    return 0;
}
