// Quantisation formats read from files: ModelOpt's hf_quant_config.json beside config.json,
// `quantization_config` objects of ModelOpt and compressed-tensors, their module patterns, and
// what is reported when a format is not modelled. Expected values: NVIDIA's published element
// count of its R1-0528 / V3.1 FP4 checkpoints (next-capabilities.md §3.3: the V3.1-NVFP4 files'
// exclusion list is that of R1-0528 v2), and module lists written out from the files' patterns.
#include <deepseek/json.hpp>
#include <deepseek/memory.hpp>
#include <deepseek/presets.hpp>
#include <deepseek/report_json.hpp>

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "catch.hpp"
#include "expected_figures.hpp"
#include "test_support.hpp"

// One namespace per test file: the files of a batch share a translation unit (tests/CMakeLists.txt).
namespace quantization_json_test {

using namespace deepseek;
using nlohmann::json;
namespace fs = std::filesystem;
namespace X = expected;

namespace {

/// A model folder of our own: config.json and hf_quant_config.json with the given texts.
fs::path model_folder(const std::string& name, const std::string& config, const std::string& quant) {
    const fs::path dir = test_support::scratch_dir("quantization_json") / name;
    fs::create_directories(dir);
    std::ofstream(dir / "config.json") << config;
    if (!quant.empty()) std::ofstream(dir / "hf_quant_config.json") << quant;
    return dir;
}

/// V3's keys without a quantization_config, as NVIDIA's NVFP4 config.json files are.
std::string v3_bf16_config() {
    json j = config_to_json(presets::deepseek_v3);
    j.erase("quantization_config");
    return j.dump();
}

/// hf_quant_config.json of NVIDIA's V3.1 / R1-0528 v2 export, written from its rule: lm_head, the
/// MTP layer 61 (a glob), and q_a, q_b, kv_a, kv_b of layers 0-60.
std::string nvfp4_hf_quant_config(const std::string& algo = "NVFP4") {
    json exclude = json::array({"lm_head", "model.layers.61*"});
    for (int layer = 0; layer < 61; ++layer) {
        for (const char* m : {"kv_a_proj_with_mqa", "kv_b_proj", "q_a_proj", "q_b_proj"})
            exclude.push_back("model.layers." + std::to_string(layer) + ".self_attn." + m);
    }
    return json{
        {"producer", {{"name", "modelopt"}, {"version", "0.22.1"}}},
        {"quantization",
         {{"quant_algo", algo}, {"kv_cache_quant_algo", "FP8"}, {"group_size", 16}, {"exclude_modules", exclude}}}}
        .dump();
}

} // namespace

TEST_CASE("hf_quant_config.json beside config.json: NVIDIA's NVFP4 DeepSeek, exactly", "[quantization][json]") {
    const fs::path dir = model_folder("v31-nvfp4", v3_bf16_config(), nvfp4_hf_quant_config());
    for (const fs::path& path : {dir, dir / "config.json"}) {
        const Document doc = load_document(path);
        const auto& c = std::get<DeepseekV3Config>(doc.config);
        REQUIRE(c.weight_quantization.has_value());
        CHECK(c.weight_quantization->format == WeightFormat::nvfp4);
        CHECK(c.weight_quantization->source == QuantSource::hf_quant_config);
        CHECK(c.weight_quantization->input_scale);
        CHECK(stored_elements(c) == 393'632'909'544); // NVIDIA's published "393.6B"
        CHECK(checkpoint_bytes(c) == 413'306'995'616);
        CHECK(parameter_count(c) == X::v3_params);
        CHECK(doc.hf_quant_config.at("quantization").at("quant_algo") == "NVFP4");
        CHECK(not_modelled(doc).empty());
        // load_config reads it too; parsing config.json's text alone cannot.
        CHECK(load_config<DeepseekV3Config>(path) == c);
        CHECK_FALSE(parse_config<DeepseekV3Config>(v3_bf16_config()).weight_quantization.has_value());
        // Saving config.json does not write what came from the other file (an unset
        // quantization_config is written as null, as save_pretrained does).
        CHECK(document_to_json(doc).at("quantization_config").is_null());
    }
    const Report r = make_report(load_config<DeepseekV3Config>(dir), ReportOptions{}).value();
    CHECK(r.quantization == std::optional<WeightFormat>(WeightFormat::nvfp4));
    CHECK(r.quantization_source == std::optional<QuantSource>(QuantSource::hf_quant_config));
    const json j = report_to_json(load_document(dir), r, "x");
    CHECK(j.at("quantization") == json{{"method", "nvfp4"}, {"source", "hf_quant_config.json"}, {"modelled", true}});
}

TEST_CASE("The released V3.1-NVFP4 files, as a model folder", "[quantization][json][corpus]") {
    REQUIRE_CORPUS();
    const fs::path dir = model_folder(
        "v31-nvfp4-released", test_support::read_text(test_support::corpus_file("nvidia-deepseek-v3.1-nvfp4.json")),
        test_support::read_text(test_support::corpus_file("nvidia-deepseek-v3.1-nvfp4.hf_quant_config.json")));
    const auto c = load_config<DeepseekV3Config>(dir);
    CHECK(stored_elements(c) == 393'632'909'544);
    CHECK(checkpoint_bytes(c) == 413'306'995'616);
}

TEST_CASE("hf_quant_config.json that is not modelled: loads, and says why", "[quantization][json]") {
    const fs::path dir = model_folder("modelopt-fp8", v3_bf16_config(), nvfp4_hf_quant_config("FP8"));
    const Document doc = load_document(dir);
    const auto& c = std::get<DeepseekV3Config>(doc.config);
    CHECK_FALSE(quantization_modelled(c));
    CHECK_THROWS_AS((void)checkpoint_bytes(c), Error);
    CHECK(parameter_count(c) == X::v3_params);
    CHECK(not_modelled(doc) ==
          std::vector<std::string>{"hf_quant_config.json: ModelOpt quant_algo \"FP8\" is not modelled (only NVFP4 is), "
                                   "so the checkpoint's bytes and the weights as released are not given "
                                   "(--weights-dtype gives a uniform figure)"});
    const json saved = document_to_json(doc);
    CHECK((!saved.contains("quantization_config") || saved.at("quantization_config").is_null()));
}

TEST_CASE("hf_quant_config.json errors name the file and the JSON pointer", "[quantization][json]") {
    const fs::path dir = model_folder("bad-quant", v3_bf16_config(), R"({"producer": {}})");
    try {
        (void)load_document(dir);
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::missing_key);
        CHECK(e.pointer() == "/quantization");
        CHECK(e.message() == "hf_quant_config.json needs a \"quantization\" object");
        CHECK(e.file() == (dir / "hf_quant_config.json").string());
    }
    const fs::path broken = model_folder("broken-quant", v3_bf16_config(), "{");
    try {
        (void)load_config(broken);
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::syntax);
        CHECK(e.file() == (broken / "hf_quant_config.json").string());
    }
}

TEST_CASE("compressed-tensors INT4 in quantization_config: Kimi-K2.5's ignore list", "[quantization][json]") {
    // Kimi-K2.5's text_config.quantization_config, its keys as released.
    const json q = json::parse(R"({
        "config_groups": {"group_0": {"input_activations": null, "output_activations": null, "targets": ["Linear"],
            "weights": {"actorder": null, "block_structure": null, "dynamic": false, "group_size": 32,
                        "num_bits": 4, "observer": "minmax", "observer_kwargs": {}, "strategy": "group",
                        "symmetric": true, "type": "int"}}},
        "format": "pack-quantized",
        "ignore": ["lm_head", "re:.*self_attn.*", "re:.*shared_experts.*", "re:.*mlp\\.(gate|up|gate_up|down)_proj.*"],
        "kv_cache_scheme": null, "quant_method": "compressed-tensors", "quantization_status": "compressed"})");
    json file = config_to_json(presets::deepseek_v3);
    file["quantization_config"] = q;
    const Document doc = parse_document(file.dump());
    const auto& c = std::get<DeepseekV3Config>(doc.config);
    REQUIRE(c.weight_quantization.has_value());
    const WeightQuantization& w = *c.weight_quantization;
    CHECK(w.format == WeightFormat::int4_pack);
    CHECK(w.block[1] == 32);
    // Written out from the patterns: attention, shared experts, dense MLPs and the head stay bf16
    // in every layer (MTP layer 61 included); the routed experts are INT4.
    for (const std::uint64_t layer : {std::uint64_t{0}, std::uint64_t{3}, std::uint64_t{61}}) {
        for (const LinearKind k : {LinearKind::q_a_proj, LinearKind::q_b_proj, LinearKind::kv_a_proj,
                                   LinearKind::kv_b_proj, LinearKind::o_proj, LinearKind::shared_gate,
                                   LinearKind::shared_down, LinearKind::mlp_gate, LinearKind::mlp_down})
            CHECK_FALSE(w.quantizes(k, layer));
        for (const LinearKind k : {LinearKind::expert_gate, LinearKind::expert_up, LinearKind::expert_down})
            CHECK(w.quantizes(k, layer));
        CHECK(w.quantizes(LinearKind::eh_proj, layer)); // an nn.Linear no pattern names
    }
    CHECK_FALSE(w.quantizes(LinearKind::lm_head, 0));
    CHECK(document_to_json(doc).at("quantization_config") == q); // saved back as read
    CHECK(not_modelled(doc).empty());

    // One expert per layer named apart from the others: not modelled, and why.
    file["quantization_config"]["ignore"] = json::array({"re:.*experts\\.7\\..*"});
    const Document partial = parse_document(file.dump());
    CHECK_FALSE(quantization_modelled(std::get<DeepseekV3Config>(partial.config)));
    CHECK(not_modelled(partial) ==
          std::vector<std::string>{"quantization_config (compressed-tensors): an exclusion that names some routed "
                                   "experts of a layer and not others is not modelled, so the checkpoint's bytes and "
                                   "the weights as released are not given (--weights-dtype gives a uniform figure)"});
    // A regular expression outside the subset read: not modelled rather than guessed.
    file["quantization_config"]["ignore"] = json::array({"re:.*\\d+.*"});
    CHECK_FALSE(quantization_modelled(parse_config<DeepseekV3Config>(file.dump())));
    // A pattern whose matching would take exponential time: bounded, then not modelled.
    file["quantization_config"]["ignore"] = json::array({"re:(.*)*(.*)*(.*)*[#]"});
    const Document costly = parse_document(file.dump());
    CHECK_FALSE(quantization_modelled(std::get<DeepseekV3Config>(costly.config)));
    // A pattern that tells layers and experts apart costs, on V3, the head and layer 0's 23
    // Linear names, then in each of 62 blocks the 23 names and the 3 expert kinds of the 255
    // other experts: 23 + 62 x (23 + 765) = 48,879 matches. Two fit the budget of 100,000
    // (97,758) and are resolved; three (146,637) do not, and the list is not modelled (fuzzed
    // lists of hundreds once took 47 s, then, with a budget of 250,000, 2.5 s in the fuzzing build).
    static_assert(detail::exclusion_match_budget == 100'000);
    const json per_expert = "re:model\\.layers\\.1[0-9]\\.mlp\\.experts\\.1[0-9][0-9]\\..*";
    file["quantization_config"]["ignore"] = json::array();
    for (int i = 0; i < 2; ++i) file["quantization_config"]["ignore"].push_back(per_expert);
    CHECK(not_modelled(parse_document(file.dump())) ==
          std::vector<std::string>{"quantization_config (compressed-tensors): an exclusion that names some routed "
                                   "experts of a layer and not others is not modelled, so the checkpoint's bytes and "
                                   "the weights as released are not given (--weights-dtype gives a uniform figure)"});
    file["quantization_config"]["ignore"].push_back(per_expert);
    CHECK(not_modelled(parse_document(file.dump())) ==
          std::vector<std::string>{"quantization_config (compressed-tensors): an exclusion list that needs more than "
                                   "100000 name matches to resolve is not modelled, so the checkpoint's bytes and "
                                   "the weights as released are not given (--weights-dtype gives a uniform figure)"});
    // Activation-order INT4 (g_idx tensors): not modelled.
    file["quantization_config"] = q;
    file["quantization_config"]["config_groups"]["group_0"]["weights"]["actorder"] = "group";
    CHECK_FALSE(quantization_modelled(parse_config<DeepseekV3Config>(file.dump())));
}

TEST_CASE("Module patterns: fnmatch globs and the subset of re.match read", "[quantization][json]") {
    using detail::glob_match;
    using detail::MiniRegex;
    CHECK(glob_match("model.layers.61*", "model.layers.61.self_attn.q_a_proj"));
    CHECK_FALSE(glob_match("model.layers.61*", "model.layers.6.self_attn.q_a_proj"));
    CHECK(glob_match("*.self_attn.?_a_proj", "model.layers.0.self_attn.q_a_proj"));
    CHECK(glob_match("lm_head", "lm_head"));
    CHECK_FALSE(glob_match("lm_head", "language_model.lm_head"));
    // Python's re.match: anchored at the start only.
    CHECK(MiniRegex(".*mlp\\.(gate|up|gate_up|down)_proj.*").match("model.layers.0.mlp.gate_up_proj"));
    CHECK_FALSE(MiniRegex(".*mlp\\.(gate|up|gate_up|down)_proj.*").match("model.layers.1.mlp.experts.0.up_proj"));
    CHECK(MiniRegex("model").match("model.layers.0"));
    CHECK_FALSE(MiniRegex("layers").match("model.layers.0"));
    CHECK(MiniRegex("model\\.layers\\.[0-9]+\\.mlp$").match("model.layers.12.mlp"));
    CHECK_FALSE(MiniRegex("model\\.layers\\.[0-9]+\\.mlp$").match("model.layers.12.mlp.gate"));
    CHECK(MiniRegex("[^x]+").match("abc"));
    // A leading ".*" lets the rest start anywhere before the first newline; a trailing node that
    // may match nothing changes no answer; "$" is kept. (Each as Python's re.match answers.)
    CHECK(MiniRegex(".*self_attn.*").match("model.layers.0.self_attn.q_a_proj"));
    CHECK_FALSE(MiniRegex(".*self_attn.*").match("model.layers.0.mlp.gate_proj"));
    CHECK(MiniRegex(".*").match(""));
    CHECK(MiniRegex("ab*").match("a"));
    CHECK(MiniRegex(".*a$").match("xa"));
    CHECK_FALSE(MiniRegex(".*a$").match("xab"));
    CHECK_FALSE(MiniRegex(".*x").match("ab\nx"));
    CHECK(MiniRegex(".*b.c").match("abxbyc")); // the second "b" begins the match
    // Found by comparing with Python on random patterns: a '*' in the name is still matched by
    // the pattern's wildcard; "$" also matches before a final newline.
    CHECK(glob_match("*", "*a"));
    CHECK(glob_match("*?", "*"));
    CHECK(MiniRegex("a$").match("a\n"));
    CHECK_FALSE(MiniRegex("a$").match("a\nb"));
    // Letter escapes (anchors, \n, \x61), quantified anchors, an escaped or reversed range end:
    // Python reads them otherwise, or refuses them; so does this subset.
    for (const char* unsupported : {"\\d+", "a{2}", "(?:a)", "a*?", "(a", "[ab", "a\\Z", "\\Aa", "\\n", "\\x61", "^*a",
                                    "a$?", "[!-\\]]", "[z-a]"}) {
        INFO(unsupported);
        CHECK_FALSE(MiniRegex(unsupported).supported());
    }
}

TEST_CASE("Exclusion globs resolved per layer, per module and per expert", "[quantization][json]") {
    // ModelOpt NVFP4 in config.json's quantization_config, with one exclusion list per check.
    const auto read = [](const json& exclude) {
        json file = config_to_json(presets::deepseek_v3);
        file["quantization_config"] = {
            {"quant_method", "modelopt"}, {"quant_algo", "NVFP4"}, {"group_size", 16}, {"ignore", exclude}};
        return parse_config<DeepseekV3Config>(file.dump());
    };
    // One layer's attention (the layer's index written out as the names have it).
    const auto seven = read(json::array({"model.layers.7.self_attn*"}));
    REQUIRE(seven.weight_quantization.has_value());
    CHECK_FALSE(seven.weight_quantization->quantizes(LinearKind::q_a_proj, 7));
    CHECK_FALSE(seven.weight_quantization->quantizes(LinearKind::o_proj, 7));
    CHECK(seven.weight_quantization->quantizes(LinearKind::expert_up, 7));
    for (const std::uint64_t other : {std::uint64_t{0}, std::uint64_t{17}, std::uint64_t{70}})
        CHECK(seven.weight_quantization->quantizes(LinearKind::q_a_proj, other));
    // "07" is not how a name writes layer 7: nothing matches.
    const auto padded = read(json::array({"model.layers.07.self_attn*"}));
    REQUIRE(padded.weight_quantization.has_value());
    CHECK(padded.weight_quantization->quantizes(LinearKind::q_a_proj, 7));
    // A single-character wildcard over the layer: layers 10-19, not 1.
    const auto teens = read(json::array({"model.layers.1?.self_attn.o_proj"}));
    REQUIRE(teens.weight_quantization.has_value());
    CHECK_FALSE(teens.weight_quantization->quantizes(LinearKind::o_proj, 10));
    CHECK_FALSE(teens.weight_quantization->quantizes(LinearKind::o_proj, 19));
    CHECK(teens.weight_quantization->quantizes(LinearKind::o_proj, 1));
    CHECK(teens.weight_quantization->quantizes(LinearKind::o_proj, 20));
    CHECK(teens.weight_quantization->quantizes(LinearKind::q_b_proj, 10));
    // Every expert of one layer's gate: modelled; one expert of it: not, unless another pattern
    // keeps them all.
    const auto experts = read(json::array({"model.layers.5.mlp.experts.*.gate_proj"}));
    REQUIRE(experts.weight_quantization.has_value());
    CHECK_FALSE(experts.weight_quantization->quantizes(LinearKind::expert_gate, 5));
    CHECK(experts.weight_quantization->quantizes(LinearKind::expert_gate, 6));
    CHECK(experts.weight_quantization->quantizes(LinearKind::expert_up, 5));
    CHECK_FALSE(read(json::array({"model.layers.5.mlp.experts.3.gate_proj"})).weight_quantization.has_value());
    CHECK_FALSE(read(json::array({"*.experts.3.*"})).weight_quantization.has_value());
    const auto both = read(json::array({"model.layers.5.mlp.experts.3.gate_proj", "model.layers.5.mlp.experts*"}));
    REQUIRE(both.weight_quantization.has_value());
    CHECK_FALSE(both.weight_quantization->quantizes(LinearKind::expert_down, 5));
    // A layer beyond the model's names nothing.
    const auto beyond = read(json::array({"model.layers.99.self_attn*"}));
    REQUIRE(beyond.weight_quantization.has_value());
    CHECK(beyond.weight_quantization == read(json::array()).weight_quantization);
}

TEST_CASE("Kimi-K2.5's released files: INT4 in text_config, NVFP4 at the top level", "[quantization][json][corpus]") {
    REQUIRE_CORPUS();
    // compressed-tensors inside text_config: the names it lists are the language model's own.
    const auto int4 = load_config<KimiK25Config>(test_support::corpus_file("2026/kimi-k2.5.json"));
    REQUIRE(int4.weight_quantization.has_value());
    CHECK(int4.weight_quantization->format == WeightFormat::int4_pack);
    CHECK(int4.weight_quantization->block[1] == 32);
    // ModelOpt at the top level: its `ignore` globs carry the `language_model.` prefix
    // ("language_model.lm_head", "language_model.model.layers.N.self_attn*").
    const auto nvfp4 = load_config<KimiK25Config>(test_support::corpus_file("2026/nvidia-kimi-k2.5-nvfp4.json"));
    REQUIRE(nvfp4.weight_quantization.has_value());
    const WeightQuantization& w = *nvfp4.weight_quantization;
    CHECK(w.format == WeightFormat::nvfp4);
    CHECK(w.input_scale); // config_groups quantises the input activations too
    for (const std::uint64_t layer : {std::uint64_t{0}, std::uint64_t{30}, std::uint64_t{60}}) {
        for (const LinearKind k : {LinearKind::q_a_proj, LinearKind::q_b_proj, LinearKind::kv_a_proj,
                                   LinearKind::kv_b_proj, LinearKind::o_proj})
            CHECK_FALSE(w.quantizes(k, layer));
        for (const LinearKind k : {LinearKind::expert_gate, LinearKind::expert_down, LinearKind::shared_up})
            CHECK(w.quantizes(k, layer));
    }
    CHECK(w.quantizes(LinearKind::mlp_gate, 0)); // the dense layer 0 MLP: no glob names it
    CHECK_FALSE(w.quantizes(LinearKind::lm_head, 0));
    // One routed expert Linear [2048, 7168] as NVFP4: 2048·7168·9/16 + 8 bytes; as INT4 by 32:
    // 2048·7168·9/16 + 16. The language model's bytes differ by 8 per routed Linear, and by what
    // NVFP4 also quantises: the shared experts and layer 0's dense MLP (bf16 in the INT4 file).
    const std::uint64_t routed = 3ULL * 384 * 60;
    const std::uint64_t shared = 3ULL * 60; // one shared expert of width 2048 per MoE layer
    const auto nvfp4_bytes = [](std::uint64_t out, std::uint64_t in) { return out * in * 9 / 16 + 8; };
    const std::uint64_t shared_and_dense_bf16 = shared * 2048ULL * 7168 * 2 + 3ULL * 18432 * 7168 * 2;
    const std::uint64_t shared_and_dense_nvfp4 = shared * nvfp4_bytes(2048, 7168) + 3 * nvfp4_bytes(18432, 7168);
    CHECK(checkpoint_bytes(int4) - checkpoint_bytes(nvfp4) ==
          routed * 8 + shared_and_dense_bf16 - shared_and_dense_nvfp4);
}

} // namespace quantization_json_test
