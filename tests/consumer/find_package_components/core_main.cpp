// find_package_components without nlohmann_json: deepseek_config::core only.
#include <deepseek/memory.hpp>
#include <deepseek/presets.hpp>

#include <cstdint>
#include <iostream>

#include "../../expected_figures.hpp"

constexpr std::uint64_t lite_params = deepseek::parameter_count(deepseek::presets::deepseek_v2_lite);
static_assert(lite_params == expected::v2_lite_params, "V2-Lite parameter count");

int main() {
    std::cout << "constexpr parameter_count(deepseek_v2_lite) = " << lite_params << "\n";
    std::cout << "consumer find_package_components (core only): OK\n";
    return 0;
}
