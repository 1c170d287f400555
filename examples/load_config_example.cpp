// Loads a config.json (or a model folder) and prints what kind of DeepSeek model it describes.
#include <deepseek/json.hpp>

#include <iostream>
#include <type_traits>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: load_config_example PATH\n";
        return 2;
    }
    const auto loaded = deepseek::try_load_config(argv[1]);
    if (!loaded) {
        std::cerr << "load_config_example: " << loaded.error().what() << "\n";
        return 1;
    }
    std::visit(
        [](const auto& c) {
            using C = std::decay_t<decltype(c)>;
            std::cout << "model_type: " << c.model_type << "\n"
                      << "layers: " << c.num_hidden_layers << ", hidden: " << c.hidden_size
                      << ", heads: " << c.num_attention_heads << "\n";
            if constexpr (std::is_same_v<C, deepseek::DeepseekV4Config>) {
                // DeepSeek-V4: one shared K=V vector per token, compressed on most layers.
                std::cout << "routed experts: " << c.n_routed_experts << ", attention: shared K=V\n";
            } else {
                std::cout << "routed experts: "
                          << (c.n_routed_experts ? std::to_string(*c.n_routed_experts) : std::string("none"))
                          << ", attention: " << (deepseek::uses_mla(c) ? "MLA" : "MHA") << "\n";
            }
        },
        loaded.value());
    return 0;
}
