// Quantisation formats as data: ModelOpt NVFP4 and compressed-tensors INT4, at compile time.
// Expected values: NVIDIA's published element counts of its DeepSeek-R1 FP4 checkpoints
// ("396.8B" v1, "393.6B" v2, reproduced exactly in next-capabilities.md §3.3), and tensor lists
// and byte arithmetic written out here from vLLM's and compressed-tensors' storage code
// (next-capabilities.md §3.2; the research notes of issue 14 for compressed-tensors).
#include <deepseek/memory.hpp>
#include <deepseek/presets.hpp>
#include <deepseek/tensors.hpp>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "catch.hpp"
#include "expected_figures.hpp"
#include "test_support.hpp"

// One namespace per test file: the files of a batch share a translation unit (tests/CMakeLists.txt).
namespace quantization_test {

using namespace deepseek;
namespace P = deepseek::presets;
namespace X = expected;
using test_support::check_rows;
using test_support::rows_with_prefix;

namespace {

/// DeepSeek-V3's shape stored as NVIDIA's NVFP4 export: no quantization_config in config.json,
/// hf_quant_config.json excluding lm_head, the MTP layer 61 whole, and in layers 0-60 the MLA
/// projections q_a, q_b, kv_a, kv_b (v2, R1-0528 and V3.1), and o_proj as well (v1, R1).
constexpr DeepseekV3Config nvfp4_v3(bool o_proj_excluded) {
    DeepseekV3Config c = P::deepseek_v3;
    c.quantization_config = std::optional<QuantizationConfig>{};
    WeightQuantization q{};
    q.format = WeightFormat::nvfp4;
    q.source = QuantSource::hf_quant_config;
    q.block = {1, 16};
    q.input_scale = true;
    for (std::uint64_t layer = 0; layer < 61; ++layer) {
        for (const LinearKind k :
             {LinearKind::q_a_proj, LinearKind::q_b_proj, LinearKind::kv_a_proj, LinearKind::kv_b_proj})
            q.keep(k, layer);
        if (o_proj_excluded) q.keep(LinearKind::o_proj, layer);
    }
    for (std::size_t k = 0; k < linear_kind_count; ++k) q.keep(static_cast<LinearKind>(k), 61);
    q.keep(LinearKind::lm_head, 0);
    c.weight_quantization = std::optional<WeightQuantization>(q);
    return c;
}
constexpr DeepseekV3Config r1_fp4_v1 = nvfp4_v3(true);
constexpr DeepseekV3Config r1_fp4_v2 = nvfp4_v3(false);

/// Kimi-K2.5's language model (its text_config), unquantised: bf16, 61 layers (1 dense), 384
/// routed experts of width 2048, 64 heads, vocab 163,840, no MTP.
constexpr DeepseekV3Config k25_bf16() {
    DeepseekV3Config c = P::deepseek_v3;
    c.quantization_config = std::optional<QuantizationConfig>{};
    c.vocab_size = 163840;
    c.num_attention_heads = 64;
    c.num_key_value_heads = 64;
    c.n_routed_experts = std::optional<std::uint64_t>(384);
    c.first_k_dense_replace = 1;
    c.num_nextn_predict_layers = 0;
    c.n_group = std::optional<std::uint64_t>(1);
    c.topk_group = std::optional<std::uint64_t>(1);
    return c;
}
/// The same stored as its compressed-tensors config says: pack-quantized INT4, groups of 32,
/// `ignore` = lm_head, every self_attn, shared experts and the dense MLP: only routed experts.
constexpr DeepseekV3Config k25_int4() {
    DeepseekV3Config c = k25_bf16();
    WeightQuantization q{};
    q.format = WeightFormat::int4_pack;
    q.block = {1, 32};
    for (const LinearKind k :
         {LinearKind::q_proj, LinearKind::q_a_proj, LinearKind::q_b_proj, LinearKind::kv_a_proj, LinearKind::kv_b_proj,
          LinearKind::o_proj, LinearKind::shared_gate, LinearKind::shared_up, LinearKind::shared_down,
          LinearKind::mlp_gate, LinearKind::mlp_up, LinearKind::mlp_down, LinearKind::lm_head})
        q.keep_all(k);
    c.weight_quantization = std::optional<WeightQuantization>(q);
    return c;
}

} // namespace

// NVIDIA's published element counts (HF's "params" counts the packed bytes as elements).
// LayerSet::same_until: where a run of layers alike for one Linear kind ends (indices written out).
namespace {
constexpr LayerSet layer_set(std::initializer_list<std::uint64_t> members) {
    LayerSet s{};
    for (const std::uint64_t i : members) s.insert(i);
    return s;
}
constexpr LayerSet some = layer_set({3, 4, 5, 63, 64, 70});
constexpr LayerSet all_below_256 = [] {
    LayerSet s{};
    s.insert_below(256);
    return s;
}();
} // namespace
static_assert(some.same_until(0, 100) == 3);
static_assert(some.same_until(3, 100) == 6);
static_assert(some.same_until(3, 5) == 5);
static_assert(some.same_until(6, 100) == 63);
static_assert(some.same_until(63, 100) == 65); // across a word boundary
static_assert(some.same_until(70, 100) == 71);
static_assert(some.same_until(71, 300) == 300);
static_assert(all_below_256.same_until(10, 300) == 256); // nothing is kept at or above the capacity
static_assert(all_below_256.same_until(10, 200) == 200);
static_assert(layer_set({}).same_until(0, 61) == 61);
static_assert(LayerSet{true, {}}.same_until(5, 9) == 9);

static_assert(stored_elements(r1_fp4_v1) == 396'767'103'086);
static_assert(stored_elements(r1_fp4_v2) == 393'632'909'544);
// Bytes: next-capabilities.md §3.3 (NVFP4 linear: out·in·9/16 + 8 bytes; the rest bf16, the
// router bias float32).
static_assert(checkpoint_bytes(r1_fp4_v1) == 423'605'060'024);
static_assert(checkpoint_bytes(r1_fp4_v2) == 413'306'995'616);
// The parameters are the model's, whatever the storage.
static_assert(parameter_count(r1_fp4_v2) == X::v3_params);
static_assert(active_parameter_count(r1_fp4_v2) == X::v3_active_params);
static_assert(param_breakdown(r1_fp4_v2).mtp == X::v3_mtp_params);
static_assert(quantization_modelled(r1_fp4_v2));

// Exclusions that differ from layer to layer: all of V3's Linear layers NVFP4 but layer 10's
// o_proj [7168, 16384] kept bf16. Against all NVFP4: + 7168·16384·2 - (7168·16384·9/16 + 8).
constexpr DeepseekV3Config one_layer_excluded() {
    DeepseekV3Config c = P::deepseek_v3;
    c.quantization_config = std::optional<QuantizationConfig>{};
    WeightQuantization q{};
    q.format = WeightFormat::nvfp4;
    q.block = {1, 16};
    q.input_scale = true;
    q.keep(LinearKind::o_proj, 10);
    c.weight_quantization = std::optional<WeightQuantization>(q);
    return c;
}
constexpr DeepseekV3Config none_excluded() {
    DeepseekV3Config c = one_layer_excluded();
    WeightQuantization q = *c.weight_quantization;
    q.kept = WeightQuantization{}.kept;
    c.weight_quantization = std::optional<WeightQuantization>(q);
    return c;
}
static_assert(checkpoint_bytes(one_layer_excluded()) ==
              checkpoint_bytes(none_excluded()) + 7168ULL * 16384 * 2 - (7168ULL * 16384 * 9 / 16 + 8));
static_assert(tensor_count(one_layer_excluded()) == tensor_count(none_excluded()) - 3);

// compressed-tensors INT4: per routed expert Linear out·in/2 packed + out·in/32·2 scale + 16.
constexpr std::uint64_t k25_expert_linear_int4 = 2048ULL * 7168 / 2 + 2048ULL * 7168 / 32 * 2 + 16;
static_assert(k25_expert_linear_int4 == 8'257'552);
constexpr std::uint64_t k25_routed_linears = 3ULL * 384 * 60;
static_assert(checkpoint_bytes(k25_int4()) == checkpoint_bytes(k25_bf16()) - k25_routed_linears * 2048ULL * 7168 * 2 +
                                                  k25_routed_linears * k25_expert_linear_int4);
static_assert(parameter_count(k25_int4()) == parameter_count(k25_bf16()));
// Three stored tensors per quantised Linear instead of one.
static_assert(tensor_count(k25_int4()) == tensor_count(k25_bf16()) + 2 * k25_routed_linears);

TEST_CASE("NVFP4: a quantised Linear's four tensors, and an excluded one at bf16", "[quantization]") {
    const auto manifest = tensor_manifest(r1_fp4_v2);
    check_rows(rows_with_prefix(manifest, "model.layers.3.self_attn.o_proj."),
               {{"model.layers.3.self_attn.o_proj.weight", {7168, 8192}, Dtype::uint8},
                {"model.layers.3.self_attn.o_proj.weight_scale", {7168, 1024}, Dtype::fp8},
                {"model.layers.3.self_attn.o_proj.weight_scale_2", {}, Dtype::fp32},
                {"model.layers.3.self_attn.o_proj.input_scale", {}, Dtype::fp32}});
    check_rows(rows_with_prefix(manifest, "model.layers.3.self_attn.kv_b_proj."),
               {{"model.layers.3.self_attn.kv_b_proj.weight", {32768, 512}, Dtype::bf16}});
    check_rows(rows_with_prefix(manifest, "model.layers.61.eh_proj."),
               {{"model.layers.61.eh_proj.weight", {7168, 14336}, Dtype::bf16}});
    check_rows(rows_with_prefix(manifest, "lm_head."), {{"lm_head.weight", {129280, 7168}, Dtype::bf16}});
    CHECK(safetensors_name(Dtype::uint8) == "U8");
}

TEST_CASE("compressed-tensors INT4: weight_packed, weight_scale, weight_shape", "[quantization]") {
    const auto manifest = tensor_manifest(k25_int4());
    check_rows(rows_with_prefix(manifest, "model.layers.1.mlp.experts.383.down_proj."),
               {{"model.layers.1.mlp.experts.383.down_proj.weight_packed", {7168, 256}, Dtype::int32},
                {"model.layers.1.mlp.experts.383.down_proj.weight_scale", {7168, 64}, Dtype::bf16},
                {"model.layers.1.mlp.experts.383.down_proj.weight_shape", {2}, Dtype::int64}});
    check_rows(rows_with_prefix(manifest, "model.layers.0.mlp.gate_proj."),
               {{"model.layers.0.mlp.gate_proj.weight", {18432, 7168}, Dtype::bf16}});
    CHECK(safetensors_name(Dtype::int32) == "I32");
    CHECK(safetensors_name(Dtype::int64) == "I64");
}

TEST_CASE("Quantised weights split over tensor-parallel ranks like their bf16 weights", "[quantization]") {
    // NVFP4 v2 at tp 8: every rank holds 1/8 of each split packed weight and scale, and every
    // scalar whole. The bf16 parts of the main model are those of an unquantised V3.
    WeightQuery q{};
    q.tp = 8;
    const SizeResult nvfp4 = weight_bytes_per_rank(r1_fp4_v2, q);
    REQUIRE(nvfp4.has_value());
    CHECK(*nvfp4 < weight_bytes_per_rank(P::deepseek_v3, q).value());
    q.tp = 7; // 7 divides nothing of V3
    CHECK(weight_bytes_per_rank(r1_fp4_v2, q).error() == MemoryError::tp_does_not_divide);
}

} // namespace quantization_test
