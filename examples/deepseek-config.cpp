// deepseek-config: what a DeepSeek model is and what serving it costs, from its config.json.
//
//   deepseek-config [PATH | --preset NAME] [--save-config FILE] [--json] [--weights-dtype D] [--kv-dtype D]
//   [--kv-layout L]
//                   [--context N] [--batch N] [--tp N] [--budget SIZE] [--tensors]
//                   [--check-index FILE] [--image WxH]... [--pages N] [--ocr-mode MODE]
//                   [--max-tiles N] [--prompt-tokens N] [--help] [--version]
//
// Exit codes: 0 success, 1 invalid config or failed --check-index, 2 bad usage, 3 unreadable file.
#include <deepseek/config_file.hpp>
#include <deepseek/engine_kv.hpp>
#include <deepseek/index_check.hpp>
#include <deepseek/json.hpp>
#include <deepseek/ocr.hpp>
#include <deepseek/ocr_budget.hpp>
#include <deepseek/presets.hpp>
#include <deepseek/report.hpp>
#include <deepseek/report_json.hpp>
#include <deepseek/sglang_v4_deployment.hpp>
#include <deepseek/tensors.hpp>
#include <deepseek/verify.hpp>
#include <deepseek/version.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace {

using deepseek::Dtype;
using deepseek::KvLayout;
using deepseek::OcrMode;
using nlohmann::json;

constexpr const char* program = "deepseek-config";

const char* const help_text = R"(usage: deepseek-config [PATH] [options]
       deepseek-config verify MODEL_DIR [--json]
       deepseek-config plan [MODEL] --gpus N --gpu-memory SIZE [options]

Prints what a DeepSeek model is and what it costs to serve, from its config.json.
PATH is a config.json or a model folder holding one; without PATH the built-in
DeepSeek-V3 preset is used.

options:
  --preset NAME          a built-in preset instead of PATH: deepseek-v2-lite,
                         deepseek-v2, deepseek-v3, deepseek-v3.2, deepseek-ocr,
                         deepseek-ocr-2, deepseek-vl2-tiny, kimi-k2, kimi-vl-a3b,
                         deepseek-v4-flash, deepseek-v4-pro
  --save-config FILE     write the config (PATH's, with every key it holds, or the
                         preset's) as a config.json to FILE (a folder: FILE/config.json)
                         instead of printing the report
  --json                 one JSON object instead of the table
  --weights-dtype D      weights at one dtype: fp32, bf16, fp16, fp8 (e4m3), fp8_e5m2,
                         int8, int4 (default: the checkpoint as released, FP8 where it is FP8)
  --kv-dtype D           KV-cache dtype (default: the model's torch_dtype)
  --kv-layout L          latent, expanded or mha (default: latent with MLA, else mha)
  --kv-format F          DeepSeek-V4's cache as an engine allocates it: vllm_fp8 (default),
                         sglang_fp8, sglang_fp4_indexer, llamacpp_f16 or demo_bf16
  --context N            tokens per sequence (default: 32768, or the model's maximum if smaller)
  --batch N              sequences (default 1)
  --tp N                 tensor-parallel ranks; bytes are per rank (default 1)
  --mtp                  count the MTP layer in the weights per rank (vLLM and SGLang
                         load it only for speculative decoding, so by default it is not)
  --budget SIZE          bytes per rank for weights + KV cache, e.g. 80GiB, 80GB, 85899345920;
                         prints the largest context that fits
  --tensors              list every tensor of the checkpoint: name, shape, dtype
  --kv-engines           the KV cache of one sequence of --context tokens in each engine's
                         format: vLLM, SGLang, TensorRT-LLM, llama.cpp (not DeepSeek-V4)

A deployment (vLLM: DeepSeek V2, V3, V3.2, V4, OCR, OCR-2, VL2, Kimi; SGLang: V2, V3, V3.2,
Kimi, and V4 on Hopper):
  --engine E             vllm or sglang: print what each GPU holds under --tp, --pp, --dp and
                         --ep by that engine's rules: the weights by component, the KV cache
                         that fits beside them in --kv-dtype (fp8: FP8 cache), the requests of
                         --context tokens at once, and the engine's launch line
  --gpu-memory SIZE      bytes of one GPU, e.g. 141GB (needed with --engine)
  --gpu-util F           vLLM's --gpu-memory-utilization (default 0.9), or SGLang's
                         --mem-fraction-static (default: SGLang's own for the model and layout)
  --reserve SIZE         kept for what the fraction does not keep out: vLLM's activations,
                         CUDA graphs and what it builds after loading (default 4GiB);
                         SGLang's CUDA context (default 1GiB)
  --pp N                 pipeline stages, each on --tp GPUs, holding whole layers by vLLM's
                         split (default 1)
  --pp-partition LIST    the layers of each stage, e.g. 30,31 (VLLM_PP_LAYER_PARTITION, or
                         SGLang's SGLANG_PP_LAYER_PARTITION)
  --dp N                 data-parallel groups of --tp x --pp GPUs (default 1)
  --ep                   expert parallelism: the routed experts spread whole over tp x dp GPUs
                         (vLLM) or over the tp GPUs (SGLang's --ep-size tp)
  --redundant-experts N  EPLB's redundant experts, spread with the others (needs --ep)
  --dp-attention         SGLang: --enable-dp-attention, dp attention groups inside --tp
  --dense-tp1            SGLang: --moe-dense-tp-size 1, the dense MLP layers replicated
  --dp-lm-head           SGLang: --enable-dp-lm-head, the head split as the embedding
  --ep-size N            SGLang: --ep-size, the routed experts over N of the --tp GPUs, each
                         split tp / N ways (implies --ep; default tp)
  --deepep               SGLang: --moe-a2a-backend deepep, the experts over the --tp GPUs and
                         the shared expert whole on each (implies --ep)
  --page-size N          SGLang: --page-size, tokens per page of its KV pool (default 1; 64
                         for V3.2, 256 for V4); give what the attention backend forces (FlashMLA 64)
  --shared-expert-tp1    SGLang: SGLANG_SHARED_EXPERT_TP1=1, the shared expert whole on each GPU
  --mm-enable-dp-encoder SGLang: Kimi-K2.5's MoonViT whole on each GPU (SGLang's Kimi-VL code
                         ignores it; its other vision encoders are whole anyway)
  --marlin-scales-dropped
                         SGLang, DeepSeek-V4: the experts' float32 scales deleted after Marlin's
                         repack (sglang PR #29797; newer deepseek-v4-hopper images)
  --gpu-arch A           the GPUs' generation, hopper or blackwell: SGLang's DeepSeek-V4 is
                         modelled on hopper (its Marlin MoE runner); vLLM pads V4's FP4 experts
                         as Hopper's Marlin backend does
  --mm-encoder-tp-mode M vLLM: weights (default: the vision encoder split as vLLM splits it)
                         or data (Kimi-VL's MoonViT whole on every GPU; the others' encoders
                         do not support it, and vLLM keeps them as with weights)
  --language-model-only  vLLM: text only, the vision encoder neither built nor loaded
  --max-num-batched-tokens N
                         vLLM, DeepSeek-V4: tokens per scheduled batch, which its windows'
                         blocks must hold beside the window (default vLLM's: 8192 on a GPU
                         of 70 GiB or more, else 2048)
  --no-async-scheduling  vLLM, DeepSeek-V4: one batch in flight instead of two (under
                         pipelining: one a stage, with none more)
  --model-runner V       vLLM, DeepSeek-V4 under pipelining: v2 (default: vLLM's V2 model
                         runner keeps one batch more in flight with async scheduling) or v1
  --vllm-version V       vLLM, DeepSeek-V4: the release whose pool layout to model, 0.31 or
                         later (default) or 0.23 to 0.25 (pp 1 only)
  --svg FILE             with --engine: draw each stage's GPU (weights by component, reserve,
                         KV cache, unused memory; DeepSeek-V4 under pipelining: the room for
                         its cache) as SVG
  --check-index FILE     compare a model.safetensors.index.json with the tensor manifest
                         (names and total_size); exit 1 on any difference

plan [MODEL | --preset NAME] --gpus N --gpu-memory SIZE: every tp x pp x dp layout of N GPUs
under vLLM and SGLang (--engine vllm|sglang|all; with and without expert parallelism, and
SGLang's DP attention), ranked by the requests of --context tokens held at once, and why the
others were refused; --gpus-per-node N (default 8) keeps vLLM's tp within a node; --mtp plans
each layout with the MTP draft loaded; --svg FILE draws the requests held at once against the
context (4,096 tokens to the model's maximum) for the five best; --kv-dtype, --gpu-util,
--reserve, --gpu-arch, --marlin-scales-dropped, --max-num-batched-tokens,
--no-async-scheduling, --model-runner, --vllm-version and --json as above (SGLang's DeepSeek-V4 needs --gpu-arch
hopper)

verify MODEL_DIR: reads config.json and the header of every .safetensors shard of the
folder (never the weights) and compares each tensor's name, shape and dtype with the
config's manifest, each shard's size with its header, the index (when present) with the
shards, and the bytes with total_size and the computed checkpoint size; exit 1 on any
difference (--json: a verify object)
  --help                 this text
  --version              the version

DeepSeek-OCR page budget (DeepSeek-OCR and DeepSeek-OCR-2 configs only):
  --image WxH            a page of W x H pixels, e.g. 1654x2339 (A4 at 200 dpi); repeat it
                         for several pages; prints per page and in total the sequence
                         positions, vision tokens, tile grid, KV bytes, and how many such
                         pages fit the context (after the prompt) and --budget
  --pages N              N pages of the one --image size
  --ocr-mode MODE        tiny, small, base, large or gundam (default gundam, the mode of
                         DeepSeek-OCR's infer(): a 1024 global view plus 640-pixel tiles);
                         not for DeepSeek-OCR-2, whose one mode is a 1024 global view plus
                         768-pixel tiles
  --max-tiles N          the most tiles per page (default as the released code: 9 Gundam
                         tiles for DeepSeek-OCR, 6 for DeepSeek-OCR-2)
  --prompt-tokens N      text tokens in the sequence besides the pages (default 0)
  Pages count per sequence (batch 1), at --kv-dtype and --tp; the top-level
  pages_fit_context / pages_fit_budget of --json count pages of the largest size given.

exit codes: 0 ok, 1 invalid config or failed --check-index, 2 bad usage, 3 unreadable file
)";

/// Bad usage: exit 2.
struct usage_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct CliOptions {
    std::optional<std::string> path;
    std::optional<std::string> preset;
    std::optional<std::string> save_config;
    bool json = false;
    bool tensors = false;
    bool kv_engines = false; ///< --kv-engines: the KV cache in every engine's format
    bool help = false;
    bool version = false;
    std::optional<std::string> check_index;
    std::optional<std::string> svg; ///< --svg FILE: draw the deployment
    deepseek::ReportOptions report;
    // DeepSeek-OCR page budget.
    std::vector<std::array<std::uint64_t, 2>> images;
    std::optional<std::uint64_t> pages;
    std::optional<OcrMode> ocr_mode;
    std::optional<std::uint64_t> max_tiles;
    std::optional<std::uint64_t> prompt_tokens;
    bool wants_pages() const { return !images.empty(); }
    // One GPU of a vLLM deployment.
    bool engine = false;
    deepseek::Deployment deployment;
    deepseek::GpuBudget gpu;
    bool mm_encoder_mode_given = false;                  ///< --mm-encoder-tp-mode, vLLM's
    bool mm_dp_encoder_given = false;                    ///< --mm-enable-dp-encoder, SGLang's
    bool gpu_util_given = false, reserve_given = false;  ///< else the engine's defaults
    std::optional<std::uint64_t> max_num_batched_tokens; ///< DeepSeek-V4 under vLLM: else vLLM's default
    bool async_scheduling = true;                        ///< DeepSeek-V4 under vLLM: --no-async-scheduling
    bool model_runner_v2 = true;                         ///< DeepSeek-V4 under vLLM: --model-runner
    std::optional<deepseek::VllmRelease> vllm_release;   ///< DeepSeek-V4 under vLLM: --vllm-version
    [[nodiscard]] bool scheduler_given() const {
        return max_num_batched_tokens || !async_scheduling || !model_runner_v2 || vllm_release;
    }
};

/// The vLLM scheduler a DeepSeek-V4 deployment is planned with: the batch given, else vLLM's
/// default for a GPU of `gpu_memory` bytes.
deepseek::VllmScheduler v4_scheduler(std::optional<std::uint64_t> batched, bool async, bool v2,
                                     std::optional<deepseek::VllmRelease> release, std::uint64_t gpu_memory) {
    return {batched.value_or(deepseek::vllm_default_max_num_batched_tokens(gpu_memory)), async, v2,
            release.value_or(deepseek::VllmRelease::v0_31)};
}

/// `--vllm-version`'s value: the release whose pool layout is modelled for it (0.23 to 0.25, or
/// 0.31 and later; 0.26 to 0.30 and earlier releases are refused).
deepseek::VllmRelease parse_vllm_version(const std::string& value) {
    unsigned major = 0, minor = 0;
    char dot = 0;
    std::istringstream in(value);
    if (!(in >> major >> dot >> minor) || dot != '.')
        throw usage_error("--vllm-version: a version such as 0.31 or 0.25.1, found '" + value + "'");
    if (major == 0 && minor >= 23 && minor <= 25) return deepseek::VllmRelease::v0_23;
    if (major > 0 || minor >= 31) return deepseek::VllmRelease::v0_31;
    throw usage_error("--vllm-version " + value +
                      ": DeepSeek-V4's pool is modelled as vLLM 0.23 to 0.25 and 0.31 or later lay it out; 0.26 to "
                      "0.30 are not checked, and earlier releases not modelled");
}

/// --gpu-arch A: hopper or blackwell.
deepseek::GpuArch parse_gpu_arch(const std::string& value) {
    if (value == "hopper") return deepseek::GpuArch::hopper;
    if (value == "blackwell") return deepseek::GpuArch::blackwell;
    throw usage_error("--gpu-arch: hopper or blackwell, found '" + value + "'");
}

/// `--model-runner`'s value: true for v2, false for v1.
bool parse_model_runner(const std::string& value) {
    if (value != "v1" && value != "v2") throw usage_error("--model-runner: v1 or v2, found '" + value + "'");
    return value == "v2";
}

/// Why sglang_default_fraction gives nothing: Kimi-K2.5 with DP attention, DeepEP or pipeline
/// stages.
constexpr std::string_view sglang_fraction_refusal =
    "SGLang's default --mem-fraction-static for Kimi-K2.5 with DP attention, DeepEP or pipeline stages is not "
    "modelled (whether its prefill CUDA graph is kept)";

/// The budget `c` is planned with under `d`: `given` as the options set it, and where they left
/// the fraction or the reserve unset, the engine's defaults. vLLM's are GpuBudget's own (0.9, 4
/// GiB); SGLang's are its default fraction for the model, GPU and layout
/// (sglang_default_fraction, which keeps its graphs and activations out) and a 1 GiB reserve.
/// Nothing where SGLang's default fraction is not modelled (sglang_fraction_refusal).
template <class C> std::optional<deepseek::GpuBudget> engine_budget(const C& c, deepseek::GpuBudget given,
                                                                    const deepseek::Deployment& d, bool fraction_given,
                                                                    bool reserve_given) {
    if (d.engine != deepseek::Engine::sglang) return given;
    if (!fraction_given) {
        const std::optional<double> fraction = deepseek::sglang_default_fraction(c, given.gpu_memory, d);
        if (!fraction) return std::nullopt;
        given.memory_fraction = *fraction;
    }
    if (!reserve_given) given.reserve = std::uint64_t{1} << 30;
    return given;
}

std::uint64_t parse_count(std::string_view option, std::string_view text) {
    std::uint64_t value = 0;
    bool any = false;
    for (char ch : text) {
        if (ch < '0' || ch > '9') {
            any = false;
            break;
        }
        const auto digit = static_cast<std::uint64_t>(ch - '0');
        if (value > (UINT64_MAX - digit) / 10) {
            throw usage_error(std::string(option) + ": " + std::string(text) + " is too large");
        }
        value = value * 10 + digit;
        any = true;
    }
    if (!any || value == 0) {
        throw usage_error(std::string(option) + ": expected a positive whole number, found '" + std::string(text) +
                          "'");
    }
    return value;
}

/// "80GiB" (binary), "80GB" (decimal), "80" or "80B" (bytes).
std::uint64_t parse_size(std::string_view text) {
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    std::string unit(text.substr(digits));
    for (auto& ch : unit) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    struct Unit {
        const char* name;
        std::uint64_t bytes;
    };
    const Unit units[] = {{"", 1},
                          {"b", 1},
                          {"kb", 1000},
                          {"mb", 1000 * 1000},
                          {"gb", 1000ull * 1000 * 1000},
                          {"tb", 1000ull * 1000 * 1000 * 1000},
                          {"kib", 1ull << 10},
                          {"mib", 1ull << 20},
                          {"gib", 1ull << 30},
                          {"tib", 1ull << 40}};
    const Unit* found = nullptr;
    for (const auto& u : units) {
        if (unit == u.name) found = &u;
    }
    if (digits == 0 || found == nullptr) {
        throw usage_error("--budget: expected a size such as 80GiB, 80GB or 85899345920, found '" + std::string(text) +
                          "'");
    }
    const std::uint64_t number = parse_count("--budget", text.substr(0, digits));
    if (number > UINT64_MAX / found->bytes) throw usage_error("--budget: " + std::string(text) + " is too large");
    return number * found->bytes;
}

/// A fraction in (0, 1], such as 0.9.
double parse_fraction(std::string_view option, std::string_view text) {
    const std::string copy(text);
    char* end = nullptr;
    const double value = std::strtod(copy.c_str(), &end);
    if (copy.empty() || end != copy.c_str() + copy.size() || !(value > 0.0) || value > 1.0)
        throw usage_error(std::string(option) + ": expected a fraction in (0, 1] such as 0.9, found '" + copy + "'");
    return value;
}

/// A whole number, 0 allowed.
std::uint64_t parse_count_or_zero(std::string_view option, std::string_view text) {
    if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos) {
        throw usage_error(std::string(option) + ": expected a whole number, found '" + std::string(text) + "'");
    }
    const std::size_t first = text.find_first_not_of('0');
    return first == std::string_view::npos ? 0 : parse_count(option, text.substr(first));
}

/// "30,31": positive whole numbers separated by commas, one per pipeline stage.
deepseek::FixedVector<std::uint64_t, deepseek::max_pipeline_stages> parse_partition(std::string_view option,
                                                                                    std::string_view text) {
    deepseek::FixedVector<std::uint64_t, deepseek::max_pipeline_stages> out;
    while (true) {
        const std::size_t comma = text.find(',');
        if (!out.push_back(parse_count(option, text.substr(0, comma))))
            throw usage_error(std::string(option) + ": at most " + std::to_string(deepseek::max_pipeline_stages) +
                              " stages");
        if (comma == std::string_view::npos) return out;
        text.remove_prefix(comma + 1);
    }
}

/// "1654x2339": width x height in pixels, both positive.
std::array<std::uint64_t, 2> parse_image_size(std::string_view text) {
    const auto bad = [&]() {
        return usage_error("--image: expected WIDTHxHEIGHT in pixels such as 1654x2339, found '" + std::string(text) +
                           "'");
    };
    const auto x = text.find('x');
    if (x == std::string_view::npos || x == 0 || x + 1 >= text.size()) throw bad();
    const auto number = [&](std::string_view digits) {
        std::uint64_t value = 0;
        for (char ch : digits) {
            if (ch < '0' || ch > '9') throw bad();
            const auto digit = static_cast<std::uint64_t>(ch - '0');
            if (value > (UINT64_MAX - digit) / 10) throw usage_error("--image: " + std::string(text) + " is too large");
            value = value * 10 + digit;
        }
        if (value == 0) throw bad();
        return value;
    };
    return {number(text.substr(0, x)), number(text.substr(x + 1))};
}

/// An enum option's value. Dtype options take the dtypes weights and KV caches are held in, not
/// the storage types of quantised checkpoints.
template <class E> E parse_enum(std::string_view option, std::string_view text) {
    const auto accepts = [](E value) {
        if constexpr (std::is_same_v<E, Dtype>)
            return deepseek::is_compute_dtype(value);
        else
            return (void)value, true;
    };
    if (const auto value = deepseek::enum_from_string<E>(text); value && accepts(*value)) return *value;
    std::string accepted;
    for (const auto& entry : deepseek::enum_table<E>::entries) {
        if (!accepts(entry.first)) continue;
        if (!accepted.empty()) accepted += ", ";
        accepted += entry.second;
    }
    throw usage_error(std::string(option) + ": unknown value '" + std::string(text) + "'; accepted: " + accepted);
}

CliOptions parse_arguments(int argc, char** argv) {
    CliOptions o;
    std::vector<std::string> args(argv + 1, argv + argc);
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string arg = args[i];
        std::optional<std::string> inline_value;
        if (arg.rfind("--", 0) == 0) {
            if (const auto eq = arg.find('='); eq != std::string::npos) {
                inline_value = arg.substr(eq + 1);
                arg = arg.substr(0, eq);
            }
        }
        const auto value = [&]() -> std::string {
            if (inline_value) return *inline_value;
            if (i + 1 >= args.size()) throw usage_error(arg + " needs a value");
            return args[++i];
        };
        const auto flag = [&]() {
            if (inline_value) throw usage_error(arg + " takes no value");
            return true;
        };
        if (arg == "--json")
            o.json = flag();
        else if (arg == "--tensors")
            o.tensors = flag();
        else if (arg == "--kv-engines")
            o.kv_engines = flag();
        else if (arg == "--help" || arg == "-h")
            o.help = flag();
        else if (arg == "--version")
            o.version = flag();
        else if (arg == "--weights-dtype")
            o.report.weights_dtype = parse_enum<Dtype>(arg, value());
        else if (arg == "--kv-dtype")
            o.report.kv_dtype = parse_enum<Dtype>(arg, value());
        else if (arg == "--kv-layout")
            o.report.kv_layout = parse_enum<KvLayout>(arg, value());
        else if (arg == "--kv-format")
            o.report.v4_kv_format = parse_enum<deepseek::V4KvFormat>(arg, value());
        else if (arg == "--context")
            o.report.context = parse_count(arg, value());
        else if (arg == "--batch")
            o.report.batch = parse_count(arg, value());
        else if (arg == "--tp")
            o.report.tp = parse_count(arg, value());
        else if (arg == "--budget")
            o.report.budget = parse_size(value());
        else if (arg == "--mtp")
            o.report.mtp = flag();
        else if (arg == "--engine") {
            const std::string engine = value();
            if (engine == "sglang")
                o.deployment.engine = deepseek::Engine::sglang;
            else if (engine != "vllm")
                throw usage_error("--engine: vllm or sglang (the others' deployments are not modelled), found '" +
                                  engine + "'");
            o.engine = true;
        } else if (arg == "--gpu-memory")
            o.gpu.gpu_memory = parse_size(value());
        else if (arg == "--gpu-util") {
            o.gpu.memory_fraction = parse_fraction(arg, value());
            o.gpu_util_given = true;
        } else if (arg == "--reserve") {
            o.gpu.reserve = parse_size(value());
            o.reserve_given = true;
        } else if (arg == "--dp-attention")
            o.deployment.dp_attention = flag();
        else if (arg == "--dense-tp1")
            o.deployment.dense_tp1 = flag();
        else if (arg == "--dp-lm-head")
            o.deployment.dp_lm_head = flag();
        else if (arg == "--page-size")
            o.deployment.page_size = parse_count(arg, value());
        else if (arg == "--shared-expert-tp1")
            o.deployment.shared_expert_tp1 = flag();
        else if (arg == "--marlin-scales-dropped")
            o.deployment.marlin_scales_dropped = flag();
        else if (arg == "--gpu-arch")
            o.deployment.gpu_arch = parse_gpu_arch(value());
        else if (arg == "--language-model-only")
            o.deployment.language_model_only = flag();
        else if (arg == "--max-num-batched-tokens") {
            o.max_num_batched_tokens = parse_count(arg, value());
        } else if (arg == "--no-async-scheduling") {
            o.async_scheduling = !flag();
        } else if (arg == "--model-runner") {
            o.model_runner_v2 = parse_model_runner(value());
        } else if (arg == "--vllm-version") {
            o.vllm_release = parse_vllm_version(value());
        } else if (arg == "--mm-encoder-tp-mode") {
            const std::string mode = value();
            if (mode != "data" && mode != "weights")
                throw usage_error("--mm-encoder-tp-mode: data or weights, found '" + mode + "'");
            o.deployment.mm_encoder_data = mode == "data";
            o.mm_encoder_mode_given = true;
        } else if (arg == "--mm-enable-dp-encoder") {
            o.deployment.mm_encoder_data = flag();
            o.mm_dp_encoder_given = true;
        } else if (arg == "--deepep") {
            o.deployment.deepep = flag();
            o.deployment.expert_parallel = true;
        } else if (arg == "--ep-size") {
            o.deployment.ep_size = parse_count(arg, value());
            o.deployment.expert_parallel = true;
        } else if (arg == "--pp")
            o.deployment.pp = parse_count(arg, value());
        else if (arg == "--pp-partition")
            o.deployment.layer_partition = parse_partition(arg, value());
        else if (arg == "--dp")
            o.deployment.dp = parse_count(arg, value());
        else if (arg == "--ep")
            o.deployment.expert_parallel = flag();
        else if (arg == "--redundant-experts")
            o.deployment.redundant_experts = parse_count_or_zero(arg, value());
        else if (arg == "--svg")
            o.svg = value();
        else if (arg == "--check-index")
            o.check_index = value();
        else if (arg == "--preset")
            o.preset = value();
        else if (arg == "--save-config")
            o.save_config = value();
        else if (arg == "--image")
            o.images.push_back(parse_image_size(value()));
        else if (arg == "--pages")
            o.pages = parse_count(arg, value());
        else if (arg == "--ocr-mode")
            o.ocr_mode = parse_enum<OcrMode>(arg, value());
        else if (arg == "--max-tiles")
            o.max_tiles = parse_count(arg, value());
        else if (arg == "--prompt-tokens")
            o.prompt_tokens = parse_count_or_zero(arg, value());
        else if (arg.size() > 1 && arg[0] == '-')
            throw usage_error("unknown option '" + arg + "' (see --help)");
        else if (o.path)
            throw usage_error("more than one PATH given ('" + *o.path + "' and '" + arg + "')");
        else
            o.path = arg;
    }
    if (o.path && o.preset) throw usage_error("give PATH or --preset, not both");
    if (o.preset && !deepseek::presets::find(*o.preset)) {
        std::string names;
        for (const auto name : deepseek::presets::names) names += (names.empty() ? "" : ", ") + std::string(name);
        throw usage_error("--preset: unknown preset '" + *o.preset + "'; accepted: " + names);
    }
    if (o.pages && o.images.size() != 1) {
        throw usage_error(o.images.empty() ? "--pages needs one --image size"
                                           : "--pages takes one --image size, not " + std::to_string(o.images.size()));
    }
    if (o.svg && !o.engine) throw usage_error("--svg needs --engine vllm or sglang");
    if (!o.engine) {
        const char* needs = o.gpu.gpu_memory != 0                                     ? "--gpu-memory"
                            : o.deployment.pp != 1                                    ? "--pp"
                            : !o.deployment.layer_partition.empty()                   ? "--pp-partition"
                            : o.deployment.dp != 1                                    ? "--dp"
                            : o.deployment.expert_parallel                            ? "--ep"
                            : o.deployment.redundant_experts                          ? "--redundant-experts"
                            : o.deployment.dp_attention                               ? "--dp-attention"
                            : o.deployment.dense_tp1                                  ? "--dense-tp1"
                            : o.deployment.dp_lm_head                                 ? "--dp-lm-head"
                            : o.deployment.page_size != 0                             ? "--page-size"
                            : o.deployment.ep_size != 0                               ? "--ep-size"
                            : o.deployment.deepep                                     ? "--deepep"
                            : o.deployment.shared_expert_tp1                          ? "--shared-expert-tp1"
                            : o.deployment.marlin_scales_dropped                      ? "--marlin-scales-dropped"
                            : o.deployment.gpu_arch != deepseek::GpuArch::unspecified ? "--gpu-arch"
                            : o.mm_encoder_mode_given                                 ? "--mm-encoder-tp-mode"
                            : o.mm_dp_encoder_given                                   ? "--mm-enable-dp-encoder"
                            : o.deployment.language_model_only                        ? "--language-model-only"
                            : o.scheduler_given()
                                ? "--max-num-batched-tokens, --no-async-scheduling, --model-runner and --vllm-version"
                                : nullptr;
        if (needs) throw usage_error(std::string(needs) + " needs --engine vllm or sglang");
    } else {
        const bool sglang = o.deployment.engine == deepseek::Engine::sglang;
        if (o.gpu.gpu_memory == 0) throw usage_error("--engine needs --gpu-memory");
        if (o.deployment.redundant_experts != 0 && !o.deployment.expert_parallel)
            throw usage_error("--redundant-experts needs --ep");
        if (!sglang &&
            (o.deployment.dp_attention || o.deployment.dense_tp1 || o.deployment.dp_lm_head ||
             o.deployment.page_size != 0 || o.deployment.ep_size != 0 || o.deployment.deepep ||
             o.deployment.shared_expert_tp1 || o.deployment.marlin_scales_dropped || o.mm_dp_encoder_given)) {
            throw usage_error(std::string(o.deployment.dp_attention        ? "--dp-attention"
                                          : o.deployment.dense_tp1         ? "--dense-tp1"
                                          : o.deployment.dp_lm_head        ? "--dp-lm-head"
                                          : o.deployment.page_size         ? "--page-size"
                                          : o.deployment.ep_size           ? "--ep-size"
                                          : o.deployment.deepep            ? "--deepep"
                                          : o.deployment.shared_expert_tp1 ? "--shared-expert-tp1"
                                          : o.mm_dp_encoder_given          ? "--mm-enable-dp-encoder"
                                                                           : "--marlin-scales-dropped") +
                              " is SGLang's: give --engine sglang");
        }
        if (sglang && (o.mm_encoder_mode_given || o.deployment.language_model_only || o.scheduler_given()))
            throw usage_error(std::string(o.mm_encoder_mode_given            ? "--mm-encoder-tp-mode"
                                          : o.deployment.language_model_only ? "--language-model-only"
                                                                             : "--max-num-batched-tokens") +
                              " is vLLM's: give --engine vllm");
        if (o.deployment.deepep && o.deployment.ep_size != 0 && o.deployment.ep_size != o.report.tp)
            throw usage_error("--deepep: DeepEP spreads the experts over --tp GPUs; drop --ep-size");
        if (o.deployment.ep_size != 0 && o.report.tp % o.deployment.ep_size != 0)
            throw usage_error("--ep-size: " + std::to_string(o.deployment.ep_size) + " does not divide --tp " +
                              std::to_string(o.report.tp));
        o.deployment.tp = o.report.tp;
        o.deployment.mtp = o.report.mtp;
        o.gpu.context = o.report.context.value_or(0); // the engine's defaults are set with the config (run)
    }
    if (o.images.empty()) {
        const char* needs = o.ocr_mode        ? "--ocr-mode"
                            : o.max_tiles     ? "--max-tiles"
                            : o.prompt_tokens ? "--prompt-tokens"
                                              : nullptr;
        if (needs) throw usage_error(std::string(needs) + " needs --image");
    }
    return o;
}

// ---- human units ----------------------------------------------------------------------------

std::string grouped(std::uint64_t n) {
    std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

std::string fixed2(double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.2f", value);
    return buffer;
}

std::string human_bytes(std::uint64_t n) {
    const char* const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double value = static_cast<double>(n);
    std::size_t unit = 0;
    while (value >= 1024.0 && unit + 1 < std::size(units)) {
        value /= 1024.0;
        ++unit;
    }
    return unit == 0 ? std::to_string(n) + " B" : fixed2(value) + " " + units[unit];
}

std::string human_count(std::uint64_t n) {
    const double v = static_cast<double>(n);
    if (n >= 1000000000ull) return fixed2(v / 1e9) + " B";
    if (n >= 1000000ull) return fixed2(v / 1e6) + " M";
    if (n >= 1000ull) return fixed2(v / 1e3) + " K";
    return std::to_string(n);
}

std::string optional_count(const std::optional<std::uint64_t>& v) { return v ? std::to_string(*v) : "none"; }
std::string optional_count(std::uint64_t v) { return std::to_string(v); }

// ---- the report -----------------------------------------------------------------------------

/// Why the stored tensors of a checkpoint are not modelled: the key that says so, and what it is.
struct UnmodelledCheckpoint {
    std::string pointer;
    std::string what;
    std::string short_reason; ///< for the table: "quant_method", ...
};

template <class C> UnmodelledCheckpoint unmodelled_checkpoint(const C& c) {
    if constexpr (std::is_same_v<C, deepseek::DeepseekV4Config>) {
        if (c.sglang_ref_format) return {"/model_type", "SGLang's deepseek_ref repack", "SGLang's deepseek_ref repack"};
        if (c.dspark) return {"", "a checkpoint with the DSpark draft module", "the DSpark draft module"};
    } else {
        (void)c;
    }
    return {"/quantization_config/quant_method", "this quantisation", "quant_method"};
}

template <class C> void print_attention(std::ostream& os, const C& c) {
    if constexpr (std::is_same_v<C, deepseek::DeepseekV4Config>) {
        const deepseek::V4LayerKinds k = deepseek::v4_layer_kinds(c);
        os << "attention     shared K=V (head_dim " << c.head_dim << ", rope " << deepseek::v4_rope_head_dim(c) << "), "
           << c.num_attention_heads << " heads, q_lora_rank " << c.q_lora_rank << ", " << c.o_groups
           << " output groups\n";
        os << "layer kinds   " << k.sliding << " sliding-window only, " << k.compressed_sparse
           << " compressed-sparse (ratio 4, indexer), " << k.heavily_compressed
           << " heavily compressed (ratio 128); window " << c.sliding_window << "\n";
    } else if (deepseek::uses_mla(c)) {
        os << "attention     MLA, " << c.num_attention_heads << " heads, q_lora_rank " << optional_count(c.q_lora_rank)
           << ", kv_lora_rank " << optional_count(c.kv_lora_rank) << ", qk " << c.qk_nope_head_dim << "+"
           << c.qk_rope_head_dim << ", v " << c.v_head_dim << "\n";
    } else {
        os << "attention     MHA, " << c.num_attention_heads << " heads, " << c.num_key_value_heads
           << " KV heads, head_dim " << deepseek::mha_head_dim(c) << "\n";
    }
}

void print_parameters(std::ostream& os, const deepseek::Report& r) {
    const auto& p = r.params;
    const auto row = [&](const char* name, std::uint64_t n) {
        std::string label = name;
        label.resize(18, ' ');
        std::string human = human_count(n);
        human.insert(0, human.size() < 10 ? 10 - human.size() : 0, ' ');
        os << "  " << label << human << "   " << grouped(n) << "\n";
    };
    os << "parameters\n";
    row("embedding", p.embedding);
    row("lm_head", p.lm_head);
    row("attention", p.attention);
    row("dense_mlp", p.dense_mlp);
    row("router", p.router);
    row("routed_experts", p.routed_experts);
    row("shared_experts", p.shared_experts);
    row("norms", p.norms);
    if (p.indexer > 0) row(r.v4 ? "indexer" : "indexer (DSA)", p.indexer);
    if (p.hyper_connections > 0) row("mHC mixing", p.hyper_connections);
    if (p.vision_modelled)
        row("vision", p.vision);
    else
        os << "  vision            not modelled (this encoder is not counted)\n";
    row("total", p.total);
    row("active", p.active);
    if (p.mtp > 0) row("mtp (stored)", p.mtp);
    row("stored elements", r.stored_elements);
    os << "\n";
}

template <class C> void print_weights(std::ostream& os, const C& c, const deepseek::Report& r, bool from_file) {
    const auto& p = r.params;
    if (r.quantization) {
        os << "quantization  " << deepseek::to_string(*r.quantization);
        if constexpr (std::is_same_v<C, deepseek::DeepseekV4Config>) {
            // DeepSeek-V4: the routed experts are stored otherwise than the rest.
            if (*r.quantization == deepseek::WeightFormat::nvfp4)
                os << " routed experts, the rest as released";
            else
                os << ", routed experts " << deepseek::to_string(deepseek::v4_expert_dtype(c));
        }
        os << " (from "
           << (r.quantization_source == deepseek::QuantSource::hf_quant_config
                   ? "hf_quant_config.json beside the config"
                   : "quantization_config")
           << ")\n";
    } else if (r.quantization_modelled && from_file) {
        // NVIDIA's NVFP4 checkpoints describe their quantisation beside config.json, not in it.
        os << "quantization  none in config.json, and no hf_quant_config.json beside it\n";
    }
    if (r.checkpoint_bytes) {
        os << "checkpoint    " << human_bytes(*r.checkpoint_bytes) << " (" << grouped(*r.checkpoint_bytes) << " bytes"
           << (p.vision_modelled ? "" : "; without the vision tower, not modelled") << ")\n";
    } else
        os << "checkpoint    not modelled (" << unmodelled_checkpoint(c).short_reason << ")\n";
    if (r.weight_bytes) {
        os << "weights       " << human_bytes(*r.weight_bytes) << " per rank (" << grouped(*r.weight_bytes)
           << " bytes; " << deepseek::weights_label(r) << ", tp " << r.tp;
        if (p.mtp > 0) os << (r.mtp ? ", MTP layer loaded" : ", MTP layer not loaded");
        os << ")\n";
    } else {
        os << "weights       not modelled as released (" << unmodelled_checkpoint(c).short_reason
           << "); --weights-dtype gives a uniform figure\n";
    }
}

/// A number of bytes per 256 tokens as bytes per token, exactly (a multiple of 1/256).
std::string per_token_text(std::uint64_t per_256) {
    std::string text = grouped(per_256 / 256);
    std::uint64_t rest = per_256 % 256;
    if (rest == 0) return text;
    text += '.';
    while (rest != 0) {
        rest *= 10;
        text += static_cast<char>('0' + rest / 256);
        rest %= 256;
    }
    return text;
}

void print_v4_kv(std::ostream& os, const deepseek::Report& r) {
    const deepseek::V4KvReport& v = *r.v4;
    const deepseek::V4KvBytes& s = v.at_context;
    os << "kv cache      " << deepseek::to_string(v.format) << ": " << per_token_text(v.growth_per_256_tokens)
       << " bytes per token";
    if (v.unpadded_growth_per_256_tokens != v.growth_per_256_tokens)
        os << " (" << per_token_text(v.unpadded_growth_per_256_tokens) << " before page rounding)";
    os << " + " << human_bytes(v.per_sequence_bytes) << " per sequence (" << grouped(v.per_sequence_bytes)
       << " bytes: windows and compressor state" << (v.per_sequence_exact ? "" : ", approximate") << ")\n";
    os << "              one sequence: window " << human_bytes(s.window) << ", ratio-4 "
       << human_bytes(s.compressed_sparse) << ", ratio-128 " << human_bytes(s.heavily_compressed) << ", indexer "
       << human_bytes(s.indexer) << ", state " << human_bytes(s.compressor_state) << "\n";
}

template <class C>
void print_budget(std::ostream& os, const C& c, const deepseek::Report& r, const std::optional<std::uint64_t>& budget) {
    if (budget && !r.weights_fit) {
        os << "max context   none: the weights alone (" << human_bytes(r.weight_bytes.value_or(0)) << ") do not fit in "
           << human_bytes(*budget) << " per rank\n";
    }
    if (budget && r.max_context) {
        os << "max context   " << grouped(*r.max_context) << " tokens x batch " << r.batch << " in "
           << human_bytes(*budget) << " per rank";
        if (*r.max_context == 0)
            os << (r.v4 ? " (the weights fit, with no room for a sequence's windows and state)"
                        : " (the weights fit, with no room for one token)");
        if (*r.max_context > c.max_position_embeddings)
            os << " (beyond the model's max_position_embeddings, " << grouped(c.max_position_embeddings) << ")";
        os << "\n";
    }
}

template <class C> void print_table(std::ostream& os, const C& c, const deepseek::Document& doc,
                                    const deepseek::Report& r, const std::string& source,
                                    const std::optional<std::uint64_t>& budget, bool from_file) {
    const std::uint64_t moe = deepseek::moe_layer_count(c);
    const std::vector<std::string> not_modelled = deepseek::not_modelled(doc);
    os << program << " " << DEEPSEEK_CONFIG_VERSION_STRING << ": " << source << "\n\n";
    os << "model         " << deepseek::class_name<C>() << " (model_type " << deepseek::file_model_type(doc) << ")\n";
    os << "layers        " << c.num_hidden_layers << " (" << (c.num_hidden_layers - moe) << " dense, " << moe
       << " MoE)";
    if (const auto mtp = deepseek::mtp_layer_count(c); mtp > 0) os << " + " << mtp << " MTP";
    os << "\n";
    os << "hidden        " << c.hidden_size << ", vocab " << grouped(c.vocab_size) << ", context "
       << grouped(c.max_position_embeddings) << "\n";
    print_attention(os, c);
    os << "experts       " << optional_count(c.n_routed_experts) << " routed, " << optional_count(c.n_shared_experts)
       << " shared, " << optional_count(c.num_experts_per_tok) << " per token";
    if constexpr (std::is_same_v<C, deepseek::DeepseekV4Config>)
        os << ", " << deepseek::to_string(deepseek::v4_expert_dtype(c)) << "; " << r.v4->layers.hash_routed
           << " hash-routed layers";
    os << "\n\n";
    print_parameters(os, r);
    for (const auto& note : not_modelled) os << "not modelled  " << note << "\n";
    if (!not_modelled.empty()) os << "\n";
    print_weights(os, c, r, from_file);
    if (r.v4)
        print_v4_kv(os, r);
    else
        os << "kv cache      " << deepseek::to_string(r.kv_layout) << ", " << deepseek::to_string(r.kv_dtype) << ": "
           << human_bytes(r.kv_bytes_per_token) << " per token (" << grouped(r.kv_bytes_per_token) << " bytes)\n";
    os << "              " << human_bytes(r.kv_bytes) << " at " << grouped(r.context) << " tokens x batch " << r.batch
       << " (" << grouped(r.kv_bytes) << " bytes per rank)\n";
    print_budget(os, c, r, budget);
}

template <class C> void print_tensors(std::ostream& os, const C& c, bool as_json) {
    const auto manifest = deepseek::tensor_manifest(c);
    json list = json::array();
    for (const auto& t : manifest) {
        std::vector<std::uint64_t> dims(t.shape.dims.begin(),
                                        t.shape.dims.begin() + static_cast<std::ptrdiff_t>(t.shape.rank));
        if (as_json) {
            list.push_back(
                {{"name", t.name}, {"shape", dims}, {"dtype", std::string(deepseek::safetensors_name(t.dtype))}});
        } else {
            std::string shape = "[";
            for (std::size_t i = 0; i < dims.size(); ++i) shape += (i ? ", " : "") + std::to_string(dims[i]);
            os << t.name << "  " << shape << "]  " << deepseek::safetensors_name(t.dtype) << "\n";
        }
    }
    if (as_json) os << list.dump(2) << "\n";
}

/// Compares an index file with the manifest; returns true when they agree.
template <class C> bool check_index(std::ostream& os, const C& c, const std::string& file, bool as_json) {
    const deepseek::IndexComparison result = deepseek::compare_with_index(c, deepseek::load_index(file));
    const bool ok = result.match();
    if (as_json) {
        os << json{{"check_index", deepseek::index_comparison_to_json(result, file)}}.dump(2) << "\n";
        return ok;
    }
    os << "check-index " << file << "\n";
    os << "tensors      " << grouped(result.index_tensors) << " in the index, " << grouped(result.manifest_tensors)
       << " in the manifest\n";
    os << "missing      " << result.missing.size() << " (in the manifest, not in the index)\n";
    for (const auto& name : result.missing) os << "  - " << name << "\n";
    os << "unexpected   " << result.unexpected.size() << " (in the index, not in the manifest)\n";
    for (const auto& name : result.unexpected) os << "  + " << name << "\n";
    if (result.shapes_compared > 0) {
        const auto shape = [](const std::vector<std::uint64_t>& dims) {
            std::string text = "[";
            for (std::size_t i = 0; i < dims.size(); ++i) text += (i ? ", " : "") + std::to_string(dims[i]);
            return text + "]";
        };
        os << "shapes       " << result.shape_mismatches.size() << " of " << grouped(result.shapes_compared)
           << " compared differ\n";
        for (const auto& m : result.shape_mismatches)
            os << "  ~ " << m.name << " " << shape(m.index_shape) << " in the index, " << shape(m.manifest_shape)
               << " computed\n";
    }
    os << "total_size   " << (result.total_size ? grouped(*result.total_size) : std::string("absent"))
       << " in the index, " << grouped(result.checkpoint_bytes)
       << " computed: " << (result.total_size_matches() ? "equal" : "DIFFERENT") << "\n";
    os << "result       " << (ok ? "match" : "MISMATCH") << "\n";
    return ok;
}

// ---- the DeepSeek-OCR page budget ------------------------------------------------------------

using deepseek::Ocr2PageBudget;
using deepseek::PageBudget;

/// The budget type of a config's pages: DeepSeek-OCR-2 lays pages out its own way.
template <class C> using PageBudgetFor =
    std::conditional_t<std::is_same_v<C, deepseek::DeepseekOCR2Config>, Ocr2PageBudget, PageBudget>;

/// The pages of --image and --pages.
std::vector<deepseek::PageRequest> page_requests(const CliOptions& o) {
    std::vector<deepseek::PageRequest> requests;
    for (const auto& size : o.images) requests.push_back({size[0], size[1], o.pages.value_or(1)});
    return requests;
}

/// The page budget of a DeepSeek-OCR or DeepSeek-OCR-2 config; a usage error for any other
/// model, and for --ocr-mode on DeepSeek-OCR-2 (it has one mode).
template <class C> PageBudgetFor<C> ocr_page_budget(const C& c, const CliOptions& o, const deepseek::Report& r) {
    if constexpr (std::is_same_v<C, deepseek::DeepseekOCR2Config>) {
        if (o.ocr_mode) {
            throw usage_error("--ocr-mode: DeepSeek-OCR-2 has one mode (a 1024 global view plus 768-pixel tiles); "
                              "tiny, small, base, large and gundam are DeepSeek-OCR's");
        }
        deepseek::Ocr2PageBudgetOptions options; // limits: ocr2_tile_limits, 2..6 tiles
        if (o.max_tiles) options.limits.max_tiles = *o.max_tiles;
        options.prompt_tokens = o.prompt_tokens.value_or(0);
        options.budget = o.report.budget;
        return deepseek::page_budget(c, page_requests(o), options, r);
    } else if constexpr (!std::is_same_v<C, deepseek::DeepseekOCRConfig>) {
        (void)c, (void)r;
        throw usage_error("--image: the page budget is for DeepSeek-OCR and DeepSeek-OCR-2 configs; this one is " +
                          std::string(deepseek::class_name<C>()) + " (model_type " + std::string(C::model_type) + ")");
    } else {
        deepseek::PageBudgetOptions options;
        options.mode = o.ocr_mode.value_or(OcrMode::gundam);
        if (o.max_tiles) options.limits.max_tiles = *o.max_tiles;
        options.prompt_tokens = o.prompt_tokens.value_or(0);
        options.budget = o.report.budget;
        return deepseek::page_budget(c, page_requests(o), options, r);
    }
}

/// One JSON entry per page; DeepSeek-OCR's carry their mode, DeepSeek-OCR-2 has only one.
template <class Budget> json pages_json(const Budget& b) {
    json pages = json::array();
    for (const auto& row : b.rows) {
        json page = {{"width", row.layout.width},
                     {"height", row.layout.height},
                     {"grid", {row.layout.grid[0], row.layout.grid[1]}},
                     {"positions", row.layout.positions},
                     {"vision_tokens", row.layout.vision_tokens},
                     {"kv_bytes", row.kv_bytes},
                     {"pages_fit_context", row.fit_context}};
        if constexpr (std::is_same_v<Budget, PageBudget>) page["mode"] = std::string(deepseek::to_string(b.mode));
        if (row.fit_budget) page["pages_fit_budget"] = *row.fit_budget;
        for (std::uint64_t i = 0; i < row.count; ++i) pages.push_back(page);
    }
    return pages;
}

template <class Budget> void add_pages_json(json& out, const Budget& b) {
    out["pages"] = pages_json(b);
    out["pages_total"] = {
        {"pages", b.total_pages},       {"positions", b.total_positions},   {"vision_tokens", b.total_vision_tokens},
        {"kv_bytes", b.total_kv_bytes}, {"prompt_tokens", b.prompt_tokens}, {"max_tiles", b.limits.max_tiles}};
    const auto& largest = b.rows[b.largest];
    out["pages_fit_context"] = largest.fit_context;
    if (largest.fit_budget) out["pages_fit_budget"] = *largest.fit_budget;
}

template <class Budget> void print_pages(std::ostream& os, const Budget& b, const deepseek::Report& r,
                                         const std::optional<std::uint64_t>& budget) {
    constexpr bool ocr2 = std::is_same_v<Budget, Ocr2PageBudget>;
    if constexpr (ocr2) {
        os << "\npages         DeepSeek-OCR-2, a 1024 global view plus 768-pixel tiles, at most " << b.limits.max_tiles
           << " tiles";
    } else {
        os << "\npages         DeepSeek-OCR " << deepseek::to_string(b.mode) << " mode";
        if (b.mode == OcrMode::gundam) os << ", at most " << b.limits.max_tiles << " tiles";
    }
    os << "; prompt " << grouped(b.prompt_tokens) << " tokens, context " << grouped(r.context);
    if (budget) os << ", budget " << human_bytes(*budget);
    os << "\n";
    const auto cell = [](std::string text, std::size_t width) {
        if (text.size() < width) text.insert(0, width - text.size(), ' ');
        return text;
    };
    os << "  " << cell("page", 11) << cell("grid", 6) << cell("positions", 11) << cell("vision", 8)
       << cell("kv bytes", 12) << cell("fit context", 13);
    if (budget) os << cell("fit budget", 12);
    os << "\n";
    for (const auto& row : b.rows) {
        const auto& p = row.layout;
        std::string size = std::to_string(p.width) + "x" + std::to_string(p.height);
        if (row.count > 1) size = std::to_string(row.count) + " x " + size;
        const std::string grid =
            p.tiles == 0 ? std::string("-") : std::to_string(p.grid[0]) + "x" + std::to_string(p.grid[1]);
        os << "  " << cell(size, 11) << cell(grid, 6) << cell(grouped(p.positions), 11)
           << cell(grouped(p.vision_tokens), 8) << cell(human_bytes(row.kv_bytes), 12)
           << cell(grouped(row.fit_context), 13);
        if (row.fit_budget) os << cell(grouped(*row.fit_budget), 12);
        os << "\n";
    }
    os << "  " << cell("total " + std::to_string(b.total_pages), 11) << cell("", 6)
       << cell(grouped(b.total_positions), 11) << cell(grouped(b.total_vision_tokens), 8)
       << cell(human_bytes(b.total_kv_bytes), 12) << "\n";
    if constexpr (ocr2)
        os << "  positions are vision tokens plus one view separator per page (DeepSeek-OCR-2 has no newline tokens)\n";
    else
        os << "  positions are vision tokens plus a newline per row of queries and one view separator per page\n";
    if (b.prompt_tokens + b.total_positions > r.context) {
        os << "  these pages and the prompt (" << grouped(b.prompt_tokens + b.total_positions)
           << " positions) do not fit the context of " << grouped(r.context) << "\n";
    }
}

std::string bytes_and_human(std::uint64_t n) { return grouped(n) + " B (" + human_bytes(n) + ")"; }

/// --kv-engines: each engine's cache for one sequence of the context.
void print_kv_engines(std::ostream& os, const deepseek::FixedVector<deepseek::EngineKvRow, 16>& rows,
                      std::uint64_t tokens) {
    os << "\nkv cache by engine, one sequence of " << grouped(tokens) << " tokens on one GPU\n";
    if (rows.empty()) return;
    os << "  engine     format           bytes/token/layer     unit  allocated\n";
    for (const deepseek::EngineKvRow& row : rows) {
        std::string bytes = grouped(row.bytes_per_token_per_layer);
        if (row.indexer_bytes_per_token_per_layer != 0)
            bytes += " + " + grouped(row.indexer_bytes_per_token_per_layer) + " indexer";
        std::ostringstream line;
        line << "  " << std::left << std::setw(11) << deepseek::to_string(row.engine) << std::setw(17) << row.format
             << std::setw(22) << bytes << std::setw(6) << grouped(row.block) << human_bytes(row.bytes) << " ("
             << grouped(row.bytes) << " bytes)";
        os << line.str() << "\n";
    }
    // Without MLA: vLLM's cache, SGLang's MHA pool where its DeepSeek-V1 code serves the model.
    std::string missing;
    for (const deepseek::Engine e : {deepseek::Engine::sglang, deepseek::Engine::trtllm, deepseek::Engine::llama_cpp}) {
        bool found = false;
        for (const deepseek::EngineKvRow& row : rows) found = found || row.engine == e;
        if (!found) missing += (missing.empty() ? "" : ", ") + std::string(deepseek::to_string(e));
    }
    if (!missing.empty()) os << "  " << missing << ": not modelled for a model without MLA\n";
    os << "  (unit: vLLM's block, SGLang's page with one padding page per layer, TensorRT-LLM's block, "
          "llama.cpp's 256-cell padding)\n";
}

/// One GPU's weights by component (those it holds any of).
void print_gpu_weights(std::ostream& os, const deepseek::GpuWeights& w, const deepseek::Deployment& d) {
    for (const auto& e : deepseek::enum_table<deepseek::Part>::entries) {
        if (w.of(e.first) == 0) continue;
        std::string name(e.second);
        name.resize(18, ' ');
        os << "    " << name << bytes_and_human(w.of(e.first));
        if (e.first == deepseek::Part::routed_experts && d.expert_parallel) {
            os << ", " << w.experts_per_gpu << " experts per MoE layer";
            if (deepseek::expert_tp(d) != 1) os << ", each split " << deepseek::expert_tp(d) << " ways";
        }
        os << "\n";
    }
    if (w.mtp != 0) os << "    mtp               " << bytes_and_human(w.mtp) << "\n";
}

std::string layer_range(const deepseek::LayerRange& r) {
    return r.count == 1 ? std::to_string(r.first)
                        : std::to_string(r.first) + "-" + std::to_string(r.first + r.count - 1);
}

/// "stage 1 (layers 31-60), with the head and the MTP draft" for stage `s` of a pipeline of
/// `pp` stages whose GPUs hold `w`.
std::string stage_title(std::uint64_t s, std::uint64_t pp, const deepseek::GpuWeights& w) {
    std::string out = "stage " + std::to_string(s) + " (layers " + layer_range(w.layers) + ")";
    if (s == 0) out += ", with the embedding";
    if (s + 1 == pp) out += w.mtp != 0 ? ", with the head and the MTP draft" : ", with the head";
    return out;
}

// ---- SVG drawings (plain SVG 1.1, written here) ----------------------------------------------

/// `text` with XML's special characters escaped.
std::string xml_escaped(std::string_view text) {
    std::string out;
    for (const char ch : text) {
        if (ch == '&')
            out += "&amp;";
        else if (ch == '<')
            out += "&lt;";
        else if (ch == '>')
            out += "&gt;";
        else if (ch == '"')
            out += "&quot;";
        else
            out += ch;
    }
    return out;
}

/// An SVG document of `width` x `height` around `body`, with a title.
std::string svg_document(int width, int height, const std::string& title, const std::string& body) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
           std::to_string(width) + "\" height=\"" + std::to_string(height) +
           "\" font-family=\"sans-serif\" font-size=\"12\">\n<title>" + xml_escaped(title) +
           "</title>\n<text x=\"20\" "
           "y=\"16\">" +
           xml_escaped(title) + "</text>\n" + body + "</svg>\n";
}

void write_svg(const std::string& file, const std::string& svg) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << svg;
    if (!out) throw deepseek::Error(deepseek::ErrorKind::io, "", "cannot write the SVG file", file);
}

/// The engine's name as people write it.
std::string engine_name(const deepseek::Deployment& d) {
    return d.engine == deepseek::Engine::sglang ? "SGLang" : "vLLM";
}

/// "tp 8, pp 1, dp 8 with DP attention, expert parallel": the layout in words.
std::string layout_words(const deepseek::Deployment& d) {
    return "tp " + std::to_string(d.tp) + ", pp " + std::to_string(d.pp) + ", dp " + std::to_string(d.dp) +
           (d.dp_attention ? " with DP attention" : "") +
           (!d.expert_parallel ? ""
            : d.ep_size != 0   ? ", expert parallel over " + std::to_string(d.ep_size)
                               : ", expert parallel") +
           (d.deepep ? " (DeepEP)" : "") + (d.dense_tp1 ? ", dense MLP replicated" : "") +
           (d.dp_lm_head ? ", DP head" : "") + (d.mm_encoder_data ? ", vision encoder in data-parallel mode" : "") +
           (d.language_model_only ? ", language model only" : "");
}

/// One segment of a stacked bar: what it is, its bytes, its colour.
struct BarSegment {
    std::string name;
    std::uint64_t bytes;
    std::string colour;
};

/// A pipeline stage's bar: its label and its segments, bottom up.
struct StageBar {
    std::string label;
    std::vector<BarSegment> segments;
};

/// The segments of a GPU's weights, one per component that holds any (then the MTP modules').
std::vector<BarSegment> weight_segments(const deepseek::GpuWeights& w) {
    // One colour a component, the same on every stage's bar; the MTP module's last.
    constexpr std::array<const char*, 15> colours = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                                     "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
                                                     "#86bcb6", "#d4a6c8", "#8cd17d", "#499894", "#f1ce63"};
    static_assert(deepseek::part_count + 1 <= colours.size());
    std::vector<BarSegment> parts;
    std::size_t colour = 0;
    for (const auto& e : deepseek::enum_table<deepseek::Part>::entries) {
        if (w.of(e.first) != 0) parts.push_back({std::string(e.second), w.of(e.first), colours[colour]});
        ++colour;
    }
    if (w.mtp != 0) parts.push_back({"mtp", w.mtp, colours[deepseek::part_count]});
    return parts;
}

/// The top of a bar: what is left of the usable memory above `held` bytes, and what the engine
/// is not given (above --gpu-util).
void add_unused(std::vector<BarSegment>& parts, std::uint64_t held, std::uint64_t usable, std::uint64_t gpu_memory,
                const deepseek::Deployment& d) {
    if (held < usable) parts.push_back({"unused", usable - held, "#eeeeee"});
    if (usable < gpu_memory) parts.push_back({"not given to " + engine_name(d), gpu_memory - usable, "#dddddd"});
}

/// One stacked bar per pipeline stage against the GPU's memory, each segment labelled beside it
/// when it is tall enough to point at.
std::string stage_bars_svg(const std::vector<StageBar>& stages, std::uint64_t gpu_memory, const std::string& title) {
    const int bar_width = 90, column = 420, top = 50, height = 480;
    const double scale = static_cast<double>(height) / static_cast<double>(gpu_memory);
    std::string body;
    for (std::size_t s = 0; s < stages.size(); ++s) {
        const int x = 20 + static_cast<int>(s) * column;
        body += "<text x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(top - 10) + "\">" +
                xml_escaped(stages[s].label) + "</text>\n";
        double y = top + height;
        for (const BarSegment& part : stages[s].segments) {
            const double h = static_cast<double>(part.bytes) * scale;
            y -= h;
            char rect[200];
            std::snprintf(rect, sizeof rect,
                          "<rect x=\"%d\" y=\"%.2f\" width=\"%d\" height=\"%.2f\" fill=\"%s\" stroke=\"#ffffff\"/>\n",
                          x, y, bar_width, h, part.colour.c_str());
            body += rect;
            if (h >= 9.0) {
                char label_y[32];
                std::snprintf(label_y, sizeof label_y, "%.2f", y + h / 2 + 4);
                body += "<text x=\"" + std::to_string(x + bar_width + 6) + "\" y=\"" + label_y + "\">" +
                        xml_escaped(part.name) + ": " + grouped(part.bytes) + " B</text>\n";
            }
        }
    }
    return svg_document(20 + static_cast<int>(stages.size()) * column, top + height + 20, title, body);
}

/// A deployment drawing's title: the engine, the layout and the GPU's memory.
std::string deployment_title(const deepseek::Deployment& d, std::uint64_t gpu_memory) {
    return engine_name(d) + " deployment: " + layout_words(d) + "; " + grouped(gpu_memory) + " B per GPU";
}

/// A stage's label: its index, its layers, and whether it fits.
std::string stage_label(std::uint64_t s, const deepseek::LayerRange& layers, bool fits) {
    return "stage " + std::to_string(s) + ": layers " + layer_range(layers) + (fits ? "" : " (does not fit)");
}

/// The deployment's bars, bottom up: the weights by component, the reserve, the KV cache (the
/// blocks the engine gives every GPU), what is left of the usable memory, and what the engine is
/// not given.
template <class C, class Format> std::string deployment_svg(const C& c, const deepseek::DeploymentPlan& plan,
                                                            const deepseek::Deployment& d, Format f,
                                                            const deepseek::GpuBudget& b) {
    std::vector<StageBar> stages;
    for (std::uint64_t s = 0; s < d.pp; ++s) {
        const deepseek::GpuPlan p = deepseek::plan_gpu(c, d, f, b, s).value(); // plan_deployment checked it
        std::vector<BarSegment> parts = weight_segments(p.weights);
        parts.push_back({"reserve", b.reserve, "#999999"});
        const std::uint64_t kv = plan.kv_blocks * p.entry.block * p.kv_bytes_per_token;
        if (plan.fits) parts.push_back({"KV cache, " + grouped(plan.kv_tokens) + " tokens", kv, "#2ca02c"});
        add_unused(parts, p.weights.total() + b.reserve + (plan.fits ? kv : 0), p.usable, b.gpu_memory, d);
        stages.push_back({stage_label(s, p.weights.layers, p.fits), parts});
    }
    return stage_bars_svg(stages, b.gpu_memory, deployment_title(d, b.gpu_memory));
}

/// Why a deployment of a model whose vision encoder is not modelled gives upper bounds.
constexpr const char* vision_not_counted =
    "the vision encoder, which the engine loads, is not counted in the weights per GPU: the KV capacity and "
    "requests are upper bounds";

template <class C, class Format>
void print_deployment_plan(std::ostream& os, const C& c, const deepseek::DeploymentPlan& plan,
                           const deepseek::Deployment& d, Format f, const deepseek::GpuBudget& b) {
    const bool sglang = d.engine == deepseek::Engine::sglang;
    const char* const unit = sglang ? "pages" : "blocks";
    os << "\n"
       << engine_name(d) << " deployment: " << plan.gpus << " GPUs (" << layout_words(d)
       << (d.mtp ? ", MTP loaded" : ", MTP not loaded") << ")\n";
    os << "  GPU memory        " << bytes_and_human(b.gpu_memory) << ", usable " << bytes_and_human(plan.usable)
       << " (x " << b.memory_fraction << (sglang ? ", mem_fraction_static" : "") << "), reserve "
       << bytes_and_human(b.reserve) << "\n";
    if (!plan.vision_modelled) os << "  not modelled      " << vision_not_counted << "\n";
    const char* const at_most = plan.vision_modelled ? "" : "at most ";
    std::uint64_t per_token = 0; // with one stage
    for (std::uint64_t s = 0; s < d.pp; ++s) {
        const deepseek::GpuPlan p = deepseek::plan_gpu(c, d, f, b, s).value(); // plan_deployment checked it
        per_token = p.kv_bytes_per_token;
        if (d.pp == 1)
            os << "  weights per GPU   " << bytes_and_human(p.weights.total()) << "\n";
        else
            os << "  " << stage_title(s, d.pp, p.weights) << ": weights per GPU " << bytes_and_human(p.weights.total())
               << "\n";
        print_gpu_weights(os, p.weights, d);
        if (!p.fits) {
            os << "  does not fit      the weights and reserve exceed the usable memory by "
               << bytes_and_human(p.shortfall) << "\n";
        } else if (d.pp != 1) {
            os << "    KV cache          " << grouped(p.kv_bytes_per_token) << " B per token (" << p.kv_layers
               << " layers), room for " << grouped(p.kv_blocks) << " " << unit << "\n";
        }
    }
    if (!plan.fits) return;
    os << "  KV cache          " << deepseek::to_string(f) << ", " << grouped(plan.entry.bytes)
       << " B per token per layer, " << unit << " of " << plan.entry.block << " token"
       << (plan.entry.block == 1 ? "" : "s");
    if (d.pp == 1) os << ", " << grouped(per_token) << " B per token";
    os << "\n";
    os << "  KV capacity       " << at_most << grouped(plan.kv_blocks) << " " << unit << ", " << grouped(plan.kv_tokens)
       << " tokens"
       << (d.pp == 1
               ? " per GPU"
               : (sglang ? " (the fewest of any stage)" : " (the fewest of any stage: vLLM gives every GPU as many)"))
       << (sglang ? ", and a padding page per layer" : "") << "\n";
    os << "  requests at once  " << at_most << grouped(plan.max_requests) << " of " << grouped(plan.context)
       << " tokens per "
       << (d.dp_attention ? "attention group"
           : d.pp == 1    ? "tp group"
                          : "pipeline")
       << ", " << grouped(plan.total_requests) << " in all\n";
    os << "  launch            " << deepseek::launch_command(d, b, f, plan.context) << "\n";
}

/// Which vLLM layout of DeepSeek-V4's pool is modelled for release `r` (printed and in the JSON).
const char* v4_pool_version(deepseek::VllmRelease r) {
    return r == deepseek::VllmRelease::v0_23
               ? "vLLM 0.23 to 0.25's groups of layer tuples (kv_cache_utils.py, _get_kv_cache_groups_uniform_groups "
                 "and #44454's slots)"
               : "vLLM's packed grouping (kv_cache_planning.py at 4253bd44, vLLM 0.31; 0.23 to 0.25: --vllm-version)";
}

/// A vLLM deployment of DeepSeek-V4: each stage's weights per GPU and block of the pool, and the
/// cache vLLM's pool gives (plan_v4_deployment).
struct V4Deployment {
    deepseek::Deployment d;
    deepseek::GpuBudget b;
    deepseek::VllmScheduler scheduler{};
    std::vector<deepseek::GpuWeights> stages;
    std::vector<std::uint64_t> block_bytes; ///< each stage's block of the pool (vllm_v4_stage_block)
    deepseek::V4DeploymentPlan kv{};
    /// A stage's room for the cache: its usable memory less its weights and the reserve (0 when
    /// they do not fit).
    [[nodiscard]] std::uint64_t room(std::uint64_t s) const {
        const std::uint64_t held = stages[s].total() + b.reserve;
        return held <= kv.usable ? kv.usable - held : 0;
    }
};

/// The weights per GPU of every pipeline stage of deployment `d` (weights_per_gpu), or the error.
template <class C> deepseek::Result<std::vector<deepseek::GpuWeights>, deepseek::MemoryError>
stage_weights(const C& c, const deepseek::Deployment& d) {
    std::vector<deepseek::GpuWeights> stages;
    for (std::uint64_t stage = 0; stage < d.pp; ++stage) {
        const auto w = deepseek::weights_per_gpu(c, d, stage);
        if (!w) return w.error();
        stages.push_back(*w);
    }
    return stages;
}

/// Lays DeepSeek-V4 out on deployment `d` (stage_weights and vllm_v4_stage_block for every
/// stage, and the cache: plan_v4_deployment), or its error.
template <class C> deepseek::Result<V4Deployment, deepseek::MemoryError>
lay_out_v4(const C& c, const deepseek::Deployment& d, const deepseek::GpuBudget& b, const deepseek::VllmScheduler& s) {
    const auto kv = deepseek::plan_v4_deployment(c, d, b, s);
    if (!kv) return kv.error();
    const auto stages = stage_weights(c, d);
    if (!stages) return stages.error();
    V4Deployment out{d, b, s, *stages, {}, *kv};
    for (std::uint64_t stage = 0; stage < d.pp; ++stage)
        out.block_bytes.push_back(deepseek::vllm_v4_stage_block(c, d, stage, s.release));
    return out;
}

/// The launch line of a V4 deployment: vLLM's, with its FP8 cache and the scheduler's settings
/// the cache was planned with.
template <class C> std::string v4_launch(const C& c, const V4Deployment& v) {
    std::string out =
        deepseek::vllm_launch_command(v.d, v.b, deepseek::VllmKvFormat::fp8_ds_mla, deepseek::plan_context(c, v.b));
    out += " --max-num-batched-tokens " + std::to_string(v.scheduler.max_num_batched_tokens);
    if (!v.scheduler.async_scheduling) out += " --no-async-scheduling";
    if (v.d.pp > 1 && v.scheduler.async_scheduling)
        out = std::string("VLLM_USE_V2_MODEL_RUNNER=") + (v.scheduler.model_runner_v2 ? "1 " : "0 ") + out;
    return out;
}

/// Why a V4 deployment keeps its tokens in flight: "--max-num-batched-tokens N" and the batches.
std::string v4_in_flight_words(const V4Deployment& v) {
    const deepseek::VllmScheduler& s = v.scheduler;
    const std::uint64_t batches = v.kv.in_flight_tokens / s.max_num_batched_tokens;
    std::string out = "--max-num-batched-tokens " + std::to_string(s.max_num_batched_tokens);
    if (s.release == deepseek::VllmRelease::v0_23) return out + ", one batch in vLLM 0.23 to 0.25";
    if (v.d.pp == 1) return out + (s.async_scheduling ? " x 2, async scheduling" : "");
    out += " x " + std::to_string(batches) + ": one a stage";
    if (!s.async_scheduling) return out;
    return out + (s.model_runner_v2 ? " and one more, async scheduling on vLLM's V2 model runner"
                                    : ", none more on vLLM's V1 model runner");
}

/// The head of a DeepSeek-V4 deployment's table, either engine's: the layout (`engine_words`
/// after it: the GPUs' generation), the memory (`fraction_words` after the fraction), then each
/// stage's weights by component, and "does not fit" for a stage whose weights and reserve exceed
/// the usable memory, or else what `room_line(stage, indent)` prints.
template <class F>
void print_v4_stages(std::ostream& os, const deepseek::Deployment& d, const deepseek::GpuBudget& b, std::uint64_t gpus,
                     std::uint64_t usable, const std::vector<deepseek::GpuWeights>& stages,
                     const std::string& engine_words, const std::string& fraction_words, F&& room_line) {
    os << "\n"
       << engine_name(d) << " deployment: " << gpus << " GPUs (" << layout_words(d)
       << (d.mtp ? ", MTP loaded" : ", MTP not loaded") << ")" << engine_words << "\n";
    os << "  GPU memory        " << bytes_and_human(b.gpu_memory) << ", usable " << bytes_and_human(usable) << " (x "
       << b.memory_fraction << fraction_words << "), reserve " << bytes_and_human(b.reserve) << "\n";
    const std::string indent = d.pp == 1 ? "  " : "    ";
    for (std::uint64_t s = 0; s < d.pp; ++s) {
        const deepseek::GpuWeights& w = stages[s];
        if (d.pp == 1)
            os << "  weights per GPU   " << bytes_and_human(w.total()) << "\n";
        else
            os << "  " << stage_title(s, d.pp, w) << ": weights per GPU " << bytes_and_human(w.total()) << "\n";
        print_gpu_weights(os, w, d);
        if (w.total() + b.reserve > usable)
            os << indent << "does not fit      the weights and reserve exceed the usable memory by "
               << bytes_and_human(w.total() + b.reserve - usable) << "\n";
        else
            room_line(s, indent);
    }
}

/// A vLLM deployment of DeepSeek-V4: the weights per GPU and the pool's block, stage by stage,
/// and the cache vLLM's pool gives.
template <class C> void print_v4_deployment(std::ostream& os, const C& c, const V4Deployment& v) {
    const deepseek::Deployment& d = v.d;
    const deepseek::V4DeploymentPlan& p = v.kv;
    print_v4_stages(os, d, v.b, p.gpus, p.usable, v.stages, "", "", [&](std::uint64_t s, const std::string& indent) {
        os << indent << "room for KV       " << bytes_and_human(v.room(s)) << " per GPU, blocks of "
           << grouped(v.block_bytes[s]) << " B: " << grouped(v.room(s) / v.block_bytes[s]) << "\n";
    });
    os << "  KV cache          fp8_ds_mla in " << v4_pool_version(v.scheduler.release) << ": " << p.pool.groups()
       << " groups"
       << (d.pp == 1 ? ", blocks of " + grouped(p.pool.block_bytes) + " B"
                     : " of the whole model's layers, each stage's block its own layers' pages")
       << "\n";
    if (!p.fits) {
        os << "  launch            " << v4_launch(c, v) << "\n";
        return;
    }
    os << "  KV capacity       " << grouped(p.kv_blocks) << " blocks"
       << (d.pp > 1 ? " on every GPU (stage " + std::to_string(p.smallest_stage) + "'s, the fewest)" : "")
       << "; a request of " << grouped(p.context) << " tokens holds up to " << grouped(p.blocks_per_request)
       << " (its windows keep " << grouped(p.in_flight_tokens) << " tokens in flight: " << v4_in_flight_words(v)
       << ")\n";
    os << "  GPU KV cache size " << grouped(p.kv_tokens) << " tokens (vLLM's figure: concurrency x "
       << grouped(p.context)
       << (p.reported_blocks_per_request != p.blocks_per_request
               ? "; its concurrency counts " + grouped(p.reported_blocks_per_request) +
                     " blocks a request, an estimate by bytes"
               : std::string())
       << ")\n";
    os << "  requests at once  " << grouped(p.max_requests) << " of " << grouped(p.context) << " tokens per "
       << (d.pp > 1   ? "pipeline"
           : d.tp > 1 ? "tensor-parallel group"
                      : "GPU")
       << ", " << grouped(p.total_requests) << " in all\n";
    os << "  launch            " << v4_launch(c, v) << "\n";
}

/// The deployment's bars for DeepSeek-V4: the weights by component, the reserve, the pool's
/// blocks on each stage's GPU, and what the engine is not given.
std::string v4_deployment_svg(const V4Deployment& v) {
    const deepseek::Deployment& d = v.d;
    std::vector<StageBar> stages;
    for (std::uint64_t s = 0; s < d.pp; ++s) {
        const deepseek::GpuWeights& w = v.stages[s];
        std::vector<BarSegment> parts = weight_segments(w);
        parts.push_back({"reserve", v.b.reserve, "#999999"});
        std::uint64_t held = w.total() + v.b.reserve;
        if (v.kv.fits) {
            const std::uint64_t kv = v.kv.kv_blocks * v.block_bytes[s];
            parts.push_back({"KV cache, " + grouped(v.kv.kv_blocks) + " blocks", kv, "#2ca02c"});
            held += kv;
        }
        add_unused(parts, held, v.kv.usable, v.b.gpu_memory, d);
        stages.push_back({stage_label(s, w.layers, w.total() + v.b.reserve <= v.kv.usable), parts});
    }
    return stage_bars_svg(stages, v.b.gpu_memory, deployment_title(d, v.b.gpu_memory));
}

/// The layout and weight fields of a DeepSeek-V4 deployment's JSON object, either engine's
/// (plan `p`: plan_v4_deployment's or plan_sglang_v4_deployment's): engine, tp, pp, dp, ep,
/// dp_attention, redundant_experts, mtp, gpus, the memory, fits and shortfall, the largest stage's
/// weights, each stage's {stage, layers, weights_bytes, weights_by_component} with what
/// `stage_extra(s, object)` adds, the context and the launch line.
template <class Plan, class F> json v4_layout_json(const deepseek::Deployment& d, const deepseek::GpuBudget& b,
                                                   const Plan& p, const std::vector<deepseek::GpuWeights>& weights,
                                                   const std::string& launch, F&& stage_extra) {
    json stages = json::array();
    for (std::uint64_t s = 0; s < d.pp; ++s) {
        const deepseek::GpuWeights& w = weights[s];
        json stage{{"stage", s},
                   {"layers", json::array({w.layers.first, w.layers.count})},
                   {"weights_bytes", w.total()},
                   {"weights_by_component", deepseek::gpu_weights_to_json(w)}};
        stage_extra(s, stage);
        stages.push_back(std::move(stage));
    }
    return json{{"engine", std::string(deepseek::to_string(d.engine))},
                {"tp", d.tp},
                {"pp", d.pp},
                {"dp", d.dp},
                {"ep", d.expert_parallel},
                {"dp_attention", d.dp_attention},
                {"redundant_experts", d.redundant_experts},
                {"mtp", d.mtp},
                {"gpus", p.gpus},
                {"gpu_memory", b.gpu_memory},
                {"memory_fraction", b.memory_fraction},
                {"reserve", b.reserve},
                {"usable", p.usable},
                {"fits", p.fits},
                {"shortfall", p.shortfall},
                {"weights_bytes_per_gpu", p.weights_per_gpu},
                {"experts_per_gpu", weights[0].experts_per_gpu},
                {"stages", std::move(stages)},
                {"context", p.context},
                {"launch", launch}};
}

/// print_v4_deployment's JSON: the `deployment` object's layout and weight fields (each stage's
/// with its `kv_block_bytes`, and the largest stage's as weights_bytes_per_gpu), and the cache:
/// `kv_format`, `kv_pool` {layout, block_bytes, groups, max_num_batched_tokens,
/// async_scheduling, model_runner, in_flight_tokens}, `kv_blocks` (every GPU's), `smallest_stage`,
/// `kv_blocks_per_request`, `kv_capacity_tokens`, `max_concurrency`, `total_requests`.
template <class C> json v4_deployment_json(const C& c, const V4Deployment& v) {
    const deepseek::V4DeploymentPlan& p = v.kv;
    json out = v4_layout_json(v.d, v.b, p, v.stages, v4_launch(c, v),
                              [&](std::uint64_t s, json& stage) { stage["kv_block_bytes"] = v.block_bytes[s]; });
    out.update(json{
        {"kv_format", "fp8_ds_mla"},
        {"kv_pool", json{{"layout", v4_pool_version(v.scheduler.release)},
                         {"vllm_release", v.scheduler.release == deepseek::VllmRelease::v0_23 ? "0.23-0.25" : "0.31"},
                         {"block_bytes", p.pool.block_bytes},
                         {"groups", p.pool.groups()},
                         {"max_num_batched_tokens", v.scheduler.max_num_batched_tokens},
                         {"async_scheduling", v.scheduler.async_scheduling},
                         {"model_runner", v.scheduler.model_runner_v2 ? "v2" : "v1"},
                         {"in_flight_tokens", p.in_flight_tokens}}},
        {"kv_blocks", p.kv_blocks},
        {"smallest_stage", p.smallest_stage},
        {"kv_blocks_per_request", p.blocks_per_request},
        {"kv_blocks_per_request_reported", p.reported_blocks_per_request},
        {"kv_capacity_tokens", p.kv_tokens},
        {"max_concurrency", p.max_requests},
        {"total_requests", p.total_requests}});
    return out;
}

/// An SGLang deployment of DeepSeek-V4 on Hopper: each stage's weights per GPU and SGLang's pool
/// (plan_sglang_v4_deployment).
struct SglangV4Deployment {
    deepseek::Deployment d;
    deepseek::GpuBudget b;
    std::vector<deepseek::GpuWeights> stages;
    deepseek::SglangV4DeploymentPlan kv{};
};

/// Lays DeepSeek-V4 out on SGLang deployment `d` (stage_weights, and the pool:
/// plan_sglang_v4_deployment), or its error.
template <class C> deepseek::Result<SglangV4Deployment, deepseek::MemoryError>
lay_out_sglang_v4(const C& c, const deepseek::Deployment& d, const deepseek::GpuBudget& b) {
    const auto kv = deepseek::plan_sglang_v4_deployment(c, d, b);
    if (!kv) return kv.error();
    const auto stages = stage_weights(c, d);
    if (!stages) return stages.error();
    return SglangV4Deployment{d, b, *stages, *kv};
}

std::string sglang_v4_launch(const SglangV4Deployment& v) {
    return deepseek::sglang_v4_launch_command(v.d, v.b, deepseek::SglangV4Settings{}, v.kv.context);
}

/// An SGLang deployment of DeepSeek-V4: the weights per GPU stage by stage, what SGLang has left
/// for its caches and how its pool divides it, and the requests at once.
void print_sglang_v4_deployment(std::ostream& os, const SglangV4Deployment& v) {
    const deepseek::Deployment& d = v.d;
    const deepseek::SglangV4DeploymentPlan& p = v.kv;
    print_v4_stages(os, d, v.b, p.gpus, p.usable, v.stages, ", Hopper, Marlin MoE runner", ", mem_fraction_static",
                    [](std::uint64_t, const std::string&) {}); // SGLang's room is the same on every GPU: below
    if (d.marlin_scales_dropped)
        os << "  as SGLang holds   FP8 scales as float32, wo_a as BF16; the routed experts' UE8M0 scales as Marlin\n"
           << "                    repacks them, the float32 ones dropped (sglang PR #29797, newer images)\n";
    else
        os << "  as SGLang holds   FP8 scales as float32, wo_a as BF16, and the routed experts' float32 scales\n"
           << "                    beside the UE8M0 copies Marlin makes of them (sglang PR #29797 drops them,\n"
           << "                    as newer deepseek-v4-hopper images do: --marlin-scales-dropped)\n";
    if (!p.fits) {
        os << "  launch            " << sglang_v4_launch(v) << "\n";
        return;
    }
    const deepseek::SglangV4Pool& pool = p.pool;
    os << "  available         " << bytes_and_human(p.available_bytes)
       << " per GPU (usable less the largest stage's weights and the reserve)\n";
    os << "  KV pool           SGLang's DSV4 pool: " << fixed2(pool.bytes_per_full_token) << " B a full token"
       << (d.pp > 1 ? " (stage " + std::to_string(p.smallest_stage) + "'s layers, the fewest tokens)" : "")
       << ", after " << bytes_and_human(pool.c128_state_fixed_bytes) << " of ratio-128 state for "
       << grouped(pool.requests) << " requests\n";
    os << "  pool sizes        full " << grouped(pool.full) << ", swa " << grouped(pool.swa) << ", c4 "
       << grouped(pool.c4) << ", c128 " << grouped(pool.c128) << ", c4_state " << grouped(pool.c4_state)
       << ", c128_state " << grouped(pool.c128_state) << "\n";
    os << "  requests at once  " << grouped(p.max_requests) << " of " << grouped(p.context) << " tokens per "
       << (d.dp_attention ? "DP-attention group"
           : d.pp > 1     ? "pipeline"
           : d.tp > 1     ? "tensor-parallel group"
                          : "GPU")
       << ", " << grouped(p.total_requests) << " in all (" << grouped(p.pages_per_request) << " pages of "
       << deepseek::sglang_v4_settings(d).page_size << " tokens each; at most " << grouped(pool.requests) << ")\n";
    os << "  launch            " << sglang_v4_launch(v) << "\n";
}

/// The deployment's bars for DeepSeek-V4 under SGLang: the weights by component, the reserve,
/// the bytes SGLang has for its caches (the same on every GPU), and what it is not given.
std::string sglang_v4_deployment_svg(const SglangV4Deployment& v) {
    std::vector<StageBar> stages;
    for (std::uint64_t s = 0; s < v.d.pp; ++s) {
        const deepseek::GpuWeights& w = v.stages[s];
        std::vector<BarSegment> parts = weight_segments(w);
        parts.push_back({"reserve", v.b.reserve, "#999999"});
        std::uint64_t held = w.total() + v.b.reserve;
        if (v.kv.fits) {
            parts.push_back(
                {"SGLang's caches, " + grouped(v.kv.pool.full) + " full tokens", v.kv.available_bytes, "#2ca02c"});
            held += v.kv.available_bytes;
        }
        add_unused(parts, held, v.kv.usable, v.b.gpu_memory, v.d);
        stages.push_back({stage_label(s, w.layers, w.total() + v.b.reserve <= v.kv.usable), parts});
    }
    return stage_bars_svg(stages, v.b.gpu_memory, deployment_title(v.d, v.b.gpu_memory));
}

/// print_sglang_v4_deployment's JSON: the `deployment` object's layout and weight fields, and
/// `gpu_arch`, `moe_runner`, `available_bytes`, `kv_pool` {bytes_per_full_token,
/// c128_state_fixed_bytes, requests, full, swa, c4, c128, c4_state, c128_state}, `smallest_stage`,
/// `kv_capacity_tokens` (the full pool), `max_concurrency`, `total_requests`.
json sglang_v4_deployment_json(const SglangV4Deployment& v) {
    const deepseek::SglangV4DeploymentPlan& p = v.kv;
    const deepseek::SglangV4Pool& pool = p.pool;
    json out = v4_layout_json(v.d, v.b, p, v.stages, sglang_v4_launch(v), [](std::uint64_t, json&) {});
    out.update(json{{"gpu_arch", std::string(deepseek::to_string(v.d.gpu_arch))},
                    {"moe_runner", "marlin"},
                    {"marlin_scales_dropped", v.d.marlin_scales_dropped},
                    {"available_bytes", p.available_bytes},
                    {"kv_pool", json{{"bytes_per_full_token", pool.bytes_per_full_token},
                                     {"c128_state_fixed_bytes", pool.c128_state_fixed_bytes},
                                     {"requests", pool.requests},
                                     {"full", pool.full},
                                     {"swa", pool.swa},
                                     {"c4", pool.c4},
                                     {"c128", pool.c128},
                                     {"c4_state", pool.c4_state},
                                     {"c128_state", pool.c128_state}}},
                    {"smallest_stage", p.smallest_stage},
                    {"kv_capacity_tokens", pool.full},
                    {"max_concurrency", p.max_requests},
                    {"total_requests", p.total_requests}});
    return out;
}

/// The tensor-parallel sizes from 1 to 256 for which `works(tp)` holds, as " (tp can be 1, 2, 4 here)",
/// the hint after an error that a different tp would mend; "" when no size works.
template <class F> std::string working_tp_hint(F&& works) {
    std::string list;
    for (std::uint64_t tp = 1; tp <= 256; ++tp)
        if (works(tp)) list += (list.empty() ? "" : ", ") + std::to_string(tp);
    return list.empty() ? std::string() : " (tp can be " + list + " here)";
}

/// Whether a deployment error is one that another tensor-parallel size may mend.
bool tp_may_mend(deepseek::MemoryError e) {
    using deepseek::MemoryError;
    return e == MemoryError::tp_does_not_divide || e == MemoryError::fp8_block_split ||
           e == MemoryError::moe_padding_not_modelled || e == MemoryError::ep_does_not_divide;
}

template <class C> int run(const C& c, const deepseek::Document& doc, const CliOptions& o, const std::string& source) {
    if ((o.tensors || o.check_index) && !deepseek::quantization_modelled(c)) {
        const UnmodelledCheckpoint why = unmodelled_checkpoint(c);
        throw deepseek::Error(deepseek::ErrorKind::not_modelled, why.pointer,
                              std::string(o.tensors ? "--tensors" : "--check-index") + ": the stored tensors of " +
                                  why.what + " are not modelled (see the report's not modelled line)");
    }
    constexpr bool v4 = std::is_same_v<C, deepseek::DeepseekV4Config>;
    if (v4 && (o.report.kv_layout || o.report.kv_dtype)) {
        throw usage_error(std::string(o.report.kv_layout ? "--kv-layout" : "--kv-dtype") +
                          ": DeepSeek-V4's cache is sized in an engine's format: give --kv-format instead");
    }
    if (!v4 && o.report.v4_kv_format) {
        throw usage_error("--kv-format: for DeepSeek-V4 configs only; give --kv-layout and --kv-dtype");
    }
    std::ostringstream out; // nothing reaches stdout unless the whole run succeeds
    if (o.check_index) {
        const bool ok = check_index(out, c, *o.check_index, o.json);
        std::cout << out.str();
        return ok ? 0 : 1;
    }
    const auto made = deepseek::make_report(c, o.report);
    if (!made) {
        const deepseek::MemoryError e = made.error();
        std::string what = std::string(deepseek::error_message(e));
        if (e == deepseek::MemoryError::tp_does_not_divide || e == deepseek::MemoryError::tp_zero) {
            what = "--tp " + std::to_string(o.report.tp) + ": " + what + working_tp_hint([&](std::uint64_t tp) {
                       deepseek::ReportOptions other = o.report;
                       other.tp = tp;
                       return deepseek::make_report(c, other).has_value();
                   });
        } else if (e == deepseek::MemoryError::overflow) {
            what = "--context, --batch or --budget: " + what;
        } else {
            const auto layout = o.report.kv_layout ? *o.report.kv_layout : deepseek::default_kv_layout(c);
            what = "--kv-layout " + std::string(deepseek::to_string(layout)) + ": " + what;
        }
        throw usage_error(what);
    }
    const deepseek::Report& r = *made;
    // The deployment, laid out now (usage errors before any output) and printed after the report.
    std::optional<std::string> deployment_text;
    std::optional<json> deployment_json;
    if (o.engine) {
        const std::string engine(deepseek::to_string(o.deployment.engine));
        if (!v4 && o.scheduler_given())
            throw usage_error("--max-num-batched-tokens, --no-async-scheduling, --model-runner and --vllm-version "
                              "size DeepSeek-V4's cache only");
        const std::optional<deepseek::GpuBudget> budget =
            engine_budget(c, o.gpu, o.deployment, o.gpu_util_given, o.reserve_given);
        if (!budget)
            throw usage_error("--engine sglang: " + std::string(sglang_fraction_refusal) + "; give --gpu-util F");
        if (!(budget->memory_fraction > 0.0))
            throw usage_error("--gpu-memory: too small for SGLang's reserve; give --gpu-util");
        const deepseek::GpuBudget& gpu = *budget;
        const auto lay_out = [&](auto kv_format) {
            const auto planned = deepseek::plan_deployment(c, o.deployment, kv_format, gpu);
            if (!planned) {
                const deepseek::MemoryError e = planned.error();
                if constexpr (v4) { // its weights, and the cache said not to be planned
                    if (e == deepseek::MemoryError::layout_not_for_v4 &&
                        o.deployment.engine == deepseek::Engine::sglang) {
                        const auto laid = lay_out_sglang_v4(c, o.deployment, gpu);
                        if (!laid)
                            throw usage_error("--engine " + engine + ": " +
                                              std::string(deepseek::error_message(laid.error())));
                        if (o.svg) write_svg(*o.svg, sglang_v4_deployment_svg(*laid));
                        if (o.json) {
                            deployment_json = sglang_v4_deployment_json(*laid);
                        } else {
                            std::ostringstream text;
                            print_sglang_v4_deployment(text, *laid);
                            deployment_text = text.str();
                        }
                        return;
                    }
                    if (e == deepseek::MemoryError::layout_not_for_v4) {
                        const auto laid = lay_out_v4(c, o.deployment, gpu,
                                                     v4_scheduler(o.max_num_batched_tokens, o.async_scheduling,
                                                                  o.model_runner_v2, o.vllm_release, gpu.gpu_memory));
                        if (!laid)
                            throw usage_error("--engine " + engine + ": " +
                                              std::string(deepseek::error_message(laid.error())));
                        const V4Deployment& v = *laid;
                        if (o.svg) write_svg(*o.svg, v4_deployment_svg(v));
                        if (o.json) {
                            deployment_json = v4_deployment_json(c, v);
                        } else {
                            std::ostringstream text;
                            print_v4_deployment(text, c, v);
                            deployment_text = text.str();
                        }
                        return;
                    }
                }
                std::string hint;
                if (tp_may_mend(e)) {
                    hint = working_tp_hint([&](std::uint64_t tp) {
                        deepseek::Deployment other = o.deployment;
                        other.tp = tp;
                        const auto p = deepseek::plan_deployment(c, other, kv_format, gpu);
                        // DeepSeek-V4: the weights laid out, then the cache said not to be planned
                        return p.has_value() || (v4 && p.error() == deepseek::MemoryError::layout_not_for_v4);
                    });
                }
                throw usage_error("--engine " + engine + ": " + std::string(deepseek::error_message(e)) + hint);
            }
            if (o.svg) write_svg(*o.svg, deployment_svg(c, *planned, o.deployment, kv_format, gpu));
            if (o.json) {
                deployment_json = deepseek::deployment_plan_to_json(c, *planned, o.deployment, kv_format, gpu);
            } else {
                std::ostringstream text;
                print_deployment_plan(text, c, *planned, o.deployment, kv_format, gpu);
                deployment_text = text.str();
            }
        };
        if (o.deployment.engine == deepseek::Engine::sglang)
            lay_out(o.report.kv_dtype && *o.report.kv_dtype == deepseek::Dtype::fp8
                        ? deepseek::EngineKvFormat::sglang_fp8
                        : deepseek::EngineKvFormat::sglang);
        else
            lay_out(deepseek::default_vllm_kv_format(c, o.report.kv_dtype));
    }
    std::optional<deepseek::FixedVector<deepseek::EngineKvRow, 16>> kv_engines;
    if (o.kv_engines) {
        if constexpr (std::is_same_v<C, deepseek::DeepseekV4Config>) {
            throw usage_error("--kv-engines: DeepSeek-V4's cache is sized in its own formats: give --kv-format");
        } else {
            const auto rows = deepseek::kv_cache_by_engine(c, r.context);
            if (!rows) throw usage_error("--kv-engines: " + std::string(deepseek::error_message(rows.error())));
            kv_engines = *rows;
        }
    }
    std::optional<PageBudgetFor<C>> pages;
    if (o.wants_pages()) pages = ocr_page_budget(c, o, r);
    if (r.context > c.max_position_embeddings) {
        std::cerr << program << ": warning: --context " << r.context
                  << " is beyond the model's max_position_embeddings (" << c.max_position_embeddings << ")\n";
    }
    if (o.json) {
        json report = deepseek::report_to_json(doc, r, source);
        if (o.tensors) {
            std::ostringstream tensors;
            print_tensors(tensors, c, true);
            report["tensors"] = json::parse(tensors.str());
        }
        if (pages) add_pages_json(report, *pages);
        if (kv_engines) report["kv_by_engine"] = deepseek::kv_by_engine_to_json(*kv_engines, r.context);
        if (deployment_json) report["deployment"] = std::move(*deployment_json);
        out << report.dump(2) << "\n";
    } else {
        print_table(out, c, doc, r, source, o.report.budget, o.path.has_value());
        if (pages) print_pages(out, *pages, r, o.report.budget);
        if (kv_engines) print_kv_engines(out, *kv_engines, r.context);
        if (deployment_text) out << *deployment_text;
        if (deployment_text && o.svg) out << "\nwrote " << *o.svg << "\n";
        if (o.tensors) {
            out << "\ntensors\n";
            print_tensors(out, c, false);
        }
    }
    std::cout << out.str();
    return 0;
}

// ---- verify: a model folder's shards against its config ---------------------------------------

/// Prints "<label> <count><note>", then up to 20 entries of the list (each as `line` gives
/// it), then how many more there are.
template <class T, class F>
void print_list(std::ostream& os, std::string label, const std::vector<T>& list, const char* note, F&& line) {
    label.resize(16, ' ');
    os << label << grouped(list.size()) << note << "\n";
    const std::size_t shown = list.size() < 20 ? list.size() : 20;
    for (std::size_t i = 0; i < shown; ++i) os << "  " << line(list[i]) << "\n";
    if (list.size() > shown) os << "  ... and " << grouped(list.size() - shown) << " more\n";
}

/// `deepseek-config verify MODEL_DIR [--json]`: exit 0 when the folder holds exactly the
/// checkpoint its config describes, 1 otherwise.
int run_verify(int argc, char** argv) {
    std::optional<std::string> dir;
    bool as_json = false;
    for (int i = 2; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--json")
            as_json = true;
        else if (arg.size() > 1 && arg[0] == '-')
            throw usage_error("verify: unknown option '" + arg + "' (verify MODEL_DIR [--json])");
        else if (dir)
            throw usage_error("verify: more than one MODEL_DIR given");
        else
            dir = arg;
    }
    if (!dir) throw usage_error("verify needs a MODEL_DIR: the folder of config.json and the .safetensors shards");
    std::error_code ec;
    if (!std::filesystem::is_directory(*dir, ec))
        throw deepseek::Error(deepseek::ErrorKind::io, "", "verify: not a folder", *dir);
    const deepseek::Document doc = deepseek::load_document(*dir);
    return std::visit(
        [&](const auto& c) {
            if (!deepseek::quantization_modelled(c)) {
                const UnmodelledCheckpoint why = unmodelled_checkpoint(c);
                throw deepseek::Error(deepseek::ErrorKind::not_modelled, why.pointer,
                                      "verify: the stored tensors of " + why.what +
                                          " are not modelled (see the report's not modelled line)");
            }
            const deepseek::Verification v = deepseek::verify_checkpoint(c, *dir);
            std::ostringstream os;
            if (as_json) {
                os << json{{"verify", deepseek::verification_to_json(v, *dir)}}.dump(2) << "\n";
            } else {
                const auto names = [](const std::string& name) { return name; };
                const auto mismatch = [](const deepseek::VerifyMismatch& m) {
                    return m.name + ": " + (m.expected.empty() ? "(not in the index)" : m.expected) + " expected, " +
                           m.found + " found";
                };
                const auto problem = [](const deepseek::VerifyShardProblem& p) { return p.shard + ": " + p.message; };
                os << "verify " << *dir << " (" << deepseek::class_name_of(doc.config) << ")\n";
                os << "shards          " << v.shards << " read"
                   << (v.has_index ? " (model.safetensors.index.json present)" : " (no index)") << "\n";
                os << "tensors         " << grouped(v.tensors) << " in the shards, " << grouped(v.manifest_tensors)
                   << " in the manifest\n";
                print_list(os, "missing", v.missing, " (in the manifest, in no shard)", names);
                print_list(os, "unexpected", v.unexpected, " (in a shard, not in the manifest)", names);
                print_list(os, "shapes", v.shape_mismatch, " differ", mismatch);
                print_list(os, "dtypes", v.dtype_mismatch, " differ", mismatch);
                print_list(os, "duplicates", v.duplicates, " (in more than one shard)", names);
                print_list(os, "missing shards", v.missing_shards, " (named by the index)", names);
                print_list(os, "truncated", v.truncated_shards, "", problem);
                print_list(os, "bad shards", v.bad_shards, "", problem);
                if (v.has_index) print_list(os, "misplaced", v.misplaced, " (the index names another shard)", mismatch);
                os << "bytes           " << grouped(v.bytes) << " in the shards, " << grouped(v.checkpoint_bytes)
                   << " computed: " << (v.bytes == v.checkpoint_bytes ? "equal" : "DIFFERENT");
                if (v.total_size)
                    os << "; index total_size " << grouped(*v.total_size) << ": "
                       << (*v.total_size == v.bytes ? "equal" : "DIFFERENT");
                os << "\n";
                os << "result          " << (v.match() ? "match" : "MISMATCH") << "\n";
            }
            std::cout << os.str();
            return v.match() ? 0 : 1;
        },
        doc.config);
}

// ---- plan: every layout of a number of GPUs ------------------------------------------------

struct PlanOptions {
    std::optional<std::string> path;
    std::optional<std::string> preset;
    std::uint64_t gpus = 0;
    std::uint64_t gpus_per_node = 8;
    std::optional<deepseek::Dtype> kv_dtype;
    deepseek::GpuBudget budget;
    bool gpu_util_given = false, reserve_given = false; ///< else each engine's defaults
    std::vector<deepseek::Engine> engines{deepseek::Engine::vllm, deepseek::Engine::sglang};
    bool json = false;
    bool mtp = false;                                    ///< --mtp: every layout with the MTP draft loaded
    std::optional<std::string> svg;                      ///< --svg FILE: requests against context for the best layouts
    std::optional<std::uint64_t> max_num_batched_tokens; ///< DeepSeek-V4: else vLLM's default for the GPU
    bool async_scheduling = true;                        ///< DeepSeek-V4: --no-async-scheduling
    bool model_runner_v2 = true;                         ///< DeepSeek-V4: --model-runner
    std::optional<deepseek::VllmRelease> vllm_release;   ///< DeepSeek-V4: --vllm-version
    deepseek::GpuArch gpu_arch = deepseek::GpuArch::unspecified; ///< --gpu-arch
    bool marlin_scales_dropped = false;                          ///< --marlin-scales-dropped (SGLang, V4)
};

PlanOptions parse_plan_arguments(int argc, char** argv) {
    PlanOptions o;
    for (int i = 2; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw usage_error("plan: " + arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--json")
            o.json = true;
        else if (arg == "--mtp")
            o.mtp = true;
        else if (arg == "--max-num-batched-tokens")
            o.max_num_batched_tokens = parse_count(arg, value());
        else if (arg == "--no-async-scheduling")
            o.async_scheduling = false;
        else if (arg == "--model-runner")
            o.model_runner_v2 = parse_model_runner(value());
        else if (arg == "--vllm-version")
            o.vllm_release = parse_vllm_version(value());
        else if (arg == "--gpu-arch")
            o.gpu_arch = parse_gpu_arch(value());
        else if (arg == "--marlin-scales-dropped")
            o.marlin_scales_dropped = true;
        else if (arg == "--gpus")
            o.gpus = parse_count(arg, value());
        else if (arg == "--gpus-per-node")
            o.gpus_per_node = parse_count(arg, value());
        else if (arg == "--gpu-memory")
            o.budget.gpu_memory = parse_size(value());
        else if (arg == "--gpu-util") {
            o.budget.memory_fraction = parse_fraction(arg, value());
            o.gpu_util_given = true;
        } else if (arg == "--reserve") {
            o.budget.reserve = parse_size(value());
            o.reserve_given = true;
        } else if (arg == "--context")
            o.budget.context = parse_count(arg, value());
        else if (arg == "--kv-dtype")
            o.kv_dtype = parse_enum<deepseek::Dtype>(arg, value());
        else if (arg == "--svg")
            o.svg = value();
        else if (arg == "--preset")
            o.preset = value();
        else if (arg == "--engine") {
            const std::string engine = value();
            if (engine == "vllm")
                o.engines = {deepseek::Engine::vllm};
            else if (engine == "sglang")
                o.engines = {deepseek::Engine::sglang};
            else if (engine != "all")
                throw usage_error("plan: --engine: vllm, sglang or all (the others' deployments are not modelled), "
                                  "found '" +
                                  engine + "'");
        } else if (arg.size() > 1 && arg[0] == '-')
            throw usage_error("plan: unknown option '" + arg + "' (see --help)");
        else if (o.path)
            throw usage_error("plan: more than one MODEL given");
        else
            o.path = arg;
    }
    if (o.gpus == 0) throw usage_error("plan needs --gpus N");
    if (o.budget.gpu_memory == 0) throw usage_error("plan needs --gpu-memory SIZE");
    if (o.path && o.preset) throw usage_error("plan: give MODEL or --preset, not both");
    if (o.preset && !deepseek::presets::find(*o.preset)) throw usage_error("plan: unknown preset '" + *o.preset + "'");
    return o;
}

std::string layout_name(const deepseek::Deployment& d) {
    return std::string(deepseek::to_string(d.engine)) + " tp " + std::to_string(d.tp) + " pp " + std::to_string(d.pp) +
           " dp " + std::to_string(d.dp) + (d.dp_attention ? " dpa" : "") + (d.expert_parallel ? " ep" : "");
}

/// Refuses (into `refused`) a vLLM layout whose tensor parallelism crosses nodes: vLLM's docs
/// keep it within one. True when refused.
bool refused_across_nodes(const deepseek::Deployment& d, const PlanOptions& o,
                          std::vector<std::pair<std::string, std::string>>& refused) {
    if (d.tp <= o.gpus_per_node) return false;
    refused.emplace_back(layout_name(d),
                         "tensor parallelism across nodes (tp above " + std::to_string(o.gpus_per_node) + ")");
    return true;
}

/// A layout of `plan` with what it was planned with: the engine's cache format and budget.
struct PlannedLayout {
    deepseek::Deployment d;
    std::variant<deepseek::VllmKvFormat, deepseek::EngineKvFormat> format;
    deepseek::GpuBudget budget;
    deepseek::DeploymentPlan plan;
};

/// plan --svg's contexts for model `c`: 4,096 tokens, doubling below its maximum, and the maximum.
template <class C> std::vector<std::uint64_t> plan_contexts(const C& c) {
    std::vector<std::uint64_t> contexts;
    for (std::uint64_t n = 4096; n < c.max_position_embeddings; n *= 2) contexts.push_back(n);
    contexts.push_back(c.max_position_embeddings);
    return contexts;
}

/// plan --svg's drawing: one line per layout, `requests[l][i]` the requests layout `names[l]`
/// holds at once at `contexts[i]` tokens each, on `gpus` GPUs of `gpu_memory` bytes.
std::string requests_svg(const std::vector<std::uint64_t>& contexts, const std::vector<std::string>& names,
                         const std::vector<std::vector<std::uint64_t>>& requests, std::uint64_t gpus,
                         std::uint64_t gpu_memory) {
    std::uint64_t most = 1;
    for (const auto& line : requests)
        for (const std::uint64_t r : line) most = std::max(most, r);
    const int left = 70, top = 40, width = 560, height = 320;
    const char* const colours[] = {"#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#b07aa1"};
    const auto x_of = [&](std::size_t i) {
        return left +
               (contexts.size() < 2 ? 0.0 : width * static_cast<double>(i) / static_cast<double>(contexts.size() - 1));
    };
    const auto y_of = [&](std::uint64_t r) {
        return top + height - height * static_cast<double>(r) / static_cast<double>(most);
    };
    char buffer[256];
    std::string body;
    std::snprintf(buffer, sizeof buffer, "<path d=\"M%d %d V%d H%d\" fill=\"none\" stroke=\"#000000\"/>\n", left, top,
                  top + height, left + width);
    body += buffer;
    for (std::size_t i = 0; i < contexts.size(); ++i) { // x axis: the context, in tokens
        std::snprintf(buffer, sizeof buffer, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", x_of(i),
                      top + height + 16);
        body += buffer + grouped(contexts[i]) + "</text>\n";
    }
    std::snprintf(buffer, sizeof buffer, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n", left - 6, top + 4,
                  grouped(most).c_str());
    body += buffer;
    body += "<text x=\"" + std::to_string(left + width / 2) + "\" y=\"" + std::to_string(top + height + 36) +
            "\" text-anchor=\"middle\">tokens per request</text>\n";
    for (std::size_t l = 0; l < names.size(); ++l) {
        std::string points;
        for (std::size_t i = 0; i < contexts.size(); ++i) {
            std::snprintf(buffer, sizeof buffer, "%s%.1f,%.1f", i == 0 ? "" : " ", x_of(i), y_of(requests[l][i]));
            points += buffer;
        }
        body += std::string("<polyline points=\"") + points + "\" fill=\"none\" stroke-width=\"2\" stroke=\"" +
                colours[l % 5] + "\"/>\n";
        std::snprintf(buffer, sizeof buffer, "<text x=\"%d\" y=\"%zu\" fill=\"%s\">", left + width + 12,
                      top + 14 + 18 * l, colours[l % 5]);
        body += buffer + xml_escaped(names[l]) + ": " + grouped(requests[l].front()) + " at " +
                grouped(contexts.front()) + "</text>\n";
    }
    const std::string title = "requests held at once against tokens per request, " + std::to_string(gpus) +
                              " GPUs of " + grouped(gpu_memory) + " B";
    return svg_document(left + width + 260, top + height + 50, title, body);
}

/// The requests each layout of `layouts` holds at once (all its GPUs) against the context, from
/// 4,096 tokens to the model's maximum by doubling (and the maximum itself), one line each:
/// `requests_at(layout, context)` for each point.
template <class C, class L, class F> std::string plan_svg_of(const C& c, const std::vector<L>& layouts, F&& requests_at,
                                                             std::uint64_t gpus, std::uint64_t gpu_memory) {
    const std::vector<std::uint64_t> contexts = plan_contexts(c);
    std::vector<std::string> names;
    std::vector<std::vector<std::uint64_t>> requests(layouts.size());
    for (std::size_t l = 0; l < layouts.size(); ++l) {
        names.push_back(layout_name(layouts[l].d));
        for (const std::uint64_t n : contexts) requests[l].push_back(requests_at(layouts[l], n));
    }
    return requests_svg(contexts, names, requests, gpus, gpu_memory);
}

/// plan --svg for the layouts plan_deployment planned.
template <class C> std::string plan_svg(const C& c, const std::vector<PlannedLayout>& layouts) {
    const auto at = [&](const PlannedLayout& layout, std::uint64_t context) -> std::uint64_t {
        deepseek::GpuBudget b = layout.budget;
        b.context = context;
        const auto planned =
            std::visit([&](auto f) { return deepseek::plan_deployment(c, layout.d, f, b); }, layout.format);
        return planned && planned->fits ? planned->total_requests : 0;
    };
    return plan_svg_of(c, layouts, at, layouts.empty() ? 0 : layouts[0].plan.gpus,
                       layouts.empty() ? 0 : layouts[0].budget.gpu_memory);
}

/// One layout of plan for DeepSeek-V4: vLLM's (V4Deployment) or SGLang's on Hopper
/// (SglangV4Deployment).
struct V4PlanRow {
    deepseek::Deployment d;
    std::variant<V4Deployment, SglangV4Deployment> laid;
    [[nodiscard]] std::uint64_t weights_per_gpu() const {
        return std::visit([](const auto& v) { return v.kv.weights_per_gpu; }, laid);
    }
    [[nodiscard]] std::uint64_t total_requests() const {
        return std::visit([](const auto& v) { return v.kv.total_requests; }, laid);
    }
    /// The largest stage's room for the caches: usable less its weights and the reserve
    /// (SGLang's available bytes).
    [[nodiscard]] std::uint64_t room() const {
        if (const auto* v = std::get_if<V4Deployment>(&laid)) return v->room(v->kv.largest_stage);
        return std::get<SglangV4Deployment>(laid).kv.available_bytes;
    }
    /// The requests the layout holds at once with `context` tokens each (0 when it does not fit).
    [[nodiscard]] std::uint64_t requests_at(const deepseek::DeepseekV4Config& c, std::uint64_t context) const {
        if (const auto* v = std::get_if<V4Deployment>(&laid)) {
            deepseek::GpuBudget b = v->b;
            b.context = context;
            const auto planned = deepseek::plan_v4_deployment(c, v->d, b, v->scheduler);
            return planned && planned->fits ? planned->total_requests : 0;
        }
        deepseek::GpuBudget b = std::get<SglangV4Deployment>(laid).b;
        b.context = context;
        const auto planned = deepseek::plan_sglang_v4_deployment(c, d, b);
        return planned && planned->fits ? planned->total_requests : 0;
    }
    [[nodiscard]] std::string launch(const deepseek::DeepseekV4Config& c) const {
        if (const auto* v = std::get_if<V4Deployment>(&laid)) return v4_launch(c, *v);
        return sglang_v4_launch(std::get<SglangV4Deployment>(laid));
    }
    [[nodiscard]] json to_json(const deepseek::DeepseekV4Config& c) const {
        if (const auto* v = std::get_if<V4Deployment>(&laid)) return v4_deployment_json(c, *v);
        return sglang_v4_deployment_json(std::get<SglangV4Deployment>(laid));
    }
};

/// plan --svg for DeepSeek-V4's layouts: the requests each engine's pool holds at once at each
/// context (the pool does not depend on the context, the pages a request holds do).
std::string v4_plan_svg(const deepseek::DeepseekV4Config& c, const std::vector<V4PlanRow>& layouts,
                        const deepseek::GpuBudget& given) {
    const auto at = [&](const V4PlanRow& layout, std::uint64_t context) { return layout.requests_at(c, context); };
    std::uint64_t gpus = 0;
    if (!layouts.empty()) gpus = std::visit([](const auto& v) { return v.kv.gpus; }, layouts[0].laid);
    return plan_svg_of(c, layouts, at, gpus, given.gpu_memory);
}

/// Why plan lays out no SGLang layout of DeepSeek-V4 with options `o`, or empty: SGLang's V4 is
/// modelled on Hopper (--gpu-arch hopper).
std::string sglang_v4_plan_refusal(const PlanOptions& o) {
    if (o.gpu_arch != deepseek::GpuArch::hopper)
        return "SGLang's DeepSeek-V4 is modelled on Hopper (its Marlin MoE runner): give --gpu-arch hopper";
    return {};
}

/// plan for DeepSeek-V4: every layout of the GPUs whose weights the engines lay out (vLLM's,
/// and SGLang's on Hopper), ranked by the requests of the context each engine's pool holds at
/// once (plan_v4_deployment, plan_sglang_v4_deployment), then fewer pipeline stages, then
/// smaller tp.
int run_v4_plan(const deepseek::DeepseekV4Config& c, const PlanOptions& o, const std::string& what) {
    std::vector<V4PlanRow> plans;
    std::vector<std::pair<std::string, std::string>> refused;
    // A layout laid out (lay_out_v4's or lay_out_sglang_v4's result): planned, or refused with why.
    const auto admit = [&](const deepseek::Deployment& d, const auto& laid) {
        if (!laid)
            refused.emplace_back(layout_name(d), std::string(deepseek::error_message(laid.error())));
        else if (!laid->kv.fits)
            refused.emplace_back(layout_name(d),
                                 "does not fit: " + grouped(laid->kv.shortfall) + " bytes short on a GPU");
        else
            plans.push_back({d, *laid});
    };
    for (const deepseek::Engine engine : o.engines) {
        const bool sglang = engine == deepseek::Engine::sglang;
        if (sglang && !sglang_v4_plan_refusal(o).empty()) {
            refused.emplace_back("sglang", sglang_v4_plan_refusal(o));
            continue;
        }
        deepseek::for_each_layout(o.gpus, engine, [&](deepseek::Deployment d) {
            d.mtp = o.mtp;
            d.gpu_arch = o.gpu_arch;
            d.marlin_scales_dropped = sglang && o.marlin_scales_dropped;
            // vLLM's docs keep tensor parallelism within a node; SGLang runs it across nodes.
            if (!sglang && refused_across_nodes(d, o, refused)) return;
            // SGLang's default fraction for V4 is modelled: always a budget.
            const deepseek::GpuBudget b = engine_budget(c, o.budget, d, o.gpu_util_given, o.reserve_given).value();
            if (sglang) return admit(d, lay_out_sglang_v4(c, d, b));
            admit(d, lay_out_v4(c, d, b,
                                v4_scheduler(o.max_num_batched_tokens, o.async_scheduling, o.model_runner_v2,
                                             o.vllm_release, b.gpu_memory)));
        });
    }
    std::stable_sort(plans.begin(), plans.end(), [&](const V4PlanRow& a, const V4PlanRow& b) {
        if (a.total_requests() != b.total_requests()) return a.total_requests() > b.total_requests();
        if (a.d.pp != b.d.pp) return a.d.pp < b.d.pp;
        return a.d.tp < b.d.tp;
    });
    if (o.svg)
        write_svg(*o.svg, v4_plan_svg(c,
                                      std::vector<V4PlanRow>(
                                          plans.begin(), plans.begin() + static_cast<std::ptrdiff_t>(
                                                                             std::min<std::size_t>(plans.size(), 5))),
                                      o.budget));
    if (o.json) {
        json out{{"plans", json::array()}, {"refused", json::array()}};
        for (const V4PlanRow& v : plans) out["plans"].push_back(v.to_json(c));
        for (const auto& [layout, reason] : refused) out["refused"].push_back({{"layout", layout}, {"reason", reason}});
        std::cout << out.dump(2) << "\n";
        return 0;
    }
    const std::uint64_t context = deepseek::plan_context(c, o.budget);
    const bool any_vllm = std::find(o.engines.begin(), o.engines.end(), deepseek::Engine::vllm) != o.engines.end();
    const bool any_sglang = std::find(o.engines.begin(), o.engines.end(), deepseek::Engine::sglang) != o.engines.end();
    std::ostringstream os;
    os << "plan: " << o.gpus << " GPUs of " << bytes_and_human(o.budget.gpu_memory) << ", "
       << (any_vllm && any_sglang ? "vLLM and SGLang"
           : any_vllm             ? "vLLM"
                                  : "SGLang")
       << ", " << what << (o.mtp ? ", MTP draft loaded" : "") << "\n";
    if (any_vllm)
        os << "  vLLM: the cache in " << v4_pool_version(o.vllm_release.value_or(deepseek::VllmRelease::v0_31))
           << ", --max-num-batched-tokens "
           << v4_scheduler(o.max_num_batched_tokens, o.async_scheduling, o.model_runner_v2, o.vllm_release,
                           o.budget.gpu_memory)
                  .max_num_batched_tokens
           << (o.async_scheduling ? " with" : " without") << " async scheduling"
           << (o.async_scheduling ? std::string(", vLLM's ") + (o.model_runner_v2 ? "V2" : "V1") + " model runner" : "")
           << "\n";
    if (any_sglang && sglang_v4_plan_refusal(o).empty())
        os << "  SGLang: on Hopper with the Marlin MoE runner, the DSV4 pool (pool_configurator.py at 003fca80): "
              "--swa-full-tokens-ratio 0.1, pages of 256, 256 requests a worker at most\n";
    os << "  rank  layout                        weights per GPU      room per GPU         requests at once\n";
    for (std::size_t i = 0; i < plans.size(); ++i) {
        const V4PlanRow& v = plans[i];
        std::string rank = std::to_string(i + 1), layout = layout_name(v.d), weights = human_bytes(v.weights_per_gpu()),
                    room = human_bytes(v.room());
        rank.resize(6, ' ');
        layout.resize(layout.size() < 30 ? 30 : layout.size() + 1, ' ');
        weights.resize(21, ' ');
        room.resize(21, ' ');
        os << "  " << rank << layout << weights << room << grouped(v.total_requests()) << " of " << grouped(context)
           << " tokens\n";
    }
    if (plans.empty()) os << "  (no layout fits)\n";
    os << "refused " << refused.size() << " layouts, e.g.:\n";
    for (std::size_t i = 0; i < refused.size() && i < 10; ++i)
        os << "  " << refused[i].first << ": " << refused[i].second << "\n";
    if (!plans.empty()) os << "best: " << plans[0].launch(c) << "\n";
    std::cout << os.str();
    return 0;
}

/// `deepseek-config plan MODEL --gpus N --gpu-memory SIZE`: every tp x pp x dp layout of N GPUs,
/// with and without expert parallelism, planned by plan_deployment; those that fit ranked by
/// the requests of the context they hold at once (then fewer pipeline stages, smaller tp).
/// Tensor parallelism stays within a node (--gpus-per-node), as vLLM's docs advise.
int run_plan(int argc, char** argv) {
    const PlanOptions o = parse_plan_arguments(argc, argv);
    const std::string preset = o.preset.value_or("deepseek-v3");
    const deepseek::Document doc =
        o.path ? deepseek::load_document(*o.path) : deepseek::Document{*deepseek::presets::find(preset)};
    return std::visit(
        [&](const auto& c) {
            if constexpr (std::is_same_v<std::decay_t<decltype(c)>, deepseek::DeepseekV4Config>)
                return run_v4_plan(c, o, o.path ? *o.path : "preset " + preset);
            if (o.marlin_scales_dropped)
                throw usage_error("plan: --marlin-scales-dropped is for SGLang's DeepSeek-V4 only");
            if (o.max_num_batched_tokens || !o.async_scheduling || !o.model_runner_v2 || o.vllm_release)
                throw usage_error("plan: --max-num-batched-tokens, --no-async-scheduling, --model-runner and "
                                  "--vllm-version size DeepSeek-V4's cache only");
            std::vector<PlannedLayout> plans;
            std::vector<std::pair<std::string, std::string>> refused;
            for (const deepseek::Engine engine : o.engines) {
                deepseek::for_each_layout(o.gpus, engine, [&](deepseek::Deployment d) {
                    if (d.expert_parallel && !c.n_routed_experts) return; // no experts to spread
                    d.mtp = o.mtp;
                    d.gpu_arch = o.gpu_arch;
                    const bool sglang = engine == deepseek::Engine::sglang;
                    // vLLM's docs keep tensor parallelism within a node; SGLang runs it across
                    // nodes (--nnodes) for DeepSeek.
                    if (!sglang && refused_across_nodes(d, o, refused)) return;
                    const std::optional<deepseek::GpuBudget> budget =
                        engine_budget(c, o.budget, d, o.gpu_util_given, o.reserve_given);
                    if (!budget) {
                        refused.emplace_back(layout_name(d),
                                             std::string(sglang_fraction_refusal) + ": give --gpu-util F");
                        return;
                    }
                    const deepseek::GpuBudget& b = *budget;
                    const bool fp8 = o.kv_dtype && *o.kv_dtype == deepseek::Dtype::fp8;
                    const std::variant<deepseek::VllmKvFormat, deepseek::EngineKvFormat> format =
                        sglang ? decltype(format){fp8 ? deepseek::EngineKvFormat::sglang_fp8
                                                      : deepseek::EngineKvFormat::sglang}
                               : decltype(format){deepseek::default_vllm_kv_format(c, o.kv_dtype)};
                    const auto planned =
                        std::visit([&](auto f) { return deepseek::plan_deployment(c, d, f, b); }, format);
                    if (!planned)
                        refused.emplace_back(layout_name(d), std::string(deepseek::error_message(planned.error())));
                    else if (!planned->fits)
                        refused.emplace_back(layout_name(d),
                                             "does not fit: " + grouped(planned->shortfall) + " bytes short on a GPU");
                    else
                        plans.push_back({d, format, b, *planned});
                });
            }
            std::stable_sort(plans.begin(), plans.end(), [](const PlannedLayout& a, const PlannedLayout& b) {
                if (a.plan.total_requests != b.plan.total_requests)
                    return a.plan.total_requests > b.plan.total_requests;
                if (a.d.pp != b.d.pp) return a.d.pp < b.d.pp;
                return a.d.tp < b.d.tp;
            });
            const auto format_name = [](const PlannedLayout& p) {
                return std::visit([](auto f) { return std::string(deepseek::to_string(f)); }, p.format);
            };
            const auto launch = [](const PlannedLayout& p) {
                return std::visit([&](auto f) { return deepseek::launch_command(p.d, p.budget, f, p.plan.context); },
                                  p.format);
            };
            std::ostringstream os;
            if (o.json) {
                json out{{"plans", json::array()}, {"refused", json::array()}};
                for (const PlannedLayout& p : plans) {
                    out["plans"].push_back(std::visit(
                        [&](auto f) { return deepseek::deployment_plan_to_json(c, p.plan, p.d, f, p.budget); },
                        p.format));
                }
                for (const auto& [layout, reason] : refused)
                    out["refused"].push_back({{"layout", layout}, {"reason", reason}});
                os << out.dump(2) << "\n";
            } else {
                os << "plan: " << o.gpus << " GPUs of " << bytes_and_human(o.budget.gpu_memory) << ", "
                   << (o.engines.size() == 2                    ? std::string("vLLM and SGLang")
                       : o.engines[0] == deepseek::Engine::vllm ? "vLLM"
                                                                : "SGLang")
                   << ", " << (o.path ? *o.path : "preset " + preset) << (o.mtp ? ", MTP draft loaded" : "") << "\n";
                os << "  rank  layout                           cache        weights per GPU      KV tokens    "
                      "requests at once\n";
                for (std::size_t i = 0; i < plans.size(); ++i) {
                    std::string layout = layout_name(plans[i].d), weights = human_bytes(plans[i].plan.weights_per_gpu);
                    std::string cache = format_name(plans[i]);
                    layout.resize(layout.size() < 33 ? 33 : layout.size() + 1,
                                  ' '); // "sglang tp 256 pp 1 dp 128 dpa ep"
                    cache.resize(13, ' ');
                    weights.resize(21, ' ');
                    std::string rank = std::to_string(i + 1);
                    rank.resize(6, ' ');
                    std::string tokens = grouped(plans[i].plan.kv_tokens);
                    tokens.resize(13, ' ');
                    os << "  " << rank << layout << cache << weights << tokens << grouped(plans[i].plan.total_requests)
                       << " of " << grouped(plans[i].plan.context) << " tokens\n";
                }
                if (plans.empty()) os << "  (no layout fits)\n";
                if (!plans.empty() && !plans[0].plan.vision_modelled)
                    os << "not modelled: " << vision_not_counted << "\n";
                os << "refused " << refused.size() << " layouts, e.g.:\n";
                for (std::size_t i = 0; i < refused.size() && i < 10; ++i)
                    os << "  " << refused[i].first << ": " << refused[i].second << "\n";
                if (!plans.empty()) os << "best: " << launch(plans[0]) << "\n";
            }
            if (o.svg) {
                const std::vector<PlannedLayout> best(
                    plans.begin(), plans.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(5, plans.size())));
                write_svg(*o.svg, plan_svg(c, best));
                if (!o.json) os << "wrote " << *o.svg << "\n";
            }
            std::cout << os.str();
            return 0;
        },
        doc.config);
}

int main_impl(int argc, char** argv) {
    if (argc >= 2 && std::string_view(argv[1]) == "verify") return run_verify(argc, argv);
    if (argc >= 2 && std::string_view(argv[1]) == "plan") return run_plan(argc, argv);
    const CliOptions o = parse_arguments(argc, argv);
    if (o.help) {
        std::cout << help_text;
        return 0;
    }
    if (o.version) {
        std::cout << program << " " << DEEPSEEK_CONFIG_VERSION_STRING << "\n";
        return 0;
    }
    const std::string preset = o.preset.value_or("deepseek-v3");
    deepseek::Document doc{*deepseek::presets::find(preset)};
    std::string source = "built-in preset " + preset + (o.preset ? "" : " (no PATH given)");
    if (o.path) {
        doc = deepseek::load_document(*o.path);
        source = deepseek::config_file_path(*o.path).string();
    }
    if (o.save_config) {
        std::filesystem::path target = *o.save_config;
        std::error_code ec;
        if (std::filesystem::is_directory(target, ec)) target /= "config.json";
        deepseek::save_document(doc, target);
        std::cout << "wrote " << target.string() << " (" << deepseek::class_name_of(doc.config) << ", from " << source
                  << ")\n";
        return 0;
    }
    return std::visit([&](const auto& c) { return run(c, doc, o, source); }, doc.config);
}

} // namespace

int main(int argc, char** argv) {
    try {
        return main_impl(argc, argv);
    } catch (const usage_error& e) {
        std::cerr << program << ": " << e.what() << "\n";
        return 2;
    } catch (const deepseek::Error& e) {
        std::cerr << program << ": " << e.what() << "\n";
        return e.kind() == deepseek::ErrorKind::io ? 3 : 1;
    } catch (const std::exception& e) {
        std::cerr << program << ": " << e.what() << "\n";
        return 1;
    }
}
