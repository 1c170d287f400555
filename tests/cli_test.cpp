// The deepseek-config tool, run as a program: every corpus config in both outputs, the JSON
// against figures recorded elsewhere (memory-formulas.md, the checkpoints' index files), and
// every error class with its exit code and message.
#include <deepseek/presets.hpp>
#include <deepseek/version.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "catch.hpp"
#include "checkpoint_writer.hpp"
#include "expected_figures.hpp"
#include "test_support.hpp"

// One namespace per test file: the files of a batch share a translation unit (tests/CMakeLists.txt).
namespace cli_test {

using nlohmann::json;
namespace fs = std::filesystem;
namespace X = expected;

namespace {

struct Run {
    int code = -1;
    std::string out;
    std::string err;
};

std::string quote(const std::string& s) { return "'" + s + "'"; }

Run run_cli(const std::string& args) {
    // ctest runs test cases as parallel processes: each process writes under its own name.
    static const std::string process = std::to_string(std::random_device{}());
    static int counter = 0;
    const fs::path dir = test_support::scratch_dir("runs-" + process);
    const fs::path out = dir / ("out" + std::to_string(counter) + ".txt");
    const fs::path err = dir / ("err" + std::to_string(counter++) + ".txt");
    const std::string command = quote(DEEPSEEK_CONFIG_CLI) + " " + args + " > " + quote(out.string()) + " 2> " +
                                quote(err.string()) + " < /dev/null";
    const int status = std::system(command.c_str());
    Run r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = test_support::read_text(out);
    r.err = test_support::read_text(err);
    return r;
}

std::string corpus(const std::string& name) { return quote(test_support::corpus_file(name).string()); }

/// n with a comma between groups of three digits, as the table prints it: 1,234,567.
std::string grouped(std::uint64_t n) {
    const std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i != 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

// Figures recorded outside this code (expected_figures.hpp): parameter totals and activated counts
// from memory-formulas.md §4 (matching the published 236B/21B, 15.7B/2.4B, 671B/37B, 3B/570M),
// checkpoint bytes from the released index files' total_size and the R1 tensor listing, KV bytes
// per token worked by hand: latent (512 + 64) x 2 bytes x layers, mha 2 x 10 x 128 x bytes x 12.
struct Expected {
    const char* file;
    const char* model_type; // the file's own (the report names it, not the class's)
    std::uint64_t total;
    std::uint64_t active;
    std::uint64_t checkpoint; // 0: not checked (see below)
    std::uint64_t kv_bytes_per_token;
    const char* kv_layout;
};

const Expected recorded[] = {
    {"deepseek-v2.json", "deepseek_v2", X::v2_params, X::v2_active_params, X::v2_checkpoint_bytes,
     X::v2_kv_latent_bf16_bytes_per_token, "latent"},
    {"deepseek-v2-lite.json", "deepseek_v2", X::v2_lite_params, X::v2_lite_active_params, X::v2_lite_checkpoint_bytes,
     X::v2_lite_kv_latent_bf16_bytes_per_token, "latent"},
    {"deepseek-coder-v2-lite.json", "deepseek_v2", X::v2_lite_params, X::v2_lite_active_params,
     X::v2_lite_checkpoint_bytes, X::v2_lite_kv_latent_bf16_bytes_per_token, "latent"},
    {"deepseek-v3.json", "deepseek_v3", X::v3_params, X::v3_active_params, X::v3_checkpoint_bytes,
     X::v3_kv_latent_bf16_bytes_per_token, "latent"},
    {"deepseek-v3-base.json", "deepseek_v3", X::v3_params, X::v3_active_params, X::v3_checkpoint_bytes,
     X::v3_kv_latent_bf16_bytes_per_token, "latent"},
    {"deepseek-r1.json", "deepseek_v3", X::v3_params, X::v3_active_params, X::v3_checkpoint_bytes,
     X::v3_kv_latent_bf16_bytes_per_token, "latent"},
    {"deepseek-r1-0528.json", "deepseek_v3", X::v3_params, X::v3_active_params, X::v3_checkpoint_bytes,
     X::v3_kv_latent_bf16_bytes_per_token, "latent"},
    {"deepseek-v3.2.json", "deepseek_v32", X::v32_params, X::v32_active_params, X::v32_checkpoint_bytes,
     X::v32_kv_latent_bf16_bytes_per_token, "latent"},
    // NVFP4: the quantisation is in a separate hf_quant_config.json, so config.json alone says bf16.
    {"nvidia-deepseek-v3.1-nvfp4.json", "deepseek_v3", X::v3_params, X::v3_active_params, 0,
     X::v3_kv_latent_bf16_bytes_per_token, "latent"},
    {"deepseek-ocr.json", "deepseek_vl_v2", X::ocr_params, X::ocr_active_params, X::ocr_checkpoint_bytes,
     X::ocr_kv_mha_bf16_bytes_per_token, "mha"},
    {"unlimited-ocr.json", "unlimited-ocr", X::ocr_params, X::ocr_active_params, X::ocr_checkpoint_bytes,
     X::ocr_kv_mha_bf16_bytes_per_token, "mha"},
    // Re-saved in float32: 4 bytes per parameter, and an fp32 cache by default.
    {"deepseek-ocr.resaved-fp32.json", "DeepseekOCR", X::ocr_params, X::ocr_active_params, 4 * X::ocr_params,
     X::ocr_kv_mha_fp32_bytes_per_token, "mha"},
    // OCR-2: bf16 throughout (its index says 1,010,688 bytes more, unexplained: ocr2_test.cpp).
    {"deepseek-ocr-2.json", "deepseek_vl_v2", X::ocr2_params, X::ocr_active_params, X::ocr2_bf16_checkpoint_bytes,
     X::ocr_kv_mha_bf16_bytes_per_token, "mha"},
};

} // namespace

TEST_CASE("The JSON report (--json) over the corpus matches the recorded figures", "[cli]") {
    REQUIRE_CORPUS();
    for (const auto& e : recorded) {
        INFO(e.file);
        // --mtp: the weights of one rank, MTP layer included, are then the whole checkpoint.
        const Run r = run_cli(corpus(e.file) + " --json --mtp");
        REQUIRE(r.code == 0);
        CHECK(r.err.empty());
        const json j = json::parse(r.out);
        CHECK(j.at("model_type") == e.model_type);
        CHECK(j.at("params").at("total") == e.total);
        CHECK(j.at("params").at("active") == e.active);
        if (e.checkpoint != 0) CHECK(j.at("checkpoint_bytes") == e.checkpoint);
        CHECK(j.at("kv_cache").at("bytes_per_token") == e.kv_bytes_per_token);
        CHECK(j.at("kv_cache").at("layout") == e.kv_layout);
        // Defaults: weights as released, one sequence, one rank, no budget.
        CHECK(j.at("weights").at("dtype") == "released");
        CHECK(j.at("weights").at("mtp") == true);
        CHECK(j.at("weights").at("bytes") == j.at("checkpoint_bytes"));
        CHECK(j.at("kv_cache").at("batch") == 1);
        CHECK(j.at("kv_cache").at("tp") == 1);
        CHECK_FALSE(j.contains("max_context"));
        const std::uint64_t context = j.at("kv_cache").at("context");
        CHECK(j.at("kv_cache").at("bytes") == context * e.kv_bytes_per_token);
    }
}

TEST_CASE("DeepSeek-V3.2: the DSA indexer is counted and the file's model_type is named", "[cli]") {
    REQUIRE_CORPUS();
    const json j = json::parse(run_cli(corpus("deepseek-v3.2.json") + " --json").out);
    CHECK(j.at("model_type") == "deepseek_v32");
    CHECK(j.at("config_class") == "DeepseekV3Config");
    CHECK(j.at("params").at("indexer") == 61 * X::v32_indexer_layer_params);
    CHECK(j.at("params").at("total") == X::v32_params);
    CHECK(j.at("not_modelled") == json::array());
    const json v3 = json::parse(run_cli(corpus("deepseek-v3.json") + " --json").out);
    CHECK(v3.at("params").at("indexer") == 0);
    const Run table = run_cli(corpus("deepseek-v3.2.json"));
    CHECK(table.out.find("(model_type deepseek_v32)") != std::string::npos);
    CHECK(table.out.find("\n  indexer (DSA)       851.52 M   851,524,864\n") != std::string::npos);
}

TEST_CASE("The table over the corpus", "[cli]") {
    REQUIRE_CORPUS();
    for (const auto& e : recorded) {
        INFO(e.file);
        const Run r = run_cli(corpus(e.file));
        REQUIRE(r.code == 0);
        CHECK(r.err.empty());
        CHECK(r.out.find(std::string("model_type ") + e.model_type) != std::string::npos);
        CHECK(r.out.find("total") != std::string::npos);
    }
    const Run v3 = run_cli(corpus("deepseek-v3.json"));
    CHECK(v3.out.find("61 (3 dense, 58 MoE) + 1 MTP") != std::string::npos);
    CHECK(v3.out.find(grouped(X::v3_params)) != std::string::npos);
    CHECK(v3.out.find("(" + grouped(X::v3_checkpoint_bytes) + " bytes)") != std::string::npos);
    CHECK(v3.out.find("641.29 GiB") != std::string::npos); // 688,574,839,360 / 2^30
    // V2-Lite in 40 GiB: 370,907 tokens fit, more than the 163,840 it was trained for.
    const Run lite = run_cli(corpus("deepseek-v2-lite.json") + " --budget 40GiB");
    CHECK(lite.out.find("max context   " + grouped(X::v2_lite_max_context_40gib) +
                        " tokens x batch 1 in 40.00 GiB per rank (beyond the model's "
                        "max_position_embeddings, 163,840)") != std::string::npos);
}

TEST_CASE("No PATH: the built-in DeepSeek-V3 preset, labelled", "[cli]") {
    const Run r = run_cli("--json");
    REQUIRE(r.code == 0);
    const json j = json::parse(r.out);
    CHECK(j.at("source") == "built-in preset deepseek-v3 (no PATH given)");
    CHECK(j.at("model_type") == "deepseek_v3");
    CHECK(j.at("params").at("total") == expected::v3_params);
    CHECK(j.at("checkpoint_bytes") == expected::v3_checkpoint_bytes);
}

TEST_CASE("Option --preset NAME: each built-in preset, and an unknown name with the accepted ones", "[cli]") {
    const Run lite = run_cli("--preset deepseek-v2-lite --json");
    REQUIRE(lite.code == 0);
    const json j = json::parse(lite.out);
    CHECK(j.at("source") == "built-in preset deepseek-v2-lite");
    CHECK(j.at("params").at("total") == expected::v2_lite_params);
    CHECK(json::parse(run_cli("--preset deepseek-ocr --json").out).at("model_type") == "DeepseekOCR");
    CHECK(json::parse(run_cli("--preset deepseek-v2 --json").out).at("params").at("total") == expected::v2_params);
    CHECK(json::parse(run_cli("--preset deepseek-v3.2 --json").out).at("params").at("total") == expected::v32_params);
    CHECK(json::parse(run_cli("--preset deepseek-vl2-tiny --json").out).at("params").at("total") ==
          expected::vl2_tiny_params);
    CHECK(json::parse(run_cli("--preset kimi-vl-a3b --json").out).at("checkpoint_bytes") ==
          expected::kimi_vl_checkpoint_bytes);

    const Run bad = run_cli("--preset deepseek-v9");
    CHECK(bad.code == 2);
    CHECK(bad.out.empty());
    CHECK(bad.err == "deepseek-config: --preset: unknown preset 'deepseek-v9'; accepted: deepseek-v2-lite, "
                     "deepseek-v2, deepseek-v3, deepseek-v3.2, deepseek-ocr, deepseek-ocr-2, deepseek-vl2-tiny, "
                     "kimi-k2, kimi-vl-a3b, deepseek-v4-flash, deepseek-v4-pro\n");
    const Run both = run_cli("some/config.json --preset deepseek-v3");
    CHECK(both.code == 2);
    CHECK(both.err == "deepseek-config: give PATH or --preset, not both\n");
}

TEST_CASE("Option --save-config: a preset written as config.json loads back as the same config", "[cli]") {
    const fs::path dir = test_support::scratch_dir("save-config");
    const fs::path file = dir / "config.json";
    fs::remove(file);
    const Run saved = run_cli("--preset deepseek-v2-lite --save-config " + quote(dir.string()));
    REQUIRE(saved.code == 0);
    CHECK(saved.out == "wrote " + file.string() + " (DeepseekV2Config, from built-in preset deepseek-v2-lite)\n");
    // The written file is a config like any other: its report is the preset's.
    const json j = json::parse(run_cli(quote(file.string()) + " --json").out);
    CHECK(j.at("params").at("total") == expected::v2_lite_params);
    CHECK(j.at("checkpoint_bytes") == expected::v2_lite_checkpoint_bytes);
    const json written = json::parse(test_support::read_text(file));
    CHECK(written.at("model_type") == "deepseek_v2");
    CHECK(written.at("num_hidden_layers") == 27);
    CHECK(written.at("n_routed_experts") == 64);
}

/// DeepSeek-VL2-tiny with tile_tag "1D", whose tile indicators are not modelled (so neither is
/// its vision encoder), written to a scratch file; its path.
std::string vl2_tiny_1d() {
    const auto file = test_support::scratch_dir("configs") / "deepseek-vl2-tiny-1d.json";
    REQUIRE(run_cli("--preset deepseek-vl2-tiny --save-config " + quote(file.string())).code == 0);
    json config = json::parse(test_support::read_text(file));
    config["tile_tag"] = "1D";
    test_support::write_text(file, config.dump(2));
    return quote(file.string());
}

TEST_CASE("A deployment whose vision encoder is not modelled gives upper bounds", "[cli][deployment]") {
    const std::string args = vl2_tiny_1d() + " --engine vllm --gpu-memory 80GB";
    const Run text = run_cli(args);
    REQUIRE(text.code == 0);
    CHECK(text.out.find("  not modelled      the vision encoder, which the engine loads, is not counted in the "
                        "weights per GPU: the KV capacity and requests are upper bounds") != std::string::npos);
    CHECK(text.out.find("  KV capacity       at most ") != std::string::npos);
    CHECK(text.out.find("  requests at once  at most ") != std::string::npos);
    CHECK(json::parse(run_cli(args + " --json").out).at("deployment").at("vision_modelled") == false);
    const Run plan = run_cli("plan " + vl2_tiny_1d() + " --gpus 2 --gpu-memory 80GB --engine vllm");
    CHECK(plan.out.find("not modelled: the vision encoder") != std::string::npos);
    // Served as text only, the tower is not loaded and nothing is left out.
    const Run text_only = run_cli(args + " --language-model-only");
    CHECK(text_only.out.find("not modelled      the vision encoder") == std::string::npos);
    CHECK(text_only.out.find("at most") == std::string::npos);
    // A model whose encoder is modelled says nothing of the kind.
    const Run vl = run_cli("--preset kimi-vl-a3b --engine vllm --gpu-memory 80GB");
    CHECK(vl.out.find("not modelled") == std::string::npos);
    CHECK(vl.out.find("at most") == std::string::npos);
}

TEST_CASE("A deployment of Kimi-K2.5 holds its MoonViT3d, no upper bound", "[cli][deployment]") {
    REQUIRE_CORPUS();
    // kimi_test derives the tower's 222,547,868 bytes a GPU at tp 8.
    const Run k25 = run_cli(corpus("2026/kimi-k2.5.json") + " --engine vllm --tp 8 --gpu-memory 141GB");
    REQUIRE(k25.code == 0);
    CHECK(k25.out.find("not modelled") == std::string::npos);
    CHECK(k25.out.find("at most") == std::string::npos);
    CHECK(k25.out.find("    vision            222,547,868 B") != std::string::npos);
    // Under SGLang the tower's MLP is whole (kimi_test derives 691,301,888 bytes at tp 8).
    const Run sglang =
        run_cli(corpus("2026/kimi-k2.5.json") + " --engine sglang --tp 8 --gpu-memory 141GB --gpu-util 0.85");
    REQUIRE(sglang.code == 0);
    CHECK(sglang.out.find("    vision            691,301,888 B") != std::string::npos);
    // Not given, the fraction is SGLang's for the model (sglang_test derives 0.886 x
    // 0.9097363281249999 on an H200 at tp 8), written out whole in the launch line.
    const json k25_default =
        json::parse(
            run_cli(corpus("2026/kimi-k2.5.json") + " --engine sglang --tp 8 --gpu-memory 143771MiB --json").out)
            .at("deployment");
    CHECK(k25_default.at("memory_fraction") == 0.8060263867187499);
    CHECK(k25_default.at("launch").get<std::string>().find(" --mem-fraction-static 0.8060263867187499 ") !=
          std::string::npos);
    const Run no_util =
        run_cli(corpus("2026/kimi-k2.5.json") + " --engine sglang --tp 8 --dp 8 --dp-attention --gpu-memory 141GB");
    CHECK(no_util.code == 2);
    CHECK(no_util.err.find("--engine sglang: SGLang's default --mem-fraction-static for Kimi-K2.5 with DP attention, "
                           "DeepEP or pipeline stages is not modelled (whether its prefill CUDA graph is kept); give "
                           "--gpu-util F") != std::string::npos);
    // --mm-enable-dp-encoder: the whole tower and projector on each GPU, 2 x (411,279,984 split +
    // 59,863,936 whole) values (kimi_test writes them out), and the switch in the launch line;
    // vLLM's spelling is --mm-encoder-tp-mode.
    const Run dp_encoder = run_cli(corpus("2026/kimi-k2.5.json") +
                                   " --engine sglang --tp 8 --gpu-memory 141GB --gpu-util 0.85 --mm-enable-dp-encoder");
    REQUIRE(dp_encoder.code == 0);
    CHECK(dp_encoder.out.find("    vision            942,287,840 B") != std::string::npos);
    CHECK(dp_encoder.out.find(" --mm-enable-dp-encoder --mem-fraction-static 0.85 ") != std::string::npos);
    CHECK(run_cli(corpus("2026/kimi-k2.5.json") + " --engine vllm --tp 8 --gpu-memory 141GB --mm-enable-dp-encoder")
              .err.find("--mm-enable-dp-encoder is SGLang's: give --engine sglang") != std::string::npos);
    // Pipeline stages: the tower's share of tp 8 on each (kimi_test derives the stages).
    const json pp = json::parse(run_cli(corpus("2026/kimi-k2.5.json") +
                                        " --engine sglang --tp 8 --pp 2 --gpu-memory 141GB --gpu-util 0.85 --json")
                                    .out)
                        .at("deployment");
    REQUIRE(pp.at("stages").size() == 2);
    for (const json& stage : pp.at("stages")) CHECK(stage.at("weights_by_component").at("vision") == 691'301'888);
    CHECK(run_cli(corpus("2026/kimi-k2.5.json") + " --engine sglang --tp 8 --pp 2 --gpu-memory 141GB").code == 2);
}

TEST_CASE("plan: SGLang's Kimi-VL layouts, with the fraction given and with SGLang's own", "[cli][plan][sglang]") {
    const Run r = run_cli("plan --preset kimi-vl-a3b --gpus 4 --gpu-memory 80GiB --gpu-util 0.85 --json");
    REQUIRE(r.code == 0);
    const json out = json::parse(r.out);
    bool sglang = false;
    for (const json& p : out.at("plans")) {
        if (p.at("engine") != "sglang") continue;
        sglang = true;
        CHECK(p.at("pp") == 1); // SGLang's pipeline stages for a vision model are refused
    }
    CHECK(sglang);
    // Without it, SGLang's default for Kimi-VL, its prefill graph off: at tp 4 on 80 GiB (81,920
    // MiB), 512 + 12,288 + 512 + 1,024 = 14,336 MiB -> 0.825, x 0.9097363281249999 (by Python).
    const Run no_util = run_cli("plan --preset kimi-vl-a3b --gpus 4 --gpu-memory 80GiB --engine sglang --json");
    REQUIRE(no_util.code == 0);
    const json planned = json::parse(no_util.out);
    bool tp4 = false;
    for (const json& p : planned.at("plans")) {
        if (p.at("tp") != 4 || p.at("dp_attention") == true) continue;
        tp4 = true;
        CHECK(p.at("memory_fraction") == 0.7505324707031249);
    }
    CHECK(tp4);
    for (const json& why : planned.at("refused"))
        CHECK(why.at("reason").get<std::string>().find("mem-fraction-static") == std::string::npos);
}

TEST_CASE("Options: dtypes, layout, context, batch, tp, budget", "[cli]") {
    REQUIRE_CORPUS();
    SECTION("V3 KV at 32,768 tokens: 2,302,672,896 bytes (memory-formulas.md §5b)") {
        const json j = json::parse(run_cli(corpus("deepseek-v3.json") + " --json --context 32768").out);
        CHECK(j.at("kv_cache").at("bytes") == X::v3_kv_latent_bf16_bytes_32k);
    }
    SECTION("expanded layout: 40,960 elements per token per layer for V3") {
        const json j =
            json::parse(run_cli(corpus("deepseek-v3.json") + " --json --kv-layout expanded --kv-dtype bf16").out);
        CHECK(j.at("kv_cache").at("bytes_per_token") == X::v3_kv_expanded_bf16_bytes_per_token);
    }
    SECTION("fp8 cache, batch 4, tp 8: latent is replicated on every rank") {
        const json j = json::parse(
            run_cli(corpus("deepseek-v2-lite.json") + " --json --kv-dtype fp8 --batch 4 --context 1000 --tp 8").out);
        CHECK(j.at("kv_cache").at("bytes_per_token") == 576ull * 27);
        CHECK(j.at("kv_cache").at("bytes") == 576ull * 27 * 1000 * 4);
    }
    SECTION("uniform weights dtype: V2-Lite in bf16 is its checkpoint, in int4 a quarter of it") {
        const json bf16 = json::parse(run_cli(corpus("deepseek-v2-lite.json") + " --json --weights-dtype bf16").out);
        CHECK(bf16.at("weights").at("bytes") == X::v2_lite_checkpoint_bytes);
        CHECK(bf16.at("weights").at("dtype") == "bf16");
        const json int4 = json::parse(run_cli(corpus("deepseek-v2-lite.json") + " --json --weights-dtype int4").out);
        CHECK(int4.at("weights").at("bytes") == X::v2_lite_checkpoint_bytes / 4);
    }
    SECTION("budget: 32 GiB leaves 2,946,769,920 bytes for V2-Lite's 31,104 bytes per token") {
        const json gib = json::parse(run_cli(corpus("deepseek-v2-lite.json") + " --json --budget 32GiB").out);
        CHECK(gib.at("max_context") == 94739);
        const json bytes = json::parse(run_cli(corpus("deepseek-v2-lite.json") + " --json --budget 34359738368").out);
        CHECK(bytes.at("max_context") == 94739);
        // Exactly the weights plus 94,739 tokens fits 94,739; one byte less fits 94,738.
        const std::uint64_t exact = X::v2_lite_checkpoint_bytes + 94739ull * X::v2_lite_kv_latent_bf16_bytes_per_token;
        CHECK(json::parse(run_cli(corpus("deepseek-v2-lite.json") + " --json --budget " + std::to_string(exact)).out)
                  .at("max_context") == 94739);
        CHECK(
            json::parse(run_cli(corpus("deepseek-v2-lite.json") + " --json --budget " + std::to_string(exact - 1)).out)
                .at("max_context") == 94738);
        // 32 GB is decimal: (32e9 - 31,412,968,448) / 31,104 = 18,873.2.
        const json gb = json::parse(run_cli(corpus("deepseek-v2-lite.json") + " --json --budget 32GB").out);
        CHECK(gb.at("max_context") == 18873);
        // 31 GB is less than the weights alone.
        const Run none = run_cli(corpus("deepseek-v2-lite.json") + " --budget 31GB");
        CHECK(none.out.find("max context   none: the weights alone (29.26 GiB) do not fit in 28.87 GiB per rank\n") !=
              std::string::npos);
    }
    SECTION("context beyond max_position_embeddings: a warning on stderr, still a report") {
        const Run r = run_cli(corpus("deepseek-ocr.json") + " --context 9000");
        CHECK(r.code == 0);
        CHECK(r.err ==
              "deepseek-config: warning: --context 9000 is beyond the model's max_position_embeddings (8192)\n");
    }
}

TEST_CASE("Option --tensors lists the manifest", "[cli]") {
    REQUIRE_CORPUS();
    const json j = json::parse(run_cli(corpus("deepseek-v2-lite.json") + " --json --tensors").out);
    REQUIRE(j.at("tensors").size() == X::v2_lite_tensors); // the names of the index's weight_map
    const json first_expert =
        json{{"name", "model.layers.1.mlp.experts.0.gate_proj.weight"}, {"shape", {1408, 2048}}, {"dtype", "BF16"}};
    bool found = false;
    for (const auto& t : j.at("tensors")) found = found || t == first_expert;
    CHECK(found);
    const Run table = run_cli(corpus("deepseek-ocr.json") + " --tensors");
    CHECK(table.out.find("lm_head.weight  [129280, 1280]  BF16") != std::string::npos);
}

TEST_CASE("Option --check-index passes on the released index files and lists differences", "[cli][check-index]") {
    REQUIRE_CORPUS();
    const Run ocr =
        run_cli(corpus("deepseek-ocr.json") + " --check-index " + corpus("deepseek-ocr.safetensors.index.json"));
    CHECK(ocr.code == 0);
    CHECK(ocr.out.find("result       match") != std::string::npos);
    const Run lite = run_cli(corpus("deepseek-v2-lite.json") + " --check-index " +
                             corpus("deepseek-v2-lite.safetensors.index.json"));
    CHECK(lite.code == 0);

    // An altered copy: one tensor renamed, one removed, total_size changed.
    json index =
        json::parse(test_support::read_text(test_support::corpus_file("deepseek-v2-lite.safetensors.index.json")));
    auto& map = index.at("weight_map");
    map["model.layers.0.self_attn.q_proj.weight_renamed"] = map.at("model.layers.0.self_attn.q_proj.weight");
    map.erase("model.layers.0.self_attn.q_proj.weight");
    map.erase("lm_head.weight");
    index["metadata"]["total_size"] = X::v2_lite_checkpoint_bytes + 2;
    const fs::path altered = test_support::scratch_dir("index") / "altered.index.json";
    std::ofstream(altered) << index.dump();
    const Run bad = run_cli(corpus("deepseek-v2-lite.json") + " --check-index " + quote(altered.string()));
    CHECK(bad.code == 1);
    CHECK(bad.out.find("missing      2 (in the manifest, not in the index)\n"
                       "  - lm_head.weight\n"
                       "  - model.layers.0.self_attn.q_proj.weight\n") != std::string::npos);
    CHECK(bad.out.find("unexpected   1 (in the index, not in the manifest)\n"
                       "  + model.layers.0.self_attn.q_proj.weight_renamed\n") != std::string::npos);
    CHECK(bad.out.find("total_size   " + grouped(X::v2_lite_checkpoint_bytes + 2) + " in the index, " +
                       grouped(X::v2_lite_checkpoint_bytes) + " computed: DIFFERENT") != std::string::npos);
    CHECK(bad.out.find("result       MISMATCH") != std::string::npos);

    const json as_json =
        json::parse(run_cli(corpus("deepseek-v2-lite.json") + " --json --check-index " + quote(altered.string())).out);
    CHECK(as_json.at("check_index").at("match") == false);
    CHECK(as_json.at("check_index").at("unexpected") == json{"model.layers.0.self_attn.q_proj.weight_renamed"});
}

TEST_CASE("Errors: exit code, a message naming file and pointer, nothing on stdout", "[cli][errors]") {
    const fs::path dir = test_support::scratch_dir("bad");
    const fs::path bad = dir / "config.json";
    std::ofstream(bad) << R"({"model_type": "deepseek_v3", "hidden_size": 12.5})";

    const auto expect = [](const Run& r, int code, const std::string& err) {
        CHECK(r.code == code);
        CHECK(r.err == err);
        CHECK(r.out.empty());
    };
    expect(run_cli(quote(bad.string())), 1,
           "deepseek-config: " + bad.string() +
               ": /hidden_size: expected an integer (write it without a fraction or exponent), found a float (12.5)\n");
    expect(run_cli(quote(dir.string()) + " --json"), 1,
           "deepseek-config: " + bad.string() +
               ": /hidden_size: expected an integer (write it without a fraction or exponent), found a float (12.5)\n");
    expect(run_cli("--frobnicate"), 2, "deepseek-config: unknown option '--frobnicate' (see --help)\n");
    expect(run_cli("--context lots"), 2,
           "deepseek-config: --context: expected a positive whole number, found 'lots'\n");
    expect(run_cli("--batch 0"), 2, "deepseek-config: --batch: expected a positive whole number, found '0'\n");
    expect(
        run_cli("--kv-dtype fp64"), 2,
        "deepseek-config: --kv-dtype: unknown value 'fp64'; accepted: fp32, bf16, fp16, fp8, fp8_e5m2, int8, int4\n");
    expect(run_cli("--budget 80GiBs"), 2,
           "deepseek-config: --budget: expected a size such as 80GiB, 80GB or 85899345920, found '80GiBs'\n");
    expect(run_cli("--kv-layout mha"), 2,
           "deepseek-config: --kv-layout mha: the mha KV layout is for models with use_mla false; use latent or "
           "expanded\n");
    expect(run_cli("--preset deepseek-ocr --kv-layout latent"), 2,
           "deepseek-config: --kv-layout latent: the latent and expanded KV layouts need an MLA model; use mha for "
           "use_mla false\n");
    // The sizes that would work: DeepSeek-V3's 128 heads, and its 2,048-wide experts in FP8
    // blocks of 128, whose tp share must be whole blocks: 2048 / tp a multiple of 128.
    expect(
        run_cli("--tp 3"), 2,
        "deepseek-config: --tp 3: the tensor-parallel size does not divide a split dimension (vocabulary rows, heads, "
        "MLP width or routed experts) (tp can be 1, 2, 4, 8, 16 here)\n");
    // DeepSeek-OCR: 10 heads (1, 2, 5, 10) and experts 896 = 2^7 x 7 wide (not 5 or 10).
    expect(
        run_cli("--preset deepseek-ocr --tp 8"), 2,
        "deepseek-config: --tp 8: the tensor-parallel size does not divide a split dimension (vocabulary rows, heads, "
        "MLP width or routed experts) (tp can be 1, 2 here)\n");
    // A deployment: vLLM needs tp to divide DeepSeek-V2-Lite's 16 heads; every tensor it splits
    // would divide 32 and 64 ways (the MLPs 10,944 = 2^6 x 171 and 1,408 = 2^7 x 11 wide).
    expect(
        run_cli("--preset deepseek-v2-lite --tp 32 --engine vllm --gpu-memory 80GB"), 2,
        "deepseek-config: --engine vllm: the tensor-parallel size does not divide a split dimension (vocabulary rows, "
        "heads, MLP width or routed experts) (tp can be 1, 2, 4, 8, 16 here)\n");
    expect(run_cli("--context"), 2, "deepseek-config: --context needs a value\n");
    expect(run_cli("a.json b.json"), 2, "deepseek-config: more than one PATH given ('a.json' and 'b.json')\n");
    const std::string missing = (dir / "absent.json").string();
    expect(run_cli(quote(missing)), 3, "deepseek-config: " + missing + ": no such file\n");
    expect(run_cli("--check-index " + quote(missing)), 3, "deepseek-config: " + missing + ": no such file\n");
}

TEST_CASE("Options --help and --version", "[cli]") {
    const Run help = run_cli("--help");
    CHECK(help.code == 0);
    CHECK(help.out.rfind("usage: deepseek-config [PATH] [options]", 0) == 0);
    const Run version = run_cli("--version");
    CHECK(version.code == 0);
    CHECK(version.out == "deepseek-config " DEEPSEEK_CONFIG_VERSION_STRING "\n");
}

// ---- DeepSeek-OCR page budget (--image, --pages, --ocr-mode, --max-tiles, --prompt-tokens) -----
// Figures worked by hand in ocr_pages_test.cpp: A4 (1654x2339) in Gundam is a 2x3 grid, 273 +
// 21 x 30 = 903 positions, 856 vision tokens, 903 x 61,440 = 55,480,320 KV bytes in bf16.

TEST_CASE("Option --image: the page budget of DeepSeek-OCR", "[cli][ocr]") {
    SECTION("one A4 page in the default mode, Gundam, on the built-in preset") {
        const Run r = run_cli("--preset deepseek-ocr --json --image 1654x2339");
        REQUIRE(r.code == 0);
        CHECK(r.err.empty());
        const json j = json::parse(r.out);
        const json page = {{"mode", "gundam"},
                           {"width", 1654},
                           {"height", 2339},
                           {"grid", {2, 3}},
                           {"positions", X::ocr_a4_gundam_positions},
                           {"vision_tokens", X::ocr_a4_gundam_vision_tokens},
                           {"kv_bytes", X::ocr_a4_gundam_kv_bf16_bytes},
                           {"pages_fit_context", 9}};
        CHECK(j.at("pages") == json::array({page}));
        CHECK(j.at("pages_fit_context") == 9); // 8,192 / 903 = 9.07
        CHECK_FALSE(j.contains("pages_fit_budget"));
        CHECK(j.at("pages_total").at("positions") == X::ocr_a4_gundam_positions);
        // The rest of the report is unchanged.
        CHECK(j.at("params").at("total") == X::ocr_params);
    }
    SECTION("--pages repeats one size; --budget and --prompt-tokens") {
        // 8 GiB - 6,672,212,480 bytes of weights = 1,917,722,112 bytes: 31,212 positions;
        // after 100 prompt tokens 31,112 / 903 = 34.45: 34 pages; the context: 8,092 / 903 = 8.96: 8.
        const json j = json::parse(
            run_cli("--preset deepseek-ocr --json --image 1654x2339 --pages 3 --budget 8GiB --prompt-tokens 100").out);
        REQUIRE(j.at("pages").size() == 3);
        CHECK(j.at("pages").at(2).at("positions") == X::ocr_a4_gundam_positions);
        CHECK(j.at("pages_fit_context") == 8);
        CHECK(j.at("pages_fit_budget") == 34);
        CHECK(j.at("pages_total").at("positions") == 3 * X::ocr_a4_gundam_positions);
        CHECK(j.at("pages_total").at("vision_tokens") == 3 * X::ocr_a4_gundam_vision_tokens);
        CHECK(j.at("pages_total").at("kv_bytes") == 3 * X::ocr_a4_gundam_kv_bf16_bytes);
    }
    SECTION("modes: base is 16 x 17 + 1 = 273 positions whatever the page, no grid") {
        const json j = json::parse(run_cli("--preset deepseek-ocr --json --image 3024x4032 --ocr-mode base").out);
        const json& page = j.at("pages").at(0);
        CHECK(page.at("mode") == "base");
        CHECK(page.at("grid") == json{1, 1});
        CHECK(page.at("positions") == 273);
        CHECK(page.at("vision_tokens") == 256);
        CHECK(j.at("pages_fit_context") == 30); // 8,192 / 273 = 30.0
        const json tiny = json::parse(run_cli("--preset deepseek-ocr --json --image 3024x4032 --ocr-mode tiny").out);
        CHECK(tiny.at("pages").at(0).at("positions") == 73);
        const json large = json::parse(run_cli("--preset deepseek-ocr --json --image 3024x4032 --ocr-mode=large").out);
        CHECK(large.at("pages").at(0).at("positions") == 421);
    }
    SECTION("several sizes: the top-level fit counts pages of the largest") {
        // 640x640 is the global view alone (273); A4 is 903: 8,192 / 903 = 9.
        const json j = json::parse(run_cli("--preset deepseek-ocr --json --image 640x640 --image 1654x2339").out);
        REQUIRE(j.at("pages").size() == 2);
        CHECK(j.at("pages").at(0).at("positions") == 273);
        CHECK(j.at("pages").at(0).at("pages_fit_context") == 30);
        CHECK(j.at("pages_fit_context") == 9);
        CHECK(j.at("pages_total").at("positions") == 273 + X::ocr_a4_gundam_positions);
    }
    SECTION("--max-tiles 4: the A4 page takes 1x2, 273 + 11 x 20 = 493 positions") {
        const json j = json::parse(run_cli("--preset deepseek-ocr --json --image 1654x2339 --max-tiles 4").out);
        CHECK(j.at("pages").at(0).at("grid") == json{1, 2});
        CHECK(j.at("pages").at(0).at("positions") == 493);
    }
    SECTION("the table") {
        const Run r = run_cli("--preset deepseek-ocr --image 1654x2339 --budget 8GiB");
        REQUIRE(r.code == 0);
        CHECK(r.out.find("pages         DeepSeek-OCR gundam mode, at most 9 tiles; prompt 0 tokens, context 8,192") !=
              std::string::npos);
        CHECK(r.out.find("    1654x2339   2x3        903     856   52.91 MiB            9          34\n") !=
              std::string::npos);
    }
    SECTION("a corpus DeepSeek-OCR file") {
        REQUIRE_CORPUS();
        const json j = json::parse(run_cli(corpus("deepseek-ocr.json") + " --json --image 1654x2339").out);
        CHECK(j.at("pages").at(0).at("kv_bytes") == X::ocr_a4_gundam_kv_bf16_bytes);
    }
}

// ---- DeepSeek-OCR-2 page budget ---------------------------------------------------------------
// Worked by hand from the upstream rule (modeling_deepseekocr2.py `infer` / `dynamic_preprocess`,
// vLLM's config.py: BASE_SIZE 1024, IMAGE_SIZE 768, MIN_CROPS 2, MAX_CROPS 6): a global 1024 view
// of (1024 / 16 / 4)^2 = 16^2 = 256 query tokens; a page larger than 768 on either side is also
// cut into the w x h grid of 2..6 tiles whose ratio w / h is closest to W / H, each tile
// (768 / 16 / 4)^2 = 12^2 = 144 tokens; one view_seperator; no newline tokens. Positions:
// 257 + 144 n. KV: 61,440 bytes per position (mha, bf16: 2 x 10 KV heads x 128 x 2 bytes x 12
// layers). The file's context is 8,192.
//
// A4 at 200 dpi, 1654x2339: W / H = 0.7071. Grid ratios of 2..6 tiles: 1/2 (off by 0.207),
// 2/1, 1/3 (0.374), 3/1, 1/4, 2/2 = 1 (0.293), 4/1, 1/5, 5/1, 1/6, 2/3 (off by 0.040), 3/2, 6/1:
// 2/3 is the closest, so 2 x 3 = 6 tiles: 256 + 6 x 144 = 1,120 vision tokens, 1,121 positions,
// 1,121 x 61,440 = 68,874,240 bytes (65.68 MiB); 8,192 / 1,121 = 7.3: 7 pages fit the context.
namespace ocr2_a4 {
constexpr std::uint64_t tiles = 2 * 3;
constexpr std::uint64_t vision_tokens = 16 * 16 + tiles * 12 * 12;
constexpr std::uint64_t positions = vision_tokens + 1;
constexpr std::uint64_t kv_bytes = positions * 61'440;
static_assert(vision_tokens == 1'120 && positions == 1'121 && kv_bytes == 68'874'240);
} // namespace ocr2_a4

TEST_CASE("Option --image: the page budget of DeepSeek-OCR-2", "[cli][ocr]") {
    REQUIRE_CORPUS();
    const std::string ocr2 = corpus("deepseek-ocr-2.json");
    SECTION("one A4 page: 2x3 tiles, 257 + 6 x 144 positions; no mode in the JSON") {
        const Run r = run_cli(ocr2 + " --json --image 1654x2339");
        REQUIRE(r.code == 0);
        CHECK(r.err.empty());
        const json j = json::parse(r.out);
        const json page = {{"width", 1654},
                           {"height", 2339},
                           {"grid", {2, 3}},
                           {"positions", ocr2_a4::positions},
                           {"vision_tokens", ocr2_a4::vision_tokens},
                           {"kv_bytes", ocr2_a4::kv_bytes},
                           {"pages_fit_context", 7}};
        CHECK(j.at("pages") == json::array({page}));
        CHECK(j.at("pages_fit_context") == 7); // 8,192 / 1,121 = 7.3
        CHECK_FALSE(j.contains("pages_fit_budget"));
        const json total = {{"pages", 1},
                            {"positions", ocr2_a4::positions},
                            {"vision_tokens", ocr2_a4::vision_tokens},
                            {"kv_bytes", ocr2_a4::kv_bytes},
                            {"prompt_tokens", 0},
                            {"max_tiles", 6}}; // MAX_CROPS 6
        CHECK(j.at("pages_total") == total);
        // The rest of the report is unchanged.
        CHECK(j.at("params").at("total") == X::ocr2_params);
    }
    SECTION("pages up to 768 on both sides are the global view alone; 769 already cuts tiles") {
        // 768x768: 256 + 1 = 257 positions (8,192 / 257 = 31.9: 31). 769x768: W / H = 1.0013;
        // 2/2 = 1 is the closest ratio (1/2 and 2/1 are off by 0.50 and 1.00, 2/3 and 3/2 by
        // 0.33 and 0.50), so 2 x 2 tiles: 257 + 4 x 144 = 833 (8,192 / 833 = 9.8: 9). 1600x800:
        // W / H = 2 = 2/1 exactly, and no other grid of 2..6 tiles has ratio 2 (4 x 2 is 8
        // tiles), so 2 x 1: 257 + 2 x 144 = 545 (8,192 / 545 = 15.03: 15). The largest is 769x768.
        const json j = json::parse(run_cli(ocr2 + " --json --image 768x768 --image 769x768 --image 1600x800").out);
        REQUIRE(j.at("pages").size() == 3);
        const json& square = j.at("pages").at(0);
        CHECK(square.at("grid") == json{1, 1});
        CHECK(square.at("positions") == 257);
        CHECK(square.at("vision_tokens") == 256);
        CHECK(square.at("kv_bytes") == 257 * 61'440);
        CHECK(square.at("pages_fit_context") == 31);
        const json& above = j.at("pages").at(1);
        CHECK(above.at("grid") == json{2, 2});
        CHECK(above.at("positions") == 833);
        CHECK(above.at("vision_tokens") == 832);
        CHECK(above.at("pages_fit_context") == 9);
        const json& wide = j.at("pages").at(2);
        CHECK(wide.at("grid") == json{2, 1});
        CHECK(wide.at("positions") == 545);
        CHECK(wide.at("pages_fit_context") == 15);
        CHECK(j.at("pages_fit_context") == 9);
        CHECK(j.at("pages_total").at("positions") == 257 + 833 + 545);
        CHECK(j.at("pages_total").at("vision_tokens") == 256 + 832 + 544);
    }
    SECTION("--pages, --budget and --prompt-tokens") {
        // OCR-2's bf16 weights, 6,778,238,720 bytes (ocr2_bf16_checkpoint_bytes, derived by hand):
        // 8 GiB - 6,778,238,720 = 1,811,695,872 bytes / 61,440 = 29,487.2: 29,487 positions.
        // After 1,000 prompt tokens: 28,487 / 1,121 = 25.4: 25 pages; the context: 7,192 / 1,121
        // = 6.4: 6 pages.
        const json j =
            json::parse(run_cli(ocr2 + " --json --image 1654x2339 --pages 3 --budget 8GiB --prompt-tokens 1000").out);
        REQUIRE(j.at("pages").size() == 3);
        CHECK(j.at("pages").at(2).at("positions") == ocr2_a4::positions);
        CHECK(j.at("pages").at(2).at("pages_fit_budget") == 25);
        CHECK(j.at("pages_fit_context") == 6);
        CHECK(j.at("pages_fit_budget") == 25);
        CHECK(j.at("pages_total").at("positions") == 3 * ocr2_a4::positions);
        CHECK(j.at("pages_total").at("kv_bytes") == 3 * ocr2_a4::kv_bytes);
        CHECK(j.at("pages_total").at("prompt_tokens") == 1000);
        CHECK(8 * (std::uint64_t{1} << 30) - X::ocr2_bf16_checkpoint_bytes == 1'811'695'872);
    }
    SECTION("--max-tiles 4: the A4 page takes 1x2 (1/2 is the closest of 2..4 tiles), 257 + 2 x 144") {
        const json j = json::parse(run_cli(ocr2 + " --json --image 1654x2339 --max-tiles 4").out);
        CHECK(j.at("pages").at(0).at("grid") == json{1, 2});
        CHECK(j.at("pages").at(0).at("positions") == 545);
        CHECK(j.at("pages_total").at("max_tiles") == 4);
    }
    SECTION("the table") {
        // With no prompt: 29,487 / 1,121 = 26.3: 26 pages in 8 GiB.
        const Run r = run_cli(ocr2 + " --image 1654x2339 --budget 8GiB");
        REQUIRE(r.code == 0);
        CHECK(r.out.find("\npages         DeepSeek-OCR-2, a 1024 global view plus 768-pixel tiles, at most 6 tiles; "
                         "prompt 0 tokens, context 8,192, budget 8.00 GiB\n") != std::string::npos);
        CHECK(r.out.find("    1654x2339   2x3      1,121   1,120   65.68 MiB            7          26\n") !=
              std::string::npos);
        CHECK(r.out.find("  positions are vision tokens plus one view separator per page (DeepSeek-OCR-2 has no "
                         "newline tokens)\n") != std::string::npos);
        CHECK(r.out.find("newline per row") == std::string::npos);
    }
    SECTION("--ocr-mode is DeepSeek-OCR's: a usage error, nothing on stdout") {
        for (const char* mode : {"gundam", "base", "tiny"}) {
            const Run r = run_cli(ocr2 + " --image 1654x2339 --ocr-mode " + mode);
            CHECK(r.code == 2);
            CHECK(r.out.empty());
            CHECK(r.err == "deepseek-config: --ocr-mode: DeepSeek-OCR-2 has one mode (a 1024 global view plus "
                           "768-pixel tiles); tiny, small, base, large and gundam are DeepSeek-OCR's\n");
        }
        const Run j = run_cli(ocr2 + " --json --image 1654x2339 --ocr-mode=gundam");
        CHECK(j.code == 2);
        CHECK(j.out.empty());
    }
}

TEST_CASE("Options of the page budget: errors", "[cli][ocr][errors]") {
    const auto expect = [](const Run& r, const std::string& err) {
        CHECK(r.code == 2);
        CHECK(r.err == err);
        CHECK(r.out.empty());
    };
    const std::string format = "deepseek-config: --image: expected WIDTHxHEIGHT in pixels such as 1654x2339, found ";
    expect(run_cli("--image 1654"), format + "'1654'\n");
    expect(run_cli("--image 1654x"), format + "'1654x'\n");
    expect(run_cli("--image x2339"), format + "'x2339'\n");
    expect(run_cli("--image 0x100"), format + "'0x100'\n");
    expect(run_cli("--image 16.5x20"), format + "'16.5x20'\n");
    expect(run_cli("--image 1654X2339"), format + "'1654X2339'\n");
    expect(run_cli("--image -1x5"), format + "'-1x5'\n");
    expect(run_cli("--image"), "deepseek-config: --image needs a value\n");
    expect(run_cli("--image 99999999999999999999x1"),
           "deepseek-config: --image: 99999999999999999999x1 is too large\n");
    expect(run_cli("--image 1654x2339 --ocr-mode huge"),
           "deepseek-config: --ocr-mode: unknown value 'huge'; accepted: tiny, small, base, large, gundam\n");
    expect(run_cli("--pages 3"), "deepseek-config: --pages needs one --image size\n");
    expect(run_cli("--pages 3 --image 10x10 --image 20x20"),
           "deepseek-config: --pages takes one --image size, not 2\n");
    expect(run_cli("--image 10x10 --pages 0"),
           "deepseek-config: --pages: expected a positive whole number, found '0'\n");
    expect(run_cli("--ocr-mode base"), "deepseek-config: --ocr-mode needs --image\n");
    expect(run_cli("--max-tiles 4"), "deepseek-config: --max-tiles needs --image\n");
    expect(run_cli("--prompt-tokens 10"), "deepseek-config: --prompt-tokens needs --image\n");
    expect(run_cli("--image 10x10 --prompt-tokens many"),
           "deepseek-config: --prompt-tokens: expected a whole number, found 'many'\n");
}

TEST_CASE("Option --image on a model that is neither DeepSeek-OCR nor OCR-2: usage error", "[cli][ocr][errors]") {
    REQUIRE_CORPUS();
    const Run v3 = run_cli(corpus("deepseek-v3.json") + " --image 1654x2339");
    CHECK(v3.code == 2);
    CHECK(v3.out.empty());
    CHECK(v3.err == "deepseek-config: --image: the page budget is for DeepSeek-OCR and DeepSeek-OCR-2 configs; this "
                    "one is DeepseekV3Config (model_type deepseek_v3)\n");
}

TEST_CASE("Option --budget: weights that fit with no room for a token are not weights that do not fit", "[cli]") {
    // V2-Lite's bf16 weights are its checkpoint, 31,412,968,448 bytes (the index's total_size).
    const std::string weights = std::to_string(expected::v2_lite_checkpoint_bytes);
    const Run exact = run_cli("--preset deepseek-v2-lite --budget " + weights);
    REQUIRE(exact.code == 0);
    CHECK(exact.out.find("max context   0 tokens x batch 1 in 29.26 GiB per rank (the weights fit, with no room for "
                         "one token)\n") != std::string::npos);
    const json j = json::parse(run_cli("--preset deepseek-v2-lite --json --budget " + weights).out);
    CHECK(j.at("max_context") == 0);
    CHECK(j.at("weights_fit") == true);

    const std::string less = std::to_string(expected::v2_lite_checkpoint_bytes - 1);
    const Run over = run_cli("--preset deepseek-v2-lite --budget " + less);
    REQUIRE(over.code == 0);
    CHECK(over.out.find("max context   none: the weights alone (29.26 GiB) do not fit in 29.26 GiB per rank\n") !=
          std::string::npos);
    const json k = json::parse(run_cli("--preset deepseek-v2-lite --json --budget " + less).out);
    CHECK_FALSE(k.contains("max_context"));
    CHECK(k.at("weights_fit") == false);
}

TEST_CASE("A quantisation method that is not modelled: the report says so, exit 0", "[cli][lenient]") {
    const fs::path dir = test_support::scratch_dir("awq");
    const fs::path file = dir / "config.json";
    // DeepSeek-V3's hyperparameters (its config.json) with an AWQ quantization_config.
    std::ofstream(file) << R"({"model_type": "deepseek_v3", "architectures": ["DeepseekV3ForCausalLM"],
        "vocab_size": 129280, "hidden_size": 7168, "intermediate_size": 18432, "moe_intermediate_size": 2048,
        "num_hidden_layers": 61, "num_nextn_predict_layers": 1, "num_attention_heads": 128,
        "num_key_value_heads": 128, "n_shared_experts": 1, "n_routed_experts": 256, "routed_scaling_factor": 2.5,
        "kv_lora_rank": 512, "q_lora_rank": 1536, "qk_rope_head_dim": 64, "v_head_dim": 128,
        "qk_nope_head_dim": 128, "topk_method": "noaux_tc", "n_group": 8, "topk_group": 4,
        "num_experts_per_tok": 8, "first_k_dense_replace": 3, "norm_topk_prob": true,
        "max_position_embeddings": 163840, "torch_dtype": "bfloat16",
        "quantization_config": {"quant_method": "awq", "bits": 4, "group_size": 128, "zero_point": true}})";
    const std::string note = "not modelled  quantization_config.quant_method \"awq\": not modelled (DeepSeek's "
                             "fp8, ModelOpt NVFP4 and compressed-tensors pack-quantized INT4 are), so the "
                             "checkpoint's bytes and the weights as released are not given (--weights-dtype gives "
                             "a uniform figure)\n";
    const Run table = run_cli(quote(file.string()) + " --tp 8");
    CHECK(table.code == 0);
    CHECK(table.err.empty());
    CHECK(table.out.find(note) != std::string::npos);
    CHECK(table.out.find("\ncheckpoint    not modelled (quant_method)\n") != std::string::npos);
    CHECK(table.out.find("671,026,419,200") != std::string::npos); // V3's parameters, recorded
    CHECK(table.out.find("70,272 bytes") != std::string::npos);    // V3's latent bf16 KV per token

    const json j = json::parse(run_cli(quote(file.string()) + " --json").out);
    CHECK(j.at("checkpoint_bytes").is_null());
    CHECK(j.at("weights").at("bytes").is_null());
    CHECK(j.at("quantization") == json{{"method", "not modelled"}, {"source", nullptr}, {"modelled", false}});
    CHECK(j.at("params").at("total") == X::v3_params);
    REQUIRE(j.at("not_modelled").size() == 1);

    // A uniform dtype gives the weights; the stored tensors stay unknown.
    const json bf16 = json::parse(run_cli(quote(file.string()) + " --json --weights-dtype bf16").out);
    CHECK(bf16.at("weights").at("bytes").is_number());
    const Run tensors = run_cli(quote(file.string()) + " --tensors");
    CHECK(tensors.code == 1);
    CHECK(tensors.out.empty());
    CHECK(tensors.err == "deepseek-config: /quantization_config/quant_method: --tensors: the stored tensors of "
                         "this quantisation are not modelled (see the report's not modelled line)\n");
}

TEST_CASE("The table says where a quantisation was looked for, and what the checkpoint figure leaves out", "[cli]") {
    REQUIRE_CORPUS();
    // NVIDIA's NVFP4 config.json alone: its quantisation is described in a file beside it.
    const Run nvfp4 = run_cli(corpus("nvidia-deepseek-v3.1-nvfp4.json"));
    CHECK(nvfp4.out.find("\nquantization  none in config.json, and no hf_quant_config.json beside it\n") !=
          std::string::npos);
    const Run k25 = run_cli(corpus("2026/kimi-k2.5.json"));
    CHECK(k25.out.find("\nquantization  int4_pack (from quantization_config)\n") != std::string::npos);
    // Its checkpoint counts MoonViT3d (kimi_test derives its bytes); a 1D-tile VL2's leaves its
    // encoder out and says so.
    CHECK(k25.out.find("without the vision tower") == std::string::npos);
    CHECK(run_cli(vl2_tiny_1d()).out.find("bytes; without the vision tower, not modelled)\n") != std::string::npos);
    CHECK(run_cli("--preset deepseek-v2-lite").out.find("\nquantization") == std::string::npos);
}

// ---- DeepSeek-V4 (Flash, Pro) ---------------------------------------------------------------------
// Figures of ../shared/reference/deepseek-v4.md (expected_figures.hpp, "V4 §N"): the checkpoints'
// totals (§9), the layer kinds (§2), KV bytes published or worked by hand (§8).

namespace {

/// The tensor names of a --tensors table (the lines after "tensors": NAME  [SHAPE]  DTYPE).
std::vector<std::string> table_tensor_names(const std::string& out) {
    std::vector<std::string> names;
    const std::string heading = "\ntensors\n";
    std::size_t at = out.find(heading);
    if (at == std::string::npos) return names;
    at += heading.size();
    while (at < out.size()) {
        const std::size_t end = out.find('\n', at);
        const std::string line = out.substr(at, end == std::string::npos ? std::string::npos : end - at);
        if (!line.empty()) names.push_back(line.substr(0, line.find("  ")));
        if (end == std::string::npos) break;
        at = end + 1;
    }
    return names;
}

/// The report's figures of a V4 checkpoint against V4 §9.
void check_v4_anchors(const json& j, std::uint64_t total, std::uint64_t active, std::uint64_t mtp, std::uint64_t stored,
                      std::uint64_t checkpoint) {
    CHECK(j.at("config_class") == "DeepseekV4Config");
    CHECK(j.at("params").at("total") == total);
    CHECK(j.at("params").at("active") == active);
    CHECK(j.at("params").at("mtp") == mtp);
    CHECK(j.at("params").at("stored_elements") == stored);
    CHECK(j.at("checkpoint_bytes") == checkpoint);
}

json v4_layer_kinds(std::uint64_t sliding, std::uint64_t csa, std::uint64_t hca, std::uint64_t hash) {
    return {{"sliding", sliding}, {"compressed_sparse", csa}, {"heavily_compressed", hca}, {"hash_routed", hash}};
}

} // namespace

TEST_CASE("DeepSeek-V4: the presets' JSON reports give the checkpoints' figures (V4 §9)", "[cli][v4]") {
    const Run p = run_cli("--preset deepseek-v4-pro --json");
    REQUIRE(p.code == 0);
    CHECK(p.err.empty());
    const json pro = json::parse(p.out);
    CHECK(pro.at("source") == "built-in preset deepseek-v4-pro");
    CHECK(pro.at("model_type") == "deepseek_v4");
    check_v4_anchors(pro, X::v4_pro_params, X::v4_pro_active_params, X::v4_pro_mtp_params, X::v4_pro_stored_elements,
                     X::v4_pro_checkpoint_bytes);
    CHECK(pro.at("architecture").at("layer_kinds") == v4_layer_kinds(0, 30, 31, 3));
    CHECK(pro.at("architecture").at("layers") == 61);
    CHECK(pro.at("architecture").at("mtp_layers") == 1);
    // Weights as released, MTP not loaded: the checkpoint without mtp.0 (V4 §4.5).
    CHECK(pro.at("weights").at("bytes") == X::v4_pro_checkpoint_bytes - X::v4_pro_mtp.bytes);
    // vLLM's format by default: 5,609.25 bytes per token paged, 5,511.4375 unpadded (V4 §8.2).
    CHECK(pro.at("kv_cache").at("format") == "vllm_fp8");
    CHECK(pro.at("kv_cache").at("growth_bytes_per_token") == 5609.25);
    CHECK(pro.at("kv_cache").at("unpadded_growth_bytes_per_token") == 5511.4375);
    CHECK(pro.at("kv_cache").at("per_sequence_exact") == false); // an engine's constant is approximate
    CHECK(pro.at("not_modelled") == json::array());

    const json flash = json::parse(run_cli("--preset deepseek-v4-flash --json").out);
    check_v4_anchors(flash, X::v4_flash_params, X::v4_flash_active_params, X::v4_flash_mtp_params,
                     X::v4_flash_stored_elements, X::v4_flash_checkpoint_bytes);
    CHECK(flash.at("architecture").at("layer_kinds") == v4_layer_kinds(2, 21, 20, 3));
    CHECK(flash.at("kv_cache").at("growth_bytes_per_token") == 3915.0);
    CHECK(flash.at("kv_cache").at("unpadded_growth_bytes_per_token") == 3850.25);
    // --mtp: the weights of one rank are the whole checkpoint.
    CHECK(json::parse(run_cli("--preset deepseek-v4-flash --json --mtp").out).at("weights").at("bytes") ==
          X::v4_flash_checkpoint_bytes);
}

TEST_CASE("DeepSeek-V4: the released files, table and JSON", "[cli][v4]") {
    REQUIRE_CORPUS();
    for (const char* file : {"2026/deepseek-v4-flash.json", "2026/deepseek-v4-flash.aiconfigurator.json"}) {
        INFO(file);
        const Run table = run_cli(corpus(file));
        REQUIRE(table.code == 0);
        CHECK(table.err.empty());
        CHECK(table.out.find("(model_type deepseek_v4)") != std::string::npos);
        CHECK(table.out.find(grouped(X::v4_flash_params)) != std::string::npos);
        CHECK(table.out.find(grouped(X::v4_flash_active_params)) != std::string::npos);
        CHECK(table.out.find(grouped(X::v4_flash_stored_elements)) != std::string::npos);
        CHECK(table.out.find("148.65 GiB (" + grouped(X::v4_flash_checkpoint_bytes) + " bytes)") !=
              std::string::npos); // 159,609,485,896 / 2^30 = 148.648
        const Run j = run_cli(corpus(file) + " --json");
        REQUIRE(j.code == 0);
        const json flash = json::parse(j.out);
        check_v4_anchors(flash, X::v4_flash_params, X::v4_flash_active_params, X::v4_flash_mtp_params,
                         X::v4_flash_stored_elements, X::v4_flash_checkpoint_bytes);
        CHECK(flash.at("architecture").at("layer_kinds") == v4_layer_kinds(2, 21, 20, 3));
        CHECK(flash.at("architecture").at("expert_dtype") == "fp4"); // the day-one file has no key: FP4
    }
    const Run p = run_cli(corpus("2026/deepseek-v4-pro.json") + " --json");
    REQUIRE(p.code == 0);
    const json pro = json::parse(p.out);
    check_v4_anchors(pro, X::v4_pro_params, X::v4_pro_active_params, X::v4_pro_mtp_params, X::v4_pro_stored_elements,
                     X::v4_pro_checkpoint_bytes);
    CHECK(pro.at("architecture").at("layer_kinds") == v4_layer_kinds(0, 30, 31, 3));
    const Run table = run_cli(corpus("2026/deepseek-v4-pro.json"));
    CHECK(table.code == 0);
    CHECK(table.out.find("805.32 GiB (" + grouped(X::v4_pro_checkpoint_bytes) + " bytes)") != std::string::npos);
}

TEST_CASE("DeepSeek-V4: the re-saved form (layer_types) gives the same report", "[cli][v4]") {
    const std::string fixture = quote(test_support::data_file("v4/deepseek-v4-flash.resaved.json").string());
    const Run r = run_cli(fixture + " --json");
    REQUIRE(r.code == 0);
    CHECK(r.err.empty());
    const json j = json::parse(r.out);
    check_v4_anchors(j, X::v4_flash_params, X::v4_flash_active_params, X::v4_flash_mtp_params,
                     X::v4_flash_stored_elements, X::v4_flash_checkpoint_bytes);
    CHECK(j.at("architecture").at("layer_kinds") == v4_layer_kinds(2, 21, 20, 3));
    CHECK(j.at("architecture").at("mtp_layers") == 1);
    const json preset = json::parse(run_cli("--preset deepseek-v4-flash --json").out);
    CHECK(j.at("kv_cache") == preset.at("kv_cache"));
    CHECK(j.at("weights") == preset.at("weights"));
}

TEST_CASE("DeepSeek-V4: --kv-format and --context size one sequence's cache (V4 §8)", "[cli][v4]") {
    SECTION("llama.cpp, V4-Flash at 131,072 tokens: 672 MiB, 20 MiB and 168 MiB (llama.cpp #25468)") {
        const Run r = run_cli("--preset deepseek-v4-flash --json --kv-format llamacpp_f16 --context 131072");
        REQUIRE(r.code == 0);
        const json kv = json::parse(r.out).at("kv_cache");
        CHECK(kv.at("format") == "llamacpp_f16");
        CHECK(kv.at("context") == 131072);
        CHECK(kv.at("sequence").at("compressed_sparse") == X::v4_flash_llamacpp_128k_csa_bytes);
        CHECK(kv.at("sequence").at("heavily_compressed") == X::v4_flash_llamacpp_128k_hca_bytes);
        CHECK(kv.at("sequence").at("indexer") == X::v4_flash_llamacpp_128k_indexer_bytes);
        CHECK(kv.at("bytes") == kv.at("sequence").at("total"));
    }
    SECTION("the vLLM blog's 9.62 GiB: V4-Pro at 1M tokens in BF16, without the compressor state") {
        const json kv =
            json::parse(run_cli("--preset deepseek-v4-pro --json --kv-format demo_bf16 --context 1048576").out)
                .at("kv_cache");
        const json& s = kv.at("sequence");
        const std::uint64_t without_state =
            s.at("window").get<std::uint64_t>() + s.at("compressed_sparse").get<std::uint64_t>() +
            s.at("heavily_compressed").get<std::uint64_t>() + s.at("indexer").get<std::uint64_t>();
        CHECK(without_state == X::v4_pro_bf16_1m_bytes);
        // The demo's state: per ratio-4 layer 65,536 + 16,384 bytes, per ratio-128 layer 524,288.
        CHECK(s.at("compressor_state") ==
              30 * (X::v4_state_ratio4_bytes + X::v4_state_indexer_bytes) + 31 * X::v4_state_ratio128_bytes);
        CHECK(kv.at("per_sequence_exact") == true); // the demo preallocates exactly this
        // BF16 growth (V4 §8.1): 320 bytes per token per ratio-4 layer, 8 per ratio-128 layer.
        CHECK(kv.at("growth_bytes_per_token") == 30.0 * 320 + 31.0 * 8);
    }
    SECTION("SGLang with its FP4 indexer: 3,514.25 bytes per token for V4-Flash (V4 §8.3)") {
        const json kv =
            json::parse(run_cli("--preset deepseek-v4-flash --json --kv-format sglang_fp4_indexer").out).at("kv_cache");
        CHECK(kv.at("growth_bytes_per_token") == 3514.25);
        CHECK(kv.at("unpadded_growth_bytes_per_token") == 3514.25);
    }
    SECTION("an unknown format: usage error naming the accepted ones") {
        const Run r = run_cli("--preset deepseek-v4-flash --kv-format fp8");
        CHECK(r.code == 2);
        CHECK(r.out.empty());
        CHECK(r.err == "deepseek-config: --kv-format: unknown value 'fp8'; accepted: demo_bf16, vllm_fp8, sglang_fp8, "
                       "sglang_fp4_indexer, llamacpp_f16\n");
    }
}

TEST_CASE("DeepSeek-V4: --kv-format on the released V4-Flash file", "[cli][v4]") {
    REQUIRE_CORPUS();
    const Run r = run_cli(corpus("2026/deepseek-v4-flash.json") + " --json --kv-format llamacpp_f16 --context 131072");
    REQUIRE(r.code == 0);
    const json kv = json::parse(r.out).at("kv_cache");
    CHECK(kv.at("sequence").at("compressed_sparse") == X::v4_flash_llamacpp_128k_csa_bytes);
    CHECK(kv.at("sequence").at("heavily_compressed") == X::v4_flash_llamacpp_128k_hca_bytes);
    CHECK(kv.at("sequence").at("indexer") == X::v4_flash_llamacpp_128k_indexer_bytes);
    const Run table = run_cli(corpus("2026/deepseek-v4-flash.json") + " --kv-format llamacpp_f16 --context 131072");
    CHECK(table.code == 0);
    CHECK(table.err.empty());
}

TEST_CASE("DeepSeek-V4: --budget gives the largest context of whole vLLM blocks", "[cli][v4]") {
    // The weights one rank loads by default: the checkpoint without mtp.0 (V4 §4.5).
    const std::uint64_t weights = X::v4_flash_checkpoint_bytes - X::v4_flash_mtp.bytes;
    const json at_1m = json::parse(run_cli("--preset deepseek-v4-flash --json --context 1048576").out);
    REQUIRE(at_1m.at("weights").at("bytes") == weights);
    const std::uint64_t kv = at_1m.at("kv_cache").at("bytes");
    // From 0 tokens to 1M, 4,096 blocks of 256 tokens at V4 §8.2's page sizes.
    CHECK(kv - at_1m.at("kv_cache").at("per_sequence_bytes").get<std::uint64_t>() ==
          4096 * X::v4_flash_vllm_growth_per_256);
    const json fit =
        json::parse(run_cli("--preset deepseek-v4-flash --json --budget " + std::to_string(weights + kv)).out);
    CHECK(fit.at("max_context") == 1048576);
    CHECK(fit.at("weights_fit") == true);
    // One byte less: one 256-token block less.
    const json less =
        json::parse(run_cli("--preset deepseek-v4-flash --json --budget " + std::to_string(weights + kv - 1)).out);
    CHECK(less.at("max_context") == 1048576 - 256);
    // Weights alone do not fit one byte less than themselves.
    const json none =
        json::parse(run_cli("--preset deepseek-v4-flash --json --budget " + std::to_string(weights - 1)).out);
    CHECK(none.at("weights_fit") == false);
    CHECK_FALSE(none.contains("max_context"));
}

TEST_CASE("DeepSeek-V4: --tensors lists the checkpoint's tensors in its own names", "[cli][v4]") {
    const Run r = run_cli("--preset deepseek-v4-flash --json --tensors");
    REQUIRE(r.code == 0);
    const json tensors = json::parse(r.out).at("tensors");
    REQUIRE(tensors.size() == X::v4_flash_tensors);
    // Rows of V4 §9 items 3-4, written out by hand.
    const json wanted[] = {
        {{"name", "layers.0.ffn.gate.tid2eid"}, {"shape", {129280, 6}}, {"dtype", "I64"}},
        {{"name", "layers.0.attn.wq_b.scale"}, {"shape", {256, 8}}, {"dtype", "F8_E8M0"}},
        {{"name", "layers.5.ffn.experts.7.w1.scale"}, {"shape", {2048, 128}}, {"dtype", "F8_E8M0"}},
        {{"name", "layers.5.ffn.experts.7.w1.weight"}, {"shape", {2048, 2048}}, {"dtype", "I8"}},
        {{"name", "layers.2.attn.wkv.weight"}, {"shape", {512, 4096}}, {"dtype", "F8_E4M3"}},
        {{"name", "layers.0.hc_attn_fn"}, {"shape", {24, 16384}}, {"dtype", "F32"}},
    };
    std::map<std::string, json> by_name;
    std::size_t mtp = 0;
    for (const auto& t : tensors) {
        const std::string name = t.at("name");
        by_name.emplace(name, t);
        if (name.rfind("mtp.", 0) == 0) ++mtp;
    }
    CHECK(by_name.size() == X::v4_flash_tensors); // no name twice
    CHECK(mtp == X::v4_flash_mtp_tensors);
    for (const json& w : wanted) {
        INFO(w.dump());
        const auto it = by_name.find(w.at("name"));
        REQUIRE(it != by_name.end());
        CHECK(it->second == w);
    }
    // The table lists V4-Pro's 145,116 (V4 §9 item 1), hc_head_fn [4, 28672] F32 among them.
    const Run pro = run_cli("--preset deepseek-v4-pro --tensors");
    REQUIRE(pro.code == 0);
    CHECK(table_tensor_names(pro.out).size() == X::v4_pro_tensors);
    CHECK(pro.out.find("\nhc_head_fn  [4, 28672]  F32\n") != std::string::npos);
}

TEST_CASE("DeepSeek-V4: --check-index reports a missing tensor, and passes on the full list",
          "[cli][v4][check-index]") {
    // An index of our own: the tool's own manifest names (the test is about the comparison), and
    // total_size the checkpoint's bytes of V4 §9.
    const std::vector<std::string> names = table_tensor_names(run_cli("--preset deepseek-v4-flash --tensors").out);
    json index = {{"metadata", {{"total_size", X::v4_flash_checkpoint_bytes}}}, {"weight_map", json::object()}};
    for (const std::string& name : names) index["weight_map"][name] = "model-00001-of-00046.safetensors";
    REQUIRE(index["weight_map"].size() == X::v4_flash_tensors);
    const fs::path dir = test_support::scratch_dir("v4-index");
    const fs::path full = dir / "full.index.json";
    std::ofstream(full) << index.dump();
    index["weight_map"].erase("layers.2.attn.indexer.compressor.ape");
    const fs::path less = dir / "less.index.json";
    std::ofstream(less) << index.dump();

    const Run bad = run_cli("--preset deepseek-v4-flash --check-index " + quote(less.string()));
    CHECK(bad.code == 1);
    CHECK(bad.out.find("missing      1 (in the manifest, not in the index)\n"
                       "  - layers.2.attn.indexer.compressor.ape\n") != std::string::npos);
    CHECK(bad.out.find("result       MISMATCH") != std::string::npos);
    const json bad_json =
        json::parse(run_cli("--preset deepseek-v4-flash --json --check-index " + quote(less.string())).out);
    CHECK(bad_json.at("check_index").at("missing") == json{"layers.2.attn.indexer.compressor.ape"});
    CHECK(bad_json.at("check_index").at("match") == false);

    const Run good = run_cli("--preset deepseek-v4-flash --check-index " + quote(full.string()));
    CHECK(good.code == 0);
    CHECK(good.out.find("total_size   " + grouped(X::v4_flash_checkpoint_bytes) + " in the index, " +
                        grouped(X::v4_flash_checkpoint_bytes) + " computed: equal") != std::string::npos);
    CHECK(good.out.find("result       match") != std::string::npos);
    // The re-saved fixture's manifest is the same list.
    const std::string fixture = quote(test_support::data_file("v4/deepseek-v4-flash.resaved.json").string());
    CHECK(run_cli(fixture + " --check-index " + quote(full.string())).code == 0);
}

TEST_CASE("DeepSeek-V4: the table and --tensors name why a checkpoint is not modelled", "[cli][v4]") {
    // SGLang's deepseek_ref repack and a DSpark release load (DeepSeek FP8 quant_method and all):
    // what is not modelled is the repack's tensors and the draft module's, and the tool says so.
    const fs::path dir = test_support::scratch_dir("v4-not-modelled");
    const fs::path saved = dir / "flash.json"; // the preset's config.json, written by the tool
    REQUIRE(run_cli("--preset deepseek-v4-flash --save-config " + quote(saved.string())).code == 0);
    const json flash = json::parse(test_support::read_text(saved));
    json ref = flash;
    ref["model_type"] = "deepseek_ref";
    ref["architectures"] = {"DeepseekV4ForCausalLM"};
    const fs::path ref_file = dir / "ref.json";
    std::ofstream(ref_file) << ref.dump();
    const Run table = run_cli(quote(ref_file.string()));
    CHECK(table.code == 0);
    CHECK(table.out.find("\ncheckpoint    not modelled (SGLang's deepseek_ref repack)\n") != std::string::npos);
    const Run tensors = run_cli(quote(ref_file.string()) + " --tensors");
    CHECK(tensors.code == 1);
    CHECK(tensors.err == "deepseek-config: /model_type: --tensors: the stored tensors of SGLang's deepseek_ref "
                         "repack are not modelled (see the report's not modelled line)\n");

    json dspark = flash;
    dspark["dspark_block_size"] = 5;
    const fs::path dspark_file = dir / "dspark.json";
    std::ofstream(dspark_file) << dspark.dump();
    const Run dspark_table = run_cli(quote(dspark_file.string()));
    CHECK(dspark_table.code == 0);
    CHECK(dspark_table.out.find("\ncheckpoint    not modelled (the DSpark draft module)\n") != std::string::npos);
    const Run check = run_cli(quote(dspark_file.string()) + " --check-index " + quote(ref_file.string()));
    CHECK(check.code == 1);
    CHECK(check.err == "deepseek-config: --check-index: the stored tensors of a checkpoint with the DSpark draft "
                       "module are not modelled (see the report's not modelled line)\n");
}

TEST_CASE("The tool's vLLM deployment: one GPU of DeepSeek-V3 under TP 8 and under DP 8 with expert parallelism",
          "[cli][deployment]") {
    // Issue 16's anchors (vLLM's sharding rules on V3's tensor list; tests/deployment_test.cpp
    // derives them by hand): 85,140,130,848 bytes per GPU at TP 8, 100,840,747,360 at DP 8 + EP.
    const Run tp8 = run_cli("--preset deepseek-v3 --json --engine vllm --tp 8 --gpu-memory 141GB --context 131072");
    REQUIRE(tp8.code == 0);
    const json d = json::parse(tp8.out).at("deployment");
    CHECK(d.at("weights_bytes_per_gpu") == 85'140'130'848ULL);
    CHECK(d.at("gpus") == 8);
    CHECK(d.at("kv_format") == "flashmla");
    REQUIRE(d.at("stages").size() == 1);
    CHECK(d.at("stages")[0].at("kv_bytes_per_token") == 61 * 1152);
    CHECK(d.at("stages")[0].at("layers") == json::array({0, 61}));
    // By component, written out in tests/deployment_test.cpp: the routed experts 256 x 58 x
    // 44,050,944 / 8 bytes, the attention 61 x (923,700,064 / 61 + 10,492,515,328 / 61 / 8).
    CHECK(d.at("stages")[0].at("weights_by_component").at("routed_experts") == 256ULL * 58 * 44'050'944 / 8);
    CHECK(d.at("stages")[0].at("weights_by_component").at("mtp") == 0);
    CHECK(d.at("pp") == 1);
    CHECK(d.at("dp_attention") == false);
    // (126,900,000,000 - 85,140,130,848 - 4 GiB) / (70,272 x 64) = 8,330 whole blocks; a
    // 131,072-token request takes 2,048 of them.
    CHECK(d.at("kv_blocks") == 8330);
    CHECK(d.at("kv_capacity_tokens") == 8330 * 64);
    CHECK(d.at("max_concurrency") == 4);
    CHECK(d.at("launch") ==
          "vllm serve MODEL --tensor-parallel-size 8 --gpu-memory-utilization 0.9 --max-model-len 131072");

    const Run ep = run_cli("--preset deepseek-v3 --json --engine vllm --dp 8 --ep --gpu-memory 141GB");
    REQUIRE(ep.code == 0);
    const json e = json::parse(ep.out).at("deployment");
    CHECK(e.at("weights_bytes_per_gpu") == 100'840'747'360ULL);
    CHECK(e.at("experts_per_gpu") == 32);
    CHECK(e.at("total_requests") == 8 * e.at("max_concurrency").get<std::uint64_t>());
    CHECK(e.at("launch").get<std::string>().find("--data-parallel-size 8 --enable-expert-parallel") !=
          std::string::npos);

    // The table says the same in words.
    const Run table = run_cli("--preset deepseek-v3 --engine vllm --tp 8 --gpu-memory 141GB --context 131072");
    CHECK(table.out.find("weights per GPU   85,140,130,848 B") != std::string::npos);
    CHECK(table.out.find("requests at once  4 of 131,072 tokens") != std::string::npos);
    CHECK(table.out.find("    routed_experts    81,758,552,064 B") != std::string::npos);
}

TEST_CASE("The tool's vLLM deployment: DeepSeek-OCR (no MLA) on two 80 GB GPUs", "[cli][deployment]") {
    // tests/deployment_test.cpp derives these by hand: FlashAttention's K and V of 5 of the 10
    // heads per GPU (12 x 2,560 B a token), 3,436,249,600 bytes of weights (CLIP split as vLLM's
    // clip.py does), 130,755 blocks of 16 tokens, 255 requests of 8,192 tokens.
    const Run r = run_cli("--preset deepseek-ocr --json --engine vllm --tp 2 --gpu-memory 80GB");
    REQUIRE(r.code == 0);
    const json d = json::parse(r.out).at("deployment");
    CHECK(d.at("kv_format") == "flash_attn");
    CHECK(d.at("kv_block") == 16);
    CHECK(d.at("weights_bytes_per_gpu") == 3'436'249'600ULL);
    CHECK(d.at("stages")[0].at("kv_bytes_per_token") == 12 * 2560);
    CHECK(d.at("kv_blocks") == 130'755);
    CHECK(d.at("max_concurrency") == 255);
}

TEST_CASE("The tool's vLLM deployment: two nodes as TP 8 x PP 2, stage by stage", "[cli][deployment][pp]") {
    // vLLM's split of V3's 61 layers over 2 stages: 31 and 30 (get_pp_indices; deployment_test).
    const Run r = run_cli("--preset deepseek-v3 --json --engine vllm --tp 8 --pp 2 --gpu-memory 141GB");
    REQUIRE(r.code == 0);
    const json d = json::parse(r.out).at("deployment");
    CHECK(d.at("gpus") == 16);
    CHECK(d.at("pp") == 2);
    REQUIRE(d.at("stages").size() == 2);
    CHECK(d.at("stages")[0].at("layers") == json::array({0, 31}));
    CHECK(d.at("stages")[1].at("layers") == json::array({31, 30}));
    CHECK(d.at("stages")[0].at("kv_bytes_per_token") == 31 * 1152);
    CHECK(d.at("stages")[1].at("kv_bytes_per_token") == 30 * 1152);
    CHECK(d.at("stages")[0].at("weights_by_component").at("lm_head") == 0);
    CHECK(d.at("stages")[1].at("weights_by_component").at("embedding") == 0);
    CHECK(d.at("stages")[1].at("weights_by_component").at("lm_head") == 129'280ULL * 7168 * 2 / 8);
    // The deployment's capacity is the fewest blocks of any stage; its weights the largest stage's.
    const auto blocks0 = d.at("stages")[0].at("kv_blocks").get<std::uint64_t>();
    const auto blocks1 = d.at("stages")[1].at("kv_blocks").get<std::uint64_t>();
    CHECK(d.at("kv_blocks") == (blocks0 < blocks1 ? blocks0 : blocks1));
    CHECK(d.at("launch").get<std::string>().find("--tensor-parallel-size 8 --pipeline-parallel-size 2") !=
          std::string::npos);
    const Run table = run_cli("--preset deepseek-v3 --engine vllm --tp 8 --pp 2 --gpu-memory 141GB");
    CHECK(table.out.find("stage 0 (layers 0-30), with the embedding: weights per GPU") != std::string::npos);
    CHECK(table.out.find("stage 1 (layers 31-60), with the head: weights per GPU") != std::string::npos);
    // With the MTP draft, vLLM's last stage holds it (its layer, cached there too, and its own
    // embedding: deployment_test's pipeline MTP test derives the bytes); stage 0 is unchanged.
    const Run mtp = run_cli("--preset deepseek-v3 --json --engine vllm --tp 8 --pp 2 --mtp --gpu-memory 141GB");
    REQUIRE(mtp.code == 0);
    const json md = json::parse(mtp.out).at("deployment");
    CHECK(md.at("stages")[0].at("weights_bytes") == d.at("stages")[0].at("weights_bytes"));
    CHECK(md.at("stages")[0].at("weights_by_component").at("mtp") == 0);
    CHECK(md.at("stages")[1].at("weights_by_component").at("mtp") != 0);
    CHECK(md.at("stages")[1].at("kv_bytes_per_token") == 31 * 1152);
    CHECK(run_cli("--preset deepseek-v3 --engine vllm --tp 8 --pp 2 --mtp --gpu-memory 141GB")
              .out.find("stage 1 (layers 31-60), with the head and the MTP draft: weights per GPU") !=
          std::string::npos);
    // Refused: more stages than layers; SGLang's MTP under pipelining (not modelled); --pp without --engine.
    const Run many = run_cli("--preset deepseek-v3 --engine vllm --pp 62 --gpu-memory 141GB");
    CHECK(many.code == 2);
    CHECK(many.err.find("--engine vllm: the pipeline-parallel size must be 1 to the number of decoder layers") !=
          std::string::npos);
    const Run sglang_mtp = run_cli("--preset deepseek-v3 --engine sglang --tp 8 --pp 2 --mtp --gpu-memory 141GB");
    CHECK(sglang_mtp.code == 2);
    CHECK(sglang_mtp.err.find("--engine sglang: pipeline stages with the MTP module loaded are modelled for vLLM's "
                              "DeepSeek-V2/V3 drafts only") != std::string::npos);
    CHECK(run_cli("--preset deepseek-v3 --pp 2").err.find("--pp needs --engine vllm") != std::string::npos);
    // A vision model's stages each hold the whole encoder and projector, as vLLM loads them on
    // every rank: Kimi-VL's MoonViT and projector are 447,545,840 bf16 values (27 blocks and the
    // rest, summed in deployment_test.cpp's pipeline test).
    const Run vl = run_cli("--preset kimi-vl-a3b --engine vllm --pp 2 --gpu-memory 80GB --json");
    REQUIRE(vl.code == 0);
    const json vd = json::parse(vl.out).at("deployment");
    REQUIRE(vd.at("stages").size() == 2);
    CHECK(vd.at("stages")[0].at("weights_by_component").at("vision") == 447'545'840ULL * 2);
    CHECK(vd.at("stages")[1].at("weights_by_component").at("vision") == 447'545'840ULL * 2);
    CHECK(vd.at("stages")[1].at("weights_by_component").at("embedding") == 0);
}

TEST_CASE("The tool's --mm-encoder-tp-mode data: Kimi-VL's MoonViT whole on every GPU", "[cli][deployment]") {
    // At tp 2 the 27 blocks' wqkv, wo, fc0 and fc1 weights and the wqkv and fc0 biases (15,232,592
    // values a block) are split by default and whole with data; the rest of the encoder (the
    // whole 447,545,840 values less 27 x 15,232,592) is whole either way. bf16.
    const json weights =
        json::parse(run_cli("--preset kimi-vl-a3b --engine vllm --tp 2 --gpu-memory 80GB --json").out).at("deployment");
    const Run data_run =
        run_cli("--preset kimi-vl-a3b --engine vllm --tp 2 --gpu-memory 80GB --mm-encoder-tp-mode data --json");
    REQUIRE(data_run.code == 0);
    const json data = json::parse(data_run.out).at("deployment");
    constexpr std::uint64_t split = 3456 * 1152 + 3456 + 1152 * 1152 + 4304 * 1152 + 4304 + 1152 * 4304;
    static_assert(split == 15'232'592);
    CHECK(weights.at("stages")[0].at("weights_by_component").at("vision") == (447'545'840ULL - 27 * split / 2) * 2);
    CHECK(data.at("stages")[0].at("weights_by_component").at("vision") == 447'545'840ULL * 2);
    CHECK(weights.at("mm_encoder_data") == false);
    CHECK(data.at("mm_encoder_data") == true);
    CHECK(data.at("launch").get<std::string>().find(" --mm-encoder-tp-mode data ") != std::string::npos);
    CHECK(weights.at("launch").get<std::string>().find("--mm-encoder-tp-mode") == std::string::npos);
    // --language-model-only: no encoder on any GPU, and the launch line says so.
    const Run text_run =
        run_cli("--preset kimi-vl-a3b --engine vllm --tp 2 --gpu-memory 80GB --language-model-only --json");
    REQUIRE(text_run.code == 0);
    const json text = json::parse(text_run.out).at("deployment");
    CHECK(text.at("stages")[0].at("weights_by_component").at("vision") == 0);
    CHECK(text.at("language_model_only") == true);
    CHECK(text.at("launch").get<std::string>().find(" --language-model-only ") != std::string::npos);
}

TEST_CASE("The tool's --kv-engines: one sequence's cache in every engine's format", "[cli][engine_kv]") {
    // DeepSeek-V3 at 32,768 tokens: 576 values per token per layer over 61 layers, bf16 in vLLM
    // (512 blocks of 64) and SGLang (with its padding page), FP4 in SGLang.
    const Run r = run_cli("--preset deepseek-v3 --kv-engines --context 32768 --json");
    REQUIRE(r.code == 0);
    const json rows = json::parse(r.out).at("kv_by_engine");
    REQUIRE(rows.size() == 12);
    CHECK(rows[0].at("engine") == "vllm");
    CHECK(rows[0].at("format") == "flashmla");
    CHECK(rows[0].at("bytes") == 32'768ULL * 1152 * 61);
    CHECK(rows[4].at("format") == "sglang");
    CHECK(rows[4].at("bytes") == 32'769ULL * 1152 * 61);
    CHECK(rows[6].at("format") == "sglang_fp4");
    CHECK(rows[6].at("bytes_per_token_per_layer") == 324);
    CHECK(rows[11].at("engine") == "llama.cpp");
    CHECK(rows[11].at("bytes_per_token_per_layer") == (576 + 512) * 2);
    const Run table = run_cli("--preset deepseek-v3.2 --kv-engines --context 32768");
    CHECK(table.out.find("sglang_fp8       656 + 132 indexer") != std::string::npos);
    // A model without MLA: vLLM's FlashAttention cache, SGLang's MHA pool (2 x 10 heads x 128 x 2
    // B, 8,193 rows with the padding page, 12 layers), the other engines said to be not modelled.
    const Run ocr = run_cli("--preset deepseek-ocr --kv-engines");
    CHECK(ocr.out.find("flash_attn") != std::string::npos);
    CHECK(ocr.out.find("sglang     sglang           5,120") != std::string::npos);
    CHECK(ocr.out.find("503,377,920 bytes") != std::string::npos); // 8,193 x 5,120 x 12
    CHECK(ocr.out.find("trtllm, llama.cpp: not modelled for a model without MLA") != std::string::npos);
    CHECK(ocr.out.find("sglang, trtllm") == std::string::npos);
    // DeepSeek-V4: a usage error pointing to its own formats.
    const Run v4 = run_cli("--preset deepseek-v4-flash --kv-engines");
    CHECK(v4.code == 2);
    CHECK(v4.err.find("--kv-engines: DeepSeek-V4's cache is sized in its own formats: give --kv-format") !=
          std::string::npos);
}

TEST_CASE("The tool's --pp-partition: VLLM_PP_LAYER_PARTITION's stages, checked as vLLM checks them",
          "[cli][deployment][pp]") {
    const Run r = run_cli("--preset deepseek-v3 --json --engine vllm --tp 8 --pp 2 --pp-partition 30,31 "
                          "--gpu-memory 141GB");
    REQUIRE(r.code == 0);
    const json d = json::parse(r.out).at("deployment");
    CHECK(d.at("stages")[0].at("layers") == json::array({0, 30}));
    CHECK(d.at("stages")[1].at("layers") == json::array({30, 31}));
    CHECK(d.at("stages")[1].at("kv_bytes_per_token") == 31 * 1152);
    CHECK(d.at("launch").get<std::string>().rfind("VLLM_PP_LAYER_PARTITION=30,31 vllm serve MODEL", 0) == 0);
    // Not adding up to V3's 61 layers: exit 2 with the reason; a malformed list: a usage error.
    const Run sum = run_cli("--preset deepseek-v3 --engine vllm --pp 2 --pp-partition 30,30 --gpu-memory 141GB");
    CHECK(sum.code == 2);
    CHECK(sum.err.find("--engine vllm: the layer partition (VLLM_PP_LAYER_PARTITION) must give one count per "
                       "pipeline stage") != std::string::npos);
    const Run bad = run_cli("--preset deepseek-v3 --engine vllm --pp 2 --pp-partition 30,,31 --gpu-memory 141GB");
    CHECK(bad.code == 2);
    CHECK(bad.err.find("--pp-partition: expected a positive whole number, found ''") != std::string::npos);
    CHECK(run_cli("--preset deepseek-v3 --pp-partition 30,31").err.find("--pp-partition needs --engine vllm") !=
          std::string::npos);
}

TEST_CASE("The tool's vLLM deployment: a layout that does not fit is an answer, not an error", "[cli][deployment]") {
    // 64 GB GPUs: usable 57,600,000,000 against 85,140,130,848 + 4 GiB.
    const Run r = run_cli("--preset deepseek-v3 --engine vllm --tp 8 --gpu-memory 64GB");
    CHECK(r.code == 0);
    CHECK(r.out.find("does not fit      the weights and reserve exceed the usable memory by 31,835,098,144 B") !=
          std::string::npos);
    const json d =
        json::parse(run_cli("--preset deepseek-v3 --json --engine vllm --tp 8 --gpu-memory 64GB").out).at("deployment");
    CHECK(d.at("fits") == false);
    CHECK(d.at("shortfall") == 85'140'130'848ULL + 4'294'967'296ULL - 57'600'000'000ULL);
}

TEST_CASE("The tool's vLLM deployment: usage errors name the option", "[cli][deployment]") {
    const auto err = [](const std::string& args) {
        const Run r = run_cli(args);
        CHECK(r.code == 2);
        return r.err;
    };
    CHECK(err("--preset deepseek-v3 --engine trtllm --gpu-memory 80GB")
              .find("--engine: vllm or sglang (the others' deployments are not modelled), found 'trtllm'") !=
          std::string::npos);
    CHECK(err("--preset deepseek-v3 --engine vllm").find("--engine needs --gpu-memory") != std::string::npos);
    CHECK(err("--preset deepseek-v3 --dp 2").find("--dp needs --engine vllm or sglang") != std::string::npos);
    CHECK(err("--preset deepseek-v3 --engine vllm --gpu-memory 80GB --dp-attention")
              .find("--dp-attention is SGLang's: give --engine sglang") != std::string::npos);
    CHECK(err("--preset deepseek-v3 --engine sglang --tp 8 --ep-size 3 --gpu-memory 80GB")
              .find("--ep-size: 3 does not divide --tp 8") != std::string::npos);
    CHECK(err("--preset deepseek-v3 --engine sglang --tp 8 --ep-size 4 --deepep --gpu-memory 80GB")
              .find("--deepep: DeepEP spreads the experts over --tp GPUs; drop --ep-size") != std::string::npos);
    CHECK(err("--preset deepseek-v3 --engine vllm --gpu-memory 80GB --deepep")
              .find("--deepep is SGLang's: give --engine sglang") != std::string::npos);
    CHECK(err("--preset deepseek-v3 --engine vllm --gpu-memory 80GB --ep-size 1")
              .find("--ep-size is SGLang's: give --engine sglang") != std::string::npos);
    CHECK(err("--preset deepseek-v3 --engine vllm --gpu-memory 80GB --page-size 64")
              .find("--page-size is SGLang's: give --engine sglang") != std::string::npos);
    CHECK(err("--preset deepseek-v3 --page-size 64").find("--page-size needs --engine vllm or sglang") !=
          std::string::npos);
    CHECK(err("--preset kimi-vl-a3b --mm-encoder-tp-mode data")
              .find("--mm-encoder-tp-mode needs --engine vllm or sglang") != std::string::npos);
    CHECK(err("--preset kimi-vl-a3b --engine sglang --gpu-memory 80GB --mm-encoder-tp-mode weights")
              .find("--mm-encoder-tp-mode is vLLM's: give --engine vllm") != std::string::npos);
    CHECK(
        err("--preset kimi-vl-a3b --language-model-only").find("--language-model-only needs --engine vllm or sglang") !=
        std::string::npos);
    CHECK(err("--preset kimi-vl-a3b --engine sglang --gpu-memory 80GB --language-model-only")
              .find("--language-model-only is vLLM's: give --engine vllm") != std::string::npos);
    CHECK(err("--preset kimi-vl-a3b --engine vllm --gpu-memory 80GB --mm-encoder-tp-mode tensor")
              .find("--mm-encoder-tp-mode: data or weights, found 'tensor'") != std::string::npos);
    CHECK(err("--preset deepseek-v3 --engine vllm --gpu-memory 80GB --redundant-experts 8")
              .find("--redundant-experts needs --ep") != std::string::npos);
    CHECK(err("--preset deepseek-v3 --engine vllm --gpu-memory 80GB --gpu-util 1.5")
              .find("--gpu-util: expected a fraction in (0, 1]") != std::string::npos);
    CHECK(err("--preset deepseek-v3 --engine vllm --gpu-memory 80GB --dp 3 --ep")
              .find("does not divide n_routed_experts plus the redundant experts") != std::string::npos);
    // DeepSeek-OCR-2: its language model's 10 heads and 896-wide experts allow tp 1 and 2 (its
    // encoder is whole on every GPU and adds no rule).
    CHECK(err("--preset deepseek-ocr-2 --engine vllm --tp 4 --gpu-memory 80GB").find("(tp can be 1, 2 here)") !=
          std::string::npos);
    CHECK(err("--preset deepseek-v4-pro --engine vllm --tp 8 --gpu-memory 141GB")
              .find("vLLM pads each GPU's share of these experts as its MoE backend decides") != std::string::npos);
}

TEST_CASE("The tool's DeepSeek-V4 deployment under SGLang on Hopper", "[cli][v4]") {
    // V4-Flash over SGLang TP 4 on Hopper holds 49,000,298,844 bytes a GPU (sglang_v4_pool_test
    // writes its tensors out by hand). 141 GB x 0.88 less that and the 1 GiB reserve is SGLang's
    // available memory; 256 requests' ratio-128 rings (33,152 rows of 4,096 bytes on 20 layers)
    // come off it, and the rest at 7,705.45 bytes a full token, in pages of 256, is the full pool:
    // (74,005,959,332 - 2,715,811,840) / 7,705.45 = 9,251,918 tokens, 9,251,840 in pages. A
    // 262,144-token request takes 1,024 pages: 35 at once.
    const Run r = run_cli("--preset deepseek-v4-flash --json --engine sglang --tp 4 --gpu-arch hopper "
                          "--gpu-memory 141GB --gpu-util 0.88 --context 262144");
    REQUIRE(r.code == 0);
    const json d = json::parse(r.out).at("deployment");
    CHECK(d.at("weights_bytes_per_gpu") == 49'000'298'844ULL);
    CHECK(d.at("gpu_arch") == "hopper");
    CHECK(d.at("moe_runner") == "marlin");
    CHECK(d.at("available_bytes") == 124'080'000'000ULL - 49'000'298'844ULL - 1'073'741'824ULL);
    CHECK(d.at("kv_pool").at("c128_state_fixed_bytes") == 33'152ULL * 4'096 * 20);
    CHECK(d.at("kv_pool").at("full") == 9'251'840);
    CHECK(d.at("kv_pool").at("swa") == 925'184); // 925,184.0 in pages of 256
    CHECK(d.at("kv_capacity_tokens") == 9'251'840);
    CHECK(d.at("max_concurrency") == 35);
    CHECK(d.at("launch").get<std::string>().find("--tp-size 4 --mem-fraction-static 0.88 --context-length 262144 "
                                                 "--moe-runner-backend marlin") != std::string::npos);
    const Run text = run_cli("--preset deepseek-v4-flash --engine sglang --tp 4 --gpu-arch hopper "
                             "--gpu-memory 141GB --gpu-util 0.88 --context 262144");
    REQUIRE(text.code == 0);
    CHECK(text.out.find("KV pool           SGLang's DSV4 pool: 7705.45 B a full token") != std::string::npos);
    CHECK(text.out.find("requests at once  35 of 262,144 tokens per tensor-parallel group, 35 in all") !=
          std::string::npos);
    // The whole shared expert: SGLang's environment switch, before the command.
    const Run tp1 = run_cli("--preset deepseek-v4-pro --json --engine sglang --tp 8 --pp 4 --shared-expert-tp1 "
                            "--gpu-arch hopper --gpu-memory 80GiB --gpu-util 0.9");
    REQUIRE(tp1.code == 0);
    CHECK(json::parse(tp1.out)
              .at("deployment")
              .at("launch")
              .get<std::string>()
              .rfind("SGLANG_SHARED_EXPERT_TP1=1 python -m sglang.launch_server", 0) == 0);

    // Newer images delete the experts' float32 scales after Marlin's repack: 256 experts x 43
    // layers x (2 x 512 x 4,096 / 32 + 4,096 x 512 / 32) entries of 4 bytes fewer.
    const Run dropped = run_cli("--preset deepseek-v4-flash --json --engine sglang --tp 4 --gpu-arch hopper "
                                "--gpu-memory 141GB --gpu-util 0.88 --context 262144 --marlin-scales-dropped");
    REQUIRE(dropped.code == 0);
    const json dd = json::parse(dropped.out).at("deployment");
    CHECK(dd.at("weights_bytes_per_gpu") ==
          49'000'298'844ULL - 256ULL * 43 * (2 * 512 * 4'096 / 32 + 4'096 * 512 / 32) * 4);
    CHECK(dd.at("marlin_scales_dropped") == true);
    CHECK(d.at("marlin_scales_dropped") == false);

    const auto err = [](const std::string& args) {
        const Run e = run_cli(args);
        CHECK(e.code == 2);
        return e.err;
    };
    CHECK(err("--preset deepseek-v4-flash --engine vllm --tp 4 --gpu-memory 141GB --marlin-scales-dropped")
              .find("--marlin-scales-dropped is SGLang's: give --engine sglang") != std::string::npos);
    CHECK(err("plan --preset deepseek-v3 --gpus 8 --gpu-memory 141GB --marlin-scales-dropped")
              .find("plan: --marlin-scales-dropped is for SGLang's DeepSeek-V4 only") != std::string::npos);
    CHECK(err("--preset deepseek-v4-flash --engine sglang --tp 4 --gpu-memory 141GB --gpu-util 0.88")
              .find("SGLang holds DeepSeek-V4's weights by GPU generation") != std::string::npos);
    CHECK(err("--preset deepseek-v4-flash --engine sglang --tp 4 --gpu-memory 141GB --gpu-arch blackwell "
              "--gpu-util 0.88")
              .find("give the generation, hopper") != std::string::npos);
    CHECK(err("--preset deepseek-v4-flash --engine sglang --tp 4 --gpu-memory 141GB --gpu-arch ampere")
              .find("--gpu-arch: hopper or blackwell, found 'ampere'") != std::string::npos);
    CHECK(err("--preset deepseek-v4-flash --engine vllm --tp 4 --gpu-memory 141GB --shared-expert-tp1")
              .find("--shared-expert-tp1 is SGLang's: give --engine sglang") != std::string::npos);
    CHECK(err("--preset deepseek-v4-flash --gpu-arch hopper").find("--gpu-arch needs --engine vllm or sglang") !=
          std::string::npos);
    // vLLM on Hopper: V4-Pro at tp 8 is laid out (Marlin's padding, 384 a GPU, unpadded).
    CHECK(run_cli("--preset deepseek-v4-pro --engine vllm --tp 8 --gpu-arch hopper --gpu-memory 141GB").code == 0);
}

TEST_CASE("The tool's DeepSeek-V4 deployment: weights per GPU, and vLLM's pool beside them", "[cli][v4]") {
    // V4-Flash over vLLM TP 8 with expert parallelism holds 20,644,900,892 bytes a GPU (derived
    // from its tensors in deployment_test); 141 GB x 0.9 less that and the 4 GiB reserve is the
    // room left for the cache, in blocks of 1,002,240 bytes (deployment_test derives the block);
    // a request of 32,768 tokens holds its compressed group's 128 blocks and its windows' (2 x
    // 259, 4,099 and 2,065 with 16,384 tokens in flight).
    const Run r = run_cli("--preset deepseek-v4-flash --json --engine vllm --tp 8 --ep --gpu-memory 141GB");
    REQUIRE(r.code == 0);
    const json d = json::parse(r.out).at("deployment");
    constexpr std::uint64_t room = 126'900'000'000 - 20'644'900'892 - 4'294'967'296, blocks = room / 1'002'240;
    constexpr std::uint64_t per_request = 128 + 2 * 259 + 4'099 + 2'065;
    CHECK(d.at("weights_bytes_per_gpu") == 20'644'900'892ULL);
    CHECK(d.at("experts_per_gpu") == 32);
    CHECK(d.at("fits") == true);
    CHECK(d.at("kv_format") == "fp8_ds_mla");
    CHECK(d.at("kv_pool").at("block_bytes") == 1'002'240);
    CHECK(d.at("kv_pool").at("groups") == 5);
    CHECK(d.at("kv_pool").at("in_flight_tokens") == 16'384);
    CHECK(d.at("kv_blocks") == blocks);
    CHECK(d.at("kv_blocks_per_request") == per_request);
    CHECK(d.at("max_concurrency") == blocks / per_request);
    CHECK(d.at("kv_capacity_tokens") == blocks * 32'768 / per_request);
    CHECK(d.count("kv_not_modelled") == 0);
    CHECK(d.at("launch").get<std::string>().find("--enable-expert-parallel") != std::string::npos);
    CHECK(d.at("launch").get<std::string>().find("--kv-cache-dtype fp8 --max-num-batched-tokens 8192") !=
          std::string::npos);
    const Run text = run_cli("--preset deepseek-v4-flash --engine vllm --tp 8 --ep --gpu-memory 141GB");
    REQUIRE(text.code == 0);
    CHECK(text.out.find("weights per GPU   20,644,900,892 B") != std::string::npos);
    CHECK(text.out.find("room for KV       101,960,131,812 B") != std::string::npos);
    CHECK(text.out.find("KV cache          fp8_ds_mla in vLLM's packed grouping") != std::string::npos);
    CHECK(text.out.find("requests at once  14 of 32,768 tokens per tensor-parallel group, 14 in all") !=
          std::string::npos);
    // One batch in flight: a request holds fewer window blocks, so more fit.
    const Run sync = run_cli("--preset deepseek-v4-flash --json --engine vllm --tp 8 --ep --gpu-memory 141GB "
                             "--max-num-batched-tokens 4096 --no-async-scheduling");
    REQUIRE(sync.code == 0);
    const json ds = json::parse(sync.out).at("deployment");
    CHECK(ds.at("kv_blocks_per_request") ==
          128 + 2 * ((127 + 4'096 + 63) / 64 + 1) + ((7 + 4'096 + 3) / 4 + 1) + ((127 + 4'096 + 7) / 8 + 1));
    CHECK(ds.at("launch").get<std::string>().find("--max-num-batched-tokens 4096 --no-async-scheduling") !=
          std::string::npos);
    // vLLM's default batch is 2,048 tokens on a GPU under 70 GiB (EngineArgs.get_batch_defaults).
    const Run small = run_cli("--preset deepseek-v4-flash --json --engine vllm --tp 8 --ep --gpu-memory 48GB");
    REQUIRE(small.code == 0);
    CHECK(json::parse(small.out).at("deployment").at("kv_pool").at("max_num_batched_tokens") == 2'048);
    CHECK(json::parse(small.out).at("deployment").at("kv_pool").at("in_flight_tokens") == 4'096);
    // vLLM 0.23 to 0.25's pool (deployment_test derives it and reproduces two logs): blocks of
    // 1,039,680 bytes, one batch in flight, the log's concurrency by bytes (3,481 blocks a
    // 131,072-token request) where the request holds 3,866.
    const Run old = run_cli("--preset deepseek-v4-flash --json --engine vllm --tp 2 --gpu-memory 143771MiB "
                            "--gpu-util 0.78 --context 131072 --vllm-version 0.23.0");
    REQUIRE(old.code == 0);
    const json dold = json::parse(old.out).at("deployment");
    const std::uint64_t old_room = static_cast<std::uint64_t>(143'771.0 * 1'048'576 * 0.78) -
                                   dold.at("weights_bytes_per_gpu").get<std::uint64_t>() - 4'294'967'296;
    CHECK(dold.at("kv_pool").at("block_bytes") == 1'039'680);
    CHECK(dold.at("kv_pool").at("vllm_release") == "0.23-0.25");
    CHECK(dold.at("kv_pool").at("in_flight_tokens") == 8'192);
    CHECK(dold.at("kv_blocks") == old_room / 1'039'680);
    CHECK(dold.at("kv_blocks_per_request") == 512 + 2 * 131 + 2'051 + 1'041);
    CHECK(dold.at("kv_blocks_per_request_reported") == 3'481);
    CHECK(dold.at("kv_capacity_tokens") == old_room / 1'039'680 * 131'072 / 3'481);
    CHECK(dold.at("max_concurrency") == old_room / 1'039'680 / 3'866);
    CHECK(run_cli("--preset deepseek-v4-flash --engine vllm --gpu-memory 141GB --vllm-version 0.28")
              .err.find("--vllm-version 0.28: DeepSeek-V4's pool is modelled as vLLM 0.23 to 0.25") !=
          std::string::npos);
    CHECK(run_cli("--preset deepseek-v4-flash --engine vllm --gpu-memory 141GB --vllm-version latest")
              .err.find("--vllm-version: a version such as 0.31 or 0.25.1, found 'latest'") != std::string::npos);
    CHECK(run_cli("--preset deepseek-v4-flash --engine vllm --tp 2 --pp 2 --gpu-memory 141GB --vllm-version 0.25")
              .err.find("for vLLM 0.31's pool only") != std::string::npos);
    CHECK(run_cli("--preset deepseek-v3 --engine vllm --gpu-memory 141GB --vllm-version 0.23")
              .err.find("size DeepSeek-V4's cache only") != std::string::npos);
    CHECK(run_cli("--preset deepseek-v3 --engine vllm --gpu-memory 141GB --no-async-scheduling")
              .err.find("size DeepSeek-V4's cache only") != std::string::npos);
    CHECK(run_cli("--preset deepseek-v4-flash --engine sglang --gpu-memory 141GB --max-num-batched-tokens 4096")
              .err.find("--max-num-batched-tokens is vLLM's") != std::string::npos);
    // Two pipeline stages: each stage's weights (deployment_test derives them), the largest as
    // weights_bytes_per_gpu; each stage's block its own layers' pages (layers 0-21: 10 ratio-4
    // and 10 ratio-128 layers, their compressed group the widest; layers 22-42: 11 and 10; pages
    // as deployment_test writes them out), and every GPU the fewest blocks of either stage. Three
    // batches in flight (one a stage, one more with async scheduling on the V2 model runner).
    const Run pp = run_cli("--preset deepseek-v4-flash --json --engine vllm --tp 8 --pp 2 --ep --gpu-memory 141GB");
    REQUIRE(pp.code == 0);
    const json pd = json::parse(pp.out).at("deployment");
    const json& stages = pd.at("stages");
    REQUIRE(stages.size() == 2);
    CHECK(stages[0].at("layers") == json::array({0, 22}));
    CHECK(stages[1].at("layers") == json::array({22, 21}));
    CHECK(pd.at("weights_bytes_per_gpu") == stages[0].at("weights_bytes"));
    CHECK(stages[0].at("kv_block_bytes") == 10 * (37'440 + 8'640) + 10 * 1'728);
    CHECK(stages[1].at("kv_block_bytes") == 11 * (37'440 + 8'640) + 10 * 1'728);
    const auto stage_room = [&](std::size_t s) {
        return 126'900'000'000 - stages[s].at("weights_bytes").get<std::uint64_t>() - 4'294'967'296;
    };
    const std::uint64_t fewest = std::min(stage_room(0) / 478'080, stage_room(1) / 524'160);
    CHECK(pd.at("kv_blocks") == fewest);
    CHECK(pd.at("kv_pool").at("in_flight_tokens") == 3 * 8'192);
    CHECK(pd.at("kv_pool").at("model_runner") == "v2");
    constexpr std::uint64_t per_request_pp =
        128 + 2 * ((127 + 24'576 + 63) / 64 + 1) + ((7 + 24'576 + 3) / 4 + 1) + ((127 + 24'576 + 7) / 8 + 1);
    CHECK(pd.at("kv_blocks_per_request") == per_request_pp);
    CHECK(pd.at("max_concurrency") == fewest / per_request_pp);
    CHECK(pd.count("kv_not_modelled") == 0);
    CHECK(pd.at("launch").get<std::string>().rfind("VLLM_USE_V2_MODEL_RUNNER=1 vllm serve", 0) == 0);
    // vLLM's V1 model runner keeps no batch more than the stages with async scheduling.
    const Run v1 = run_cli(
        "--preset deepseek-v4-flash --json --engine vllm --tp 8 --pp 2 --ep --gpu-memory 141GB --model-runner v1");
    REQUIRE(v1.code == 0);
    CHECK(json::parse(v1.out).at("deployment").at("kv_pool").at("in_flight_tokens") == 2 * 8'192);
    CHECK(json::parse(v1.out).at("deployment").at("kv_blocks_per_request") == per_request);
    CHECK(run_cli("--preset deepseek-v4-flash --engine vllm --tp 8 --gpu-memory 141GB --model-runner v3")
              .err.find("--model-runner: v1 or v2, found 'v3'") != std::string::npos);
    CHECK(run_cli("--preset deepseek-v3 --engine vllm --gpu-memory 141GB --model-runner v1")
              .err.find("size DeepSeek-V4's cache only") != std::string::npos);
    const Run pp_text = run_cli("--preset deepseek-v4-flash --engine vllm --tp 8 --pp 2 --ep --gpu-memory 141GB");
    REQUIRE(pp_text.code == 0);
    CHECK(pp_text.out.find("blocks of 524,160 B: " + grouped(stage_room(1) / 524'160)) != std::string::npos);
    CHECK(pp_text.out.find("blocks on every GPU (stage ") != std::string::npos);
    CHECK(pp_text.out.find("tokens per pipeline") != std::string::npos);
}

TEST_CASE("The tool's plan of DeepSeek-V4: vLLM layouts ranked by requests", "[cli][v4]") {
    const Run r = run_cli("plan --preset deepseek-v4-flash --gpus 8 --gpu-memory 141GB --json");
    REQUIRE(r.code == 0);
    const json out = json::parse(r.out);
    bool found = false, sglang_refused = false, pipelines = false;
    std::uint64_t previous_requests = UINT64_MAX;
    for (const json& p : out.at("plans")) {
        CHECK(p.at("engine") == "vllm");
        // Ranked by requests at once, pipelined layouts among the others.
        const auto requests = p.at("total_requests").get<std::uint64_t>();
        CHECK(requests <= previous_requests);
        previous_requests = requests;
        pipelines = pipelines || p.at("pp") != 1;
        if (p.at("tp") == 8 && p.at("pp") == 1 && p.at("ep") == true) {
            found = true;
            CHECK(p.at("weights_bytes_per_gpu") == 20'644'900'892ULL); // deployment_test derives it
            CHECK(p.at("kv_blocks") == (126'900'000'000 - 20'644'900'892 - 4'294'967'296) / 1'002'240);
        }
    }
    CHECK(found);
    CHECK(pipelines);
    // SGLang's V4 is modelled on Hopper only: without --gpu-arch hopper its layouts are refused at once.
    for (const json& x : out.at("refused"))
        sglang_refused = sglang_refused || (x.at("layout") == "sglang" &&
                                            x.at("reason") == "SGLang's DeepSeek-V4 is modelled on Hopper (its Marlin "
                                                              "MoE runner): give --gpu-arch hopper");
    CHECK(sglang_refused);
    // The scheduler's settings reach every layout: one batch of 4,096 tokens in flight.
    const Run sync = run_cli("plan --preset deepseek-v4-flash --gpus 8 --gpu-memory 141GB --json "
                             "--max-num-batched-tokens 4096 --no-async-scheduling");
    REQUIRE(sync.code == 0);
    const json sync_plans = json::parse(sync.out).at("plans");
    for (const json& p : sync_plans)
        CHECK(p.at("kv_pool").at("in_flight_tokens") == 4'096 * p.at("pp").get<std::uint64_t>());
    CHECK(run_cli("plan --preset deepseek-v3 --gpus 8 --gpu-memory 141GB --no-async-scheduling")
              .err.find("size DeepSeek-V4's cache only") != std::string::npos);
    const Run text = run_cli("plan --preset deepseek-v4-flash --gpus 8 --gpu-memory 141GB");
    REQUIRE(text.code == 0);
    CHECK(text.out.find("async scheduling, vLLM's V2 model runner") != std::string::npos);
}

TEST_CASE("The tool's plan of DeepSeek-V4 under SGLang on Hopper", "[cli][v4][sglang]") {
    // V4-Flash on four H200s at a fraction of 0.88, 262,144-token requests: the TP 4 layout is
    // the one sglang_v4_pool_test writes out by hand (49,000,298,844 bytes a GPU) and the
    // deployment test sizes to 35 requests at once (9,251,840 full tokens, 1,024 pages a request).
    const Run r = run_cli("plan --preset deepseek-v4-flash --gpus 4 --gpu-memory 141GB --gpu-arch hopper "
                          "--gpu-util 0.88 --context 262144 --json");
    REQUIRE(r.code == 0);
    const json out = json::parse(r.out);
    bool found = false, vllm = false, dp_attention = false;
    std::uint64_t previous_requests = UINT64_MAX;
    for (const json& p : out.at("plans")) {
        const auto requests = p.at("total_requests").get<std::uint64_t>();
        CHECK(requests <= previous_requests); // one ranking over both engines
        previous_requests = requests;
        vllm = vllm || p.at("engine") == "vllm";
        if (p.at("engine") != "sglang") continue;
        CHECK(p.at("gpu_arch") == "hopper");
        CHECK(p.at("memory_fraction") == 0.88);
        dp_attention = dp_attention || p.at("dp_attention") == true;
        if (p.at("tp") == 4 && p.at("pp") == 1 && p.at("dp") == 1 && p.at("ep") == false) {
            found = true;
            CHECK(p.at("weights_bytes_per_gpu") == 49'000'298'844ULL);
            CHECK(p.at("kv_capacity_tokens") == 9'251'840);
            CHECK(p.at("total_requests") == 35);
        }
    }
    CHECK(found);
    CHECK(vllm);
    CHECK(dp_attention);
    // Without the fraction SGLang's V4 layouts take SGLang's default for V4 (sglang_test derives
    // 0.900 on an H200 at tp 4; 141 GB is 134,468 MiB: 512 + 12,288 + 512 + 1,024 = 14,336 MiB ->
    // 120,132 / 134,468 = 0.8934 -> 0.893), in the launch line too.
    const Run no_util = run_cli("plan --preset deepseek-v4-flash --gpus 4 --gpu-memory 141GB --gpu-arch hopper "
                                "--engine sglang --json");
    REQUIRE(no_util.code == 0);
    bool tp4_default = false;
    const json defaults = json::parse(no_util.out);
    for (const json& p : defaults.at("plans")) {
        if (p.at("tp") != 4 || p.at("dp_attention") == true || p.at("ep") == true) continue;
        tp4_default = true;
        CHECK(p.at("memory_fraction") == 0.893);
        CHECK(p.at("launch").get<std::string>().find(" --mem-fraction-static 0.893 ") != std::string::npos);
    }
    CHECK(tp4_default);
    // V4-Pro at TP 8 does not fit 8 H200s at 0.88 under SGLang (sglang PR #25923 found the same).
    const Run pro = run_cli("plan --preset deepseek-v4-pro --gpus 8 --gpu-memory 141GB --gpu-arch hopper "
                            "--gpu-util 0.88 --engine sglang --json");
    REQUIRE(pro.code == 0);
    bool tp8_short = false;
    const json pro_out = json::parse(pro.out);
    for (const json& x : pro_out.at("refused"))
        tp8_short = tp8_short || (x.at("layout") == "sglang tp 8 pp 1 dp 1" &&
                                  x.at("reason").get<std::string>().rfind("does not fit: ", 0) == 0);
    CHECK(tp8_short);
    CHECK(run_cli("plan --preset deepseek-v4-flash --gpus 4 --gpu-memory 141GB --gpu-arch ampere")
              .err.find("--gpu-arch: hopper or blackwell, found 'ampere'") != std::string::npos);
}

TEST_CASE("The tool's SGLang deployment: DP attention on 8 H200s, SGLang's own defaults", "[cli][sglang]") {
    // sglang_test derives the figures; here: the tool's defaults (SGLang's mem_fraction_static for
    // the GPU and layout, a 1 GiB reserve), its JSON and its launch line.
    const Run r = run_cli("--preset deepseek-v3 --json --engine sglang --tp 8 --dp 8 --dp-attention --kv-dtype fp8 "
                          "--gpu-memory 143771MiB --context 131072");
    REQUIRE(r.code == 0);
    const json d = json::parse(r.out).at("deployment");
    CHECK(d.at("engine") == "sglang");
    CHECK(d.at("dp_attention") == true);
    CHECK(d.at("gpus") == 8);
    CHECK(d.at("memory_fraction") == 0.758);
    CHECK(d.at("reserve") == 1ULL << 30);
    CHECK(d.at("kv_format") == "sglang_fp8");
    CHECK(d.at("kv_block") == 1);
    // Every GPU holds the whole embedding (attention groups of one GPU), the head split 8 ways.
    CHECK(d.at("stages")[0].at("weights_by_component").at("embedding") == 129'280ULL * 7168 * 2);
    CHECK(d.at("stages")[0].at("weights_by_component").at("lm_head") == 129'280ULL * 7168 * 2 / 8);
    CHECK(d.at("total_requests") == d.at("max_concurrency").get<std::uint64_t>() * 8);
    CHECK(d.at("launch") == "python -m sglang.launch_server --model-path MODEL --tp-size 8 --dp-size 8 "
                            "--enable-dp-attention --mem-fraction-static 0.758 --context-length 131072 "
                            "--kv-cache-dtype fp8_e4m3");
    const Run table = run_cli("--preset deepseek-v3 --engine sglang --tp 8 --gpu-memory 143771MiB");
    CHECK(table.out.find("SGLang deployment: 8 GPUs (tp 8, pp 1, dp 1, MTP not loaded)") != std::string::npos);
    CHECK(table.out.find("(x 0.886, mem_fraction_static)") != std::string::npos);
    CHECK(table.out.find("and a padding page per layer") != std::string::npos);
    // Given, the fraction and the reserve are the user's.
    const json given = json::parse(run_cli("--preset deepseek-v3 --json --engine sglang --tp 8 --gpu-memory "
                                           "143771MiB --gpu-util 0.8 --reserve 2GiB")
                                       .out)
                           .at("deployment");
    CHECK(given.at("memory_fraction") == 0.8);
    CHECK(given.at("reserve") == 2ULL << 30);
    // DeepSeek-OCR: SGLang's default fraction for it, 0.824 x 0.95 on 80 GB at tp 1 (sglang_test
    // derives it), in the launch line to the last digit; given, a GPU of tp 2 holds (6,672,212,480 +
    // 804,610,560) / 2 B (sglang_test.cpp).
    const json ocr =
        json::parse(run_cli("--preset deepseek-ocr --engine sglang --gpu-memory 80GB --json").out).at("deployment");
    CHECK(ocr.at("memory_fraction") == 0.7827999999999999);
    CHECK(ocr.at("launch") == "python -m sglang.launch_server --model-path MODEL --tp-size 1 --mem-fraction-static "
                              "0.7827999999999999 --context-length 8192");
    const json ocr2 =
        json::parse(
            run_cli("--preset deepseek-ocr --engine sglang --tp 2 --gpu-memory 80GB --gpu-util 0.85 --json").out)
            .at("deployment");
    CHECK(ocr2.at("weights_bytes_per_gpu") == 3'738'411'520ULL);
    CHECK(ocr2.at("launch") == "python -m sglang.launch_server --model-path MODEL --tp-size 2 --mem-fraction-static "
                               "0.85 --context-length 8192");
    const Run ocr_pp = run_cli("--preset deepseek-ocr --engine sglang --pp 2 --gpu-memory 80GB --gpu-util 0.85");
    CHECK(ocr_pp.code == 2);
    CHECK(ocr_pp.err.find("runs no pipeline stages") != std::string::npos);
    // Refused: DP attention that does not divide tp.
    const Run dp3 = run_cli("--preset deepseek-v3 --engine sglang --tp 8 --dp 3 --dp-attention --gpu-memory 80GB");
    CHECK(dp3.code == 2);
    CHECK(dp3.err.find("SGLang's DP attention needs dp to divide tp") != std::string::npos);
}

TEST_CASE("verify: a clean checkpoint folder exits 0, each fault exits 1 naming the tensor or shard", "[cli][verify]") {
    namespace W = checkpoint_writer;
    // DeepSeek-V2-Lite at full size in four sparse shards, with its index and config.json (saved
    // by the tool from its preset).
    const auto folder = [](const std::string& name) {
        const auto dir = test_support::scratch_dir("verify-cli") / name;
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
        REQUIRE(run_cli("--preset deepseek-v2-lite --save-config " + quote(dir.string())).code == 0);
        return dir;
    };
    const auto write = [](const std::filesystem::path& dir, const W::Checkpoint& c) {
        c.write(dir);
        W::write_json(dir / "model.safetensors.index.json", c.index());
    };
    const W::Checkpoint clean = W::split(W::tensors_of(deepseek::presets::deepseek_v2_lite), 4);

    const auto ok = folder("clean");
    write(ok, clean);
    const Run good = run_cli("verify " + quote(ok.string()));
    CHECK(good.code == 0);
    CHECK(good.out.find("tensors         5,291 in the shards, 5,291 in the manifest") != std::string::npos);
    CHECK(good.out.find("bytes           31,412,968,448 in the shards, 31,412,968,448 computed: equal") !=
          std::string::npos);
    CHECK(good.out.find("result          match") != std::string::npos);
    const json j = json::parse(run_cli("verify " + quote(ok.string()) + " --json").out).at("verify");
    CHECK(j.at("match") == true);
    CHECK(j.at("shards") == 4);
    CHECK(j.at("bytes") == X::v2_lite_checkpoint_bytes);

    // One fault each: exit 1 and the name of what is wrong in the output.
    const auto faulty = [&](const std::string& name, const W::Checkpoint& c, const std::string& expect) {
        const auto dir = folder(name);
        write(dir, c);
        const Run r = run_cli("verify " + quote(dir.string()));
        CHECK(r.code == 1);
        CHECK(r.out.find(expect) != std::string::npos);
        CHECK(r.out.find("result          MISMATCH") != std::string::npos);
        return dir;
    };
    W::Checkpoint missing = clean;
    missing.shards.begin()->second.erase(missing.shards.begin()->second.begin());
    faulty("missing", missing, "missing         1 (in the manifest, in no shard)\n  model.embed_tokens.weight\n");
    W::Checkpoint shape = clean;
    shape.shards.begin()->second[0].shape = {2048, 102400};
    faulty("shape", shape, "model.embed_tokens.weight: [102400, 2048] expected, [2048, 102400] found");
    W::Checkpoint dtype = clean;
    dtype.shards.begin()->second[0].dtype = "F16";
    faulty("dtype", dtype, "model.embed_tokens.weight: BF16 expected, F16 found");
    W::Checkpoint extra = clean;
    extra.shards.rbegin()->second.push_back({"model.layers.0.mlp.extra.weight", "BF16", {16, 16}, 512});
    faulty("extra", extra, "unexpected      1 (in a shard, not in the manifest)\n  model.layers.0.mlp.extra.weight\n");
    // The index maps the embedding to the second shard; the first holds it.
    const auto moved = folder("index");
    write(moved, clean);
    json index = clean.index();
    index["weight_map"]["model.embed_tokens.weight"] = "model-00002-of-00004.safetensors";
    W::write_json(moved / "model.safetensors.index.json", index);
    const Run misplaced = run_cli("verify " + quote(moved.string()));
    CHECK(misplaced.code == 1);
    CHECK(misplaced.out.find("misplaced       1 (the index names another shard)\n  model.embed_tokens.weight: "
                             "model-00002-of-00004.safetensors expected, model-00001-of-00004.safetensors found") !=
          std::string::npos);
    // A config from another model: DeepSeek-V2's config.json in V2-Lite's folder.
    const auto other = folder("other-config");
    write(other, clean);
    REQUIRE(run_cli("--preset deepseek-v2 --save-config " + quote(other.string())).code == 0);
    const Run wrong_config = run_cli("verify " + quote(other.string()));
    CHECK(wrong_config.code == 1);
    CHECK(wrong_config.out.find("model.layers.0.self_attn.kv_a_proj_with_mqa.weight: [576, 5120] expected, "
                                "[576, 2048] found") != std::string::npos);

    const auto gone = folder("shard");
    write(gone, clean);
    std::filesystem::remove(gone / "model-00002-of-00004.safetensors");
    const Run no_shard = run_cli("verify " + quote(gone.string()));
    CHECK(no_shard.code == 1);
    CHECK(no_shard.out.find("missing shards  1 (named by the index)\n  model-00002-of-00004.safetensors") !=
          std::string::npos);
    std::filesystem::resize_file(gone / "model-00003-of-00004.safetensors",
                                 std::filesystem::file_size(gone / "model-00003-of-00004.safetensors") - 1);
    CHECK(run_cli("verify " + quote(gone.string())).out.find("model-00003-of-00004.safetensors: the file is") !=
          std::string::npos);

    // Usage: a folder is needed.
    CHECK(run_cli("verify").code == 2);
    CHECK(run_cli("verify " + quote(ok.string()) + " --tp 2").err.find("verify: unknown option '--tp'") !=
          std::string::npos);
    CHECK(run_cli("verify /nonexistent/folder").code == 3);
}

TEST_CASE("plan: every vLLM layout of 16 GPUs for DeepSeek-V3, ranked, with the refused ones and why", "[cli][plan]") {
    const Run r =
        run_cli("plan --preset deepseek-v3 --engine vllm --gpus 16 --gpu-memory 141GB --context 131072 --json");
    REQUIRE(r.code == 0);
    const json j = json::parse(r.out);
    // 16 GPUs: (tp, pp) with tp | 16 and pp | 16 / tp: 5 + 4 + 3 + 2 + 1 = 15, each with and
    // without expert parallelism, but for tp 1 x pp 16 (an EP group of one GPU): 29 layouts,
    // planned or refused.
    CHECK(j.at("plans").size() + j.at("refused").size() == 29);
    std::uint64_t previous = ~std::uint64_t{0};
    bool two_nodes = false;
    for (const json& p : j.at("plans")) {
        CHECK(p.at("fits") == true);
        CHECK(p.at("gpus") == 16);
        const auto requests = p.at("total_requests").get<std::uint64_t>();
        CHECK(requests <= previous); // ranked by requests at once
        previous = requests;
        if (p.at("tp") == 8 && p.at("pp") == 2 && p.at("ep") == false) {
            two_nodes = true;
            CHECK(p.at("kv_blocks") == 35'585); // tests/deployment_test.cpp derives it by hand
            CHECK(p.at("max_concurrency") == 17);
        }
    }
    CHECK(two_nodes);
    // TP 16 spans two nodes of 8: refused with its reason.
    bool tp16 = false;
    for (const json& x : j.at("refused")) {
        if (x.at("layout") == "vllm tp 16 pp 1 dp 1") {
            tp16 = true;
            CHECK(x.at("reason") == "tensor parallelism across nodes (tp above 8)");
        }
    }
    CHECK(tp16);
    const Run table = run_cli("plan --preset deepseek-v3 --engine vllm --gpus 16 --gpu-memory 141GB --context 131072");
    CHECK(table.out.find("plan: 16 GPUs of 141,000,000,000 B (131.32 GiB), vLLM, preset deepseek-v3") !=
          std::string::npos);
    CHECK(table.out.find("best: vllm serve MODEL") != std::string::npos);
    CHECK(run_cli("plan --preset deepseek-v3 --engine trtllm --gpus 8 --gpu-memory 141GB")
              .err.find("plan: --engine: vllm, sglang or all") != std::string::npos);
    CHECK(run_cli("plan --preset deepseek-v3 --gpu-memory 141GB").err.find("plan needs --gpus N") != std::string::npos);
    CHECK(run_cli("plan --preset deepseek-v3 --gpus 8").code == 2);
}

TEST_CASE("plan --mtp: every layout with the MTP draft loaded, as the deployment gives it", "[cli][plan]") {
    const Run r = run_cli("plan --preset deepseek-v3 --gpus 16 --gpu-memory 141GB --context 131072 --mtp --json");
    REQUIRE(r.code == 0);
    const json j = json::parse(r.out);
    REQUIRE(!j.at("plans").empty());
    bool two_nodes = false;
    for (const json& p : j.at("plans")) {
        CHECK(p.at("mtp") == true);
        if (p.at("engine") == "vllm" && p.at("tp") == 8 && p.at("pp") == 2 && p.at("ep") == false) {
            two_nodes = true; // the same as the deployment of that layout with --mtp
            const Run one = run_cli("--preset deepseek-v3 --json --engine vllm --tp 8 --pp 2 --mtp --gpu-memory 141GB "
                                    "--context 131072");
            const json d = json::parse(one.out).at("deployment");
            CHECK(p.at("stages") == d.at("stages"));
            CHECK(p.at("kv_blocks") == d.at("kv_blocks"));
        }
    }
    CHECK(two_nodes);
    // SGLang's draft under pipelining is not modelled: refused with the reason.
    bool sglang_pp = false;
    for (const json& x : j.at("refused")) {
        if (x.at("layout") == "sglang tp 8 pp 2 dp 1") {
            sglang_pp = true;
            CHECK(x.at("reason").get<std::string>().find("pipeline stages with the MTP module loaded") !=
                  std::string::npos);
        }
    }
    CHECK(sglang_pp);
    const Run table = run_cli("plan --preset deepseek-v3 --gpus 16 --gpu-memory 141GB --mtp");
    CHECK(table.out.find("vLLM and SGLang, preset deepseek-v3, MTP draft loaded\n") != std::string::npos);
    // The layout column fits SGLang's longest names with a space to spare.
    CHECK(table.out.find("sglang tp 16 pp 1 dp 16 dpa ep   sglang") != std::string::npos);
}

TEST_CASE("plan: both engines by default, SGLang's DP attention layouts among them", "[cli][plan][sglang]") {
    const Run r = run_cli("plan --preset deepseek-v3 --gpus 16 --gpu-memory 143771MiB --context 131072 --json");
    REQUIRE(r.code == 0);
    const json j = json::parse(r.out);
    // SGLang's layouts of 16 GPUs: the 15 (tp, pp) pairs with dp replicas, each with and without
    // --ep-size tp but for the 5 with tp 1 (25); and DP attention where tp x pp = 16, dp > 1
    // dividing tp: tp 2 (dp 2), 4 (2, 4), 8 (2, 4, 8), 16 (2, 4, 8, 16), 10 with and without EP
    // (20). With vLLM's 29: 74.
    CHECK(j.at("plans").size() + j.at("refused").size() == 74);
    bool dp_attention = false, tp16 = false;
    for (const json& p : j.at("plans")) {
        if (p.at("engine") != "sglang") continue;
        if (p.at("tp") == 8 && p.at("pp") == 2 && p.at("dp") == 8 && p.at("dp_attention") == true &&
            p.at("ep") == false) {
            dp_attention = true;
            CHECK(p.at("gpus") == 16);
            CHECK(p.at("launch").get<std::string>().find("--tp-size 8 --pp-size 2 --dp-size 8 --enable-dp-attention") !=
                  std::string::npos);
        }
        if (p.at("tp") == 16 && p.at("dp") == 1) { // SGLang runs tp across nodes (--nnodes 2)
            tp16 = true;
            CHECK(p.at("memory_fraction") == 0.879); // its default at tp 16: 17,408 MiB kept
        }
    }
    CHECK(dp_attention);
    CHECK(tp16);
}

namespace {
/// Runs the tool with `args` and --svg `file`, checks that it wrote an SVG document there, and
/// returns the document.
std::string drawn_svg(const std::string& args, const std::filesystem::path& file) {
    std::filesystem::remove(file);
    const Run r = run_cli(args + " --svg " + quote(file.string()));
    REQUIRE(r.code == 0);
    CHECK(r.out.find("wrote " + file.string()) != std::string::npos);
    const std::string svg = test_support::read_text(file);
    CHECK(svg.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
    return svg;
}

/// Checks with xmllint that `file` is well-formed XML (reported as skipped without xmllint).
void check_valid_xml(const std::filesystem::path& file) {
    if (std::system("xmllint --version > /dev/null 2>&1") != 0) {
        std::cout << "SKIPPED: this test needs xmllint (libxml2-utils) to check the SVG is valid XML" << std::endl;
        return;
    }
    CHECK(std::system(("xmllint --noout " + quote(file.string())).c_str()) == 0);
}
} // namespace

TEST_CASE("The tool's vLLM deployment: --svg draws each pipeline stage as valid SVG", "[cli][deployment][svg]") {
    const auto file = test_support::scratch_dir("svg") / "v3-tp8-pp2.svg";
    const std::string svg =
        drawn_svg("--preset deepseek-v3 --engine vllm --tp 8 --pp 2 --gpu-memory 141GB --context 131072", file);
    CHECK(svg.find("stage 0: layers 0-30") != std::string::npos);
    CHECK(svg.find("stage 1: layers 31-60") != std::string::npos);
    // 35,585 blocks of 64 tokens (derived by hand in tests/deployment_test.cpp) on every GPU.
    CHECK(svg.find("KV cache, 2,277,440 tokens") != std::string::npos);
    CHECK(svg.find("reserve: 4,294,967,296 B") != std::string::npos);
    // docs/deployment.md shows this drawing: it must be what the tool draws.
    CHECK(svg == test_support::read_text(test_support::data_file("../../docs/images/deepseek-v3-tp8-pp2.svg")));
    CHECK(run_cli("--preset deepseek-v3 --svg " + quote(file.string())).err.find("--svg needs --engine vllm") !=
          std::string::npos);
    check_valid_xml(file);
}

TEST_CASE("The tool's V4 deployment: --svg draws the weights, the reserve and the cache",
          "[cli][deployment][svg][v4]") {
    const auto file = test_support::scratch_dir("svg") / "v4-flash-tp8-ep.svg";
    const std::string svg = drawn_svg("--preset deepseek-v4-flash --engine vllm --tp 8 --ep --gpu-memory 141GB", file);
    CHECK(svg.find("KV cache not modelled") == std::string::npos);
    CHECK(svg.find("stage 0: layers 0-42") != std::string::npos);
    // 20,644,900,892 bytes of weights a GPU (derived by hand in tests/deployment_test.cpp), the
    // 4 GiB reserve, in vLLM's 0.9 of 141 GB: the rest holds whole blocks of 1,002,240 bytes, and
    // less than a block is unused.
    const std::uint64_t usable = 126'900'000'000, weights = 20'644'900'892, reserve = 4'294'967'296;
    const std::uint64_t blocks = (usable - weights - reserve) / 1'002'240;
    CHECK(svg.find("reserve: 4,294,967,296 B") != std::string::npos);
    CHECK(svg.find("KV cache, " + grouped(blocks) + " blocks: " + grouped(blocks * 1'002'240) + " B") !=
          std::string::npos);
    CHECK(svg.find("not given to vLLM: 14,100,000,000 B") != std::string::npos);
    check_valid_xml(file);
    // Under pipelining every stage holds the same blocks, each of its own layers' pages (layers
    // 22-42: 11 ratio-4 and 10 ratio-128 layers, 524,160 bytes; deployment_test derives it).
    const auto piped = test_support::scratch_dir("svg") / "v4-flash-tp4-pp2.svg";
    const std::string two =
        drawn_svg("--preset deepseek-v4-flash --engine vllm --tp 4 --pp 2 --ep --gpu-memory 141GB", piped);
    const Run pj = run_cli("--preset deepseek-v4-flash --json --engine vllm --tp 4 --pp 2 --ep --gpu-memory 141GB");
    REQUIRE(pj.code == 0);
    const std::uint64_t piped_blocks = json::parse(pj.out).at("deployment").at("kv_blocks").get<std::uint64_t>();
    CHECK(two.find("KV cache not modelled") == std::string::npos);
    CHECK(two.find("KV cache, " + grouped(piped_blocks) + " blocks: " + grouped(piped_blocks * 524'160) + " B") !=
          std::string::npos);
    check_valid_xml(piped);
}

TEST_CASE("plan --svg for DeepSeek-V4: the five best layouts' requests against the context", "[cli][plan][svg][v4]") {
    const auto file = test_support::scratch_dir("svg") / "v4-flash-plan-8.svg";
    std::filesystem::remove(file);
    const Run r = run_cli("plan --preset deepseek-v4-flash --gpus 8 --gpu-memory 141GB --svg " + quote(file.string()));
    REQUIRE(r.code == 0);
    const std::string svg = test_support::read_text(file);
    std::size_t lines = 0, at = 0;
    while ((at = svg.find("<polyline", at)) != std::string::npos) ++lines, ++at;
    CHECK(lines == 5);
    // The x axis from 4,096 tokens by doubling to V4's 1,048,576: nine labels.
    for (const char* label : {">4,096<", ">8,192<", ">16,384<", ">32,768<", ">65,536<", ">131,072<", ">262,144<",
                              ">524,288<", ">1,048,576<"})
        CHECK(svg.find(label) != std::string::npos);
    // Each label gives the layout's requests at 4,096 tokens, as its deployment at that context
    // plans them (deployment_test derives the pool and a request's blocks by hand).
    const Run best = run_cli("plan --preset deepseek-v4-flash --gpus 8 --gpu-memory 141GB --json");
    REQUIRE(best.code == 0);
    const json first = json::parse(best.out).at("plans").at(0);
    const Run at_4k =
        run_cli("--preset deepseek-v4-flash --json --engine vllm --gpu-memory 141GB --context 4096"
                " --tp " +
                std::to_string(first.at("tp").get<std::uint64_t>()) + " --pp " +
                std::to_string(first.at("pp").get<std::uint64_t>()) + " --dp " +
                std::to_string(first.at("dp").get<std::uint64_t>()) + (first.at("ep").get<bool>() ? " --ep" : ""));
    REQUIRE(at_4k.code == 0);
    const std::uint64_t requests = json::parse(at_4k.out).at("deployment").at("total_requests").get<std::uint64_t>();
    CHECK(requests > 0);
    CHECK(svg.find(": " + grouped(requests) + " at 4,096<") != std::string::npos);
    check_valid_xml(file);
}

TEST_CASE("plan --svg: the requests of the five best layouts against the context, as valid SVG", "[cli][plan][svg]") {
    const auto file = test_support::scratch_dir("svg") / "v3-plan-16.svg";
    std::filesystem::remove(file);
    const Run r = run_cli("plan --preset deepseek-v3 --gpus 16 --gpu-memory 141GB --svg " + quote(file.string()));
    REQUIRE(r.code == 0);
    const std::string svg = test_support::read_text(file);
    // One line per layout, five of them; the x axis from 4,096 tokens by doubling to V3's
    // 163,840: 4,096 ... 131,072 and 163,840, seven labels.
    std::size_t lines = 0, at = 0;
    while ((at = svg.find("<polyline", at)) != std::string::npos) ++lines, ++at;
    CHECK(lines == 5);
    for (const char* label : {">4,096<", ">8,192<", ">16,384<", ">32,768<", ">65,536<", ">131,072<", ">163,840<"})
        CHECK(svg.find(label) != std::string::npos);
    CHECK(svg.find("tokens per request") != std::string::npos);
    check_valid_xml(file);
}

} // namespace cli_test
