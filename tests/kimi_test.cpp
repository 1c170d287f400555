// Moonshot's Kimi models, whose language model is DeepseekV3ForCausalLM: Kimi-K2 (top-level keys),
// Kimi-VL (text_config + MoonViT), Kimi-K2.5 (text_config + a tower not modelled). Expected
// figures are recorded checkpoint sizes and tensor listings (research notes, issue 14 §1 and §4),
// or tensors written out here.
#include <deepseek/json.hpp>
#include <deepseek/memory.hpp>
#include <deepseek/presets.hpp>
#include <deepseek/report.hpp>
#include <deepseek/report_json.hpp>
#include <deepseek/tensors.hpp>
#include <deepseek/validate.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "catch.hpp"
#include "expected_figures.hpp"
#include "test_support.hpp"

// One namespace per test file: the files of a batch share a translation unit (tests/CMakeLists.txt).
namespace kimi_test {

using namespace deepseek;
using nlohmann::json;
using test_support::by_name;
using test_support::dims;

namespace {

constexpr std::uint64_t kimi_vl_bytes = expected::kimi_vl_checkpoint_bytes;
constexpr std::uint64_t kimi_vl_tensors = expected::kimi_vl_tensors;
// model.layers.{0..60}.self_attn.rotary_emb.inv_freq, [56] bf16 each (7168 / 64 / 2).
constexpr std::uint64_t kimi_k2_inv_freq_bytes = expected::kimi_k2_inv_freq_bytes;
static_assert(kimi_k2_inv_freq_bytes == 61 * 56 * 2, "61 x 112 bytes");

/// The same language model as a plain DeepseekV3Config (no stored buffers, float32 router bias).
DeepseekV3Config as_v3(const DeepseekV3Config& c) { return c; }

} // namespace

TEST_CASE("Kimi-K2 stores one bf16 inv_freq buffer per decoder layer, never a parameter", "[kimi][memory]") {
    const KimiK2Config& k2 = presets::kimi_k2;
    const DeepseekV3Config v3 = as_v3(k2);
    CHECK(checkpoint_bytes(k2) - checkpoint_bytes(v3) == kimi_k2_inv_freq_bytes);
    CHECK(tensor_count(k2) - tensor_count(v3) == 61);
    // The listing's 139,644 tensors: 61 x 15 attention and norm tensors (inv_freq included, FP8
    // scales beside the weights), 6 for layer 0's dense MLP, 60 x 2,312 for the MoE layers, 3 more.
    CHECK(tensor_count(k2) == expected::kimi_k2_tensors);
    CHECK(parameter_count(k2) == parameter_count(v3));
    CHECK(param_breakdown(k2).active == param_breakdown(v3).active);
    CHECK(weight_bytes(k2, Dtype::bf16) == weight_bytes(v3, Dtype::bf16)); // buffers are not weights

    const auto tensors = by_name(tensor_manifest(k2));
    for (const char* name :
         {"model.layers.0.self_attn.rotary_emb.inv_freq", "model.layers.60.self_attn.rotary_emb.inv_freq"}) {
        INFO(name);
        REQUIRE(tensors.count(name) == 1);
        CHECK(dims(tensors.at(name).shape) == std::vector<std::uint64_t>{56});
        CHECK(tensors.at(name).dtype == Dtype::bf16);
        CHECK(tensors.at(name).part == Part::buffer);
    }
    CHECK(tensors.count("model.layers.61.self_attn.rotary_emb.inv_freq") == 0); // no MTP module
    // Kimi-K2 keeps DeepSeek-V3's float32 router bias, and its names have no prefix.
    const auto& bias = tensors.at("model.layers.1.mlp.gate.e_score_correction_bias");
    CHECK(dims(bias.shape) == std::vector<std::uint64_t>{384});
    CHECK(bias.dtype == Dtype::fp32);
    CHECK(tensors.count("model.layers.1.mlp.experts.383.down_proj.weight") == 1);
    CHECK(tensors.count("lm_head.weight") == 1);
}

TEST_CASE("Kimi-VL figures match the released checkpoint", "[kimi][memory]") {
    const KimiVLConfig& vl = presets::kimi_vl_a3b;
    CHECK(checkpoint_bytes(vl) == kimi_vl_bytes);
    CHECK(tensor_count(vl) == kimi_vl_tensors);
    CHECK(vl.num_nextn_predict_layers == 1); // the class default: the file has no such key
    CHECK(mtp_layer_count(vl) == 0);         // but Kimi-VL builds and stores no MTP module
    CHECK(param_breakdown(vl).vision_modelled);

    const auto tensors = by_name(tensor_manifest(vl));
    const std::vector<test_support::Row> expected{
        {"language_model.model.embed_tokens.weight", {163840, 2048}, Dtype::bf16},
        {"language_model.lm_head.weight", {163840, 2048}, Dtype::bf16},
        {"language_model.model.layers.0.self_attn.q_proj.weight", {16 * 192, 2048}, Dtype::bf16},
        {"language_model.model.layers.0.self_attn.rotary_emb.inv_freq", {64}, Dtype::bf16},
        {"language_model.model.layers.26.self_attn.rotary_emb.inv_freq", {64}, Dtype::bf16},
        {"language_model.model.layers.0.mlp.down_proj.weight", {2048, 11264}, Dtype::bf16},
        {"language_model.model.layers.26.mlp.gate.e_score_correction_bias", {64}, Dtype::bf16},
        {"language_model.model.layers.1.mlp.shared_experts.gate_proj.weight", {2816, 2048}, Dtype::bf16},
        {"vision_tower.patch_embed.pos_emb.weight", {64, 64, 1152}, Dtype::bf16},
        {"vision_tower.encoder.blocks.26.wqkv.bias", {3456}, Dtype::bf16},
        {"vision_tower.encoder.blocks.0.mlp.fc0.weight", {4304, 1152}, Dtype::bf16},
        {"vision_tower.encoder.final_layernorm.bias", {1152}, Dtype::bf16},
        {"multi_modal_projector.linear_1.weight", {4608, 4608}, Dtype::bf16},
        {"multi_modal_projector.linear_2.weight", {2048, 4608}, Dtype::bf16},
    };
    test_support::check_named_rows(tensors, expected);
    CHECK(tensors.count("language_model.model.layers.27.self_attn.rotary_emb.inv_freq") == 0);
    CHECK(tensors.count("model.embed_tokens.weight") == 0);
}

TEST_CASE("Kimi configs: detection, saving and validation", "[kimi][dispatch]") {
    SECTION("model_type and architectures name the Kimi classes") {
        const AnyConfig k2 = parse_config(R"({"model_type":"kimi_k2","architectures":["DeepseekV3ForCausalLM"]})");
        CHECK(std::holds_alternative<KimiK2Config>(k2));
        CHECK(class_name_of(k2) == "DeepseekV3Config"); // the class its files name
        CHECK(model_type_of(k2) == "kimi_k2");
        CHECK(detect_config("kimi_vl") == ConfigKind::kimi_vl);
        CHECK(detect_config("", {"KimiK25ForConditionalGeneration"}) == ConfigKind::kimi_k25);
        CHECK(detect_config("", {"KimiVLForConditionalGeneration"}) == ConfigKind::kimi_vl);
        // A subtype loads as its base class.
        CHECK(parse_config<DeepseekV3Config>(R"({"model_type":"kimi_k2","num_hidden_layers":4})").num_hidden_layers ==
              4);
    }
    SECTION("a Kimi-VL file needs its text_config") {
        try {
            (void)parse_config(R"({"model_type":"kimi_vl"})");
            FAIL("no error");
        } catch (const Error& e) {
            CHECK(e.pointer() == "/text_config");
            CHECK(e.kind() == ErrorKind::missing_key);
            CHECK(std::string(e.what()).find("a Kimi-VL file needs a text_config object") != std::string::npos);
        }
    }
    SECTION("saving writes text_config and vision_config; reading it back gives the same config") {
        const json out = config_to_json(presets::kimi_vl_a3b);
        CHECK(out.at("model_type") == "kimi_vl");
        CHECK(out.at("text_config").at("hidden_size") == 2048);
        CHECK(out.at("text_config").at("model_type") == "deepseek_v3");
        CHECK(out.at("vision_config").at("merge_kernel_size") == json::array({2, 2}));
        CHECK_FALSE(out.contains("hidden_size"));
        CHECK(parse_config<KimiVLConfig>(out.dump()) == presets::kimi_vl_a3b);
    }
    SECTION("validation names the place of a language key") {
        KimiVLConfig c = presets::kimi_vl_a3b;
        c.num_attention_heads = 0;
        const auto problems = validate(c);
        REQUIRE_FALSE(problems.empty());
        CHECK(problems.front().pointer() == "/text_config/num_attention_heads");
    }
}

TEST_CASE("Every 2026 corpus file with a DeepSeek language model loads as its class", "[kimi][vl2][corpus]") {
    REQUIRE_CORPUS();
    struct Expected {
        std::string class_name;
        std::string file_model_type;
    };
    // Written by hand from the files: model_type and architectures of each (SOURCES.md).
    const std::map<std::string, Expected> expected{
        {"deepseek-vl2-tiny.json", {"DeepseekVLV2Config", "deepseek_vl_v2"}},
        {"kimi-k2.5.json", {"KimiK25Config", "kimi_k25"}},
        {"nvidia-kimi-k2.5-nvfp4.json", {"KimiK25Config", "kimi_k25"}},
        {"kimi-vl-a3b-instruct.json", {"KimiVLConfig", "kimi_vl"}},
    };
    std::size_t seen = 0;
    for (const auto& entry : std::filesystem::directory_iterator(test_support::corpus_dir() / "2026")) {
        const std::string name = entry.path().filename().string();
        if (entry.path().extension() != ".json" || name.rfind("deepseek-v4", 0) == 0) continue;
        INFO(name);
        const auto it = expected.find(name);
        REQUIRE(it != expected.end()); // a new file: list it
        const auto doc = try_load_document(entry.path());
        REQUIRE(doc.has_value()); // none refused
        CHECK(class_name_of(doc->config) == it->second.class_name);
        CHECK(file_model_type(*doc) == it->second.file_model_type);
        ++seen;
    }
    CHECK(seen == expected.size());
}

TEST_CASE("Kimi corpus files: values, kept keys, and what the report does not model", "[kimi][corpus]") {
    REQUIRE_CORPUS();
    SECTION("Kimi-VL-A3B-Instruct equals its preset") {
        const Document doc = load_document(test_support::corpus_file("2026/kimi-vl-a3b-instruct.json"));
        REQUIRE(std::holds_alternative<KimiVLConfig>(doc.config));
        CHECK(doc.layout == DocumentLayout::text_config);
        CHECK(std::get<KimiVLConfig>(doc.config) == presets::kimi_vl_a3b);
        CHECK(doc.extra.at("vision_config").at("model_type") == "moonvit");
        CHECK(doc.extra.at("media_placeholder_token_id") == 163605);
        CHECK(parse_document(document_to_json(doc).dump()).config == doc.config);
    }
    for (const char* file : {"2026/kimi-k2.5.json", "2026/nvidia-kimi-k2.5-nvfp4.json"}) {
        INFO(file);
        const Document doc = load_document(test_support::corpus_file(file));
        REQUIRE(std::holds_alternative<KimiK25Config>(doc.config));
        const auto& c = std::get<KimiK25Config>(doc.config);
        CHECK(doc.layout == DocumentLayout::text_config);
        // Kimi-K2's shape, in text_config.
        CHECK(c.num_hidden_layers == 61);
        CHECK(c.n_routed_experts == std::optional<std::uint64_t>(384));
        CHECK(c.num_attention_heads == 64);
        CHECK(c.vocab_size == 163840);
        CHECK(c.max_position_embeddings == 262144);
        CHECK_FALSE(vision_modelled(c));
        CHECK(param_breakdown(c).vision == 0);
        // A deployment says so too: vLLM loads the tower, so the weights per GPU are short of it
        // and the cache planned beside them is an upper bound.
        Deployment d{};
        d.tp = 8;
        CHECK_FALSE(weights_per_gpu(c, d).value().vision_modelled);
        GpuBudget b{};
        b.gpu_memory = 141'000'000'000;
        CHECK_FALSE(plan_deployment(c, d, VllmKvFormat::flashmla, b).value().vision_modelled);
        // Served as text only (--language-model-only: kimi_k25.py builds vision_tower and
        // mm_projector inside _mark_tower_model), nothing is left out.
        d.language_model_only = true;
        CHECK(weights_per_gpu(c, d).value().vision_modelled);
        CHECK(plan_deployment(c, d, VllmKvFormat::flashmla, b).value().vision_modelled);
        // The vision tower's keys are kept as read; the text_config's own model_type too.
        CHECK(doc.extra.at("vision_config").at("vt_num_hidden_layers") == 27);
        const json saved = document_to_json(doc);
        const json file_json = json::parse(test_support::read_text(test_support::corpus_file(file)));
        CHECK(saved.at("model_type") == "kimi_k25");
        CHECK(saved.at("text_config").at("model_type") == file_json.at("text_config").at("model_type"));
        // Names carry the language_model. prefix; K2.5's originals are not known to store inv_freq.
        const auto tensors = by_name(tensor_manifest(c));
        CHECK(tensors.count("language_model.model.embed_tokens.weight") == 1);
        CHECK(tensors.count("language_model.model.layers.0.self_attn.rotary_emb.inv_freq") == 0);
        // The report says the vision encoder is not counted, never a silent 0.
        const json report = report_to_json(doc, make_report(c, ReportOptions{}).value(), "k2.5");
        CHECK(report.at("params").at("vision_modelled") == false);
        const auto& notes = report.at("not_modelled");
        CHECK(std::any_of(notes.begin(), notes.end(), [](const json& note) {
            return note.get<std::string>().rfind("vision encoder: not counted", 0) == 0;
        }));
    }
    SECTION("text_config's model_type of Kimi-K2.5 is kept on saving") {
        const Document doc = load_document(test_support::corpus_file("2026/kimi-k2.5.json"));
        CHECK(document_to_json(doc).at("text_config").at("model_type") == "kimi_k2");
    }
}

} // namespace kimi_test
