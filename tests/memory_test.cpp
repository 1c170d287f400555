// Parameter counts, bytes, KV cache and budgets at run time. Every expected number comes from
// expected_figures.hpp (../shared/reference/memory-formulas.md, its section named next to the
// check, or a checkpoint's recorded size) or is worked by hand in a comment. A figure that
// memory_constexpr_test.cpp already static_asserts is not checked again here.
#include <deepseek/json.hpp>
#include <deepseek/memory.hpp>
#include <deepseek/presets.hpp>

#include <cstdint>
#include <string>

#include "catch.hpp"
#include "expected_figures.hpp"
#include "queries.hpp"
#include "test_support.hpp"

// One namespace per test file: the files of a batch share a translation unit (tests/CMakeLists.txt).
namespace memory_test {

using namespace deepseek;
using namespace test_support;
namespace P = deepseek::presets;
namespace X = expected;

namespace {

std::uint64_t count_moe_layers(const DeepseekV2Config& c) {
    std::uint64_t n = 0;
    for (std::uint64_t i = 0; i < c.num_hidden_layers; ++i)
        if (is_moe_layer(c, i)) ++n;
    return n;
}

/// The message of the ArithmeticOverflow `f` throws, or "" when it throws nothing.
template <class F> std::string overflow_message(F&& f) {
    try {
        f();
    } catch (const ArithmeticOverflow& e) {
        return e.what();
    }
    return {};
}

/// DeepSeek-OCR-2: DeepSeek-OCR's language model with DeepEncoderV2 (the class's encoder keys).
DeepseekOCR2Config ocr2() {
    DeepseekOCR2Config c{};
    static_cast<DeepseekV2Config&>(c) = P::deepseek_ocr;
    return c;
}

} // namespace

TEST_CASE("totals reproduce published and recorded figures (memory-formulas 4.1)") {
    // The parameter counts, V3's MTP, tensor counts, stored elements and the V2-Lite, V3 and OCR
    // checkpoint bytes are static_asserted in memory_constexpr_test.cpp; V3 main + MTP,
    // 684,489,845,504, is the sum of two of them (expected_figures.hpp checks the sum).
    // V2: 235,741,434,880 ("236B") at 2 bytes.
    CHECK(checkpoint_bytes(P::deepseek_v2) == X::v2_checkpoint_bytes);
}

TEST_CASE("component breakdowns (memory-formulas 4.1 table)") {
    SECTION("V2-Lite") {
        const ParamBreakdown b = param_breakdown(P::deepseek_v2_lite);
        CHECK(b.routed_experts == X::v2_lite_routed_experts);
        CHECK(b.attention == X::v2_lite_attention);
        CHECK(b.shared_experts == X::v2_lite_shared_experts);
        CHECK(b.dense_mlp == X::v2_lite_dense_mlp);
        CHECK(b.embedding == X::v2_lite_embedding);
        CHECK(b.lm_head == X::v2_lite_embedding);
        CHECK(b.router == X::v2_lite_router);
        CHECK(b.norms == X::v2_lite_norms);
        CHECK(b.vision == 0);
        CHECK(b.mtp == 0);
    }
    SECTION("V2") {
        const ParamBreakdown b = param_breakdown(P::deepseek_v2);
        // routed experts: static_asserted in memory_constexpr_test.cpp.
        CHECK(b.attention == X::v2_attention);
        CHECK(b.shared_experts == X::v2_shared_experts);
        CHECK(b.dense_mlp == X::v2_dense_mlp);
        CHECK(b.embedding == X::v2_embedding);
        CHECK(b.lm_head == X::v2_embedding);
        CHECK(b.router == X::v2_router);
        CHECK(b.norms == X::v2_norms);
    }
    SECTION("V3") {
        const ParamBreakdown b = param_breakdown(P::deepseek_v3);
        CHECK(b.routed_experts == X::v3_routed_experts);
        CHECK(b.attention == X::v3_attention);
        CHECK(b.shared_experts == X::v3_shared_experts);
        CHECK(b.dense_mlp == X::v3_dense_mlp);
        CHECK(b.embedding == X::v3_embedding);
        CHECK(b.lm_head == X::v3_embedding);
        CHECK(b.router == X::v3_router);
        CHECK(b.norms == X::v3_norms);
    }
    SECTION("OCR") {
        const ParamBreakdown b = param_breakdown(P::deepseek_ocr);
        CHECK(b.routed_experts == X::ocr_routed_experts);
        CHECK(b.attention == X::ocr_attention);
        CHECK(b.shared_experts == X::ocr_shared_experts);
        CHECK(b.dense_mlp == X::ocr_dense_mlp);
        CHECK(b.embedding == X::ocr_embedding);
        CHECK(b.lm_head == X::ocr_embedding);
        CHECK(b.router == X::ocr_router);
        CHECK(b.norms == X::ocr_norms);
        // Language model 2,934,734,080 (the DeepEncoder, 2.11, is static_asserted).
        CHECK(b.vision_modelled);
        CHECK(b.total - b.vision == X::ocr_lm_params);
    }
}

TEST_CASE("per-layer test vectors (memory-formulas 4.1)") {
    struct Row {
        const char* model;
        std::uint64_t attn, dense_mlp, one_expert, shared, router, dense_layer, moe_layer;
    };
    const auto check = [](const auto& cfg, const Row& r) {
        INFO(r.model);
        const ParamBreakdown dense = layer_breakdown(cfg, 0);
        const ParamBreakdown moe = layer_breakdown(cfg, cfg.first_k_dense_replace);
        CHECK(dense.attention == r.attn);
        CHECK(moe.attention == r.attn);
        CHECK(dense.dense_mlp == r.dense_mlp);
        CHECK(moe.routed_experts / *cfg.n_routed_experts == r.one_expert);
        CHECK(moe.shared_experts == r.shared);
        CHECK(moe.router == r.router);
        CHECK(dense.total == r.dense_layer);
        CHECK(moe.total == r.moe_layer);
    };
    check(P::deepseek_v2_lite,
          Row{"V2-Lite", X::v2_lite_layer_attention, X::v2_lite_layer_dense_mlp, X::v2_lite_layer_one_expert,
              X::v2_lite_layer_shared_experts, X::v2_lite_layer_router, X::v2_lite_dense_layer_params,
              X::v2_lite_moe_layer_params});
    check(P::deepseek_v2,
          Row{"V2", X::v2_layer_attention, X::v2_layer_dense_mlp, X::v2_layer_one_expert, X::v2_layer_shared_experts,
              X::v2_layer_router, X::v2_dense_layer_params, X::v2_moe_layer_params});
    check(P::deepseek_v3,
          Row{"V3", X::v3_layer_attention, X::v3_layer_dense_mlp, X::v3_layer_one_expert, X::v3_layer_shared_experts,
              X::v3_layer_router, X::v3_dense_layer_params, X::v3_moe_layer_params});
    check(P::deepseek_ocr,
          Row{"OCR", X::ocr_layer_attention, X::ocr_layer_dense_mlp, X::ocr_layer_one_expert,
              X::ocr_layer_shared_experts, X::ocr_layer_router, X::ocr_dense_layer_params, X::ocr_moe_layer_params});
}

TEST_CASE("dense and MoE layer counts (memory-formulas 2.6)") {
    CHECK(count_moe_layers(P::deepseek_v2) == 59);
    CHECK(count_moe_layers(P::deepseek_v2_lite) == 26);
    CHECK(count_moe_layers(P::deepseek_ocr) == 11);
    CHECK(is_moe_layer(P::deepseek_v3, 61)); // the MTP layer is MoE too (2 and 3: static_asserted)
    // moe_layer_freq 2 from layer 1: layers 2, 4, ... are MoE; 0 means no MoE layer at all.
    DeepseekV2Config c = P::deepseek_v2_lite;
    c.moe_layer_freq = 2;
    CHECK_FALSE(is_moe_layer(c, 1));
    CHECK(is_moe_layer(c, 2));
    CHECK_FALSE(is_moe_layer(c, 3));
    c.moe_layer_freq = 0;
    CHECK(count_moe_layers(c) == 0);
    c = P::deepseek_v2_lite;
    c.n_routed_experts = std::nullopt;
    CHECK(count_moe_layers(c) == 0);
    // Dense everywhere: 27 dense layers of 81,007,104 (4.1) + embed + head + final norm.
    CHECK(parameter_count(c) == 27 * X::v2_lite_dense_layer_params + 2 * X::v2_lite_embedding + 2048);
}

// Activated parameters, DeepSeek's convention (memory-formulas 4.2): static_asserted for all four
// presets in memory_constexpr_test.cpp.

TEST_CASE("attention variants: biases, q_lora_rank 0, tied embeddings") {
    SECTION("MLA with attention_bias adds q_a, kv_a and o biases") {
        // V2: q_a bias 1536 + kv_a bias 576 + o bias 5120 = 7,232 per layer, 60 layers.
        DeepseekV2Config c = P::deepseek_v2;
        c.attention_bias = true;
        CHECK(parameter_count(c) == X::v2_params + 60 * 7'232ULL);
        // V2-Lite has no q_a_proj: kv_a bias 576 + o bias 2048 per layer, 27 layers.
        DeepseekV2Config lite = P::deepseek_v2_lite;
        lite.attention_bias = true;
        CHECK(parameter_count(lite) == X::v2_lite_params + 27 * 2'624ULL);
    }
    SECTION("Llama attention with attention_bias biases q, k, v and o") {
        DeepseekOCRConfig c = P::deepseek_ocr;
        c.attention_bias = true;
        CHECK(parameter_count(c) == X::ocr_params + 12 * 4 * 1'280ULL);
    }
    SECTION("GQA: k and v shrink with num_key_value_heads") {
        // OCR with 2 KV heads: k_proj and v_proj become [256, 1280] instead of [1280, 1280].
        DeepseekOCRConfig c = P::deepseek_ocr;
        c.num_key_value_heads = 2;
        CHECK(layer_breakdown(c, 0).attention == 2 * 1280ULL * 1280 + 2 * 256ULL * 1280);
    }
    SECTION("q_lora_rank 0 means a plain q_proj, as null does") {
        DeepseekV2Config zero = P::deepseek_v2;
        zero.q_lora_rank = 0;
        DeepseekV2Config null = P::deepseek_v2;
        null.q_lora_rank = std::nullopt;
        // q_proj [128*192, 5120], kv_a [576, 5120], kv_a norm 512, kv_b [128*256, 512], o [5120,
        // 128*128].
        const std::uint64_t attn = 128ULL * 192 * 5120 + 576ULL * 5120 + 512 + 128ULL * 256 * 512 + 5120ULL * 128 * 128;
        CHECK(layer_breakdown(zero, 0).attention == attn);
        CHECK(layer_breakdown(null, 0).attention == attn);
    }
    SECTION("tie_word_embeddings drops lm_head; the shared matrix is the head, so it stays active") {
        DeepseekV2Config c = P::deepseek_v2_lite;
        c.tie_word_embeddings = true;
        const ParamBreakdown b = param_breakdown(c);
        CHECK(b.lm_head == 0); // the total without it is static_asserted (dense_lite)
        CHECK(b.embedding == X::v2_lite_embedding);
        // The published active count holds the [V, H] head; tied, the embedding (also [V, H]) is it.
        CHECK(b.active == X::v2_lite_active_params);
        CHECK(b.total == X::v2_lite_params - X::v2_lite_embedding);
    }
}

TEST_CASE("DeepSeek-OCR-2: language model and DeepEncoderV2 counted (ocr2_test.cpp derives them)") {
    const ParamBreakdown b = param_breakdown(ocr2());
    CHECK(b.vision_modelled);
    CHECK(b.vision == X::ocr2_vision_params);
    CHECK(b.total == X::ocr2_params);
    CHECK(b.active == X::ocr_active_params);
}

TEST_CASE("weight bytes at a uniform dtype") {
    // V2-Lite, 15,706,484,224 params: 4 bytes, 1 byte each (bf16 and int4: static_asserted).
    CHECK(weight_bytes(P::deepseek_v2_lite, Dtype::fp32) == 4 * X::v2_lite_params);
    CHECK(weight_bytes(P::deepseek_v2_lite, Dtype::int8) == X::v2_lite_params);
    // V3 main + MTP, 684,489,845,504 params (4.1), at 2 bytes each; no FP8 scales. (The
    // reference's "bf16 bytes" column, 1,368,979,721,216, keeps the router bias in float32:
    // see the unquantised checkpoint test.)
    CHECK(weight_bytes(P::deepseek_v3, Dtype::bf16) == 2 * X::v3_params_with_mtp);
    // int4 rounds the total up: embed [3, 1] + final norm [1] + head [3, 1] = 7 elements
    // = 28 bits = 3.5 bytes -> 4 bytes.
    DeepseekV2Config tiny{};
    tiny.vocab_size = 3;
    tiny.hidden_size = 1;
    tiny.num_hidden_layers = 0;
    CHECK(parameter_count(tiny) == 7);
    CHECK(weight_bytes(tiny, Dtype::int4) == 4);
    CHECK(weight_bytes(tiny, Dtype::bf16) == 14);
}

TEST_CASE("checkpoint dtypes: unset torch_dtype is bf16, float32 doubles") {
    DeepseekV2Config c = P::deepseek_v2_lite;
    c.torch_dtype = std::nullopt;
    CHECK(checkpoint_bytes(c) == X::v2_lite_checkpoint_bytes);
    c.torch_dtype = TorchDtype::float32;
    CHECK(checkpoint_bytes(c) == 4 * X::v2_lite_params);
    // V3 without its quantization_config: everything bf16 but the fp32 router bias. The
    // reference's V3 main + MTP "bf16 bytes" (4.1) is this figure: 2 x 684,489,845,504 plus
    // 2 extra bytes for each of 256 bias entries in 58 MoE layers + 1 MTP layer.
    DeepseekV3Config v3 = P::deepseek_v3;
    v3.quantization_config = std::nullopt;
    CHECK(checkpoint_bytes(v3) == X::v3_unquantised_checkpoint_bytes);
    CHECK(checkpoint_bytes(v3) == 2 * X::v3_params_with_mtp + 59 * 256 * 2);
}

TEST_CASE("tensor-parallel split of the weights (memory-formulas 2.10)") {
    // V2-Lite at tp 2: replicated are kv_a_proj_with_mqa [576, 2048] and kv_a_layernorm [512]
    // in 27 layers, all norms 112,640 and the routers 3,407,872 (4.1); the rest is halved.
    const std::uint64_t replicated = 27 * (576ULL * 2048 + 512) + X::v2_lite_norms + X::v2_lite_router;
    const std::uint64_t per_rank = replicated + (X::v2_lite_params - replicated) / 2;
    const SizeResult r = weight_bytes_per_rank(P::deepseek_v2_lite, weight_query(Dtype::bf16, 2));
    REQUIRE(r.has_value());
    CHECK(r.value() == 2 * per_rank);
    // V3 splits 8 ways (256 experts, vocab 129,280 = 8 x 16,160); 3 does not divide the vocab
    // (can_split 8, 3, 0 and tp 1 = the whole checkpoint: static_asserted; the released V3 at
    // tp 8, tensor by tensor: headline_test.cpp).
    CHECK(weight_bytes_per_rank(P::deepseek_v3, weight_query(Dtype::bf16, 3)).error() ==
          MemoryError::tp_does_not_divide);
    CHECK(weight_bytes_per_rank(P::deepseek_v3, weight_query(Dtype::bf16, 0)).error() == MemoryError::tp_zero);
    CHECK(to_string(MemoryError::tp_does_not_divide) == "tp_does_not_divide");
    CHECK(error_message(MemoryError::tp_does_not_divide).find("does not divide") != std::string_view::npos);
}

TEST_CASE("KV cache elements per token per layer (memory-formulas 5)") {
    // V3 and V2 latent, V3 expanded, V2-Lite expanded and OCR mha: static_asserted.
    CHECK(kv_elements_per_token_per_layer(P::deepseek_v2_lite, KvLayout::latent).value() == X::mla_latent_kv_elements);
    CHECK(kv_elements_per_token_per_layer(P::deepseek_v2, KvLayout::expanded).value() == X::v2_expanded_kv_elements);
}

TEST_CASE("KV cache bytes (memory-formulas 5)") {
    // Latent bf16, V3 (70,272 per token, 2,302,672,896 at 32,768 tokens) and V2-Lite (31,104;
    // 1,019,215,872): static_asserted.
    // Expanded bf16 per token (5a): V2-Lite 276,480, V2 4,915,200, V3 4,997,120.
    CHECK(kv_bytes_per_token(P::deepseek_v2_lite, KvLayout::expanded, Dtype::bf16).value() ==
          X::v2_lite_kv_expanded_bf16_bytes_per_token);
    CHECK(kv_bytes_per_token(P::deepseek_v2, KvLayout::expanded, Dtype::bf16).value() ==
          X::v2_kv_expanded_bf16_bytes_per_token);
    CHECK(kv_bytes_per_token(P::deepseek_v3, KvLayout::expanded, Dtype::bf16).value() ==
          X::v3_kv_expanded_bf16_bytes_per_token);
    // OCR mha bf16: 61,440 bytes per token over 12 layers (5d).
    CHECK(kv_bytes_per_token(P::deepseek_ocr, KvLayout::mha, Dtype::bf16).value() ==
          X::ocr_kv_mha_bf16_bytes_per_token);
    // Batch multiplies; fp8 halves; int4 quarters.
    CHECK(kv_cache_bytes(P::deepseek_v3, kv_query(KvLayout::latent, 32'768, 4, Dtype::bf16, 1)).value() ==
          4 * X::v3_kv_latent_bf16_bytes_32k);
    CHECK(kv_cache_bytes(P::deepseek_v3, kv_query(KvLayout::latent, 32'768, 1, Dtype::fp8, 1)).value() ==
          X::v3_kv_latent_bf16_bytes_32k / 2);
    CHECK(kv_cache_bytes(P::deepseek_v3, kv_query(KvLayout::latent, 32'768, 1, Dtype::int4, 1)).value() ==
          X::v3_kv_latent_bf16_bytes_32k / 4);
}

TEST_CASE("KV cache per tensor-parallel rank") {
    // Latent is replicated on every rank (vLLM: one KV head, not divided by TP).
    CHECK(kv_cache_bytes(P::deepseek_v3, kv_query(KvLayout::latent, 32'768, 1, Dtype::bf16, 8)).value() ==
          X::v3_kv_latent_bf16_bytes_32k);
    // Expanded splits by the 128 heads: 40,960 / 8 = 5,120 elements per rank.
    CHECK(kv_elements_per_token_per_layer_per_rank(P::deepseek_v3, KvLayout::expanded, 8).value() == 5'120);
    CHECK(kv_elements_per_token_per_layer_per_rank(P::deepseek_v3, KvLayout::expanded, 3).error() ==
          MemoryError::tp_does_not_divide);
    // OCR mha splits by its 10 KV heads: 2 ranks hold 1,280 each; 4 ranks do not divide 10.
    CHECK(kv_elements_per_token_per_layer_per_rank(P::deepseek_ocr, KvLayout::mha, 2).value() == 1'280);
    CHECK(kv_elements_per_token_per_layer_per_rank(P::deepseek_ocr, KvLayout::mha, 4).error() ==
          MemoryError::tp_does_not_divide);
    CHECK(kv_elements_per_token_per_layer_per_rank(P::deepseek_ocr, KvLayout::mha, 0).error() == MemoryError::tp_zero);
}

TEST_CASE("a KV layout that does not fit the model is an error") {
    // OCR latent and V3 mha: static_asserted.
    CHECK_FALSE(layout_fits(P::deepseek_ocr, KvLayout::expanded));
    CHECK(layout_fits(P::deepseek_ocr, KvLayout::mha));
    CHECK(layout_fits(P::deepseek_v2_lite, KvLayout::latent));
    const SizeResult a = kv_elements_per_token_per_layer(P::deepseek_ocr, KvLayout::latent);
    CHECK_FALSE(a.has_value());
    CHECK(a.error() == MemoryError::layout_needs_mla);
    CHECK_THROWS_AS(a.value(), Error); // no count on error, not a 0
    CHECK(kv_cache_bytes(P::deepseek_ocr, kv_query(KvLayout::expanded, 10, 1, Dtype::bf16, 1)).error() ==
          MemoryError::layout_needs_mla);
    CHECK(kv_cache_bytes(P::deepseek_v3, kv_query(KvLayout::mha, 10, 1, Dtype::bf16, 1)).error() ==
          MemoryError::layout_needs_mha);
    CHECK(max_context_tokens(P::deepseek_v3, budget_query(1ULL << 50, Dtype::bf16, KvLayout::mha, Dtype::bf16, 1, 1))
              .error() == MemoryError::layout_needs_mha);
    // A V2 config with use_mla false takes the mha layout: 2 x 32 KV heads x (4096 / 32).
    DeepseekV2Config c{};
    c.use_mla = false;
    CHECK(kv_elements_per_token_per_layer(c, KvLayout::mha).value() == 2 * 32 * 128);
}

TEST_CASE("context budget, worked by hand") {
    // V2-Lite, bf16 weights on one device: 31,412,968,448 bytes; latent bf16 KV 31,104 per token.
    const std::uint64_t w = X::v2_lite_checkpoint_bytes;
    const std::uint64_t kv = X::v2_lite_kv_latent_bf16_bytes_per_token;
    const auto T = [](std::uint64_t budget, std::uint64_t batch = 1) {
        return max_context_tokens(P::deepseek_v2_lite,
                                  budget_query(budget, Dtype::bf16, KvLayout::latent, Dtype::bf16, batch, 1));
    };
    // w + 1,000 tokens (1,000), one byte less (999) and w - 1 (0): static_asserted.
    CHECK(T(w + kv * 32'768).value() == 32'768);
    CHECK(T(w).value() == 0);                                   // weights fit, no token does
    CHECK(T(w - 1).error() == MemoryError::weights_do_not_fit); // not "0 tokens"
    CHECK(T(0).error() == MemoryError::weights_do_not_fit);
    CHECK(T(w + 4 * kv * 10, 4).value() == 10); // batch 4: 4 x 31,104 per token
    CHECK(T(w + 4 * kv * 10 - 1, 4).value() == 9);
    // 40 GiB: (42,949,672,960 - 31,412,968,448) / 31,104 = 370,907.4 latent tokens (static_asserted),
    // and / 276,480 = 41,727.3 expanded tokens.
    CHECK(max_context_tokens(P::deepseek_v2_lite,
                             budget_query(40ULL << 30, Dtype::bf16, KvLayout::expanded, Dtype::bf16, 1, 1))
              .value() == 41'727);
    // V3 on 8 ranks, fp8 weights, latent bf16 KV replicated (70,272 per token per rank).
    const SizeResult w8 = weight_bytes_per_rank(P::deepseek_v3, weight_query(Dtype::fp8, 8));
    REQUIRE(w8.has_value());
    CHECK(max_context_tokens(P::deepseek_v3, budget_query(w8.value() + X::v3_kv_latent_bf16_bytes_per_token * 32'768,
                                                          Dtype::fp8, KvLayout::latent, Dtype::bf16, 1, 8))
              .value() == 32'768);
    // int4 KV rounds up: 1 element per token in 1 layer at 4 bits; 1 byte holds 2 tokens, 3
    // bytes 6.
    DeepseekV2Config tiny{};
    tiny.num_hidden_layers = 1;
    tiny.kv_lora_rank = 1;
    tiny.qk_rope_head_dim = 0;
    const auto t4 = [&](std::uint64_t budget) {
        return max_context_tokens(tiny, given_weights_query(0, KvLayout::latent, Dtype::int4, 1, 1, budget)).value();
    };
    CHECK(t4(1) == 2);
    CHECK(t4(3) == 6);
    CHECK(kv_cache_bytes(tiny, kv_query(KvLayout::latent, 3, 1, Dtype::int4, 1)).value() == 2); // 12 bits -> 2 bytes
    // A token that costs nothing (batch 0) leaves the context unbounded.
    CHECK(max_context_tokens(tiny, given_weights_query(0, KvLayout::latent, Dtype::bf16, 0, 1, 10)).value() ==
          UINT64_MAX);
    // A budget near 2^64 does not overflow the division.
    CHECK(t4(UINT64_MAX) == UINT64_MAX);
    CHECK(max_context_tokens(tiny, given_weights_query(0, KvLayout::latent, Dtype::fp8, 1, 1, UINT64_MAX)).value() ==
          UINT64_MAX);
}

TEST_CASE("overflow at run time never wraps: thrown by plain figures, an error value in results") {
    DeepseekV2Config huge = P::deepseek_v2_lite;
    huge.vocab_size = 1ULL << 40;
    huge.hidden_size = 1ULL << 40;
    CHECK_THROWS_AS(parameter_count(huge), ArithmeticOverflow);
    CHECK_THROWS_AS(parameter_count(huge), std::exception);
    CHECK(overflow_message([&] { (void)parameter_count(huge); }).find("tensor elements") != std::string::npos);
    CHECK(overflow_message([&] { (void)checkpoint_bytes(huge); }).find("overflow") != std::string::npos);
    // Every element fits, but the bytes do not: 2^62 elements x 4 bytes.
    DeepseekV2Config wide{};
    wide.num_hidden_layers = 0;
    wide.vocab_size = 1ULL << 31;
    wide.hidden_size = 1ULL << 31;
    wide.torch_dtype = TorchDtype::float32;
    CHECK(overflow_message([&] { (void)checkpoint_bytes(wide); }).find("checkpoint bytes") != std::string::npos);
    // KV: 2^62 tokens x 576 elements. A result function returns the overflow, and throws nothing.
    const SizeResult kv = kv_cache_bytes(P::deepseek_v3, kv_query(KvLayout::latent, 1ULL << 62, 1, Dtype::bf16, 1));
    REQUIRE_FALSE(kv.has_value());
    CHECK(kv.error() == MemoryError::overflow);
    CHECK(kv.value_or(7) == 7);
    // batch x bits per token overflows before any token is counted.
    CHECK(max_context_tokens(P::deepseek_v3,
                             budget_query(UINT64_MAX, Dtype::bf16, KvLayout::latent, Dtype::bf16, 1ULL << 62, 1))
              .error() == MemoryError::overflow);
    // The result function closed its overflow scope: a plain figure throws again.
    CHECK_THROWS_AS(parameter_count(huge), ArithmeticOverflow);
}

TEST_CASE("dtype and layout names") {
    CHECK(to_string(Dtype::int4) == "int4");
    CHECK(to_string(Dtype::bf16) == "bf16");
    CHECK(enum_from_string<Dtype>("fp8") == Dtype::fp8);
    CHECK_FALSE(enum_from_string<Dtype>("float8").has_value());
    CHECK(to_string(KvLayout::expanded) == "expanded");
    CHECK(enum_from_string<KvLayout>("mha") == KvLayout::mha);
    CHECK(enum_from_string<KvLayout>("latent") == KvLayout::latent);
    CHECK(safetensors_name(Dtype::fp8) == "F8_E4M3");
    CHECK(safetensors_name(Dtype::fp8_e5m2) == "F8_E5M2");
    CHECK(safetensors_name(Dtype::int4).empty());
    CHECK(dtype_bits(Dtype::fp32) == 32); // int4: static_asserted
}

TEST_CASE("presets equal the released config.json files") {
    REQUIRE_CORPUS();
    const auto file = [](const char* name) { return test_support::corpus_file(name); };
    CHECK(load_config<DeepseekV2Config>(file("deepseek-v2-lite.json")) == P::deepseek_v2_lite);
    CHECK(load_config<DeepseekV2Config>(file("deepseek-v2.json")) == P::deepseek_v2);
    CHECK(load_config<DeepseekV3Config>(file("deepseek-v3.json")) == P::deepseek_v3);
    CHECK(load_config<DeepseekOCRConfig>(file("deepseek-ocr.json")) == P::deepseek_ocr);
}

} // namespace memory_test
