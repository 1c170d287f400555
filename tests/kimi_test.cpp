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
    SECTION("Kimi-K2.5's vision_config: typed keys, their errors by place") {
        const auto error_of = [](const std::string& vision) {
            try {
                (void)parse_config(
                    R"({"model_type":"kimi_k25","text_config":{"num_hidden_layers":2},"vision_config":)" + vision +
                    "}");
            } catch (const Error& e) {
                return std::make_pair(std::string(e.pointer()), std::string(e.what()));
            }
            return std::make_pair(std::string("no error"), std::string());
        };
        const auto [deep, deep_what] = error_of(R"({"vt_num_hidden_layers":5000})");
        CHECK(deep == "/vision_config/vt_num_hidden_layers");
        CHECK(deep_what.find("must be at most 4096 layers, the limit of this reader, found 5000") != std::string::npos);
        const auto [typed, typed_what] = error_of(R"({"vt_hidden_size":"1152"})");
        CHECK(typed == "/vision_config/vt_hidden_size");
        CHECK(typed_what.find("expected an integer") != std::string::npos);
        // Unset, mm_hidden_size is vt_hidden_size (KimiK25VisionConfig: None); the projector's
        // pre_norm follows it.
        const auto c = std::get<KimiK25Config>(
            parse_config(R"({"model_type":"kimi_k25","text_config":{},"vision_config":{"vt_hidden_size":1024}})"));
        CHECK_FALSE(c.vision_config.mm_hidden_size.has_value());
        const auto tensors = by_name(tensor_manifest(c));
        CHECK(tensors.at("mm_projector.pre_norm.weight").shape.dims[0] == 1024);
        CHECK(tensors.at("mm_projector.proj.0.weight").shape.dims[0] == 4 * 1024);
        // Validation names the place of a vision key too.
        KimiK25Config big = c;
        big.vision_config.vt_num_hidden_layers = 1'000'000'000;
        const auto problems = validate(big);
        REQUIRE(problems.size() == 1);
        CHECK(problems.front().pointer() == "/vision_config/vt_num_hidden_layers");
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
        // MoonViT3d (modeling_kimi_k25.py) with H = 1152, I = 4304, 27 blocks, written out: per
        // block two LayerNorms (4H), wqkv [3H, H] with bias, wo [H, H] with bias, fc0 [I, H] and
        // fc1 [H, I] with biases; a Conv2d patch embedding [H, 3, 14, 14] with bias, a stored
        // [64, 64, H] position table (its time axis is a fixed table, not stored), a final
        // LayerNorm; the projector a LayerNorm over a patch (2H), proj.0 [4H, 4H] and proj.2
        // [7168, 4H] with biases.
        constexpr std::uint64_t H = 1152, I = 4304, T = 7168;
        constexpr std::uint64_t block = 4 * H + (3 * H * H + 3 * H) + (H * H + H) + (I * H + I) + (H * I + H);
        static_assert(block == 15'239'504);
        constexpr std::uint64_t tower = 27 * block + (H * 3 * 14 * 14 + H) + 64 * 64 * H + 2 * H;
        constexpr std::uint64_t projector = 2 * H + (4 * H * 4 * H + 4 * H) + (T * 4 * H + T);
        static_assert(tower == 416'866'032 && projector == 54'277'888);
        CHECK(vision_modelled(c));
        CHECK(param_breakdown(c).vision == tower + projector);
        // Stored in BF16, outside the language model's quantisation: the checkpoint is the
        // language model's (the same config as a bare DeepseekV3Config) and these bytes.
        CHECK(checkpoint_bytes(c) - checkpoint_bytes(static_cast<const DeepseekV3Config&>(c)) ==
              2 * (tower + projector));
        std::size_t vision_tensors = 0;
        for (const auto& t : tensor_manifest(c)) vision_tensors += t.part == Part::vision ? 1 : 0;
        CHECK(vision_tensors == 27 * 12 + 3 + 2 + 6);
        // vLLM at tp 8 (kimi_k25_vit.py): wqkv and fc0 split by rows with their biases, wo and
        // fc1 by columns with their biases whole; the rest replicated; BF16.
        Deployment d{};
        d.tp = 8;
        constexpr std::uint64_t split = 27 * (3 * H * H + 3 * H + I * H + I + H * H + H * I);
        constexpr std::uint64_t whole = tower + projector - split;
        static_assert(split == 411'279'984 && whole == 59'863'936);
        CHECK(weights_per_gpu(c, d).value().of(Part::vision) == 2 * (split / 8 + whole));
        CHECK(weights_per_gpu(c, d).value().vision_modelled);
        // --mm-encoder-tp-mode data: the whole encoder on every GPU.
        d.mm_encoder_data = true;
        CHECK(weights_per_gpu(c, d).value().of(Part::vision) == 2 * (tower + projector));
        // Its 16 heads split tp ways: tp 32 is refused (the language model's 64 heads allow it).
        d.mm_encoder_data = false;
        d.tp = 32;
        CHECK(weights_per_gpu(c, d).error() == MemoryError::tp_does_not_divide);
        // Served as text only (--language-model-only: kimi_k25.py builds vision_tower and
        // mm_projector inside _mark_tower_model), no tower on any GPU.
        d.tp = 8;
        d.language_model_only = true;
        CHECK(weights_per_gpu(c, d).value().of(Part::vision) == 0);
        // SGLang at tp 8 (kimi_k25.py at 00a239e5): the attention alike (VisionAttention's
        // qkv_proj by rows with its bias, proj by columns, its bias whole), the MLP whole
        // (MLP2's two nn.Linear), the rest replicated; over the attention group, so with DP
        // attention over 4 it is split 2 ways. The language model as SGLang's DeepSeek-V3 code
        // holds it, which at plain tp is vLLM's bytes.
        const GpuWeights vllm8 = [&] {
            Deployment v{};
            v.tp = 8;
            return weights_per_gpu(c, v).value();
        }();
        constexpr std::uint64_t attention = 27 * (3 * H * H + 3 * H + H * H);
        Deployment s{};
        s.engine = Engine::sglang;
        s.tp = 8;
        const GpuWeights sglang8 = weights_per_gpu(c, s).value();
        CHECK(sglang8.of(Part::vision) == 2 * (attention / 8 + tower + projector - attention));
        CHECK(sglang8.of(Part::vision) == 691'301'888);
        CHECK(sglang8.total() - sglang8.of(Part::vision) == vllm8.total() - vllm8.of(Part::vision));
        // Published: SGLang's nightly test of Kimi-K2.5 on 8 H200s at tp 8 (test_kimi_k25.py at
        // sglang e5589843a, May 2026, in the bisection report of PR #25390): "Load weight end.
        // ... mem usage=72.19 GB" (GiB). The tensors come to 71.60 GiB: 0.59 GiB is what loading
        // takes beside them, as 0.72 GiB for DeepSeek-V4-Pro (sglang_v4_pool_test).
        if (std::string(file) == "2026/kimi-k2.5.json") { // Moonshot's INT4 release, not NVIDIA's NVFP4
            const double loaded_gap = 72.19 - static_cast<double>(sglang8.total()) / (1 << 30);
            CHECK((loaded_gap > 0 && loaded_gap < 1));
        }
        // --mm-enable-dp-encoder (kimi_k25.py: VisionAttention with use_data_parallel): the whole
        // tower and projector on every GPU.
        s.mm_encoder_data = true;
        CHECK(weights_per_gpu(c, s).value().of(Part::vision) == 2 * (tower + projector));
        s.mm_encoder_data = false;
        s.dp = 4;
        s.dp_attention = true;
        CHECK(weights_per_gpu(c, s).value().of(Part::vision) == 2 * (attention / 2 + tower + projector - attention));
        // tp 32: the language model's 64 heads allow it, the tower's 16 do not; over 2 DP-attention
        // groups the tower is split 16 ways and allowed. Pipeline stages are not modelled.
        s.tp = 32;
        s.dp = 1;
        s.dp_attention = false;
        CHECK(weights_per_gpu(c, s).error() == MemoryError::tp_does_not_divide);
        s.mm_encoder_data = true; // the tower whole: its heads no longer split
        CHECK(weights_per_gpu(c, s).has_value());
        s.mm_encoder_data = false;
        s.dp = 2;
        s.dp_attention = true;
        CHECK(weights_per_gpu(c, s).has_value());
        // Pipeline stages (kimi_k25.py takes pp_proxy_tensors and builds its tower on every rank):
        // 61 layers as 30 + 31 (SGLang's get_pp_indices), the whole tower share of tp 8 on each
        // stage, so the two stages hold tp 8's GPU plus one more tower share.
        s.tp = 8;
        s.dp = 1;
        s.dp_attention = false;
        s.pp = 2;
        const GpuWeights first = weights_per_gpu(c, s, 0).value(), last = weights_per_gpu(c, s, 1).value();
        CHECK(first.layers.count == 30);
        CHECK(last.layers.count == 31);
        CHECK(first.of(Part::vision) == 691'301'888);
        CHECK(last.of(Part::vision) == 691'301'888);
        CHECK(first.total() + last.total() == sglang8.total() + 691'301'888);
        // The vision tower's typed keys; the others kept as read; the text_config's own model_type too.
        CHECK(c.vision_config.vt_num_hidden_layers == 27);
        CHECK(c.vision_config.mm_hidden_size == Optional<std::uint64_t>(1152));
        CHECK(doc.extra.at("vision_config").at("merge_type") == "sd2_tpool");
        const json saved = document_to_json(doc);
        const json file_json = json::parse(test_support::read_text(test_support::corpus_file(file)));
        CHECK(saved.at("model_type") == "kimi_k25");
        CHECK(saved.at("text_config").at("model_type") == file_json.at("text_config").at("model_type"));
        // Names carry the language_model. prefix; K2.5's originals are not known to store inv_freq.
        const auto tensors = by_name(tensor_manifest(c));
        CHECK(tensors.count("language_model.model.embed_tokens.weight") == 1);
        CHECK(tensors.count("language_model.model.layers.0.self_attn.rotary_emb.inv_freq") == 0);
        // The report counts the vision encoder, and says nothing is left out of it.
        const json report = report_to_json(doc, make_report(c, ReportOptions{}).value(), "k2.5");
        CHECK(report.at("params").at("vision_modelled") == true);
        CHECK(report.at("params").at("vision") == tower + projector);
        const json notes = report.value("not_modelled", json::array());
        CHECK(std::none_of(notes.begin(), notes.end(),
                           [](const json& note) { return note.get<std::string>().rfind("vision encoder", 0) == 0; }));
    }
    SECTION("text_config's model_type of Kimi-K2.5 is kept on saving") {
        const Document doc = load_document(test_support::corpus_file("2026/kimi-k2.5.json"));
        CHECK(document_to_json(doc).at("text_config").at("model_type") == "kimi_k2");
    }
}

} // namespace kimi_test
