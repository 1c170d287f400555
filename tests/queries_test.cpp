// The layer-count queries of tensor_walk.hpp run at compile time: static_assert on the presets
// against the published architectures (the models' config.json files and papers: DeepSeek-V3
// has 61 layers, the first 3 dense, and one MTP module; V2-Lite 27 layers, the first dense; V2
// 60 layers, the first dense; DeepSeek-OCR's language model 12 layers, the first dense).
#include <deepseek/presets.hpp>
#include <deepseek/tensor_walk.hpp>

#include <cstdint>
#include <optional>

#include "catch.hpp"

// One namespace per test file: the files of a batch share a translation unit (tests/CMakeLists.txt).
namespace queries_test {

using namespace deepseek;
namespace P = deepseek::presets;

// DeepSeek-V3: 61 layers, first_k_dense_replace 3, one MTP module.
static_assert(P::deepseek_v3.num_hidden_layers == 61);
static_assert(dense_layer_count(P::deepseek_v3) == 3);
static_assert(moe_layer_count(P::deepseek_v3) == 58);
static_assert(mtp_layer_count(P::deepseek_v3) == 1);
static_assert(is_moe(P::deepseek_v3));

// DeepSeek-V2-Lite: 27 layers, 1 dense, 26 MoE, no MTP.
static_assert(P::deepseek_v2_lite.num_hidden_layers == 27);
static_assert(dense_layer_count(P::deepseek_v2_lite) == 1);
static_assert(moe_layer_count(P::deepseek_v2_lite) == 26);
static_assert(mtp_layer_count(P::deepseek_v2_lite) == 0);
static_assert(is_moe(P::deepseek_v2_lite));

// DeepSeek-V2: 60 layers, 1 dense, 59 MoE.
static_assert(P::deepseek_v2.num_hidden_layers == 60);
static_assert(dense_layer_count(P::deepseek_v2) == 1);
static_assert(moe_layer_count(P::deepseek_v2) == 59);
static_assert(mtp_layer_count(P::deepseek_v2) == 0);

// DeepSeek-OCR: 12 layers, 1 dense, 11 MoE.
static_assert(P::deepseek_ocr.num_hidden_layers == 12);
static_assert(dense_layer_count(P::deepseek_ocr) == 1);
static_assert(moe_layer_count(P::deepseek_ocr) == 11);
static_assert(mtp_layer_count(P::deepseek_ocr) == 0);
static_assert(is_moe(P::deepseek_ocr));

// A dense model: n_routed_experts unset, every layer dense.
constexpr DeepseekV2Config dense_config() {
    DeepseekV2Config c = P::deepseek_v2_lite;
    c.n_routed_experts = std::optional<std::uint64_t>{}; // (C++17: operator=(nullopt) is not constexpr)
    return c;
}
static_assert(!is_moe(dense_config()));
static_assert(moe_layer_count(dense_config()) == 0);
static_assert(dense_layer_count(dense_config()) == 27);

// V3 with MTP turned off.
constexpr DeepseekV3Config v3_without_mtp() {
    DeepseekV3Config c = P::deepseek_v3;
    c.num_nextn_predict_layers = 0;
    return c;
}
static_assert(mtp_layer_count(v3_without_mtp()) == 0);

// The counts agree with is_moe_layer, layer by layer, on edge cases of the rule written out by
// hand: moe_layer_freq 2 from layer 1 of 10 (layers 2, 4, 6, 8), freq 0 (none), 3 from 0 of 7
// (0, 3, 6), first_k_dense_replace beyond the layers (none).
TEST_CASE("moe_layer_count follows moe_layer_freq and first_k_dense_replace", "[queries]") {
    struct Case {
        std::uint64_t layers, first_dense, freq, expected_moe;
    };
    const Case cases[] = {{10, 1, 2, 4}, {10, 1, 0, 0}, {7, 0, 3, 3}, {5, 9, 1, 0}, {1, 0, 1, 1}, {0, 0, 1, 0}};
    for (const auto& k : cases) {
        DeepseekV2Config c = P::deepseek_v2_lite;
        c.num_hidden_layers = k.layers;
        c.first_k_dense_replace = k.first_dense;
        c.moe_layer_freq = k.freq;
        CAPTURE(k.layers, k.first_dense, k.freq);
        CHECK(moe_layer_count(c) == k.expected_moe);
        CHECK(dense_layer_count(c) == k.layers - k.expected_moe);
        CHECK(is_moe(c) == (k.expected_moe != 0));
        std::uint64_t by_layer = 0;
        for (std::uint64_t i = 0; i < k.layers; ++i) by_layer += is_moe_layer(c, i) ? 1u : 0u;
        CHECK(by_layer == k.expected_moe);
    }
}

} // namespace queries_test
