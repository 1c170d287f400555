// Lenient where it should be: a quantisation method other than DeepSeek's FP8, or an activation
// name outside the table, loads; the value is kept and saved back unchanged; and what depends on
// it is reported as not modelled instead of as a figure. Structural fields stay strict.
// Expected figures: expected_figures.hpp (V3's recorded parameter and KV figures), and the
// quantization_config objects of real checkpoints (Kimi-K2.5's compressed-tensors, NVIDIA's
// ModelOpt NVFP4) read from the corpus.
#include <deepseek/json.hpp>
#include <deepseek/memory.hpp>
#include <deepseek/presets.hpp>
#include <deepseek/report.hpp>
#include <deepseek/report_json.hpp>

#include <string>
#include <vector>

#include "catch.hpp"
#include "expected_figures.hpp"
#include "test_support.hpp"

// One namespace per test file: the files of a batch share a translation unit (tests/CMakeLists.txt).
namespace lenient_test {

using namespace deepseek;
using nlohmann::json;
namespace X = expected;

namespace {

/// DeepSeek-V3's config (the preset's keys) with `quantization_config` replaced.
json v3_with_quantization(const json& quantization) {
    json j = config_to_json(presets::deepseek_v3);
    j["quantization_config"] = quantization;
    return j;
}

/// Checks everything a method that is not modelled must give: it loads as QuantMethod::other,
/// saves back unchanged, counts V3's recorded parameters and KV cache, and gives no checkpoint
/// bytes or weights as released.
void check_not_modelled_method(const json& quantization, const std::string& method) {
    INFO(quantization.dump());
    const json file = v3_with_quantization(quantization);
    const Document doc = parse_document(file.dump());
    const auto& c = std::get<DeepseekV3Config>(doc.config);
    REQUIRE(c.quantization_config.has_value());
    CHECK(c.quantization_config->quant_method == QuantMethod::other);
    CHECK_FALSE(quantization_modelled(c));

    // Saved back as read: the whole object, unknown keys and all.
    const json saved = document_to_json(doc);
    CHECK(saved.at("quantization_config") == quantization);

    // What does not depend on the stored bytes: V3's recorded figures.
    CHECK(parameter_count(c) == X::v3_params);
    CHECK(param_breakdown(c).mtp == X::v3_mtp_params);
    KvQuery kv{};
    CHECK(kv_cache_bytes(c, kv).value() == X::v3_kv_latent_bf16_bytes_per_token);

    // What does: an error naming it, never a number.
    try {
        (void)checkpoint_bytes(c);
        FAIL("checkpoint_bytes gave a figure");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::not_modelled);
    }
    WeightQuery released{};
    released.tp = 8;
    CHECK(weight_bytes_per_rank(c, released).error() == MemoryError::quantization_not_modelled);
    // At a uniform dtype the quantisation does not matter: every parameter, MTP included (V3's
    // recorded count), at 2 bytes, on one device.
    WeightQuery bf16{};
    bf16.dtype = Dtype::bf16;
    bf16.mtp = true;
    CHECK(weight_bytes_per_rank(c, bf16).value() == 2 * X::v3_params_with_mtp);

    ReportOptions options{};
    options.tp = 8;
    options.budget = std::uint64_t{96} << 30;
    const Report r = make_report(c, options).value();
    CHECK_FALSE(r.quantization_modelled);
    CHECK_FALSE(r.checkpoint_bytes.has_value());
    CHECK_FALSE(r.weight_bytes.has_value());
    CHECK_FALSE(r.max_context.has_value()); // no weights, no budget answer
    CHECK(r.params.total == X::v3_params);
    CHECK(r.kv_bytes_per_token == X::v3_kv_latent_bf16_bytes_per_token);
    options.weights_dtype = Dtype::int4; // 4-bit weights fit 96 GiB per rank; bf16 ones would not
    WeightQuery int4 = released;
    int4.dtype = Dtype::int4;
    const Report uniform = make_report(c, options).value();
    CHECK(uniform.weight_bytes == weight_bytes_per_rank(presets::deepseek_v3, int4).value());
    CHECK(uniform.max_context.has_value());

    // tp that does not split the model is still an error, with or without the bytes.
    options.weights_dtype.reset();
    options.tp = 3;
    CHECK(make_report(c, options).error() == MemoryError::tp_does_not_divide);

    const std::vector<std::string> notes = not_modelled(doc);
    REQUIRE(notes.size() == 1);
    CHECK(notes[0] == "quantization_config.quant_method \"" + method +
                          "\": not modelled (DeepSeek's fp8, ModelOpt NVFP4 and compressed-tensors pack-quantized "
                          "INT4 are), so the checkpoint's bytes and the weights as released are not given "
                          "(--weights-dtype gives a uniform figure)");
}

} // namespace

TEST_CASE("Quantisation methods other than DeepSeek's FP8 load and are reported as not modelled",
          "[lenient][quantization]") {
    // Written from the keys each method's Hugging Face quantizer reads.
    check_not_modelled_method(
        json{{"quant_method", "awq"}, {"bits", 4}, {"group_size", 128}, {"zero_point", true}, {"version", "gemm"}},
        "awq");
    check_not_modelled_method(json{{"quant_method", "gptq"},
                                   {"bits", 4},
                                   {"group_size", 128},
                                   {"desc_act", false},
                                   {"sym", true},
                                   {"damp_percent", 0.01}},
                              "gptq");
    // A method whose other keys clash with DeepSeek's in type: still read as the method's own.
    check_not_modelled_method(json{{"quant_method", "fbgemm_fp8"}, {"weight_block_size", "none"}, {"fmt", 8}},
                              "fbgemm_fp8");
}

TEST_CASE("An activation outside the table loads, is kept, and is reported", "[lenient][hidden_act]") {
    json file = config_to_json(presets::deepseek_v2_lite);
    file["hidden_act"] = "gelu_fast";
    const Document doc = parse_document(file.dump());
    const auto& c = std::get<DeepseekV2Config>(doc.config);
    CHECK(c.hidden_act == HiddenAct::other);
    CHECK(document_to_json(doc).at("hidden_act") == "gelu_fast");
    CHECK(parameter_count(c) == X::v2_lite_params); // no figure depends on it
    CHECK(checkpoint_bytes(c) == X::v2_lite_checkpoint_bytes);
    const std::vector<std::string> notes = not_modelled(doc);
    REQUIRE(notes.size() == 1);
    CHECK(notes[0] == "hidden_act \"gelu_fast\": an activation this library does not know (no figure depends on it)");
    // A known name is modelled and consumed as before.
    file["hidden_act"] = "gelu";
    const Document known = parse_document(file.dump());
    CHECK(std::get<DeepseekV2Config>(known.config).hidden_act == HiddenAct::gelu);
    CHECK_FALSE(known.extra.contains("hidden_act"));
    CHECK(not_modelled(known).empty());
}

TEST_CASE("Structural fields stay strict beside a lenient one", "[lenient]") {
    // An unknown method does not excuse a missing one, nor a bad structural value elsewhere.
    try {
        (void)parse_config(v3_with_quantization(json{{"bits", 4}}).dump());
        FAIL("a quantization_config without quant_method loaded");
    } catch (const Error& e) {
        CHECK(e.pointer() == "/quantization_config/quant_method");
        CHECK(e.kind() == ErrorKind::missing_key);
    }
    json file = v3_with_quantization(json{{"quant_method", "awq"}});
    file["num_key_value_heads"] = 3;
    try {
        (void)parse_config(file.dump());
        FAIL("128 heads over 3 KV heads loaded");
    } catch (const Error& e) {
        CHECK(e.pointer() == "/num_key_value_heads");
        CHECK(e.kind() == ErrorKind::range);
    }
}

} // namespace lenient_test
