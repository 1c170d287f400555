// libFuzzer harness: arbitrary bytes through the reader, then the memory arithmetic and a
// save/parse round trip on whatever parses. A deepseek::Error or ArithmeticOverflow is an expected
// outcome; anything else (a crash, a sanitizer report, a leak, another exception escaping, a
// round trip that changes the config) aborts the run.
#include <deepseek/deployment.hpp>
#include <deepseek/json.hpp>
#include <deepseek/memory.hpp>
#include <deepseek/report.hpp>
#include <deepseek/safetensors_json.hpp>
#include <deepseek/tensors.hpp>

#include "../queries.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

namespace {

[[noreturn]] void die(const char* what, const std::string& detail = {}) {
    std::fprintf(stderr, "config_fuzz: %s %s\n", what, detail.c_str());
    std::abort();
}

// Every figure the command-line tool prints, each computed on its own so one overflow does not
// hide the others.
template <class C> void exercise_memory(const C& c) {
    using namespace deepseek;
    std::uint64_t tensors = 0;
    bool have_tensors = false;
    try {
        tensors = tensor_count(c);
        have_tensors = true;
    } catch (const ArithmeticOverflow&) {}
    try {
        (void)param_breakdown(c);
    } catch (const ArithmeticOverflow&) {}
    std::uint64_t checkpoint = 0;
    bool have_checkpoint = false;
    try {
        checkpoint = checkpoint_bytes(c);
        have_checkpoint = true;
    } catch (const ArithmeticOverflow&) {
    } catch (const Error& e) {
        // The one other error: a quantisation method that is not modelled has no checkpoint bytes.
        if (e.kind() != ErrorKind::not_modelled || quantization_modelled(c)) die("checkpoint_bytes threw");
    }
    // The functions that return a Result throw nothing: an overflow is their error value.
    for (const KvLayout layout : {KvLayout::latent, KvLayout::expanded, KvLayout::mha}) {
        (void)kv_cache_bytes(c, test_support::kv_query(layout, 4096, 1, Dtype::bf16, 1));
        (void)max_context_tokens(
            c, test_support::budget_query(std::uint64_t{80} << 30, Dtype::bf16, layout, Dtype::bf16, 1, 1));
        (void)max_context_tokens(
            c, test_support::budget_query(std::uint64_t{640} << 30, Dtype::fp8, layout, Dtype::fp8, 4, 8));
    }
    (void)make_report(c, ReportOptions{});
    // vLLM and SGLang deployments: Results, throwing nothing; each stage's figures add up, and the
    // stages hold every layer once.
    const auto layout = [](std::uint64_t tp, std::uint64_t pp, std::uint64_t dp, bool ep, std::uint64_t redundant,
                           bool mtp) {
        Deployment d{};
        d.tp = tp, d.pp = pp, d.dp = dp, d.expert_parallel = ep, d.redundant_experts = redundant, d.mtp = mtp;
        return d;
    };
    // SGLang's: DP attention over 8 with DeepEP, and a pipeline of 3 replicated twice in pages of 64.
    Deployment dpa = layout(8, 1, 8, true, 0, false);
    dpa.engine = Engine::sglang;
    dpa.dp_attention = true;
    dpa.deepep = true;
    Deployment sglang_pp = layout(4, 3, 2, false, 0, false);
    sglang_pp.engine = Engine::sglang;
    sglang_pp.page_size = 64; // FlashMLA's pages
    // Every engine's cache side by side: Results, throwing nothing.
    if constexpr (!std::is_same_v<C, DeepseekV4Config>) (void)kv_cache_by_engine(c, 131'072);
    const auto check_plans = [&](const Deployment& d, auto f) {
        GpuBudget b{};
        b.gpu_memory = std::uint64_t{141} * 1000 * 1000 * 1000;
        const auto plan = plan_deployment(c, d, f, b);
        if (!plan) return;
        std::uint64_t layers = 0, largest = 0;
        for (std::uint64_t s = 0; s < d.pp; ++s) {
            const auto p = plan_gpu(c, d, f, b, s);
            if (!p) die("plan_gpu: refused a stage of a deployment plan_deployment planned");
            layers += p->weights.layers.count;
            if (p->weights.total() > largest) largest = p->weights.total();
            if (p->fits && p->kv_blocks > 0 && p->kv_bytes_per_token != 0 &&
                p->weights.total() + b.reserve + p->kv_blocks * p->entry.block * p->kv_bytes_per_token > p->usable)
                die("plan_gpu: weights, reserve and KV blocks exceed the usable memory");
            if (p->fits && p->kv_blocks < plan->kv_blocks) die("plan_deployment: more blocks than a stage has");
        }
        if (largest != plan->weights_per_gpu) die("plan_deployment: the largest stage differs from plan_gpu's");
        if (layers != c.num_hidden_layers) die("plan_deployment: the stages do not hold every layer once");
    };
    for (const Deployment& d : {dpa, sglang_pp}) {
        (void)weights_per_gpu(c, d);
        for (const EngineKvFormat f : {EngineKvFormat::sglang, EngineKvFormat::sglang_fp8}) check_plans(d, f);
    }
    for (const Deployment& d : {layout(8, 1, 1, false, 0, false), layout(1, 1, 8, true, 32, true),
                                layout(4, 1, 4, true, 0, false), layout(8, 3, 1, false, 0, false)}) {
        (void)weights_per_gpu(c, d);
        for (const VllmKvFormat f :
             {VllmKvFormat::flashmla, VllmKvFormat::fp8_ds_mla, VllmKvFormat::cutlass_mla, VllmKvFormat::flash_attn}) {
            check_plans(d, f);
        }
    }
    if constexpr (std::is_same_v<C, DeepseekV4Config>) {
        // DeepSeek-V4's cache in every engine format, and the largest context of a budget.
        for (const V4KvFormat f : {V4KvFormat::demo_bf16, V4KvFormat::vllm_fp8, V4KvFormat::sglang_fp8,
                                   V4KvFormat::sglang_fp4_indexer, V4KvFormat::llamacpp_f16}) {
            try {
                (void)v4_kv_cache_bytes(c, f, std::uint64_t{1} << 20);
                (void)v4_max_context_tokens(c, f, 4, std::uint64_t{80} << 30);
            } catch (const ArithmeticOverflow&) {}
        }
        // vLLM's pool beside the weights: a Result, throwing nothing; every stage's blocks fit.
        for (const Deployment& d :
             {layout(8, 1, 1, true, 0, false), layout(1, 1, 1, false, 0, true), layout(4, 3, 1, true, 0, false)}) {
            GpuBudget b{};
            b.gpu_memory = std::uint64_t{141} * 1000 * 1000 * 1000;
            b.context = 131'072;
            const auto p = plan_v4_deployment(c, d, b);
            for (std::uint64_t s = 0; p && p->fits && s < d.pp; ++s) {
                const auto w = weights_per_gpu(c, d, s);
                if (!w) die("plan_v4_deployment planned a stage weights_per_gpu refuses");
                if (w->total() + b.reserve + p->kv_blocks * vllm_v4_stage_block(c, d, s) > p->usable)
                    die("plan_v4_deployment: a stage's weights, reserve and KV blocks exceed the usable memory");
            }
            if (p && p->fits && p->blocks_per_request != 0 && p->max_requests * p->blocks_per_request > p->kv_blocks)
                die("plan_v4_deployment: more requests than the blocks hold");
            // vLLM 0.23 to 0.25's pool at pp 1: its blocks fit too.
            VllmScheduler old{};
            old.release = VllmRelease::v0_23;
            const auto q = plan_v4_deployment(c, d, b, old);
            if (q && q->fits && q->weights_per_gpu + b.reserve + q->kv_blocks * q->pool.block_bytes > q->usable)
                die("plan_v4_deployment (vLLM 0.23): weights, reserve and KV blocks exceed the usable memory");
        }
        ReportOptions budget{};
        budget.budget = std::uint64_t{1} << 40;
        budget.batch = 8;
        (void)make_report(c, budget);
    }
    // The manifest holds one entry (with a name string) per tensor: only for small models, to
    // keep the fuzzer fast (DeepSeek-V2-Lite has about 5000 tensors; V3 91000).
    if (have_tensors && tensors < 20000) {
        const auto manifest = tensor_manifest(c); // tensor_count did not overflow, so neither does this
        if (manifest.size() != tensors) die("tensor_manifest size differs from tensor_count");
        // Summed only when checkpoint_bytes gave a figure: then no tensor's bytes can overflow (a
        // TensorInfo's bytes() outside the library's entry points would call the overflow handler).
        if (have_checkpoint) {
            std::uint64_t bytes = 0;
            for (const auto& t : manifest) bytes += t.bytes();
            if (bytes != checkpoint) die("tensor_manifest bytes differ from checkpoint_bytes");
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    // The same bytes as a whole .safetensors file, and as the header of one behind its 8-byte
    // length: an Error or a header, never a crash (the seeds hold headers too).
    (void)deepseek::try_parse_safetensors_header(text);
    std::string file(8, '\0');
    for (std::size_t i = 0; i < 8; ++i)
        file[i] = static_cast<char>((static_cast<std::uint64_t>(size) >> (8 * i)) & 0xFF);
    file.append(text);
    const auto header = deepseek::try_parse_safetensors_header(file);
    if (!header && header.error().kind() == deepseek::ErrorKind::io) die("io error from bytes:", header.error().what());

    // The non-throwing entry point reports deepseek::Error and std::bad_alloc; any other
    // exception escapes it (a bug), and an exception escaping this function aborts the run. Text
    // has no file: an io error would be a bug too.
    const auto r = deepseek::try_parse_config(text);
    if (!r && r.error().kind() == deepseek::ErrorKind::io) die("io error from text:", r.error().what());

    deepseek::Document doc;
    try {
        doc = deepseek::parse_document(text);
    } catch (const deepseek::Error&) {
        if (r) die("parse_document failed where try_parse_config succeeded");
        return 0;
    }
    if (!r) die("try_parse_config failed where parse_document succeeded");
    if (!(r.value() == doc.config)) die("parse_config and parse_document disagree");

    std::visit([](const auto& c) { exercise_memory(c); }, doc.config);

    // load -> save -> load: the saved text parses back to an equal config.
    const std::string saved = deepseek::document_to_json(doc).dump(2);
    deepseek::Document again;
    try {
        again = deepseek::parse_document(saved);
    } catch (const deepseek::Error& e) {
        die("the saved document does not parse:", std::string(e.what()) + "\n" + saved.substr(0, 2000));
    }
    if (!(again.config == doc.config)) die("round trip changed the config:", saved.substr(0, 2000));
    if (again.layout != doc.layout) die("round trip changed the layout");
    return 0;
}
