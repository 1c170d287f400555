// DeepSeek-V3.2: the DSA indexer in every layer (MTP included) and its key cache. Expected values
// are those of expected_figures.hpp (next-capabilities.md §0 and §1, from DeepSeek's
// inference/model.py) or tensor lists written out here from the same source.
#include <deepseek/json.hpp>
#include <deepseek/memory.hpp>
#include <deepseek/presets.hpp>
#include <deepseek/tensors.hpp>
#include <deepseek/validate.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "catch.hpp"
#include "expected_figures.hpp"
#include "test_support.hpp"

// One namespace per test file: the files of a batch share a translation unit (tests/CMakeLists.txt).
namespace v32_test {

using namespace deepseek;
namespace P = deepseek::presets;
namespace X = expected;

namespace {
constexpr DeepseekV3Config v32 = P::deepseek_v32;
} // namespace

// The preset is V3 with the three indexer keys of the released file.
static_assert(has_indexer(v32) && !has_indexer(P::deepseek_v3));
static_assert(*v32.index_n_heads == 64 && *v32.index_head_dim == 128 && *v32.index_topk == 2048);

// Parameters: V3 plus 61 indexers (62 with the MTP layer's).
static_assert(parameter_count(v32) == X::v32_params);
static_assert(param_breakdown(v32).indexer == 61 * X::v32_indexer_layer_params);
static_assert(parameter_count(v32) + param_breakdown(v32).mtp == X::v32_params_with_mtp);
static_assert(active_parameter_count(v32) == X::v32_active_params);
static_assert(layer_breakdown(v32, 0).indexer == X::v32_indexer_layer_params);
static_assert(layer_breakdown(v32, 3).indexer == X::v32_indexer_layer_params); // MoE layers too
static_assert(layer_breakdown(v32, 61).mtp == layer_breakdown(P::deepseek_v3, 61).mtp + X::v32_indexer_layer_params);

// The checkpoint: FP8 wq_b and wk with block scales, float32 k_norm, bf16 weights_proj.
static_assert(checkpoint_bytes(v32) == X::v32_checkpoint_bytes);
static_assert(tensor_count(v32) == X::v32_tensors);

// KV: the latent plus the indexer's 132-byte key per token per layer, at any dtype of the latent.
static_assert(indexer_key_bytes_per_token_per_layer(v32) == 132);
static_assert(indexer_key_bytes_per_token_per_layer(P::deepseek_v3) == 0);
static_assert(kv_bytes_per_token(v32, KvLayout::latent, Dtype::bf16).value() == X::v32_kv_latent_bf16_bytes_per_token);
static_assert(kv_bytes_per_token(v32, KvLayout::latent, Dtype::fp8).value() == 61 * (576 + 132));
static_assert(kv_bytes_per_token(v32, KvLayout::expanded, Dtype::bf16).value() ==
              61 * (X::v3_expanded_kv_elements * 2 + 132));

TEST_CASE("V3.2: a decoder layer's indexer tensors, names, shapes and dtypes as stored", "[v32]") {
    // DeepSeek's Indexer: wq_b Linear(q_lora_rank 1536, 64 heads x 128), wk Linear(7168, 128),
    // k_norm LayerNorm(128) with weight and bias, weights_proj Linear(7168, 64) in bf16.
    const std::vector<test_support::Row> expected = {
        {"model.layers.5.self_attn.indexer.wq_b.weight", {8192, 1536}, Dtype::fp8},
        {"model.layers.5.self_attn.indexer.wq_b.weight_scale_inv", {64, 12}, Dtype::fp32},
        {"model.layers.5.self_attn.indexer.wk.weight", {128, 7168}, Dtype::fp8},
        {"model.layers.5.self_attn.indexer.wk.weight_scale_inv", {1, 56}, Dtype::fp32},
        {"model.layers.5.self_attn.indexer.k_norm.weight", {128}, Dtype::fp32},
        {"model.layers.5.self_attn.indexer.k_norm.bias", {128}, Dtype::fp32},
        {"model.layers.5.self_attn.indexer.weights_proj.weight", {64, 7168}, Dtype::bf16},
    };
    test_support::check_rows(test_support::rows_with_prefix(tensor_manifest(v32), "model.layers.5.self_attn.indexer."),
                             expected);
}

TEST_CASE("V3.2: the indexer is replicated on every tensor-parallel rank", "[v32]") {
    // One layer's indexer bytes: 8192·1536 + 4·64·12 + 128·7168 + 4·56 + 4·2·128 + 2·64·7168.
    const std::uint64_t layer_bytes =
        8192ULL * 1536 + 4 * 64 * 12 + 128ULL * 7168 + 4 * 56 + 4 * 2 * 128 + 2ULL * 64 * 7168;
    CHECK(layer_bytes == 14'422'240);
    for (const std::uint64_t tp : {std::uint64_t{1}, std::uint64_t{8}, std::uint64_t{16}}) {
        WeightQuery q{};
        q.tp = tp;
        const std::uint64_t v3 = weight_bytes_per_rank(P::deepseek_v3, q).value();
        const std::uint64_t with_indexer = weight_bytes_per_rank(v32, q).value();
        CHECK(with_indexer - v3 == 61 * layer_bytes); // MTP not loaded by default
    }
}

TEST_CASE("V3.2: the released file equals the preset and keeps its model_type", "[v32][corpus]") {
    REQUIRE_CORPUS();
    const Document doc = load_document(test_support::corpus_file("deepseek-v3.2.json"));
    REQUIRE(std::holds_alternative<DeepseekV3Config>(doc.config));
    CHECK(std::get<DeepseekV3Config>(doc.config) == v32);
    CHECK(file_model_type(doc) == "deepseek_v32");
    CHECK(document_to_json(doc).at("model_type") == "deepseek_v32");
}

TEST_CASE("V3.2: an indexer needs index_head_dim and a q latent", "[v32][validation]") {
    const auto error_of = [](const std::string& text) -> Error {
        try {
            (void)parse_config(text);
        } catch (const Error& e) {
            return e;
        }
        FAIL("no error for " << text);
        return Error(ErrorKind::io, "", "");
    };
    const Error no_dim = error_of(R"({"model_type": "deepseek_v32", "index_n_heads": 64})");
    CHECK(no_dim.kind() == ErrorKind::missing_key);
    CHECK(no_dim.pointer() == "/index_head_dim");
    CHECK(no_dim.message() == "a DSA indexer (index_n_heads set) needs index_head_dim");

    const Error no_latent =
        error_of(R"({"model_type": "deepseek_v32", "index_n_heads": 64, "index_head_dim": 128, "q_lora_rank": null})");
    CHECK(no_latent.kind() == ErrorKind::range);
    CHECK(no_latent.pointer() == "/q_lora_rank");
    CHECK(no_latent.message() ==
          "a DSA indexer (index_n_heads set) reads the query latent: q_lora_rank must be positive");

    const Error zero_heads = error_of(R"({"model_type": "deepseek_v32", "index_n_heads": 0, "index_head_dim": 128})");
    CHECK(zero_heads.pointer() == "/index_n_heads");
    CHECK(zero_heads.kind() == ErrorKind::range);

    // validate() of a config built in memory reports the same problems, all of them.
    DeepseekV3Config c = v32;
    c.index_head_dim = std::nullopt;
    c.q_lora_rank = 0;
    const std::vector<Error> problems = validate(c);
    REQUIRE(problems.size() == 2);
    CHECK(problems[0].pointer() == "/index_head_dim");
    CHECK(problems[1].pointer() == "/q_lora_rank");
}

} // namespace v32_test
