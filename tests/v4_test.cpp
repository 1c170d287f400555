// DeepSeek-V4 (Flash, Pro): the config in both file forms, its tensors in the checkpoint's own
// names, per-layer figures, the KV cache per engine format, the budget and validation. Expected
// values are those of expected_figures.hpp (../shared/reference/deepseek-v4.md, "V4 §N": the Pro
// checkpoint's header dump, the HF API's totals, published KV figures) or tensor lists written out
// here by hand from V4 §4 (DeepSeek's inference/model.py). The re-saved fixture
// tests/data/v4/deepseek-v4-flash.resaved.json is V4-Flash written out by hand as current
// transformers saves it (layer_types, mlp_layer_types, compress_rates, rope_parameters).
#include <deepseek/json.hpp>
#include <deepseek/kv_v4.hpp>
#include <deepseek/memory.hpp>
#include <deepseek/presets.hpp>
#include <deepseek/report.hpp>
#include <deepseek/report_json.hpp>
#include <deepseek/tensors.hpp>
#include <deepseek/validate.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "catch.hpp"
#include "expected_figures.hpp"
#include "test_support.hpp"

// One namespace per test file: the files of a batch share a translation unit (tests/CMakeLists.txt).
namespace v4_test {

using namespace deepseek;
using nlohmann::json;
using test_support::Row;
namespace P = deepseek::presets;
namespace X = expected;

namespace {

constexpr DeepseekV4Config flash = P::deepseek_v4_flash;
constexpr DeepseekV4Config pro = P::deepseek_v4_pro;

constexpr std::uint64_t gib = std::uint64_t{1} << 30;
constexpr std::uint64_t mib = std::uint64_t{1} << 20;
constexpr std::uint64_t one_m_tokens = std::uint64_t{1} << 20; // 1,048,576, the models' context

/// n / unit rounded to the nearest whole number.
constexpr std::uint64_t rounded(std::uint64_t n, std::uint64_t unit) { return (n + unit / 2) / unit; }

/// V4-Flash as a transformers re-save holds it (the fixture's form), built in memory: no
/// compress_ratios, num_hash_layers or qk_rope_head_dim, but layer_types (V4 §2: layers 0-1
/// sliding, then compressed-sparse at even and heavily compressed at odd indexes up to 42),
/// mlp_layer_types (3 hash_moe, then moe), compress_rates and partial_rotary_factor 64 / 512.
constexpr DeepseekV4Config make_resaved_flash() {
    // (Optionals are built, then copied: their converting assignment is not constexpr in C++17.)
    DeepseekV4Config c = P::deepseek_v4_flash;
    c.compress_ratios = decltype(c.compress_ratios){};
    c.num_hash_layers = decltype(c.num_hash_layers){};
    c.qk_rope_head_dim = decltype(c.qk_rope_head_dim){};
    c.rope_scaling = decltype(c.rope_scaling){};
    FixedVector<LayerAttention, max_v4_layer_list> types{};
    FixedVector<MlpLayerType, max_v4_layer_list> mlp{};
    for (std::uint64_t i = 0; i < 43; ++i) {
        (void)types.push_back(i < 2        ? LayerAttention::sliding_attention
                              : i % 2 == 0 ? LayerAttention::compressed_sparse_attention
                                           : LayerAttention::heavily_compressed_attention);
        (void)mlp.push_back(i < 3 ? MlpLayerType::hash_moe : MlpLayerType::moe);
    }
    c.layer_types = decltype(c.layer_types){types};
    c.mlp_layer_types = decltype(c.mlp_layer_types){mlp};
    c.compress_rates = decltype(c.compress_rates){CompressRates{}};
    c.partial_rotary_factor = decltype(c.partial_rotary_factor){0.125};
    // rope_parameters: plain RoPE (theta 10000) on the sliding layers, YaRN (factor 16 from 65,536,
    // beta 32 / 1, theta 160000, attention_factor 1) on the compressed ones (V4 §2).
    using D = std::optional<double>;
    RopeParameters main{};
    main.rope_type = std::optional<RopeParametersType>(RopeParametersType::default_);
    main.rope_theta = D(10000.0);
    main.partial_rotary_factor = D(0.125);
    RopeParameters compress{};
    compress.rope_type = std::optional<RopeParametersType>(RopeParametersType::yarn);
    compress.rope_theta = D(160000.0);
    compress.partial_rotary_factor = D(0.125);
    compress.factor = D(16.0);
    compress.original_max_position_embeddings = std::optional<std::uint64_t>(65536);
    compress.beta_fast = D(32.0);
    compress.beta_slow = D(1.0);
    compress.attention_factor = D(1.0);
    RopeParameterSet rope{};
    rope.main = std::optional<RopeParameters>(main);
    rope.compress = std::optional<RopeParameters>(compress);
    c.rope_parameters = std::optional<RopeParameterSet>(rope);
    return c;
}
constexpr DeepseekV4Config resaved_flash = make_resaved_flash();

/// The compress ratio of V4-Flash's block i (V4 §2): 0 for layers 0-1, 4 at even and 128 at odd
/// indexes 2..42, 0 for the MTP block (index 43).
constexpr std::uint64_t flash_ratio(std::uint64_t i) { return i < 2 || i >= 43 ? 0 : i % 2 == 0 ? 4 : 128; }
/// V4-Pro's (V4 §2): 128 for layers 0-1, 4 at even and 128 at odd indexes 2..60, 0 for MTP (61).
constexpr std::uint64_t pro_ratio(std::uint64_t i) { return i >= 61 ? 0 : i < 2 ? 128 : i % 2 == 0 ? 4 : 128; }

template <class F> constexpr bool all_blocks(std::uint64_t blocks, F&& f) {
    for (std::uint64_t i = 0; i < blocks; ++i) {
        if (!f(i)) return false;
    }
    return true;
}

constexpr bool same_kinds(const V4LayerKinds& k, std::uint64_t sliding, std::uint64_t csa, std::uint64_t hca,
                          std::uint64_t hash) {
    return k.sliding == sliding && k.compressed_sparse == csa && k.heavily_compressed == hca && k.hash_routed == hash;
}

/// Tensors, stored elements and bytes of a set of manifest entries.
struct Sums {
    std::uint64_t tensors = 0;
    std::uint64_t stored_elements = 0;
    std::uint64_t bytes = 0;
    std::uint64_t mtp_tensors = 0;
};

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

template <class Pred> Sums sums_of(const std::vector<TensorInfo>& manifest, Pred&& keep) {
    Sums s;
    for (const TensorInfo& t : manifest) {
        if (!keep(t)) continue;
        ++s.tensors;
        s.stored_elements += t.elements();
        s.bytes += t.bytes();
        if (t.mtp) ++s.mtp_tensors;
    }
    return s;
}

Sums sums_with_prefix(const std::vector<TensorInfo>& manifest, const std::string& prefix) {
    return sums_of(manifest, [&](const TensorInfo& t) { return starts_with(t.name, prefix); });
}

/// The figures of the whole checkpoint that V4 §9 gives for a model.
struct Anchors {
    std::uint64_t tensors;
    std::uint64_t stored_elements;
    std::uint64_t checkpoint_bytes;
    std::uint64_t params;
    std::uint64_t params_with_mtp;
    std::uint64_t active;
    std::uint64_t mtp_tensors;
};
constexpr Anchors flash_anchors{X::v4_flash_tensors,    X::v4_flash_stored_elements, X::v4_flash_checkpoint_bytes,
                                X::v4_flash_params,     X::v4_flash_params_with_mtp, X::v4_flash_active_params,
                                X::v4_flash_mtp_tensors};
constexpr Anchors pro_anchors{X::v4_pro_tensors,    X::v4_pro_stored_elements, X::v4_pro_checkpoint_bytes,
                              X::v4_pro_params,     X::v4_pro_params_with_mtp, X::v4_pro_active_params,
                              X::v4_pro_mtp_tensors};

/// Checks every anchor of a config at run time (a config read from a file), the manifest too.
void check_anchors(const DeepseekV4Config& c, const Anchors& want) {
    CHECK(tensor_count(c) == want.tensors);
    CHECK(stored_elements(c) == want.stored_elements);
    CHECK(checkpoint_bytes(c) == want.checkpoint_bytes);
    CHECK(parameter_count(c) == want.params);
    CHECK(parameter_count(c) + param_breakdown(c).mtp == want.params_with_mtp);
    CHECK(active_parameter_count(c) == want.active);
    const std::vector<TensorInfo> manifest = tensor_manifest(c);
    const Sums all = sums_of(manifest, [](const TensorInfo&) { return true; });
    CHECK(all.tensors == want.tensors);
    CHECK(all.stored_elements == want.stored_elements);
    CHECK(all.bytes == want.checkpoint_bytes);
    CHECK(all.mtp_tensors == want.mtp_tensors);
    CHECK(test_support::by_name(manifest).size() == manifest.size()); // no name twice
}

/// Two manifests are the same list: names, shapes, dtypes, parts and MTP flags, in order.
void check_same_manifest(const std::vector<TensorInfo>& a, const std::vector<TensorInfo>& b) {
    REQUIRE(a.size() == b.size());
    std::size_t differences = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const bool same = a[i].name == b[i].name && test_support::dims(a[i].shape) == test_support::dims(b[i].shape) &&
                          a[i].dtype == b[i].dtype && a[i].part == b[i].part && a[i].mtp == b[i].mtp;
        if (!same && differences++ < 5) {
            INFO(a[i].name << " vs " << b[i].name);
            CHECK(same);
        }
    }
    CHECK(differences == 0);
}

/// The names of the manifest's tensors for which `pred` holds (so a check reports them all at once).
template <class Pred> std::vector<std::string> names_where(const std::vector<TensorInfo>& manifest, Pred&& pred) {
    std::vector<std::string> out;
    for (const TensorInfo& t : manifest) {
        if (pred(t)) out.push_back(t.name);
    }
    return out;
}

std::vector<Row> sorted(std::vector<Row> rows) {
    std::sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) { return x.name < y.name; });
    return rows;
}

std::string fixture_path() { return test_support::data_file("v4/deepseek-v4-flash.resaved.json").string(); }
json fixture_json() { return json::parse(test_support::read_text(fixture_path())); }

/// The original form of V4-Flash (compress_ratios, num_hash_layers, qk_rope_head_dim,
/// rope_scaling) as a JSON tree to alter: the preset, which equals the released config.json (see
/// "the released config files give every anchor").
json original_flash_json() { return config_to_json(flash); }

/// parse_config of `doc` fails with this kind, pointer and message, thrown and as a Result.
void expect_error(const json& doc, ErrorKind kind, const std::string& pointer, const std::string& message) {
    const std::string text = doc.dump();
    const Result<AnyConfig> r = try_parse_config(text);
    REQUIRE_FALSE(r.has_value());
    const Error& e = r.error();
    CHECK(e.kind() == kind);
    CHECK(e.pointer() == pointer);
    CHECK(e.message() == message);
    CHECK(std::string(e.what()) == pointer + ": " + message);
    try {
        (void)parse_config(text);
        FAIL("parse_config did not throw");
    } catch (const Error& thrown) {
        CHECK(thrown.kind() == kind);
        CHECK(thrown.pointer() == pointer);
    }
}

/// validate() of an in-memory config reports exactly one problem, at this pointer and message.
void expect_one_problem(const DeepseekV4Config& c, ErrorKind kind, const std::string& pointer,
                        const std::string& message) {
    const std::vector<Error> problems = validate(c);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].kind() == kind);
    CHECK(problems[0].pointer() == pointer);
    CHECK(problems[0].message() == message);
}

} // namespace

// ---- Anchors: the whole checkpoint (V4 §0, §6, §9 items 1-2) ------------------------------------

static_assert(tensor_count(pro) == X::v4_pro_tensors);
static_assert(stored_elements(pro) == X::v4_pro_stored_elements);
static_assert(checkpoint_bytes(pro) == X::v4_pro_checkpoint_bytes);
static_assert(parameter_count(pro) == X::v4_pro_params);
static_assert(parameter_count(pro) + param_breakdown(pro).mtp == X::v4_pro_params_with_mtp);
static_assert(param_breakdown(pro).mtp == X::v4_pro_mtp_params);
static_assert(active_parameter_count(pro) == X::v4_pro_active_params);
static_assert(param_breakdown(pro).routed_experts == X::v4_pro_routed_experts);

static_assert(tensor_count(flash) == X::v4_flash_tensors);
static_assert(stored_elements(flash) == X::v4_flash_stored_elements);
static_assert(checkpoint_bytes(flash) == X::v4_flash_checkpoint_bytes);
static_assert(parameter_count(flash) == X::v4_flash_params);
static_assert(parameter_count(flash) + param_breakdown(flash).mtp == X::v4_flash_params_with_mtp);
static_assert(param_breakdown(flash).mtp == X::v4_flash_mtp_params);
static_assert(active_parameter_count(flash) == X::v4_flash_active_params);
static_assert(param_breakdown(flash).routed_experts == X::v4_flash_routed_experts);

// The published round figures: 284B total and 13B activated; 1.6T and 49B.
static_assert(rounded(parameter_count(flash), 1'000'000'000) == 284);
static_assert(rounded(active_parameter_count(flash), 1'000'000'000) == 13);
static_assert(rounded(parameter_count(pro), 100'000'000'000) == 16);
static_assert(rounded(active_parameter_count(pro), 1'000'000'000) == 49);
// The dump's "805.32 GB" (GiB) of Pro's tensors, and Flash's 148.648 GiB (V4 §6).
static_assert(rounded(checkpoint_bytes(pro) * 100, gib) == 80'532);
static_assert(rounded(checkpoint_bytes(flash) * 1000, gib) == 148'648);

// The layer kinds (V4 §2): Flash 2 sliding, 21 ratio-4, 20 ratio-128; Pro 0, 30, 31; 3 hash
// layers each. The MTP block is sliding-window only.
static_assert(same_kinds(v4_layer_kinds(flash), 2, 21, 20, 3));
static_assert(same_kinds(v4_layer_kinds(pro), 0, 30, 31, 3));
static_assert(all_blocks(44, [](std::uint64_t i) { return v4_compress_ratio(flash, i) == flash_ratio(i); }));
static_assert(all_blocks(62, [](std::uint64_t i) { return v4_compress_ratio(pro, i) == pro_ratio(i); }));
static_assert(all_blocks(44, [](std::uint64_t i) { return is_hash_layer(flash, i) == (i < 3); }));
static_assert(all_blocks(62, [](std::uint64_t i) { return is_hash_layer(pro, i) == (i < 3); }));
static_assert(v4_rope_head_dim(flash) == 64 && v4_rope_head_dim(pro) == 64);
static_assert(v4_expert_dtype(flash) == ExpertDtype::fp4);
static_assert(mtp_layer_count(flash) == 1 && mtp_layer_count(pro) == 1);

// The re-saved form of the same model gives every figure of the original (built in memory here;
// the fixture file is read below).
static_assert(tensor_count(resaved_flash) == X::v4_flash_tensors);
static_assert(stored_elements(resaved_flash) == X::v4_flash_stored_elements);
static_assert(checkpoint_bytes(resaved_flash) == X::v4_flash_checkpoint_bytes);
static_assert(parameter_count(resaved_flash) == X::v4_flash_params);
static_assert(param_breakdown(resaved_flash).mtp == X::v4_flash_mtp_params);
static_assert(active_parameter_count(resaved_flash) == X::v4_flash_active_params);
static_assert(same_kinds(v4_layer_kinds(resaved_flash), 2, 21, 20, 3));
static_assert(all_blocks(44, [](std::uint64_t i) { return v4_compress_ratio(resaved_flash, i) == flash_ratio(i); }));
static_assert(all_blocks(44, [](std::uint64_t i) { return is_hash_layer(resaved_flash, i) == (i < 3); }));
static_assert(v4_rope_head_dim(resaved_flash) == 64);

// ---- Per block (V4 §4.5) ---------------------------------------------------------------------------

static_assert(layer_breakdown(flash, 0).total == X::v4_flash_l0.params);
static_assert(layer_breakdown(flash, 1).total == X::v4_flash_l0.params); // L0's twin
static_assert(layer_breakdown(flash, 2).total == X::v4_flash_l2.params);
static_assert(layer_breakdown(flash, 3).total == X::v4_flash_l3.params);
static_assert(layer_breakdown(flash, 4).total == X::v4_flash_l4.params);
static_assert(layer_breakdown(flash, 41).total == X::v4_flash_l3.params);
static_assert(layer_breakdown(flash, 42).total == X::v4_flash_l4.params);
static_assert(layer_breakdown(flash, 43).mtp == X::v4_flash_mtp.params && layer_breakdown(flash, 43).total == 0);
static_assert(layer_breakdown(pro, 0).total == X::v4_pro_l0.params);
static_assert(layer_breakdown(pro, 2).total == X::v4_pro_l2.params);
static_assert(layer_breakdown(pro, 3).total == X::v4_pro_l3.params);
static_assert(layer_breakdown(pro, 4).total == X::v4_pro_l4.params);
static_assert(layer_breakdown(pro, 60).total == X::v4_pro_l4.params);
static_assert(layer_breakdown(pro, 61).mtp == X::v4_pro_mtp.params);

TEST_CASE("V4 per block: tensors, stored elements and bytes of V4 §4.5", "[v4]") {
    const auto check = [](const std::vector<TensorInfo>& manifest, const std::string& prefix, const X::V4Block& want) {
        INFO(prefix);
        const Sums s = sums_with_prefix(manifest, prefix);
        CHECK(s.tensors == want.tensors);
        CHECK(s.stored_elements == want.stored_elements);
        CHECK(s.bytes == want.bytes);
        CHECK(s.mtp_tensors == (starts_with(prefix, "mtp.") ? want.tensors : 0));
    };
    const auto top = [](const std::vector<TensorInfo>& manifest) {
        return sums_of(manifest, [](const TensorInfo& t) {
            return !starts_with(t.name, "layers.") && !starts_with(t.name, "mtp.");
        });
    };
    SECTION("Flash") {
        const std::vector<TensorInfo> m = tensor_manifest(flash);
        check(m, "layers.0.", X::v4_flash_l0);
        check(m, "layers.1.", X::v4_flash_l0);
        check(m, "layers.2.", X::v4_flash_l2);
        check(m, "layers.3.", X::v4_flash_l3);
        check(m, "layers.4.", X::v4_flash_l4);
        check(m, "layers.41.", X::v4_flash_l3);
        check(m, "layers.42.", X::v4_flash_l4);
        check(m, "mtp.0.", X::v4_flash_mtp);
        const Sums t = top(m);
        CHECK(t.tensors == X::v4_flash_top.tensors);
        CHECK(t.stored_elements == X::v4_flash_top.stored_elements);
        CHECK(t.bytes == X::v4_flash_top.bytes);
        // The top level is all parameters (V4 §4.1): embed and head [129280, 4096], norm [4096],
        // hc_head_fn [4, 16384], hc_head_base [4], hc_head_scale [1].
        static_assert(2ULL * 129280 * 4096 + 4096 + 4 * 16384 + 4 + 1 == X::v4_flash_top.params);
        CHECK(param_breakdown(flash).embedding == 129280ULL * 4096);
        CHECK(param_breakdown(flash).lm_head == 129280ULL * 4096);
    }
    SECTION("Pro") {
        const std::vector<TensorInfo> m = tensor_manifest(pro);
        check(m, "layers.0.", X::v4_pro_l0);
        check(m, "layers.1.", X::v4_pro_l0);
        check(m, "layers.2.", X::v4_pro_l2);
        check(m, "layers.3.", X::v4_pro_l3);
        check(m, "layers.4.", X::v4_pro_l4);
        check(m, "layers.59.", X::v4_pro_l3);
        check(m, "layers.60.", X::v4_pro_l4);
        check(m, "mtp.0.", X::v4_pro_mtp);
        const Sums t = top(m);
        CHECK(t.tensors == X::v4_pro_top.tensors);
        CHECK(t.stored_elements == X::v4_pro_top.stored_elements);
        CHECK(t.bytes == X::v4_pro_top.bytes);
    }
}

TEST_CASE("V4 per block: the per-layer walk sums to the same figures as the manifest", "[v4]") {
    // for_each_layer_tensor of one block against V4 §4.5 (stored elements, tensors).
    const auto layer = [](const DeepseekV4Config& c, std::uint64_t index) {
        Sums s;
        for_each_layer_tensor(c, index, [&](const TensorSpec& t) {
            s.tensors += t.copies * t.layers;
            s.stored_elements += t.elements();
        });
        return s;
    };
    CHECK(layer(flash, 2).tensors == X::v4_flash_l2.tensors);
    CHECK(layer(flash, 2).stored_elements == X::v4_flash_l2.stored_elements);
    CHECK(layer(flash, 43).tensors == X::v4_flash_mtp.tensors);
    CHECK(layer(flash, 43).stored_elements == X::v4_flash_mtp.stored_elements);
    CHECK(layer(pro, 0).stored_elements == X::v4_pro_l0.stored_elements);
    CHECK(layer(pro, 61).stored_elements == X::v4_pro_mtp.stored_elements);
}

// ---- Dtypes (V4 §5.1) --------------------------------------------------------------------------------

TEST_CASE("V4 stored elements by dtype, as HF's safetensors.parameters shows them (V4 §5.1)", "[v4]") {
    const auto check = [](const DeepseekV4Config& c, const X::V4ElementsByDtype& want) {
        const std::vector<TensorInfo> m = tensor_manifest(c);
        const auto of = [&](Dtype d) { return sums_of(m, [d](const TensorInfo& t) { return t.dtype == d; }); };
        CHECK(of(Dtype::bf16).stored_elements == want.bf16);
        CHECK(of(Dtype::fp32).stored_elements == want.f32);
        CHECK(of(Dtype::fp8).stored_elements == want.f8_e4m3);
        CHECK(of(Dtype::fp8_e8m0).stored_elements == want.f8_e8m0);
        CHECK(of(Dtype::int64).stored_elements == want.i64);
        CHECK(of(Dtype::int8).stored_elements == want.i8);
    };
    check(flash, X::v4_flash_elements_by_dtype);
    check(pro, X::v4_pro_elements_by_dtype);
    // The names a safetensors header gives them.
    CHECK(safetensors_name(Dtype::fp8) == "F8_E4M3");
    CHECK(safetensors_name(Dtype::fp8_e8m0) == "F8_E8M0");
    CHECK(safetensors_name(Dtype::int8) == "I8");
    CHECK(safetensors_name(Dtype::int64) == "I64");
}

// ---- Tensors written out by hand (V4 §4, §9 items 3-4) --------------------------------------------

TEST_CASE("V4-Pro: spot checks from the real checkpoint's header dump (V4 §9 item 3)", "[v4]") {
    const std::vector<TensorInfo> manifest = tensor_manifest(pro);
    const auto tensors = test_support::by_name(manifest);
    test_support::check_named_rows(tensors, {
                                                {"layers.0.attn.wo_a.scale", {128, 32}, Dtype::fp8_e8m0},
                                                {"layers.0.ffn.experts.0.w1.weight", {3072, 3584}, Dtype::int8},
                                                {"layers.0.ffn.experts.0.w2.scale", {7168, 96}, Dtype::fp8_e8m0},
                                                {"layers.0.ffn.gate.tid2eid", {129280, 6}, Dtype::int64},
                                                {"layers.2.attn.compressor.ape", {4, 1024}, Dtype::fp32},
                                                {"layers.2.attn.indexer.compressor.ape", {4, 256}, Dtype::fp32},
                                                {"layers.0.attn.compressor.ape", {128, 512}, Dtype::fp32},
                                                {"mtp.0.e_proj.scale", {56, 56}, Dtype::fp8_e8m0},
                                                {"hc_head_fn", {4, 28672}, Dtype::fp32},
                                            });
    // Hash layers have tid2eid and no bias; the MTP block has no compressor (ratio 0).
    for (const char* name : {"layers.0.ffn.gate.bias", "layers.1.ffn.gate.bias", "layers.2.ffn.gate.bias",
                             "layers.3.ffn.gate.tid2eid", "mtp.0.ffn.gate.tid2eid"}) {
        INFO(name);
        CHECK(tensors.count(name) == 0);
    }
    CHECK(tensors.count("layers.3.ffn.gate.bias") == 1);
    CHECK(tensors.count("mtp.0.ffn.gate.bias") == 1);
    CHECK(names_where(manifest, [](const TensorInfo& t) {
              return starts_with(t.name, "mtp.0.attn.compressor.") || starts_with(t.name, "mtp.0.attn.indexer.");
          }).empty());
    CHECK(names_where(manifest, [](const TensorInfo& t) { return t.mtp != starts_with(t.name, "mtp."); }).empty());
    // MTP shares embed and head: none of its own (V4 §4.4).
    CHECK(tensors.count("mtp.0.embed.weight") == 0);
    CHECK(tensors.count("mtp.0.head.weight") == 0);
}

TEST_CASE("V4-Flash: spot checks from the partial header dump (V4 §9 item 4)", "[v4]") {
    const std::vector<TensorInfo> manifest = tensor_manifest(flash);
    const auto tensors = test_support::by_name(manifest);
    test_support::check_named_rows(tensors, {
                                                {"layers.0.attn.wq_b.scale", {256, 8}, Dtype::fp8_e8m0},
                                                {"layers.42.attn.wq_b.scale", {256, 8}, Dtype::fp8_e8m0},
                                                {"layers.0.ffn.experts.0.w1.scale", {2048, 128}, Dtype::fp8_e8m0},
                                                {"layers.17.ffn.experts.255.w1.scale", {2048, 128}, Dtype::fp8_e8m0},
                                                {"layers.0.hc_attn_fn", {24, 16384}, Dtype::fp32},
                                                {"mtp.0.hc_attn_fn", {24, 16384}, Dtype::fp32},
                                            });
    // Layers 0 and 1 (ratio 0) have no compressor and no indexer.
    CHECK(names_where(manifest, [](const TensorInfo& t) {
              for (const char* p :
                   {"layers.0.attn.compressor.", "layers.1.attn.compressor.", "layers.0.attn.indexer.",
                    "layers.1.attn.indexer.", "layers.3.attn.indexer."}) { // ratio 128: a compressor, no indexer
                  if (starts_with(t.name, p)) return true;
              }
              return false;
          }).empty());
    CHECK(tensors.count("layers.3.attn.compressor.ape") == 1);
    CHECK(test_support::dims(tensors.at("layers.3.attn.compressor.ape").shape) == std::vector<std::uint64_t>{128, 512});
}

TEST_CASE("V4-Flash: a ratio-4 layer that routes by its gate, tensor by tensor (V4 §4.2-4.3)", "[v4]") {
    // Layer 4 of V4-Flash, written out from V4 §4.2 and §4.3 with D 4096, H 64, head_dim 512,
    // q_lora 1024, o_groups 8 x o_lora 1024, E 256, I 2048, hc 4, index heads 64 x 128, FP8
    // blocks of 128 (scales [ceil(o / 128), ceil(i / 128)], UE8M0).
    const std::vector<Row> expected = {
        {"layers.4.attn_norm.weight", {4096}, Dtype::bf16},
        {"layers.4.ffn_norm.weight", {4096}, Dtype::bf16},
        {"layers.4.hc_attn_fn", {24, 16384}, Dtype::fp32}, // [(2 + hc) hc, hc D]
        {"layers.4.hc_ffn_fn", {24, 16384}, Dtype::fp32},
        {"layers.4.hc_attn_base", {24}, Dtype::fp32},
        {"layers.4.hc_ffn_base", {24}, Dtype::fp32},
        {"layers.4.hc_attn_scale", {3}, Dtype::fp32},
        {"layers.4.hc_ffn_scale", {3}, Dtype::fp32},
        {"layers.4.attn.attn_sink", {64}, Dtype::fp32},
        {"layers.4.attn.wq_a.weight", {1024, 4096}, Dtype::fp8},
        {"layers.4.attn.wq_a.scale", {8, 32}, Dtype::fp8_e8m0},
        {"layers.4.attn.q_norm.weight", {1024}, Dtype::bf16},
        {"layers.4.attn.wq_b.weight", {32768, 1024}, Dtype::fp8}, // [H hd, q_lora]
        {"layers.4.attn.wq_b.scale", {256, 8}, Dtype::fp8_e8m0},
        {"layers.4.attn.wkv.weight", {512, 4096}, Dtype::fp8},
        {"layers.4.attn.wkv.scale", {4, 32}, Dtype::fp8_e8m0},
        {"layers.4.attn.kv_norm.weight", {512}, Dtype::bf16},
        {"layers.4.attn.wo_a.weight", {8192, 4096}, Dtype::fp8}, // [G o_lora, H hd / G]
        {"layers.4.attn.wo_a.scale", {64, 32}, Dtype::fp8_e8m0},
        {"layers.4.attn.wo_b.weight", {4096, 8192}, Dtype::fp8}, // [D, G o_lora]
        {"layers.4.attn.wo_b.scale", {32, 64}, Dtype::fp8_e8m0},
        {"layers.4.ffn.gate.weight", {256, 4096}, Dtype::bf16},
        {"layers.4.ffn.gate.bias", {256}, Dtype::fp32}, // not a hash layer
        {"layers.4.ffn.shared_experts.w1.weight", {2048, 4096}, Dtype::fp8},
        {"layers.4.ffn.shared_experts.w1.scale", {16, 32}, Dtype::fp8_e8m0},
        {"layers.4.ffn.shared_experts.w3.weight", {2048, 4096}, Dtype::fp8},
        {"layers.4.ffn.shared_experts.w3.scale", {16, 32}, Dtype::fp8_e8m0},
        {"layers.4.ffn.shared_experts.w2.weight", {4096, 2048}, Dtype::fp8},
        {"layers.4.ffn.shared_experts.w2.scale", {32, 16}, Dtype::fp8_e8m0},
        // Ratio 4 (V4 §4.3): an overlapping compressor (coff 2) and the lightning indexer.
        {"layers.4.attn.compressor.ape", {4, 1024}, Dtype::fp32},
        {"layers.4.attn.compressor.wkv.weight", {1024, 4096}, Dtype::bf16},
        {"layers.4.attn.compressor.wgate.weight", {1024, 4096}, Dtype::bf16},
        {"layers.4.attn.compressor.norm.weight", {512}, Dtype::bf16},
        {"layers.4.attn.indexer.wq_b.weight", {8192, 1024}, Dtype::fp8},
        {"layers.4.attn.indexer.wq_b.scale", {64, 8}, Dtype::fp8_e8m0},
        {"layers.4.attn.indexer.weights_proj.weight", {64, 4096}, Dtype::bf16},
        {"layers.4.attn.indexer.compressor.ape", {4, 256}, Dtype::fp32},
        {"layers.4.attn.indexer.compressor.wkv.weight", {256, 4096}, Dtype::bf16},
        {"layers.4.attn.indexer.compressor.wgate.weight", {256, 4096}, Dtype::bf16},
        {"layers.4.attn.indexer.compressor.norm.weight", {128}, Dtype::bf16},
    };
    REQUIRE(expected.size() == 29 + 11); // V4 §4.2's common part and §4.3's ratio-4 extras
    // Each routed expert (V4 §4.2, FP4 as I8 [o, i / 2] with a scale per 32 inputs): w1, w3 [I, D],
    // w2 [D, I].
    const auto expert = [](int e) {
        const std::string p = "layers.4.ffn.experts." + std::to_string(e) + ".";
        return std::vector<Row>{
            {p + "w1.weight", {2048, 2048}, Dtype::int8}, {p + "w1.scale", {2048, 128}, Dtype::fp8_e8m0},
            {p + "w2.weight", {4096, 1024}, Dtype::int8}, {p + "w2.scale", {4096, 64}, Dtype::fp8_e8m0},
            {p + "w3.weight", {2048, 2048}, Dtype::int8}, {p + "w3.scale", {2048, 128}, Dtype::fp8_e8m0},
        };
    };

    // The hand-written list is V4 §4.5's layer: 40 + 6 x 256 tensors, its stored elements and bytes.
    std::uint64_t elements = 0, bytes = 0, expert_elements = 0, expert_bytes = 0;
    for (const Row& r : expected) {
        std::uint64_t n = 1;
        for (const std::uint64_t d : r.shape) n *= d;
        elements += n;
        bytes += n * dtype_bits(r.dtype) / 8;
    }
    for (const Row& r : expert(0)) {
        std::uint64_t n = 1;
        for (const std::uint64_t d : r.shape) n *= d;
        expert_elements += n;
        expert_bytes += n; // I8 and F8_E8M0: one byte each
    }
    CHECK(expected.size() + 6 * 256 == X::v4_flash_l4.tensors);
    CHECK(elements + 256 * expert_elements == X::v4_flash_l4.stored_elements);
    CHECK(bytes + 256 * expert_bytes == X::v4_flash_l4.bytes);

    const std::vector<TensorInfo> manifest = tensor_manifest(flash);
    std::vector<Row> found, experts;
    for (const Row& r : test_support::rows_with_prefix(manifest, "layers.4.")) {
        (starts_with(r.name, "layers.4.ffn.experts.") ? experts : found).push_back(r);
    }
    test_support::check_rows(sorted(found), sorted(expected));
    REQUIRE(experts.size() == 6 * 256);
    const auto by_name = test_support::by_name(manifest);
    test_support::check_named_rows(by_name, expert(0));
    test_support::check_named_rows(by_name, expert(255));
    CHECK(by_name.count("layers.4.ffn.experts.256.w1.weight") == 0);
}

TEST_CASE("V4: MTP tensors are the mtp.0 block's, flagged as MTP (V4 §9 items 1-2)", "[v4]") {
    for (const auto& [c, want] : {std::pair<DeepseekV4Config, std::uint64_t>{flash, X::v4_flash_mtp_tensors},
                                  std::pair<DeepseekV4Config, std::uint64_t>{pro, X::v4_pro_mtp_tensors}}) {
        const std::vector<TensorInfo> m = tensor_manifest(c);
        CHECK(static_cast<std::uint64_t>(
                  std::count_if(m.begin(), m.end(), [](const TensorInfo& t) { return t.mtp; })) == want);
        CHECK(sums_with_prefix(m, "mtp.").tensors == want);
        // Its own extras (V4 §4.4): e_proj, h_proj (FP8 with scales), enorm, hnorm, norm, hc_head_*.
        const auto names = test_support::by_name(m);
        for (const char* n : {"mtp.0.e_proj.weight", "mtp.0.h_proj.weight", "mtp.0.h_proj.scale", "mtp.0.enorm.weight",
                              "mtp.0.hnorm.weight", "mtp.0.norm.weight", "mtp.0.hc_head_fn", "mtp.0.hc_head_base",
                              "mtp.0.hc_head_scale"}) {
            INFO(n);
            CHECK(names.count(n) == 1);
        }
    }
}

// ---- The three real files (corpus) ---------------------------------------------------------------

TEST_CASE("V4: the released config files give every anchor", "[v4][corpus]") {
    REQUIRE_CORPUS();
    SECTION("deepseek-ai/DeepSeek-V4-Pro") {
        const auto c = load_config<DeepseekV4Config>(test_support::corpus_file("2026/deepseek-v4-pro.json"));
        check_anchors(c, pro_anchors);
        CHECK(same_kinds(v4_layer_kinds(c), 0, 30, 31, 3));
        CHECK(c == pro); // the preset is this file
    }
    SECTION("deepseek-ai/DeepSeek-V4-Flash, the later copy with expert_dtype") {
        const auto c =
            load_config<DeepseekV4Config>(test_support::corpus_file("2026/deepseek-v4-flash.aiconfigurator.json"));
        check_anchors(c, flash_anchors);
        CHECK(c == flash);
    }
    SECTION("deepseek-ai/DeepSeek-V4-Flash, the day-one file: no expert_dtype, read as FP4") {
        const auto c = load_config<DeepseekV4Config>(test_support::corpus_file("2026/deepseek-v4-flash.json"));
        CHECK_FALSE(c.expert_dtype.has_value());
        CHECK(v4_expert_dtype(c) == ExpertDtype::fp4);
        check_anchors(c, flash_anchors);
        for (std::uint64_t i = 0; i < 44; ++i) {
            INFO(i);
            CHECK(v4_compress_ratio(c, i) == flash_ratio(i));
        }
    }
}

TEST_CASE("V4: the re-saved fixture and the original form (the preset) give the same tensor manifest", "[v4]") {
    check_same_manifest(tensor_manifest(load_config<DeepseekV4Config>(fixture_path())), tensor_manifest(flash));
    check_same_manifest(tensor_manifest(resaved_flash), tensor_manifest(flash));
}

TEST_CASE("V4: the original Flash files and the re-saved fixture give the same tensor manifest", "[v4][corpus]") {
    REQUIRE_CORPUS();
    const auto resaved = load_config<DeepseekV4Config>(fixture_path());
    for (const char* file : {"2026/deepseek-v4-flash.json", "2026/deepseek-v4-flash.aiconfigurator.json"}) {
        INFO(file);
        const auto original = load_config<DeepseekV4Config>(test_support::corpus_file(file));
        check_same_manifest(tensor_manifest(original), tensor_manifest(resaved));
    }
}

// ---- The re-saved form (tests/data/v4/deepseek-v4-flash.resaved.json) -----------------------------

TEST_CASE("V4 re-saved form: the fixture loads as DeepseekV4Config with V4-Flash's per-layer facts", "[v4][resaved]") {
    const Document doc = load_document(fixture_path());
    REQUIRE(std::holds_alternative<DeepseekV4Config>(doc.config));
    const auto& c = std::get<DeepseekV4Config>(doc.config);
    // The keys transformers folds away are absent; its own are read.
    CHECK_FALSE(c.compress_ratios.has_value());
    CHECK_FALSE(c.num_hash_layers.has_value());
    CHECK_FALSE(c.qk_rope_head_dim.has_value());
    CHECK_FALSE(c.rope_scaling.has_value());
    REQUIRE(c.layer_types.has_value());
    CHECK(c.layer_types->size() == 43);
    REQUIRE(c.mlp_layer_types.has_value());
    CHECK(c.mlp_layer_types->size() == 43);
    REQUIRE(c.compress_rates.has_value());
    CHECK(c.compress_rates->compressed_sparse_attention == 4);
    CHECK(c.compress_rates->heavily_compressed_attention == 128);
    REQUIRE(c.partial_rotary_factor.has_value());
    CHECK(*c.partial_rotary_factor == 0.125);
    CHECK(c.compress_rope_theta == 160000.0);
    REQUIRE(c.torch_dtype.has_value()); // from "dtype"
    CHECK(*c.torch_dtype == TorchDtype::bfloat16);
    REQUIRE(c.rope_parameters.has_value());
    REQUIRE(c.rope_parameters->main.has_value());
    REQUIRE(c.rope_parameters->compress.has_value());
    CHECK(c.rope_parameters->main->rope_type == RopeParametersType::default_);
    CHECK(c.rope_parameters->main->rope_theta == 10000.0);
    CHECK(c.rope_parameters->compress->rope_type == RopeParametersType::yarn);
    CHECK(c.rope_parameters->compress->factor == 16.0);
    CHECK(c.rope_parameters->compress->original_max_position_embeddings == std::uint64_t{65536});
    CHECK(c.rope_parameters->compress->rope_theta == 160000.0);
    CHECK(c.rope_parameters->compress->attention_factor == 1.0);

    for (std::uint64_t i = 0; i < 44; ++i) {
        INFO(i);
        CHECK(v4_compress_ratio(c, i) == flash_ratio(i));
        CHECK(is_hash_layer(c, i) == (i < 3));
    }
    CHECK(v4_compress_ratio(c, 43) == 0); // the MTP block: no entry in layer_types, sliding window
    CHECK(v4_rope_head_dim(c) == 64);
    CHECK(v4_expert_dtype(c) == ExpertDtype::fp4);
    CHECK(same_kinds(v4_layer_kinds(c), 2, 21, 20, 3));
    CHECK(mtp_layer_count(c) == 1);
    CHECK(quantization_modelled(c));
    CHECK(c == resaved_flash);
    check_anchors(c, flash_anchors);
    CHECK(not_modelled(doc).empty());
}

TEST_CASE("V4 re-saved form: saving keeps the file's form and the config", "[v4][resaved]") {
    const Document doc = load_document(fixture_path());
    const auto& c = std::get<DeepseekV4Config>(doc.config);
    const json saved = document_to_json(doc);
    // Saved as read: the transformers keys, none of the original form's.
    CHECK(saved.contains("layer_types"));
    CHECK(saved.contains("mlp_layer_types"));
    CHECK(saved.contains("compress_rates"));
    CHECK(saved.contains("rope_parameters"));
    CHECK_FALSE(saved.contains("compress_ratios"));
    CHECK_FALSE(saved.contains("num_hash_layers"));
    CHECK_FALSE(saved.contains("qk_rope_head_dim"));
    CHECK_FALSE(saved.contains("rope_scaling"));
    CHECK(saved.at("model_type") == "deepseek_v4");
    CHECK(saved.at("transformers_version") == "5.7.0.dev0"); // a key the config does not type, kept
    CHECK(saved.at("layer_types") == fixture_json().at("layer_types"));
    CHECK(saved.at("mlp_layer_types") == fixture_json().at("mlp_layer_types"));
    CHECK(saved.at("rope_parameters") == fixture_json().at("rope_parameters"));

    const Document again = parse_document(saved);
    REQUIRE(std::holds_alternative<DeepseekV4Config>(again.config));
    CHECK(std::get<DeepseekV4Config>(again.config) == c);
    CHECK(document_to_json(again) == saved);
    // config_to_json (no extra keys) reads back as the same config too.
    CHECK(parse_config<DeepseekV4Config>(config_to_json(c)) == c);
    // And the original form written by config_to_json reads back as the preset.
    CHECK(parse_config<DeepseekV4Config>(config_to_json(flash)) == flash);
}

// ---- KV cache (V4 §8, §9 item 5) -----------------------------------------------------------------

// Entry sizes.
static_assert(v4_kv_entry_bytes(flash, V4KvFormat::vllm_fp8) == X::v4_fp8_ds_mla_entry_bytes);
static_assert(v4_kv_entry_bytes(pro, V4KvFormat::sglang_fp8) == X::v4_fp8_ds_mla_entry_bytes);
static_assert(v4_kv_entry_bytes(flash, V4KvFormat::sglang_fp4_indexer) == X::v4_fp8_ds_mla_entry_bytes);
static_assert(v4_kv_entry_bytes(flash, V4KvFormat::demo_bf16) == X::v4_bf16_entry_bytes);
static_assert(v4_kv_entry_bytes(pro, V4KvFormat::llamacpp_f16) == X::v4_bf16_entry_bytes);
static_assert(v4_indexer_entry_bytes(flash, V4KvFormat::vllm_fp8) == X::v4_fp8_indexer_entry_bytes);
static_assert(v4_indexer_entry_bytes(flash, V4KvFormat::sglang_fp8) == X::v4_fp8_indexer_entry_bytes);
static_assert(v4_indexer_entry_bytes(flash, V4KvFormat::sglang_fp4_indexer) == X::v4_fp4_indexer_entry_bytes);
static_assert(v4_indexer_entry_bytes(flash, V4KvFormat::demo_bf16) == X::v4_bf16_indexer_entry_bytes);
static_assert(v4_indexer_entry_bytes(pro, V4KvFormat::llamacpp_f16) == X::v4_bf16_indexer_entry_bytes);
static_assert(v4_compressor_state_bytes(4, 512) == X::v4_state_ratio4_bytes);
static_assert(v4_compressor_state_bytes(128, 512) == X::v4_state_ratio128_bytes);
static_assert(v4_compressor_state_bytes(4, 128) == X::v4_state_indexer_bytes);

// Growth per token in vLLM (x 256): paged and unpadded; SGLang's FP4 indexer; the demo's BF16.
static_assert(v4_kv_growth_per_256_tokens(flash, V4KvFormat::vllm_fp8) == X::v4_flash_vllm_growth_per_256);
static_assert(v4_kv_unpadded_growth_per_256_tokens(flash, V4KvFormat::vllm_fp8) ==
              X::v4_flash_vllm_unpadded_growth_per_256);
static_assert(v4_kv_growth_per_256_tokens(pro, V4KvFormat::vllm_fp8) == X::v4_pro_vllm_growth_per_256);
static_assert(v4_kv_unpadded_growth_per_256_tokens(pro, V4KvFormat::vllm_fp8) ==
              X::v4_pro_vllm_unpadded_growth_per_256);
static_assert(v4_kv_growth_per_256_tokens(flash, V4KvFormat::sglang_fp8) == X::v4_flash_vllm_unpadded_growth_per_256);
static_assert(v4_kv_growth_per_256_tokens(flash, V4KvFormat::sglang_fp4_indexer) ==
              X::v4_flash_sglang_fp4_growth_per_256);
static_assert(v4_kv_growth_per_256_tokens(pro, V4KvFormat::sglang_fp4_indexer) == X::v4_pro_sglang_fp4_growth_per_256);
static_assert(v4_kv_growth_per_256_tokens(flash, V4KvFormat::demo_bf16) ==
              256 * (21 * X::v4_demo_ratio4_bytes_per_token + 20 * X::v4_demo_ratio128_bytes_per_token));
static_assert(v4_kv_growth_per_256_tokens(resaved_flash, V4KvFormat::vllm_fp8) == X::v4_flash_vllm_growth_per_256);

// The vLLM blog's 9.62 GiB: V4-Pro at 1M tokens in BF16, windows + compressed entries + indexer
// keys, no compressor state and no paging (V4 §8.7).
namespace pro_bf16_1m {
constexpr V4KvBytes kv = v4_kv_cache_bytes(pro, V4KvFormat::demo_bf16, one_m_tokens);
static_assert(kv.window + kv.compressed_sparse + kv.heavily_compressed + kv.indexer == X::v4_pro_bf16_1m_bytes);
static_assert(rounded((kv.window + kv.compressed_sparse + kv.heavily_compressed + kv.indexer) * 100, gib) ==
              X::v4_pro_bf16_1m_blog_centigib);
// The demo's state (V4 §8.1): per ratio-4 layer its compressor's and its indexer's, per ratio-128 one.
static_assert(kv.compressor_state ==
              30 * (X::v4_state_ratio4_bytes + X::v4_state_indexer_bytes) + 31 * X::v4_state_ratio128_bytes);
static_assert(kv.total == X::v4_pro_bf16_1m_bytes + kv.compressor_state);
} // namespace pro_bf16_1m

// llama.cpp #25468: V4-Flash at 131,072 tokens, F16 (V4 §8.4).
namespace flash_llamacpp_128k {
constexpr V4KvBytes kv = v4_kv_cache_bytes(flash, V4KvFormat::llamacpp_f16, 131'072);
static_assert(kv.compressed_sparse == X::v4_flash_llamacpp_128k_csa_bytes);
static_assert(kv.heavily_compressed == X::v4_flash_llamacpp_128k_hca_bytes);
static_assert(kv.indexer == X::v4_flash_llamacpp_128k_indexer_bytes);
static_assert(kv.compressed_sparse == 672 * mib && kv.heavily_compressed == 20 * mib && kv.indexer == 168 * mib);
} // namespace flash_llamacpp_128k

// The demo's per-sequence constant, preallocated (V4 §8.1): a 128-entry BF16 window in every
// layer (128 KiB) and the float32 compressor states.
static_assert(v4_kv_cache_bytes(flash, V4KvFormat::demo_bf16, 0).window == 43 * 128 * 1024);
static_assert(v4_kv_cache_bytes(flash, V4KvFormat::demo_bf16, 0).total ==
              43 * 128 * 1024 + 21 * (X::v4_state_ratio4_bytes + X::v4_state_indexer_bytes) +
                  20 * X::v4_state_ratio128_bytes);
static_assert(v4_kv_constant_exact(V4KvFormat::demo_bf16) && !v4_kv_constant_exact(V4KvFormat::vllm_fp8));

TEST_CASE("V4 KV: vLLM allocates whole 256-token blocks of 576-byte pages (V4 §8.2)", "[v4][kv]") {
    // From 0 to 1M tokens: 4,096 blocks, each the growth written out from the page sizes.
    for (const auto& [c, growth] : {std::pair<DeepseekV4Config, std::uint64_t>{flash, X::v4_flash_vllm_growth_per_256},
                                    std::pair<DeepseekV4Config, std::uint64_t>{pro, X::v4_pro_vllm_growth_per_256}}) {
        const V4KvBytes empty = v4_kv_cache_bytes(c, V4KvFormat::vllm_fp8, 0);
        const V4KvBytes full = v4_kv_cache_bytes(c, V4KvFormat::vllm_fp8, one_m_tokens);
        CHECK(full.total - empty.total == 4096 * growth);
        CHECK(empty.compressed_sparse == 0);
        CHECK(empty.indexer == 0);
        CHECK(full.window == empty.window);
        CHECK(full.compressor_state == empty.compressor_state);
        // One token more starts a block; 256 tokens fill it.
        const V4KvBytes one = v4_kv_cache_bytes(c, V4KvFormat::vllm_fp8, one_m_tokens + 1);
        CHECK(one.total - full.total == growth);
        CHECK(v4_kv_cache_bytes(c, V4KvFormat::vllm_fp8, one_m_tokens + 256).total == one.total);
    }
    const V4KvBytes f = v4_kv_cache_bytes(flash, V4KvFormat::vllm_fp8, one_m_tokens);
    CHECK(f.compressed_sparse == 4096ULL * 21 * X::v4_vllm_ratio4_page_bytes);
    CHECK(f.indexer == 4096ULL * 21 * X::v4_vllm_indexer_page_bytes);
    CHECK(f.heavily_compressed == 4096ULL * 20 * X::v4_vllm_ratio128_page_bytes);
    // V4 §8.7's approximate totals at 1M: Flash about 3.84 GiB, Pro about 5.50 GiB per sequence.
    CHECK(rounded(f.total * 100, gib) == 384);
    CHECK(rounded(v4_kv_cache_bytes(pro, V4KvFormat::vllm_fp8, one_m_tokens).total * 100, gib) == 550);
}

TEST_CASE("V4 KV: the demo and llama.cpp keep floor(tokens / ratio) entries (V4 §8.1, §8.4)", "[v4][kv]") {
    // 131,075 tokens: still 32,768 ratio-4 entries; 131,076: one more in each ratio-4 layer.
    const V4KvBytes a = v4_kv_cache_bytes(flash, V4KvFormat::llamacpp_f16, 131'075);
    const V4KvBytes b = v4_kv_cache_bytes(flash, V4KvFormat::llamacpp_f16, 131'076);
    CHECK(a.compressed_sparse == X::v4_flash_llamacpp_128k_csa_bytes);
    CHECK(b.compressed_sparse - a.compressed_sparse == 21 * X::v4_bf16_entry_bytes);
    CHECK(b.indexer - a.indexer == 21 * X::v4_bf16_indexer_entry_bytes);
    CHECK(b.heavily_compressed == a.heavily_compressed);
    // 131,199 tokens: 1,024 ratio-128 entries; 131,200: 1,025.
    CHECK(v4_kv_cache_bytes(flash, V4KvFormat::llamacpp_f16, 131'199).heavily_compressed ==
          X::v4_flash_llamacpp_128k_hca_bytes);
    CHECK(v4_kv_cache_bytes(flash, V4KvFormat::llamacpp_f16, 131'200).heavily_compressed ==
          X::v4_flash_llamacpp_128k_hca_bytes + 20 * X::v4_bf16_entry_bytes);
}

TEST_CASE("V4 KV: KvLayout does not apply to V4 (its cache takes a V4KvFormat)", "[v4][kv]") {
    for (const KvLayout layout : {KvLayout::latent, KvLayout::expanded, KvLayout::mha}) {
        CHECK_FALSE(layout_fits(flash, layout));
        KvQuery q{};
        q.layout = layout;
        const SizeResult r = kv_cache_bytes(flash, q);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error() == MemoryError::layout_not_for_v4);
    }
    const SizeResult d = kv_cache_bytes(flash, KvQuery{});
    REQUIRE_FALSE(d.has_value());
    CHECK(d.error() == MemoryError::layout_not_for_v4);
}

// ---- Report and budget ---------------------------------------------------------------------------

TEST_CASE("V4 report: figures, KV at the context, and the largest context for a budget", "[v4][report]") {
    // Weights one rank loads by default (MTP not loaded): the checkpoint without mtp.0 (V4 §4.5).
    const std::uint64_t flash_weights = X::v4_flash_checkpoint_bytes - X::v4_flash_mtp.bytes;
    ReportOptions o{};
    o.context = one_m_tokens;
    const Report r = make_report(flash, o).value();
    CHECK(r.params.total == X::v4_flash_params);
    CHECK(r.params.active == X::v4_flash_active_params);
    CHECK(r.params.mtp == X::v4_flash_mtp_params);
    CHECK(r.stored_elements == X::v4_flash_stored_elements);
    CHECK(r.checkpoint_bytes == X::v4_flash_checkpoint_bytes);
    CHECK(r.weight_bytes == flash_weights);
    CHECK(r.quantization_modelled);
    REQUIRE(r.v4.has_value());
    CHECK(r.v4->format == V4KvFormat::vllm_fp8); // the default
    CHECK(same_kinds(r.v4->layers, 2, 21, 20, 3));
    CHECK(r.v4->growth_per_256_tokens == X::v4_flash_vllm_growth_per_256);
    CHECK(r.v4->unpadded_growth_per_256_tokens == X::v4_flash_vllm_unpadded_growth_per_256);
    CHECK_FALSE(r.v4->per_sequence_exact);
    const std::uint64_t kv = X::v4_flash_vllm_1m_bytes; // written out from the page sizes
    CHECK(r.v4->at_context.total == kv);
    CHECK(r.v4->per_sequence_bytes == X::v4_flash_vllm_constant_bytes);
    CHECK(r.kv_bytes == kv);
    CHECK(r.kv_bytes_per_token == 0);
    CHECK_FALSE(r.max_context.has_value()); // no budget

    SECTION("budget = weights + one sequence's KV at 1M: exactly 1M tokens; one byte less, a block less") {
        o.budget = flash_weights + kv;
        const Report fit = make_report(flash, o).value();
        CHECK(fit.weights_fit);
        CHECK(fit.max_context == one_m_tokens);
        o.budget = flash_weights + kv - 1;
        // vLLM allocates 256-token blocks: the last whole block that fits ends at 1M - 256.
        CHECK(make_report(flash, o).value().max_context == one_m_tokens - 256);
        CHECK(v4_max_context_tokens(flash, V4KvFormat::vllm_fp8, 1, kv) == one_m_tokens);
        CHECK(v4_max_context_tokens(flash, V4KvFormat::vllm_fp8, 1, kv - 1) == one_m_tokens - 256);
    }
    SECTION("batch 2 needs twice the KV") {
        o.batch = 2;
        o.budget = flash_weights + 2 * kv;
        const Report two = make_report(flash, o).value();
        CHECK(two.max_context == one_m_tokens);
        CHECK(two.kv_bytes == 2 * kv);
        CHECK(v4_max_context_tokens(flash, V4KvFormat::vllm_fp8, 2, 2 * kv - 1) == one_m_tokens - 256);
    }
    SECTION("the demo keeps floor(T / 4) entries: 3 more tokens fit in the same bytes") {
        o.v4_kv_format = V4KvFormat::demo_bf16;
        const std::uint64_t demo = X::v4_flash_demo_1m_bytes;
        o.budget = flash_weights + demo;
        const Report d = make_report(flash, o).value();
        CHECK(d.v4->format == V4KvFormat::demo_bf16);
        CHECK(d.v4->per_sequence_exact);
        CHECK(d.max_context == one_m_tokens + 3);
    }
    SECTION("weights that fit with no room for a sequence's windows and state; weights that do not fit") {
        o.budget = flash_weights;
        const Report none = make_report(flash, o).value();
        CHECK(none.weights_fit);
        CHECK(none.max_context == std::uint64_t{0});
        CHECK_FALSE(v4_max_context_tokens(flash, V4KvFormat::vllm_fp8, 1, 0).has_value());
        o.budget = flash_weights - 1;
        const Report over = make_report(flash, o).value();
        CHECK_FALSE(over.weights_fit);
        CHECK_FALSE(over.max_context.has_value());
    }
    SECTION("Pro, llama.cpp's format") {
        ReportOptions p{};
        p.v4_kv_format = V4KvFormat::llamacpp_f16;
        const Report rp = make_report(pro, p).value();
        CHECK(rp.checkpoint_bytes == X::v4_pro_checkpoint_bytes);
        CHECK(rp.weight_bytes == X::v4_pro_checkpoint_bytes - X::v4_pro_mtp.bytes);
        CHECK(rp.context == 32'768); // the report's default context
        CHECK(rp.v4->at_context.compressed_sparse == 30ULL * (32'768 / 4) * X::v4_bf16_entry_bytes);
        CHECK(rp.v4->at_context.heavily_compressed == 31ULL * (32'768 / 128) * X::v4_bf16_entry_bytes);
        CHECK(rp.v4->at_context.indexer == 30ULL * (32'768 / 4) * X::v4_bf16_indexer_entry_bytes);
    }
}

TEST_CASE("V4 report as JSON: the architecture's layer kinds and the KV components", "[v4][report]") {
    ReportOptions o{};
    o.v4_kv_format = V4KvFormat::llamacpp_f16;
    o.context = 131'072;
    const Report r = make_report(flash, o).value();
    const json j = report_to_json(flash, r, "test");
    CHECK(j.at("config_class") == "DeepseekV4Config");
    CHECK(j.at("architecture").at("layer_kinds") ==
          json{{"sliding", 2}, {"compressed_sparse", 21}, {"heavily_compressed", 20}, {"hash_routed", 3}});
    CHECK(j.at("params").at("stored_elements") == X::v4_flash_stored_elements);
    CHECK(j.at("kv_cache").at("format") == "llamacpp_f16");
    CHECK(j.at("kv_cache").at("sequence").at("compressed_sparse") == X::v4_flash_llamacpp_128k_csa_bytes);
    CHECK(j.at("kv_cache").at("sequence").at("heavily_compressed") == X::v4_flash_llamacpp_128k_hca_bytes);
    CHECK(j.at("kv_cache").at("sequence").at("indexer") == X::v4_flash_llamacpp_128k_indexer_bytes);
}

// ---- Validation: each error with its pointer and message ------------------------------------------

TEST_CASE("V4 validation: compress ratios", "[v4][validation]") {
    json doc = original_flash_json();
    doc["compress_ratios"][5] = 8;
    expect_error(doc, ErrorKind::range, "/compress_ratios/5",
                 "a compress ratio must be 0 (sliding window only), 4 or 128, found 8");

    json shorter = original_flash_json();
    shorter["compress_ratios"].erase(0);
    shorter["compress_ratios"].erase(0); // 42 entries
    expect_error(shorter, ErrorKind::range, "/compress_ratios",
                 "needs one entry per decoder layer and one per MTP block (num_hidden_layers + "
                 "num_nextn_predict_layers = 44), or one per decoder layer (43), found 42");
    // One per decoder layer (43, as transformers 5.7 wrote for RedHat's copy, V4 §1) is accepted:
    // the MTP block is then sliding-window only.
    json per_layer = original_flash_json();
    per_layer["compress_ratios"].erase(43);
    const auto c43 = parse_config<DeepseekV4Config>(per_layer);
    CHECK(v4_compress_ratio(c43, 43) == 0);
    CHECK(tensor_count(c43) == X::v4_flash_tensors);

    json rates = fixture_json();
    rates["compress_rates"]["compressed_sparse_attention"] = 8;
    expect_error(rates, ErrorKind::range, "/compress_rates/compressed_sparse_attention",
                 "the library models DeepSeek-V4's released compress ratios only: must be 4, found 8");

    // validate() of configs built in memory: the same pointers and messages.
    DeepseekV4Config c = flash;
    c.compress_ratios->items[5] = 8;
    expect_one_problem(c, ErrorKind::range, "/compress_ratios/5",
                       "a compress ratio must be 0 (sliding window only), 4 or 128, found 8");
    DeepseekV4Config r = resaved_flash;
    r.compress_rates->compressed_sparse_attention = 8;
    expect_one_problem(r, ErrorKind::range, "/compress_rates/compressed_sparse_attention",
                       "the library models DeepSeek-V4's released compress ratios only: must be 4, found 8");
    CHECK(validate(flash).empty());
    CHECK(validate(pro).empty());
    CHECK(validate(resaved_flash).empty());
}

TEST_CASE("V4 validation: layer_types and mlp_layer_types", "[v4][validation]") {
    json shorter = fixture_json();
    shorter["layer_types"].erase(42);
    expect_error(shorter, ErrorKind::range, "/layer_types",
                 "needs one entry per decoder layer (num_hidden_layers = 43), found 42");

    json unknown = fixture_json();
    unknown["layer_types"][5] = "full_attention";
    expect_error(unknown, ErrorKind::unknown_value, "/layer_types/5",
                 "unknown value \"full_attention\"; accepted: \"sliding_attention\", "
                 "\"compressed_sparse_attention\", \"heavily_compressed_attention\"");

    // Both forms in one file must agree: layer 2 is ratio 4 in compress_ratios.
    json both = original_flash_json();
    both["layer_types"] = fixture_json().at("layer_types");
    CHECK_NOTHROW(parse_config(both.dump()));
    both["layer_types"][2] = "sliding_attention";
    expect_error(both, ErrorKind::range, "/layer_types/2",
                 "\"sliding_attention\" disagrees with compress_ratios[2] (4)");

    json mlp = original_flash_json(); // num_hash_layers 3
    mlp["mlp_layer_types"] = fixture_json().at("mlp_layer_types");
    CHECK_NOTHROW(parse_config(mlp.dump()));
    mlp["mlp_layer_types"][3] = "hash_moe";
    expect_error(mlp, ErrorKind::range, "/mlp_layer_types/3", "\"hash_moe\" disagrees with num_hash_layers (3)");

    json mlp_short = fixture_json();
    mlp_short["mlp_layer_types"].erase(0);
    expect_error(mlp_short, ErrorKind::range, "/mlp_layer_types",
                 "needs one entry per decoder layer (num_hidden_layers = 43), found 42");

    DeepseekV4Config c = resaved_flash;
    c.mlp_layer_types->items[3] = MlpLayerType::hash_moe;
    c.num_hash_layers = std::uint64_t{3};
    expect_one_problem(c, ErrorKind::range, "/mlp_layer_types/3", "\"hash_moe\" disagrees with num_hash_layers (3)");
    DeepseekV4Config t = resaved_flash;
    t.layer_types->count = 42;
    expect_one_problem(t, ErrorKind::range, "/layer_types",
                       "needs one entry per decoder layer (num_hidden_layers = 43), found 42");
    DeepseekV4Config both_forms = flash;
    both_forms.layer_types = resaved_flash.layer_types;
    both_forms.layer_types->items[2] = LayerAttention::sliding_attention;
    expect_one_problem(both_forms, ErrorKind::range, "/layer_types/2",
                       "\"sliding_attention\" disagrees with compress_ratios[2] (4)");
}

TEST_CASE("V4 validation: shared K=V and the grouped output", "[v4][validation]") {
    json kv = original_flash_json();
    kv["num_key_value_heads"] = 2;
    expect_error(kv, ErrorKind::range, "/num_key_value_heads",
                 "DeepSeek-V4 shares one K=V vector among all heads: must be 1, found 2");

    json groups = original_flash_json();
    groups["o_groups"] = 7; // 64 x 512 = 32,768 is not a multiple of 7
    expect_error(groups, ErrorKind::range, "/o_groups",
                 "num_attention_heads x head_dim (32768) must be a multiple of o_groups (7)");

    DeepseekV4Config c = flash;
    c.num_key_value_heads = 2;
    expect_one_problem(c, ErrorKind::range, "/num_key_value_heads",
                       "DeepSeek-V4 shares one K=V vector among all heads: must be 1, found 2");
    DeepseekV4Config g = pro;
    g.o_groups = 7;
    expect_one_problem(g, ErrorKind::range, "/o_groups",
                       "num_attention_heads x head_dim (65536) must be a multiple of o_groups (7)");
}

TEST_CASE("V4 validation: the indexer keys are needed when a ratio-4 layer exists, only then", "[v4][validation]") {
    for (const char* key : {"index_n_heads", "index_head_dim", "index_topk"}) {
        INFO(key);
        json doc = original_flash_json();
        doc.erase(key);
        expect_error(doc, ErrorKind::missing_key, std::string("/") + key,
                     std::string("DeepSeek-V4's compressed-sparse (ratio-4) layers have a lightning indexer: the "
                                 "file needs ") +
                         key);
        json resaved = fixture_json();
        resaved.erase(key);
        expect_error(resaved, ErrorKind::missing_key, std::string("/") + key,
                     std::string("DeepSeek-V4's compressed-sparse (ratio-4) layers have a lightning indexer: the "
                                 "file needs ") +
                         key);
    }
    // No ratio-4 layer (all 0 or 128): no indexer, no key needed, none of its tensors.
    json no_csa = original_flash_json();
    for (auto& r : no_csa["compress_ratios"]) {
        if (r == 4) r = 128;
    }
    for (const char* key : {"index_n_heads", "index_head_dim", "index_topk"}) no_csa.erase(key);
    const auto c = parse_config<DeepseekV4Config>(no_csa);
    CHECK(same_kinds(v4_layer_kinds(c), 2, 0, 41, 3));
    CHECK(param_breakdown(c).indexer == 0);
    CHECK(names_where(tensor_manifest(c), [](const TensorInfo& t) {
              return t.name.find(".indexer.") != std::string::npos;
          }).empty());
    json no_csa_resaved = fixture_json();
    for (auto& t : no_csa_resaved["layer_types"]) {
        if (t == "compressed_sparse_attention") t = "heavily_compressed_attention";
    }
    no_csa_resaved.erase("index_n_heads");
    CHECK(same_kinds(v4_layer_kinds(parse_config<DeepseekV4Config>(no_csa_resaved)), 2, 0, 41, 3));

    // In memory: a zero indexer size with ratio-4 layers is a problem; without them, none.
    DeepseekV4Config z = flash;
    z.index_n_heads = 0;
    expect_one_problem(z, ErrorKind::range, "/index_n_heads", "index_n_heads must be positive, found 0");
    DeepseekV4Config z128 = c;
    z128.index_n_heads = 0;
    CHECK(validate(z128).empty());
}

TEST_CASE("V4 files that are not modelled: DeepSeek-V4.1, SGLang's deepseek_ref, DSpark", "[v4][validation]") {
    SECTION("DeepSeek-V4.1 is another architecture: refused") {
        const json v41 = {{"model_type", "deepseek_v41"}, {"architectures", {"DeepseekV41ForCausalLM"}}};
        expect_error(v41, ErrorKind::not_modelled, "/model_type",
                     "DeepSeek-V4.1 (model_type \"deepseek_v41\") is a different architecture from DeepSeek-V4 "
                     "(engram layers, shared KV and index source layers) and is not modelled");
        // Even with V4's keys and V4's class named in architectures (V4 §10.5: V4.1 is out of scope).
        json with_v4_class = fixture_json();
        with_v4_class["model_type"] = "deepseek_v41";
        REQUIRE(with_v4_class.at("architectures") == json{"DeepseekV4ForCausalLM"});
        expect_error(with_v4_class, ErrorKind::not_modelled, "/model_type",
                     "DeepSeek-V4.1 (model_type \"deepseek_v41\") is a different architecture from DeepSeek-V4 "
                     "(engram layers, shared KV and index source layers) and is not modelled");
        json alone = original_flash_json();
        alone["model_type"] = "deepseek_v41";
        alone.erase("architectures");
        expect_error(alone, ErrorKind::not_modelled, "/model_type",
                     "DeepSeek-V4.1 (model_type \"deepseek_v41\") is a different architecture from DeepSeek-V4 "
                     "(engram layers, shared KV and index source layers) and is not modelled");
    }
    SECTION("SGLang's deepseek_ref: loads as DeepseekV4Config, its checkpoint not modelled") {
        json ref = original_flash_json();
        ref["model_type"] = "deepseek_ref";
        ref["architectures"] = {"DeepseekV4ForCausalLM"};
        ref.erase("expert_dtype");
        // SGLang's class invents MLA-style keys (V4 §2): kept as read, no figure depends on them.
        ref["kv_lora_rank"] = 512;
        ref["qk_nope_head_dim"] = 448;
        ref["v_head_dim"] = 512;
        ref["n_group"] = 8;
        const Document doc = parse_document(ref);
        REQUIRE(std::holds_alternative<DeepseekV4Config>(doc.config));
        const auto& c = std::get<DeepseekV4Config>(doc.config);
        CHECK(c.sglang_ref_format);
        CHECK_FALSE(quantization_modelled(c));
        CHECK(file_model_type(doc) == "deepseek_ref");
        CHECK(document_to_json(doc).at("model_type") == "deepseek_ref");
        CHECK(document_to_json(doc).at("kv_lora_rank") == 512);
        CHECK(parameter_count(c) == X::v4_flash_params); // the same model, repacked
        const std::vector<std::string> notes = not_modelled(doc);
        REQUIRE(notes.size() == 1);
        CHECK(notes[0] == "model_type \"deepseek_ref\": SGLang's FP8 repack of DeepSeek-V4, whose tensors (FP8 "
                          "experts, its own names) are not modelled, so the checkpoint's bytes and the weights as "
                          "released are not given (--weights-dtype gives a uniform figure)");
        try {
            (void)checkpoint_bytes(c);
            FAIL("checkpoint_bytes gave a figure");
        } catch (const Error& e) {
            CHECK(e.kind() == ErrorKind::not_modelled);
        }
        const Report r = make_report(c, ReportOptions{}).value();
        CHECK_FALSE(r.checkpoint_bytes.has_value());
        CHECK_FALSE(r.weight_bytes.has_value());
        CHECK(r.params.total == X::v4_flash_params);
    }
    SECTION("a dspark_* key: the DSpark draft module replaces the MTP block, not modelled") {
        json ds = original_flash_json();
        ds["dspark_block_size"] = 5;
        ds["dspark_markov_rank"] = 256;
        ds["dspark_target_layer_ids"] = {40, 41, 42};
        const Document doc = parse_document(ds);
        const auto& c = std::get<DeepseekV4Config>(doc.config);
        CHECK(c.dspark);
        CHECK(mtp_layer_count(c) == 0);
        CHECK_FALSE(quantization_modelled(c));
        CHECK(parameter_count(c) == X::v4_flash_params); // the main model is V4-Flash's
        const std::vector<std::string> notes = not_modelled(doc);
        REQUIRE(notes.size() == 1);
        CHECK(notes[0] == "dspark_* keys: the DSpark draft module of a later DeepSeek-V4 release replaces the MTP "
                          "block, and its tensors are not modelled (the figures count the main model, MTP apart), "
                          "so the checkpoint's bytes and the weights as released are not given (--weights-dtype "
                          "gives a uniform figure)");
        const Report r = make_report(c, ReportOptions{}).value();
        CHECK_FALSE(r.checkpoint_bytes.has_value());
        CHECK(document_to_json(doc).at("dspark_block_size") == 5);
    }
}

TEST_CASE("V4 DSpark: no MTP block counted when mtp_layer_count is 0", "[v4][validation][dspark]") {
    // The library says a DSpark file has no MTP block it models (mtp_layer_count 0, and the note
    // "the figures count the main model, MTP apart"); V4 §10.5: DSpark's mtp.* tensors differ from
    // the preview MTP block. So no figure should count the preview block's tensors.
    json ds = original_flash_json();
    ds["dspark_block_size"] = 5;
    const auto c = parse_config<DeepseekV4Config>(ds);
    REQUIRE(mtp_layer_count(c) == 0);
    CHECK(param_breakdown(c).mtp == 0);
    CHECK(tensor_count(c) == X::v4_flash_tensors - X::v4_flash_mtp.tensors);
    CHECK(stored_elements(c) == X::v4_flash_stored_elements - X::v4_flash_mtp.stored_elements);
}

// ---- NVIDIA's NVFP4 checkpoints (ModelOpt MIXED_PRECISION, V4 §5.3) ---------------------------

namespace {
/// V4-Pro as NVIDIA's NVFP4 export describes it, written into `dir`: config.json without
/// DeepSeek's quantization_config, and hf_quant_config.json beside it whose MIXED_PRECISION
/// quantized_layers name every decoder layer's routed experts as NVFP4 (the MTP block's stay FP4,
/// as its exclusion list "mtp.*" says). With `embedded`, the same object is config.json's
/// quantization_config (quant_method "modelopt") instead.
std::filesystem::path write_pro_nvfp4(const std::string& name, bool embedded, const json& layers_override = {}) {
    const std::filesystem::path dir = test_support::scratch_dir(name);
    json quantization = {{"quant_algo", "MIXED_PRECISION"},
                         {"kv_cache_quant_algo", nullptr},
                         {"group_size", 16},
                         {"exclude_modules", {"*.attn.*", "*.ffn.shared_experts.*", "head", "mtp.*"}}};
    json layers = json::object();
    for (int i = 0; i < 61; ++i)
        layers["layers." + std::to_string(i) + ".ffn.experts"] = {{"quant_algo", "NVFP4"}, {"group_size", 16}};
    quantization["quantized_layers"] = layers_override.is_null() ? layers : layers_override;
    json config = config_to_json(pro);
    config.erase("quantization_config");
    config["architectures"] = {"DeepseekV4ForCausalLM"};
    if (embedded) {
        // As NVIDIA's later config.json has it: quant_method "fp8" with DeepSeek's keys beside
        // ModelOpt's (ai-dynamo/aiconfigurator, nvidia--DeepSeek-V4-Pro-NVFP4_config.json @ 095f58a5).
        quantization.erase("exclude_modules");
        quantization["ignore"] = {"*.attn.*", "*.ffn.shared_experts.*", "head", "mtp.*"};
        quantization["quant_method"] = "fp8";
        quantization["fmt"] = "e4m3";
        quantization["scale_fmt"] = "ue8m0";
        quantization["activation_scheme"] = "dynamic";
        quantization["weight_block_size"] = {128, 128};
        quantization["moe_quant_algo"] = "NVFP4";
        config["quantization_config"] = quantization;
    } else {
        test_support::write_text(dir / "hf_quant_config.json",
                                 json{{"producer", {{"name", "modelopt"}}}, {"quantization", quantization}}.dump());
    }
    test_support::write_text(dir / "config.json", config.dump());
    return dir;
}
} // namespace

TEST_CASE("V4-Pro NVFP4: ModelOpt's NVFP4 experts sized by the NVFP4 format, the rest as released", "[v4][nvfp4]") {
    for (const bool embedded : {false, true}) {
        INFO((embedded ? "quantization_config in config.json" : "hf_quant_config.json beside config.json"));
        const Document doc = load_document(write_pro_nvfp4(embedded ? "v4_nvfp4_embedded" : "v4_nvfp4", embedded));
        const auto& c = std::get<DeepseekV4Config>(doc.config);
        REQUIRE(c.weight_quantization.has_value());
        CHECK(quantization_modelled(c));
        CHECK(not_modelled(doc).empty());
        CHECK(checkpoint_bytes(c) == X::v4_pro_nvfp4_checkpoint_bytes);
        CHECK(tensor_count(c) == X::v4_pro_nvfp4_tensors);
        // The published 913.09 GB holds the safetensors headers too (V4 §5.3: about 29 MB of them).
        CHECK(checkpoint_bytes(c) / 10'000'000 <= X::v4_pro_nvfp4_published_centigb);
        CHECK(checkpoint_bytes(c) / 10'000'000 + 5 >= X::v4_pro_nvfp4_published_centigb);
        CHECK(parameter_count(c) == X::v4_pro_params); // the same parameters, stored otherwise
        const Report r = make_report(c, ReportOptions{}).value();
        CHECK(r.quantization == WeightFormat::nvfp4);
        CHECK(r.quantization_source == (embedded ? QuantSource::quantization_config : QuantSource::hf_quant_config));

        // ModelOpt's NVFP4 names (W4A4: an input_scale), the MTP block's experts as released, and
        // attention kept in DeepSeek's FP8 with UE8M0 scales.
        const auto manifest = test_support::by_name(tensor_manifest(c));
        const std::vector<Row> expected = {
            {"layers.0.ffn.experts.0.w1.weight", {3072, 3584}, Dtype::uint8},
            {"layers.0.ffn.experts.0.w1.weight_scale", {3072, 448}, Dtype::fp8},
            {"layers.0.ffn.experts.0.w1.weight_scale_2", {}, Dtype::fp32},
            {"layers.0.ffn.experts.0.w1.input_scale", {}, Dtype::fp32},
            {"layers.60.ffn.experts.383.w2.weight", {7168, 1536}, Dtype::uint8},
            {"mtp.0.ffn.experts.0.w1.weight", {3072, 3584}, Dtype::int8},
            {"mtp.0.ffn.experts.0.w1.scale", {3072, 224}, Dtype::fp8_e8m0},
            {"layers.0.attn.wq_a.weight", {1536, 7168}, Dtype::fp8},
            {"layers.0.attn.wq_a.scale", {12, 56}, Dtype::fp8_e8m0},
            {"layers.0.ffn.shared_experts.w1.weight", {3072, 7168}, Dtype::fp8},
        };
        for (const Row& row : expected) {
            INFO(row.name);
            const auto it = manifest.find(row.name);
            REQUIRE(it != manifest.end());
            CHECK(test_support::dims(it->second.shape) == row.shape);
            CHECK(it->second.dtype == row.dtype);
        }
        CHECK(manifest.count("layers.0.ffn.experts.0.w1.scale") == 0);
    }
}

TEST_CASE("V4 ModelOpt quantisations other than NVFP4 experts load as not modelled", "[v4][nvfp4]") {
    SECTION("a quantized_layers entry that is not a block's routed experts") {
        const json layers = {{"layers.0.attn", {{"quant_algo", "NVFP4"}, {"group_size", 16}}}};
        const Document doc = load_document(write_pro_nvfp4("v4_nvfp4_attn", false, layers));
        const auto& c = std::get<DeepseekV4Config>(doc.config);
        CHECK_FALSE(quantization_modelled(c));
        CHECK(parameter_count(c) == X::v4_pro_params);
        const std::vector<std::string> notes = not_modelled(doc);
        REQUIRE(notes.size() == 1);
        CHECK(notes[0] == "hf_quant_config.json: ModelOpt quantized_layers entry \"layers.0.attn\" (NVFP4) is not "
                          "modelled (NVFP4 routed experts of a block are), so the checkpoint's bytes and the weights "
                          "as released are not given (--weights-dtype gives a uniform figure)");
    }
    SECTION("another group size") {
        const json layers = {{"layers.0.ffn.experts", {{"quant_algo", "NVFP4"}, {"group_size", 32}}}};
        const Document doc = load_document(write_pro_nvfp4("v4_nvfp4_group", true, layers));
        CHECK_FALSE(quantization_modelled(std::get<DeepseekV4Config>(doc.config)));
        REQUIRE(not_modelled(doc).size() == 1);
        CHECK(not_modelled(doc)[0].rfind("quantization_config (ModelOpt): ModelOpt quantized_layers entry "
                                         "\"layers.0.ffn.experts\" (NVFP4) is not modelled",
                                         0) == 0);
    }
}

TEST_CASE("V4 -Base (expert_dtype fp8): FP8 experts and float32 block scales everywhere", "[v4][base]") {
    DeepseekV4Config base = flash;
    base.expert_dtype = std::optional<ExpertDtype>(ExpertDtype::fp8);
    CHECK(stored_elements(base) == X::v4_flash_base_stored_elements);
    CHECK(checkpoint_bytes(base) == X::v4_flash_base_checkpoint_bytes);
    CHECK(parameter_count(base) == X::v4_flash_params); // the same model, stored otherwise
    // A third-party listing of V4-Flash-Base's tensors (ByteDance-Seed/VeOmni,
    // formats/v4-flash-base.json): every .scale F32.
    const auto manifest = test_support::by_name(tensor_manifest(base));
    const std::vector<Row> expected = {
        {"layers.0.attn.wq_a.scale", {8, 32}, Dtype::fp32},
        {"layers.5.ffn.experts.7.w1.weight", {2048, 4096}, Dtype::fp8},
        {"layers.5.ffn.experts.7.w1.scale", {16, 32}, Dtype::fp32},
        {"layers.2.attn.indexer.wq_b.scale", {64, 8}, Dtype::fp32},
        {"layers.0.ffn.shared_experts.w2.scale", {32, 16}, Dtype::fp32},
    };
    for (const Row& row : expected) {
        INFO(row.name);
        const auto it = manifest.find(row.name);
        REQUIRE(it != manifest.end());
        CHECK(test_support::dims(it->second.shape) == row.shape);
        CHECK(it->second.dtype == row.dtype);
    }
}

} // namespace v4_test
