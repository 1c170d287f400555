// The README's headline: DeepSeek-V3 as released (FP8) on 8 tensor-parallel ranks with 96 GiB
// each, `deepseek-config deepseek-v3.json --tp 8 --budget 96GiB`:
//     weights       85,140,130,848 bytes per rank (MTP layer not loaded)
//     kv cache      latent, bf16: 70,272 bytes per token
//     max context   255,280 tokens x batch 1 in 96.00 GiB per rank
// and with `--mtp` (the MTP layer loaded, for speculative decoding): 87,264,518,336 bytes and
// 225,049 tokens.
// Each figure is derived here by hand, tensor by tensor, from V3's hyperparameters and its storage
// (memory-formulas.md §2.9: every Linear weight inside a decoder layer is FP8 e4m3, 1 byte, with a
// float32 weight_scale_inv of one scale per 128x128 block; everything else bf16 but the float32
// e_score_correction_bias) and the tensor-parallel split of DeepSeek's V3 inference code
// (memory-formulas.md §2.10, and weight_bytes_per_rank in include/deepseek/memory.hpp). The hand
// sums must equal the figures of expected_figures.hpp, and the library must equal both.
#include <deepseek/memory.hpp>
#include <deepseek/presets.hpp>
#include <deepseek/report.hpp>

#include <cstdint>
#include <optional>

#include "catch.hpp"
#include "expected_figures.hpp"
#include "queries.hpp"

// One namespace per test file: the files of a batch share a translation unit (tests/CMakeLists.txt).
namespace headline_test {

using namespace deepseek;
using namespace test_support;

namespace {
namespace hand {

// ---- DeepSeek-V3's hyperparameters (its config.json), written out. ----------------------------
constexpr std::uint64_t H = 7168;            // hidden_size
constexpr std::uint64_t V = 129280;          // vocab_size
constexpr std::uint64_t L = 61;              // num_hidden_layers
constexpr std::uint64_t L_dense = 3;         // first_k_dense_replace: layers 0, 1, 2 are dense
constexpr std::uint64_t L_moe = L - L_dense; // layers 3..60: 58 MoE layers
constexpr std::uint64_t L_mtp = 1;           // num_nextn_predict_layers: layer 61, an MoE layer
constexpr std::uint64_t n_h = 128;           // num_attention_heads
constexpr std::uint64_t r_q = 1536;          // q_lora_rank
constexpr std::uint64_t r_kv = 512;          // kv_lora_rank
constexpr std::uint64_t d_r = 64;            // qk_rope_head_dim
constexpr std::uint64_t d_n = 128;           // qk_nope_head_dim
constexpr std::uint64_t d_v = 128;           // v_head_dim
constexpr std::uint64_t E = 256;             // n_routed_experts
constexpr std::uint64_t I_e = 2048;          // moe_intermediate_size
constexpr std::uint64_t S = 1;               // n_shared_experts
constexpr std::uint64_t I = 18432;           // intermediate_size

// ---- Storage: bytes per element, and the FP8 scale grid. -------------------------------------
constexpr std::uint64_t fp8 = 1;  // e4m3 Linear weights inside decoder layers
constexpr std::uint64_t bf16 = 2; // everything else...
constexpr std::uint64_t fp32 = 4; // ...but the router bias and the weight_scale_inv tensors
/// Scale blocks along a dimension of n: one per 128, the last one partial (ceil(n / 128)).
constexpr std::uint64_t blocks(std::uint64_t n) { return (n + 127) / 128; }

// ---- The split: one of tp = 8 ranks. ---------------------------------------------------------
constexpr std::uint64_t tp = 8;
// What one rank holds of a tensor [rows, cols]: `rows / tp` rows (column-parallel weights,
// embedding, head), `cols / tp` columns (row-parallel weights), E / tp experts, or all of it
// (replicated). A weight_scale_inv tensor is split like its weight, over its own block grid.
static_assert(V % tp == 0 && E % tp == 0 && (n_h * (d_n + d_r)) % tp == 0 && I % tp == 0);
static_assert(blocks(n_h * (d_n + d_r)) % tp == 0 && blocks(I) % tp == 0 && blocks(S * I_e) % tp == 0);

// ---- The model root. -------------------------------------------------------------------------
constexpr std::uint64_t embed_tokens = (V / tp) * H * bf16; // [129280, 7168], rows: 16,160
constexpr std::uint64_t norm = H * bf16;                    // [7168], replicated
constexpr std::uint64_t lm_head = (V / tp) * H * bf16;      // [129280, 7168], rows: 16,160
constexpr std::uint64_t root = embed_tokens + norm + lm_head;

// ---- Per decoder layer, the 61 and the MTP layer: the two norms and MLA attention. -----------
constexpr std::uint64_t input_layernorm = H * bf16;          // [7168], replicated
constexpr std::uint64_t post_attention_layernorm = H * bf16; // [7168], replicated
// q_a_proj [1536, 7168], replicated; scale [12, 56].
constexpr std::uint64_t q_a_proj = r_q * H * fp8;
constexpr std::uint64_t q_a_proj_scale = blocks(r_q) * blocks(H) * fp32;
constexpr std::uint64_t q_a_layernorm = r_q * bf16; // [1536], replicated
// q_b_proj [128 x 192 = 24576, 1536], rows: 3,072; scale [192, 12], rows: 24.
constexpr std::uint64_t q_b_proj = (n_h * (d_n + d_r) / tp) * r_q * fp8;
constexpr std::uint64_t q_b_proj_scale = (blocks(n_h * (d_n + d_r)) / tp) * blocks(r_q) * fp32;
// kv_a_proj_with_mqa [512 + 64 = 576, 7168], replicated; scale [ceil(576/128) = 5, 56].
constexpr std::uint64_t kv_a_proj = (r_kv + d_r) * H * fp8;
constexpr std::uint64_t kv_a_proj_scale = blocks(r_kv + d_r) * blocks(H) * fp32;
constexpr std::uint64_t kv_a_layernorm = r_kv * bf16; // [512], replicated
// kv_b_proj [128 x 256 = 32768, 512], rows: 4,096; scale [256, 4], rows: 32.
constexpr std::uint64_t kv_b_proj = (n_h * (d_n + d_v) / tp) * r_kv * fp8;
constexpr std::uint64_t kv_b_proj_scale = (blocks(n_h * (d_n + d_v)) / tp) * blocks(r_kv) * fp32;
// o_proj [7168, 128 x 128 = 16384], columns: 2,048; scale [56, 128], columns: 16.
constexpr std::uint64_t o_proj = H * (n_h * d_v / tp) * fp8;
constexpr std::uint64_t o_proj_scale = blocks(H) * (blocks(n_h * d_v) / tp) * fp32;
constexpr std::uint64_t every_layer = input_layernorm + post_attention_layernorm + q_a_proj + q_a_proj_scale +
                                      q_a_layernorm + q_b_proj + q_b_proj_scale + kv_a_proj + kv_a_proj_scale +
                                      kv_a_layernorm + kv_b_proj + kv_b_proj_scale + o_proj + o_proj_scale;

// ---- Dense MLP of width 18432 (layers 0-2). --------------------------------------------------
// gate_proj and up_proj [18432, 7168], rows: 2,304; scales [144, 56], rows: 18.
constexpr std::uint64_t gate_proj = (I / tp) * H * fp8;
constexpr std::uint64_t gate_proj_scale = (blocks(I) / tp) * blocks(H) * fp32;
constexpr std::uint64_t up_proj = (I / tp) * H * fp8;
constexpr std::uint64_t up_proj_scale = (blocks(I) / tp) * blocks(H) * fp32;
// down_proj [7168, 18432], columns: 2,304; scale [56, 144], columns: 18.
constexpr std::uint64_t down_proj = H * (I / tp) * fp8;
constexpr std::uint64_t down_proj_scale = blocks(H) * (blocks(I) / tp) * fp32;
constexpr std::uint64_t dense_mlp = gate_proj + gate_proj_scale + up_proj + up_proj_scale + down_proj + down_proj_scale;

// ---- MoE MLP (layers 3-60 and the MTP layer 61). ---------------------------------------------
constexpr std::uint64_t gate = E * H * bf16;                // router [256, 7168], replicated
constexpr std::uint64_t e_score_correction_bias = E * fp32; // [256], replicated
// One routed expert: gate_proj, up_proj [2048, 7168] with scales [16, 56]; down_proj
// [7168, 2048] with scale [56, 16]. Experts are split by index: 256 / 8 = 32 whole experts.
constexpr std::uint64_t one_expert = I_e * H * fp8 + blocks(I_e) * blocks(H) * fp32    // gate
                                     + I_e * H * fp8 + blocks(I_e) * blocks(H) * fp32  // up
                                     + H * I_e * fp8 + blocks(H) * blocks(I_e) * fp32; // down
constexpr std::uint64_t routed_experts = (E / tp) * one_expert;
// The shared experts, one MLP of width 1 x 2048: gate/up [2048, 7168], rows: 256, scales [16, 56],
// rows: 2; down [7168, 2048], columns: 256, scale [56, 16], columns: 2.
constexpr std::uint64_t shared_gate_proj = (S * I_e / tp) * H * fp8;
constexpr std::uint64_t shared_gate_proj_scale = (blocks(S * I_e) / tp) * blocks(H) * fp32;
constexpr std::uint64_t shared_up_proj = (S * I_e / tp) * H * fp8;
constexpr std::uint64_t shared_up_proj_scale = (blocks(S * I_e) / tp) * blocks(H) * fp32;
constexpr std::uint64_t shared_down_proj = H * (S * I_e / tp) * fp8;
constexpr std::uint64_t shared_down_proj_scale = blocks(H) * (blocks(S * I_e) / tp) * fp32;
constexpr std::uint64_t moe_mlp = gate + e_score_correction_bias + routed_experts + shared_gate_proj +
                                  shared_gate_proj_scale + shared_up_proj + shared_up_proj_scale + shared_down_proj +
                                  shared_down_proj_scale;

// ---- The MTP module's own tensors (layer 61), all bf16. --------------------------------------
constexpr std::uint64_t enorm = H * bf16;                           // [7168], replicated
constexpr std::uint64_t hnorm = H * bf16;                           // [7168], replicated
constexpr std::uint64_t eh_proj = H * (2 * H) * bf16;               // [7168, 14336], replicated, not FP8
constexpr std::uint64_t shared_head_norm = H * bf16;                // [7168], replicated
constexpr std::uint64_t mtp_embed_tokens = (V / tp) * H * bf16;     // [129280, 7168], rows
constexpr std::uint64_t mtp_shared_head_head = (V / tp) * H * bf16; // [129280, 7168], rows
constexpr std::uint64_t mtp_extras =
    enorm + hnorm + eh_proj + shared_head_norm + mtp_embed_tokens + mtp_shared_head_head;

// ---- The sum: what one of the 8 ranks holds, without and with the MTP layer. ----------------
constexpr std::uint64_t weights_per_rank = root + L * every_layer + L_dense * dense_mlp + L_moe * moe_mlp;
constexpr std::uint64_t mtp_layer = every_layer + moe_mlp + mtp_extras;
constexpr std::uint64_t weights_per_rank_with_mtp = weights_per_rank + L_mtp * mtp_layer;

// ---- KV cache: the latent (512) and the rope key (64) per token per layer, bf16, over the 61
// layers (the MTP layer caches nothing unless it drafts), replicated on every rank. -------------
constexpr std::uint64_t kv_bytes_per_token = (r_kv + d_r) * bf16 * L;

// ---- Max context in 96 GiB per rank, batch 1: the whole tokens that fit beside the weights. ---
constexpr std::uint64_t budget = std::uint64_t{96} << 30; // 96 GiB = 103,079,215,104 bytes
constexpr std::uint64_t max_context = (budget - weights_per_rank) / kv_bytes_per_token;
constexpr std::uint64_t max_context_with_mtp = (budget - weights_per_rank_with_mtp) / kv_bytes_per_token;

} // namespace hand

// The hand derivation gives the README's figures (recorded in expected_figures.hpp).
static_assert(hand::weights_per_rank == expected::v3_tp8_weight_bytes_per_rank);
static_assert(hand::kv_bytes_per_token == expected::v3_kv_latent_bf16_bytes_per_token);
static_assert(hand::max_context == expected::v3_tp8_max_context_96gib);
static_assert(hand::weights_per_rank_with_mtp == expected::v3_tp8_weight_bytes_per_rank_with_mtp);
static_assert(hand::max_context_with_mtp == expected::v3_tp8_max_context_96gib_with_mtp);

/// The README's command: V3 as released, tp 8, 96 GiB per rank (context and batch by default).
constexpr ReportOptions make_headline_options(bool mtp) {
    ReportOptions o{};
    o.tp = 8;
    o.budget = std::uint64_t{96} << 30;
    o.mtp = mtp;
    return o;
}
constexpr ReportOptions headline_options = make_headline_options(false);

// The library gives them too, at compile time.
static_assert(make_report(presets::deepseek_v3, headline_options).has_value());
constexpr Report headline = *make_report(presets::deepseek_v3, headline_options);
static_assert(!headline.mtp);
static_assert(headline.weights_dtype == std::nullopt); // released: FP8 where FP8
static_assert(headline.tp == 8 && headline.batch == 1);
static_assert(headline.weight_bytes == hand::weights_per_rank);
static_assert(headline.kv_layout == KvLayout::latent && headline.kv_dtype == Dtype::bf16);
static_assert(headline.kv_bytes_per_token == hand::kv_bytes_per_token);
static_assert(headline.max_context == std::optional<std::uint64_t>(hand::max_context));

// With the MTP layer loaded.
constexpr Report headline_mtp = *make_report(presets::deepseek_v3, make_headline_options(true));
static_assert(headline_mtp.weight_bytes == hand::weights_per_rank_with_mtp);
static_assert(headline_mtp.max_context == std::optional<std::uint64_t>(hand::max_context_with_mtp));

} // namespace

TEST_CASE("README headline: V3 at tp 8 in 96 GiB, derived by hand, at run time", "[report][headline]") {
    volatile std::uint64_t tp = 8; // keeps the calls out of constant evaluation
    ReportOptions options = headline_options;
    options.tp = tp;
    const auto made = make_report(presets::deepseek_v3, options);
    REQUIRE(made.has_value());
    const Report& r = *made;
    CHECK(r.weight_bytes == expected::v3_tp8_weight_bytes_per_rank);
    CHECK(r.kv_bytes_per_token == expected::v3_kv_latent_bf16_bytes_per_token);
    CHECK(r.max_context == std::optional<std::uint64_t>(expected::v3_tp8_max_context_96gib));

    // The same figures from the separate helpers.
    WeightQuery wq{};
    wq.tp = tp; // as released, MTP layer not loaded: the defaults
    const SizeResult weights = weight_bytes_per_rank(presets::deepseek_v3, wq);
    REQUIRE(weights.has_value());
    CHECK(weights.value() == expected::v3_tp8_weight_bytes_per_rank);
    const SizeResult kv = kv_cache_bytes(presets::deepseek_v3, kv_query(KvLayout::latent, 1, 1, Dtype::bf16, tp));
    CHECK(kv.value() == expected::v3_kv_latent_bf16_bytes_per_token);
    const SizeResult context =
        max_context_tokens(presets::deepseek_v3, given_weights_query(weights.value(), KvLayout::latent, Dtype::bf16, 1,
                                                                     tp, std::uint64_t{96} << 30));
    CHECK(context.value() == expected::v3_tp8_max_context_96gib);
}

TEST_CASE("README headline: one token more than the max context does not fit", "[report][headline]") {
    // 255,280 tokens fit in 96 GiB with the weights; 255,281 do not (derived above by hand).
    constexpr std::uint64_t budget = std::uint64_t{96} << 30;
    static_assert(expected::v3_tp8_weight_bytes_per_rank +
                      expected::v3_tp8_max_context_96gib * expected::v3_kv_latent_bf16_bytes_per_token <=
                  budget);
    static_assert(expected::v3_tp8_weight_bytes_per_rank +
                      (expected::v3_tp8_max_context_96gib + 1) * expected::v3_kv_latent_bf16_bytes_per_token >
                  budget);
    // The budget that fits exactly 255,280 tokens gives 255,280; one byte less gives 255,279.
    const std::uint64_t exact = expected::v3_tp8_weight_bytes_per_rank +
                                expected::v3_tp8_max_context_96gib * expected::v3_kv_latent_bf16_bytes_per_token;
    const auto fit = [](std::uint64_t b) {
        return max_context_tokens(presets::deepseek_v3, given_weights_query(expected::v3_tp8_weight_bytes_per_rank,
                                                                            KvLayout::latent, Dtype::bf16, 1, 8, b))
            .value();
    };
    CHECK(fit(exact) == expected::v3_tp8_max_context_96gib);
    CHECK(fit(exact - 1) == expected::v3_tp8_max_context_96gib - 1);
}

} // namespace headline_test
