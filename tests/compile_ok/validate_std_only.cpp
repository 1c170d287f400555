// Built with nothing on the include path but include/ and, first, a folder whose
// nlohmann/json.hpp is an #error (tests/extra_tests.cmake), and without exceptions or RTTI:
// validate.hpp needs the standard library only. Run by CTest: every preset has no problem.
#include <deepseek/validate.hpp>

#include <deepseek/presets.hpp>

#include <cstdio>

#if defined(INCLUDE_NLOHMANN_JSON_HPP_) || defined(NLOHMANN_JSON_VERSION_MAJOR)
#error "deepseek/validate.hpp included nlohmann_json"
#endif

int main() {
    int problems = 0;
    for (const auto name : deepseek::presets::names) {
        for (const auto& e : deepseek::validate(*deepseek::presets::find(name))) {
            std::printf("%.*s: %s\n", static_cast<int>(name.size()), name.data(), e.what());
            ++problems;
        }
    }
    problems += static_cast<int>(deepseek::validate(deepseek::presets::deepseek_v3).size());
    // A config built in memory with a bad value: its one problem.
    deepseek::DeepseekV3Config bad = deepseek::presets::deepseek_v3;
    bad.num_key_value_heads = 0;
    const auto found = deepseek::validate(bad);
    if (found.size() != 1 || found[0].pointer() != "/num_key_value_heads") ++problems;
    std::printf("validate_std_only: %d problems\n", problems);
    return problems == 0 ? 0 : 1;
}
