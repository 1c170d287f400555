// Properties over random valid configs (seeded, so a failure reproduces): config_to_json -> parse gives
// an equal config, and the tensor manifest, summed tensor by tensor, gives the constexpr totals
// (tensor_count, parameter_count, the MTP parameters, checkpoint_bytes).
#include <deepseek/json.hpp>
#include <deepseek/memory.hpp>
#include <deepseek/tensors.hpp>

#include <random>

#include "catch.hpp"
#include "test_support.hpp"

// One namespace per test file: the files of a batch share a translation unit (tests/CMakeLists.txt).
namespace property_test {

using namespace deepseek;

namespace {

class Random {
  public:
    explicit Random(std::uint64_t seed) : engine_(seed) {}

    /// Uniform in [lo, hi].
    std::uint64_t between(std::uint64_t lo, std::uint64_t hi) {
        return std::uniform_int_distribution<std::uint64_t>(lo, hi)(engine_);
    }
    bool chance(double p) { return std::bernoulli_distribution(p)(engine_); }
    double real(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(engine_); }
    /// A divisor of n (n > 0), uniformly among them.
    std::uint64_t divisor_of(std::uint64_t n) {
        std::vector<std::uint64_t> divisors;
        for (std::uint64_t d = 1; d <= n; ++d) {
            if (n % d == 0) divisors.push_back(d);
        }
        return divisors[static_cast<std::size_t>(between(0, divisors.size() - 1))];
    }
    template <class E> E pick() {
        const auto& entries = enum_table<E>::entries;
        return entries[static_cast<std::size_t>(between(0, entries.size() - 1))].first;
    }

  private:
    std::mt19937_64 engine_;
};

// The fields V2 and V3 share, within the ranges of published models (and a little beyond).
template <class C> void randomise_common(C& c, Random& r, bool mla) {
    c.vocab_size = r.between(1, 160000);
    c.num_hidden_layers = r.between(1, 64);
    c.num_attention_heads = r.between(1, 128);
    c.num_key_value_heads = mla ? c.num_attention_heads : r.divisor_of(c.num_attention_heads);
    // Non-MLA attention needs hidden a multiple of heads; MLA takes any width.
    c.hidden_size = mla ? r.between(1, 8192) : c.num_attention_heads * r.between(1, 128);
    c.intermediate_size = r.between(1, 20000);
    c.max_position_embeddings = r.between(1, 1u << 18);
    c.rms_norm_eps = r.real(1e-7, 1e-5);
    c.rope_theta = r.real(1e3, 1e7);
    c.tie_word_embeddings = r.chance(0.3);
    c.attention_bias = r.chance(0.2);
    c.hidden_act = r.pick<HiddenAct>();
    c.torch_dtype = r.chance(0.2) ? std::nullopt : std::optional<TorchDtype>(r.pick<TorchDtype>());
    c.bos_token_id =
        r.chance(0.1) ? std::nullopt : std::optional<std::int64_t>(static_cast<std::int64_t>(r.between(0, 200000)));
    c.pad_token_id = r.chance(0.5) ? std::nullopt : std::optional<std::int64_t>(-1);

    if (mla) {
        c.kv_lora_rank = r.between(1, 1024);
        c.q_lora_rank = r.chance(0.3) ? std::nullopt : std::optional<std::uint64_t>(r.between(0, 2048));
        c.qk_rope_head_dim = r.between(0, 128);
        c.qk_nope_head_dim = r.between(c.qk_rope_head_dim == 0 ? 1 : 0, 256);
        c.v_head_dim = r.between(1, 256);
    }

    c.first_k_dense_replace = r.between(0, c.num_hidden_layers);
    if (r.chance(0.25)) { // dense
        c.n_routed_experts = std::nullopt;
        c.n_shared_experts = std::nullopt;
        c.num_experts_per_tok = std::nullopt;
        c.n_group = std::nullopt;
        c.topk_group = std::nullopt;
    } else {
        const std::uint64_t experts = r.between(1, 256);
        c.n_routed_experts = experts;
        c.n_shared_experts = r.chance(0.2) ? std::nullopt : std::optional<std::uint64_t>(r.between(0, 2));
        c.num_experts_per_tok = r.between(1, std::min<std::uint64_t>(experts, 8));
        c.n_group = r.divisor_of(experts);
        c.topk_group = r.between(1, *c.n_group);
        c.moe_intermediate_size = r.between(1, 4096);
        c.moe_layer_freq = r.between(1, 3);
        c.topk_method = r.pick<TopkMethod>();
        c.scoring_func = r.pick<ScoringFunc>();
        c.routed_scaling_factor = r.real(1.0, 3.0);
    }
    if (r.chance(0.3)) {
        RopeScaling rope;
        rope.type = r.pick<RopeType>();
        rope.factor = r.real(1.0, 40.0);
        if (rope.type == RopeType::yarn) {
            rope.original_max_position_embeddings = r.between(1, 8192);
            rope.beta_fast = r.real(1, 64);
            rope.beta_slow = r.real(0, 2);
            rope.mscale = r.real(0, 2);
            rope.mscale_all_dim = r.real(0, 2);
        }
        c.rope_scaling = rope;
    }
}

DeepseekV2Config random_v2(Random& r) {
    DeepseekV2Config c{};
    c.use_mla = r.chance(0.7);
    randomise_common(c, r, c.use_mla);
    return c;
}

DeepseekV3Config random_v3(Random& r) {
    DeepseekV3Config c{};
    randomise_common(c, r, true);
    c.num_nextn_predict_layers = r.between(0, 3);
    if (r.chance(0.5)) {
        QuantizationConfig q;
        q.fmt = r.pick<Fp8Format>();
        q.activation_scheme = r.pick<ActivationScheme>();
        q.weight_block_size = {r.between(1, 256), r.between(1, 256)};
        if (r.chance(0.5)) q.scale_fmt = ScaleFormat::ue8m0;
        c.quantization_config = q;
    }
    return c;
}

DeepseekOCRConfig random_ocr(Random& r) {
    DeepseekOCRConfig c{};
    c.use_mla = r.chance(0.3);
    randomise_common(c, r, c.use_mla);
    c.projector_config.n_embed = c.hidden_size;
    return c;
}

template <class C> void check_round_trip(const C& c) {
    const std::string text = config_to_json(c).dump();
    INFO(text);
    const auto r = try_parse_config(text);
    if (!r) FAIL(r.error().what());
    REQUIRE(std::holds_alternative<C>(r.value()));
    CHECK(std::get<C>(r.value()) == c);
    // Through a document too: saved and read back, equal again.
    const Document doc = parse_document(text);
    CHECK(parse_document(document_to_json(doc).dump(2)).config == doc.config);
}

/// Returns the number of tensors checked (0 when the model was too big to list).
template <class C> std::size_t check_manifest(const C& c) {
    const std::uint64_t count = tensor_count(c);
    if (count > 10000) return 0; // the manifest allocates a name per tensor: keep the test fast
    const auto manifest = tensor_manifest(c);
    REQUIRE(manifest.size() == count);
    std::uint64_t params = 0;
    std::uint64_t mtp = 0;
    std::uint64_t bytes = 0;
    std::uint64_t mtp_bytes = 0;
    for (const TensorInfo& t : manifest) {
        bytes += t.bytes();
        if (t.mtp) mtp_bytes += t.bytes();
        if (t.part == Part::scale) continue;
        (t.mtp ? mtp : params) += t.elements();
    }
    const ParamBreakdown b = param_breakdown(c);
    CHECK(params == b.total);
    CHECK(params == parameter_count(c));
    CHECK(mtp == b.mtp);
    CHECK(bytes == checkpoint_bytes(c));
    // One rank of one: the MTP modules left out, or counted (the sums visit a run of layers and
    // the MTP module alike with it once, and split it between the two).
    WeightQuery q{};
    CHECK(weight_bytes_per_rank(c, q).value() == bytes - mtp_bytes);
    q.dtype = Dtype::bf16;
    CHECK(weight_bytes_per_rank(c, q).value() == params * 2);
    q.mtp = true;
    CHECK(weight_bytes_per_rank(c, q).value() == (params + mtp) * 2);
    return manifest.size();
}

template <class C> void check_one(const C& c, std::size_t& listed) {
    check_round_trip(c);
    listed += check_manifest(c);
}

} // namespace

TEST_CASE("Random valid configs round-trip and their manifests sum to the totals", "[property]") {
    Random r(0x5EED'DEE9'5EEC'0001u);
    std::size_t listed = 0;
    for (int i = 0; i < 150; ++i) {
        INFO("iteration " << i);
        check_one(random_v2(r), listed);
        check_one(random_v3(r), listed);
        if (i % 5 == 0) check_one(random_ocr(r), listed);
    }
    // Most models were small enough to list tensor by tensor.
    CHECK(listed > 50000);
}

TEST_CASE("The default configs round-trip too", "[property]") {
    check_round_trip(DeepseekV2Config{});
    check_round_trip(DeepseekV3Config{});
    check_round_trip(DeepseekOCRConfig{});
    check_round_trip(DeepseekOCR2Config{});
}

} // namespace property_test
