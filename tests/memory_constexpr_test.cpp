// Every memory helper runs at compile time: static_assert on the presets. Expected numbers are
// those of expected_figures.hpp (from ../shared/reference/memory-formulas.md and the checkpoints'
// index files). memory_test.cpp checks at run time only what is not asserted here.
#include <deepseek/memory.hpp>
#include <deepseek/presets.hpp>

#include <cstdint>

#include "catch.hpp"
#include "expected_figures.hpp"
#include "queries.hpp"

// One namespace per test file: the files of a batch share a translation unit (tests/CMakeLists.txt).
namespace memory_constexpr_test {

using namespace deepseek;
using namespace test_support;
namespace P = deepseek::presets;
namespace X = expected;

// Presets carry the files' values.
static_assert(P::deepseek_v2_lite.num_hidden_layers == 27 && !P::deepseek_v2_lite.q_lora_rank.has_value());
static_assert(P::deepseek_v2.q_lora_rank == std::optional<std::uint64_t>(1536));
static_assert(P::deepseek_v3.quantization_config->weight_block_size[1] == 128);
static_assert(P::deepseek_v3.rope_scaling->type == RopeType::yarn && P::deepseek_v3.rope_scaling->factor == 40.0);
static_assert(!P::deepseek_ocr.use_mla && !P::deepseek_ocr.kv_lora_rank.has_value());

// Totals (4.1).
static_assert(parameter_count(P::deepseek_v2_lite) == X::v2_lite_params);
static_assert(parameter_count(P::deepseek_v2) == X::v2_params);
static_assert(parameter_count(P::deepseek_v3) == X::v3_params);
static_assert(parameter_count(P::deepseek_ocr) == X::ocr_params);
static_assert(param_breakdown(P::deepseek_v3).mtp == X::v3_mtp_params);
static_assert(param_breakdown(P::deepseek_ocr).vision == X::ocr_vision_params);
static_assert(param_breakdown(P::deepseek_v2).routed_experts == X::v2_routed_experts);
static_assert(tensor_count(P::deepseek_v3) == X::v3_tensors);
static_assert(tensor_count(P::deepseek_ocr) == X::ocr_tensors);
static_assert(tensor_count(P::deepseek_v2_lite) == X::v2_lite_tensors);
static_assert(stored_elements(P::deepseek_v3) == X::v3_stored_elements);

// Bytes.
static_assert(checkpoint_bytes(P::deepseek_v2_lite) == X::v2_lite_checkpoint_bytes);
static_assert(checkpoint_bytes(P::deepseek_ocr) == X::ocr_checkpoint_bytes);
static_assert(checkpoint_bytes(P::deepseek_v3) == X::v3_checkpoint_bytes);
static_assert(weight_bytes(P::deepseek_v2_lite, Dtype::bf16) == X::v2_lite_checkpoint_bytes);
static_assert(weight_bytes(P::deepseek_v2_lite, Dtype::int4) == X::v2_lite_params / 2);
static_assert(weight_bytes_per_rank(P::deepseek_v2_lite, weight_query(Dtype::bf16, 1)).value() ==
              X::v2_lite_checkpoint_bytes);
static_assert(can_split(P::deepseek_v3, 8) && !can_split(P::deepseek_v3, 3) && !can_split(P::deepseek_v3, 0));
static_assert(weight_bytes_per_rank(P::deepseek_v3, weight_query(std::nullopt, 1)).value() == X::v3_checkpoint_bytes);
static_assert(weight_bytes_per_rank(P::deepseek_v3, weight_query(std::nullopt, 7)).error() ==
              MemoryError::tp_does_not_divide);

// Per layer (4.1) and activated (4.2).
static_assert(layer_breakdown(P::deepseek_v3, 0).attention == X::v3_layer_attention);
static_assert(layer_breakdown(P::deepseek_v3, 0).total == X::v3_dense_layer_params);
static_assert(layer_breakdown(P::deepseek_v3, 3).total == X::v3_moe_layer_params);
static_assert(layer_breakdown(P::deepseek_v3, 3).router == X::v3_layer_router);
static_assert(layer_breakdown(P::deepseek_ocr, 1).total == X::ocr_moe_layer_params);
static_assert(is_moe_layer(P::deepseek_v3, 3) && !is_moe_layer(P::deepseek_v3, 2));
static_assert(active_parameter_count(P::deepseek_v3) == X::v3_active_params);
static_assert(active_parameter_count(P::deepseek_v2) == X::v2_active_params);
static_assert(active_parameter_count(P::deepseek_v2_lite) == X::v2_lite_active_params);
static_assert(active_parameter_count(P::deepseek_ocr) == X::ocr_active_params);
static_assert(mha_head_dim(P::deepseek_ocr) == 128);
static_assert(vision_modelled(P::deepseek_ocr) && vision_modelled(DeepseekOCR2Config{}));

// KV cache (5).
static_assert(kv_elements_per_token_per_layer(P::deepseek_v3, KvLayout::latent).value() == X::mla_latent_kv_elements);
static_assert(kv_elements_per_token_per_layer(P::deepseek_v2, KvLayout::latent).value() == X::mla_latent_kv_elements);
static_assert(kv_elements_per_token_per_layer(P::deepseek_v3, KvLayout::expanded).value() ==
              X::v3_expanded_kv_elements);
static_assert(kv_elements_per_token_per_layer(P::deepseek_v2_lite, KvLayout::expanded).value() ==
              X::v2_lite_expanded_kv_elements);
static_assert(kv_elements_per_token_per_layer(P::deepseek_ocr, KvLayout::mha).value() == X::ocr_mha_kv_elements);
static_assert(kv_elements_per_token_per_layer_per_rank(P::deepseek_v3, KvLayout::latent, 8).value() ==
              X::mla_latent_kv_elements);
static_assert(kv_bytes_per_token(P::deepseek_v3, KvLayout::latent, Dtype::bf16).value() ==
              X::v3_kv_latent_bf16_bytes_per_token);
static_assert(kv_cache_bytes(P::deepseek_v3, kv_query(KvLayout::latent, 32'768, 1, Dtype::bf16, 1)).value() ==
              X::v3_kv_latent_bf16_bytes_32k);
static_assert(kv_bytes_per_token(P::deepseek_v2_lite, KvLayout::latent, Dtype::bf16).value() ==
              X::v2_lite_kv_latent_bf16_bytes_per_token);
static_assert(kv_cache_bytes(P::deepseek_v2_lite, kv_query(KvLayout::latent, 32'768, 1, Dtype::bf16, 1)).value() ==
              X::v2_lite_kv_latent_bf16_bytes_32k);
static_assert(kv_cache_bytes(P::deepseek_v3, kv_query(KvLayout::expanded, 1, 1, Dtype::bf16, 8)).value() ==
              X::v3_kv_expanded_bf16_bytes_per_token / 8);
static_assert(!layout_fits(P::deepseek_ocr, KvLayout::latent) && !layout_fits(P::deepseek_v3, KvLayout::mha));
static_assert(kv_elements_per_token_per_layer(P::deepseek_ocr, KvLayout::expanded).error() ==
              MemoryError::layout_needs_mla);
static_assert(kv_elements_per_token_per_layer(P::deepseek_v2, KvLayout::mha).error() == MemoryError::layout_needs_mha);

// Budget: V2-Lite bf16 weights (its checkpoint) + 1,000 tokens x 31,104 bytes.
constexpr std::uint64_t lite_w = X::v2_lite_checkpoint_bytes;
constexpr std::uint64_t lite_kv = X::v2_lite_kv_latent_bf16_bytes_per_token;
static_assert(max_context_tokens(P::deepseek_v2_lite, budget_query(lite_w + lite_kv * 1'000, Dtype::bf16,
                                                                   KvLayout::latent, Dtype::bf16, 1, 1))
                  .value() == 1'000);
static_assert(max_context_tokens(P::deepseek_v2_lite, budget_query(lite_w + lite_kv * 1'000 - 1, Dtype::bf16,
                                                                   KvLayout::latent, Dtype::bf16, 1, 1))
                  .value() == 999);
// A budget of exactly the weights: they fit, and not one token does (0, no error); one byte less
// and the weights themselves do not fit (an error, never a 0 that reads like a figure).
static_assert(max_context_tokens(P::deepseek_v2_lite,
                                 budget_query(lite_w, Dtype::bf16, KvLayout::latent, Dtype::bf16, 1, 1))
                  .has_value());
static_assert(max_context_tokens(P::deepseek_v2_lite,
                                 budget_query(lite_w, Dtype::bf16, KvLayout::latent, Dtype::bf16, 1, 1))
                  .value() == 0);
static_assert(max_context_tokens(P::deepseek_v2_lite,
                                 budget_query(lite_w - 1, Dtype::bf16, KvLayout::latent, Dtype::bf16, 1, 1))
                  .error() == MemoryError::weights_do_not_fit);
// Unset weights_dtype means the checkpoint as released: V2-Lite's is bf16, the same figure.
static_assert(max_context_tokens(P::deepseek_v2_lite,
                                 budget_query(lite_w, std::nullopt, KvLayout::latent, Dtype::bf16, 1, 1))
                  .has_value());

// The README's worked example: V2-Lite in 40 GiB, latent bf16 KV.
static_assert(max_context_tokens(P::deepseek_v2_lite,
                                 budget_query(40ULL << 30, Dtype::bf16, KvLayout::latent, Dtype::bf16, 1, 1))
                  .value() == X::v2_lite_max_context_40gib);

// Names and dtypes.
static_assert(to_string(Dtype::fp8) == "fp8" && enum_from_string<Dtype>("int4") == Dtype::int4);
static_assert(to_string(KvLayout::latent) == "latent" && enum_from_string<KvLayout>("expanded") == KvLayout::expanded);
static_assert(dtype_bits(Dtype::int4) == 4 && dtype_bits(Dtype::fp8) == 8);

// A config built at compile time, not only the presets.
constexpr DeepseekV2Config dense_lite() {
    DeepseekV2Config c = P::deepseek_v2_lite;
    c.tie_word_embeddings = true;
    return c;
}
static_assert(parameter_count(dense_lite()) == X::v2_lite_params - X::v2_lite_embedding);

// The checks of this file are the static_asserts above: if it compiled, they hold. This case only
// gives CTest something to list for the file; it checks nothing of its own.
// The static_asserts above prove the compile-time path. The run-time path is other code (the
// optimiser's, and the checked multiply's overflow builtin): the same figures, from a config the
// compiler cannot fold.
TEST_CASE("The V3 totals at run time equal the recorded figures") {
    DeepseekV3Config v3 = P::deepseek_v3;
    volatile std::uint64_t layers = v3.num_hidden_layers;
    v3.num_hidden_layers = layers;
    CHECK(parameter_count(v3) == X::v3_params);
    CHECK(checkpoint_bytes(v3) == X::v3_checkpoint_bytes);
    CHECK(tensor_count(v3) == X::v3_tensors);
}

} // namespace memory_constexpr_test
