// Every memory helper runs at compile time: static_assert on the presets. Expected numbers are
// those of ../shared/reference/memory-formulas.md (sections named inline).
#include <deepseek/memory.hpp>
#include <deepseek/presets.hpp>

#include <cstdint>

#include "catch.hpp"

using namespace deepseek;
namespace P = deepseek::presets;

// Presets carry the files' values.
static_assert(P::deepseek_v2_lite.num_hidden_layers == 27 &&
              !P::deepseek_v2_lite.q_lora_rank.has_value());
static_assert(P::deepseek_v2.q_lora_rank == std::optional<std::uint64_t>(1536));
static_assert(P::deepseek_v3.quantization_config->weight_block_size[1] == 128);
static_assert(P::deepseek_v3.rope_scaling->type == RopeType::yarn &&
              P::deepseek_v3.rope_scaling->factor == 40.0);
static_assert(!P::deepseek_ocr.use_mla && !P::deepseek_ocr.kv_lora_rank.has_value());

// Totals (4.1).
static_assert(parameter_count(P::deepseek_v2_lite) == 15'706'484'224ULL);
static_assert(parameter_count(P::deepseek_v2) == 235'741'434'880ULL);
static_assert(parameter_count(P::deepseek_v3) == 671'026'419'200ULL);
static_assert(parameter_count(P::deepseek_ocr) == 3'336'106'240ULL);
static_assert(param_breakdown(P::deepseek_v3).mtp == 13'463'426'304ULL);
static_assert(param_breakdown(P::deepseek_ocr).vision == 401'372'160ULL);
static_assert(param_breakdown(P::deepseek_v2).routed_experts == 222'717'542'400ULL);
static_assert(tensor_count(P::deepseek_v3) == 91'991);
static_assert(tensor_count(P::deepseek_ocr) == 2'710);
static_assert(tensor_count(P::deepseek_v2_lite) == 5'291);
static_assert(stored_elements(P::deepseek_v3) == 684'531'386'000ULL);

// Bytes.
static_assert(checkpoint_bytes(P::deepseek_v2_lite) == 31'412'968'448ULL);
static_assert(checkpoint_bytes(P::deepseek_ocr) == 6'672'212'480ULL);
static_assert(checkpoint_bytes(P::deepseek_v3) == 688'574'839'360ULL);
static_assert(weight_bytes(P::deepseek_v2_lite, Dtype::bf16) == 31'412'968'448ULL);
static_assert(weight_bytes(P::deepseek_v2_lite, Dtype::int4) == 15'706'484'224ULL / 2);
static_assert(weight_bytes_per_rank(P::deepseek_v2_lite, Dtype::bf16, 1).value ==
              31'412'968'448ULL);
static_assert(can_split(P::deepseek_v3, 8) && !can_split(P::deepseek_v3, 3) &&
              !can_split(P::deepseek_v3, 0));
static_assert(checkpoint_bytes_per_rank(P::deepseek_v3, 1).value == 688'574'839'360ULL);
static_assert(checkpoint_bytes_per_rank(P::deepseek_v3, 7).error ==
              MemoryError::tp_does_not_divide);

// Per layer (4.1) and activated (4.2).
static_assert(layer_breakdown(P::deepseek_v3, 0).attention == 187'107'328ULL);
static_assert(layer_breakdown(P::deepseek_v3, 0).total == 583'483'392ULL);
static_assert(layer_breakdown(P::deepseek_v3, 3).total == 11'507'286'272ULL);
static_assert(layer_breakdown(P::deepseek_v3, 3).router == 1'835'264ULL);
static_assert(layer_breakdown(P::deepseek_ocr, 1).total == 233'720'320ULL);
static_assert(is_moe_layer(P::deepseek_v3, 3) && !is_moe_layer(P::deepseek_v3, 2));
static_assert(active_parameter_count(P::deepseek_v3) == 36'625'618'432ULL);
static_assert(active_parameter_count(P::deepseek_v2) == 20'851'512'320ULL);
static_assert(active_parameter_count(P::deepseek_v2_lite) == 2'451'435'008ULL);
static_assert(active_parameter_count(P::deepseek_ocr) == 574'127'360ULL);
static_assert(mha_head_dim(P::deepseek_ocr) == 128);
static_assert(vision_modelled(P::deepseek_ocr) && !vision_modelled(DeepseekOCR2Config{}));

// KV cache (5).
static_assert(kv_elements_per_token(P::deepseek_v3, KvLayout::latent).value == 576);
static_assert(kv_elements_per_token(P::deepseek_v2, KvLayout::latent).value == 576);
static_assert(kv_elements_per_token(P::deepseek_v3, KvLayout::expanded).value == 40'960);
static_assert(kv_elements_per_token(P::deepseek_v2_lite, KvLayout::expanded).value == 5'120);
static_assert(kv_elements_per_token(P::deepseek_ocr, KvLayout::mha).value == 2'560);
static_assert(kv_elements_per_token_per_rank(P::deepseek_v3, KvLayout::latent, 8).value == 576);
static_assert(kv_bytes_per_token(P::deepseek_v3, KvLayout::latent, Dtype::bf16).value == 70'272);
static_assert(kv_cache_bytes(P::deepseek_v3, KvLayout::latent, 32'768, 1, Dtype::bf16).value ==
              2'302'672'896ULL);
static_assert(kv_bytes_per_token(P::deepseek_v2_lite, KvLayout::latent, Dtype::bf16).value ==
              31'104);
static_assert(kv_cache_bytes(P::deepseek_v2_lite, KvLayout::latent, 32'768, 1, Dtype::bf16).value ==
              1'019'215'872ULL);
static_assert(kv_cache_bytes_per_rank(P::deepseek_v3, KvLayout::expanded, 1, 1, Dtype::bf16, 8)
                  .value == 4'997'120 / 8);
static_assert(!layout_fits(P::deepseek_ocr, KvLayout::latent) &&
              !layout_fits(P::deepseek_v3, KvLayout::mha));
static_assert(kv_elements_per_token(P::deepseek_ocr, KvLayout::expanded).error ==
              MemoryError::layout_needs_mla);
static_assert(kv_elements_per_token(P::deepseek_v2, KvLayout::mha).error ==
              MemoryError::layout_needs_mha);

// Budget: V2-Lite bf16 weights 31,412,968,448 bytes + 1,000 tokens x 31,104 bytes.
static_assert(max_context_tokens(P::deepseek_v2_lite, Dtype::bf16, KvLayout::latent, Dtype::bf16, 1,
                                 1, 31'412'968'448ULL + 31'104ULL * 1'000)
                  .value == 1'000);
static_assert(max_context_tokens(P::deepseek_v2_lite, Dtype::bf16, KvLayout::latent, Dtype::bf16, 1,
                                 1, 31'412'968'448ULL + 31'104ULL * 1'000 - 1)
                  .value == 999);
static_assert(max_context_tokens(P::deepseek_v2_lite, Dtype::bf16, KvLayout::latent, Dtype::bf16, 1,
                                 1, 31'412'968'448ULL - 1)
                  .value == 0);

// The README's worked example: V2-Lite in 40 GiB, latent bf16 KV.
static_assert(max_context_tokens(P::deepseek_v2_lite, Dtype::bf16, KvLayout::latent, Dtype::bf16, 1,
                                 1, 40ULL << 30)
                  .value == 370'907);

// Names and dtypes.
static_assert(to_string(Dtype::fp8) == "fp8" && enum_from_string<Dtype>("int4") == Dtype::int4);
static_assert(to_string(KvLayout::latent) == "latent" &&
              enum_from_string<KvLayout>("expanded") == KvLayout::expanded);
static_assert(dtype_bits(Dtype::int4) == 4 && tensor_dtype_bytes(TensorDtype::F8_E4M3) == 1);

// A config built at compile time, not only the presets.
constexpr DeepseekV2Config dense_lite() {
    DeepseekV2Config c = P::deepseek_v2_lite;
    c.tie_word_embeddings = true;
    return c;
}
static_assert(parameter_count(dense_lite()) == 15'706'484'224ULL - 209'715'200ULL);

TEST_CASE("the constexpr checks of this file compiled") {
    constexpr std::uint64_t v3 = parameter_count(P::deepseek_v3);
    CHECK(v3 == 671'026'419'200ULL);
}
