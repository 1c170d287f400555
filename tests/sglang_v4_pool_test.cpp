// SGLang's DeepSeek-V4 pool (sglang_v4_pool.hpp). The expected figures are SGLang's own log lines
// ("DSV4 memory calculation", "DSV4 pool sizes") from four published runs, and sums written out
// here from the terms of pool_configurator.py's `_get_bytes_per_full_token` (sglang 003fca80 and
// v0.5.12.post1's earlier form). A log prints its available bytes in GiB to two decimals, so each
// case gives the pool the fewest bytes that hold the logged full pool (full x bytes a full token,
// rounded up, and the rings set aside), checks that they print as the log's figure, and checks
// that one byte fewer loses a page.
#include <deepseek/presets.hpp>
#include <deepseek/sglang_v4_deployment.hpp>
#include <deepseek/sglang_v4_pool.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

#include "catch.hpp"

// One namespace per test file: the files of a batch share a translation unit (tests/CMakeLists.txt).
namespace sglang_v4_pool_test {

using namespace deepseek;
namespace P = deepseek::presets;

namespace {

std::string two_decimals(double x) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f", x);
    return text;
}

std::string gib(std::uint64_t bytes) { return two_decimals(static_cast<double>(bytes) / (1 << 30)); }

/// One published run: its settings, the GiB it logged as available and set aside, and its pools.
struct LoggedRun {
    const DeepseekV4Config* config;
    SglangV4Settings settings;
    std::uint64_t first, count; ///< the stage's decoder layers
    const char* bytes_per_full_token;
    const char* available_gib;
    const char* fixed_gib;
    std::uint64_t full, swa, c4, c128, c4_state, c128_state;
};

void check_run(const LoggedRun& run) {
    const DeepseekV4Config& c = *run.config;
    const auto at = [&](std::uint64_t available) {
        return sglang_v4_pool(c, available, run.settings, run.first, run.count).value();
    };
    const SglangV4Pool probe = at(0);
    CHECK(two_decimals(probe.bytes_per_full_token) == run.bytes_per_full_token);
    CHECK(gib(probe.c128_state_fixed_bytes) == run.fixed_gib);
    const auto needed =
        static_cast<std::uint64_t>(std::ceil(static_cast<double>(run.full) * probe.bytes_per_full_token));
    const std::uint64_t available = needed + probe.c128_state_fixed_bytes;
    CHECK(gib(available) == run.available_gib);
    const SglangV4Pool p = at(available);
    CHECK(p.full == run.full);
    CHECK(p.swa == run.swa);
    CHECK(p.c4 == run.c4);
    CHECK(p.c128 == run.c128);
    CHECK(p.c4_state == run.c4_state);
    CHECK(p.c128_state == run.c128_state);
    CHECK(at(available - 1).full == run.full - run.settings.page_size);
}

constexpr SglangV4Settings npu(std::uint64_t requests) { // Ascend: pages of 128 tokens
    SglangV4Settings s{};
    s.page_size = 128;
    s.max_running_requests = requests;
    return s;
}

} // namespace

TEST_CASE("SGLang V4: a full token's bytes, summed by hand from _get_bytes_per_full_token", "[sglang_v4]") {
    // V4-Flash's 43 decoder layers: 2 window-only, 21 of ratio 4, 20 of ratio 128 (its
    // compress_ratios: 0, 0, then 4 and 128 in turn, 4 last; the 44th entry, the MTP block's,
    // is left out). Entries of 448 + 2 x 64 + 8 = 584 bytes; indexer keys 128 + 4 = 132;
    // ratio-4 state 2 x 2 x 512 x 4 = 8,192 bytes a row, its indexer's 2 x 2 x 128 x 4 = 2,048,
    // rings of 8 rows in a window of 128.
    const SglangV4Layers flash = sglang_v4_layers(P::deepseek_v4_flash, SglangV4Settings{}, 0, 43);
    CHECK(flash.all == 43);
    CHECK(flash.ratio4 == 21);
    CHECK(flash.ratio128 == 20);
    const double flash_bytes = 0.1 * 584 * 43 + 584.0 / 4 * 21 + 584.0 / 128 * 20 + 132.0 / 4 * 21 +
                               0.1 * 8 / 128 * 8192 * 21 + 0.1 * 8 / 128 * 2048 * 21; // 7,705.45
    CHECK(sglang_v4_bytes_per_full_token(P::deepseek_v4_flash, SglangV4Settings{}, flash) ==
          Approx(flash_bytes).epsilon(1e-12));
    // V4-Pro's 61: 30 of ratio 4, 31 of ratio 128 (128, 128, then 4 and 128 in turn).
    const SglangV4Layers pro = sglang_v4_layers(P::deepseek_v4_pro, SglangV4Settings{}, 0, 61);
    CHECK(pro.all == 61);
    CHECK(pro.ratio4 == 30);
    CHECK(pro.ratio128 == 31);
    const double pro_bytes = 0.1 * 584 * 61 + 584.0 / 4 * 30 + 584.0 / 128 * 31 + 132.0 / 4 * 30 +
                             0.1 * 8 / 128 * 8192 * 30 + 0.1 * 8 / 128 * 2048 * 30; // 10,993.8375
    CHECK(sglang_v4_bytes_per_full_token(P::deepseek_v4_pro, SglangV4Settings{}, pro) ==
          Approx(pro_bytes).epsilon(1e-12));

    // The MTP draft: rings of 16 and 256 rows, and every token priced 44 / 43 for its cache.
    SglangV4Settings mtp{};
    mtp.speculative = true;
    const double flash_mtp = (0.1 * 584 * 43 + 584.0 / 4 * 21 + 584.0 / 128 * 20 + 132.0 / 4 * 21 +
                              0.1 * 16 / 128 * 8192 * 21 + 0.1 * 16 / 128 * 2048 * 21) *
                             44 / 43;
    CHECK(sglang_v4_bytes_per_full_token(P::deepseek_v4_flash, mtp, flash) == Approx(flash_mtp).epsilon(1e-12));

    // The earlier sizing prices the ratio-128 rings per token too (128 rows of 2 x 512 x 4 bytes a
    // window of 128 tokens) and counts all of compress_ratios, the MTP block's window-only entry
    // with them: V4-Pro's 62 entries, as on each of v0.5.12.post1's pipeline stages.
    SglangV4Settings early{};
    early.sizing = SglangV4Sizing::token_state;
    const SglangV4Layers pro_early = sglang_v4_layers(P::deepseek_v4_pro, early, 16, 15);
    CHECK(pro_early.all == 62);
    CHECK(pro_early.ratio4 == 30);
    CHECK(pro_early.ratio128 == 31);
    const double pro_early_bytes = 0.1 * 584 * 62 + 584.0 / 4 * 30 + 584.0 / 128 * 31 + 132.0 / 4 * 30 +
                                   0.1 * 8 / 128 * 8192 * 30 + 0.1 * 128 / 128 * 4096 * 31 +
                                   0.1 * 8 / 128 * 2048 * 30; // 23,749.8375
    CHECK(sglang_v4_bytes_per_full_token(P::deepseek_v4_pro, early, pro_early) ==
          Approx(pro_early_bytes).epsilon(1e-12));
}

TEST_CASE("SGLang V4: a pipeline stage prices its own layers (request_state)", "[sglang_v4]") {
    // V4-Flash at pp 2 by SGLang's split (the remainder to the last stage): layers 0-20 (the two
    // window-only layers, ratio 4 at 2, 4, ..., 20 and 128 at 3, 5, ..., 19) and 21-42 (ratio 4
    // at 22, ..., 42 and 128 at 21, ..., 41).
    const SglangV4Layers first = sglang_v4_layers(P::deepseek_v4_flash, SglangV4Settings{}, 0, 21);
    CHECK((first.all == 21 && first.ratio4 == 10 && first.ratio128 == 9));
    const SglangV4Layers last = sglang_v4_layers(P::deepseek_v4_flash, SglangV4Settings{}, 21, 22);
    CHECK((last.all == 22 && last.ratio4 == 11 && last.ratio128 == 11));
    // The last stage's range reaches past the decoder layers: the MTP entry is still left out.
    const SglangV4Layers past = sglang_v4_layers(P::deepseek_v4_flash, SglangV4Settings{}, 21, 30);
    CHECK((past.all == 22 && past.ratio4 == 11 && past.ratio128 == 11));
}

TEST_CASE("SGLang V4: the ratio-128 rings set aside per request", "[sglang_v4]") {
    // (requests + 1) rings of 128 rows and 129 rows more, in whole 128-row blocks, of 2 x 512
    // float32 values, on each of V4-Flash's 20 ratio-128 layers. The V4 hook's 256 requests:
    // 257 x 128 + 129 = 33,025 rows, 33,152 in blocks.
    const SglangV4Layers flash = sglang_v4_layers(P::deepseek_v4_flash, SglangV4Settings{}, 0, 43);
    CHECK(sglang_v4_c128_state_bytes(P::deepseek_v4_flash, SglangV4Settings{}, flash, 256) ==
          std::uint64_t{33'152} * 4'096 * 20);
    // 2 DP-attention workers: 128 requests each, 129 x 128 + 129 = 16,641 rows, 16,768 in blocks.
    SglangV4Settings dp2{};
    dp2.attention_dp = 2;
    CHECK(sglang_v4_pool(P::deepseek_v4_flash, std::uint64_t{100} << 30, dp2, 0, 43).value().c128_state_fixed_bytes ==
          std::uint64_t{16'768} * 4'096 * 20);
    // With the draft the rings hold 256 rows: 257 x 256 + 257 = 66,049 rows, 66,176 in blocks.
    SglangV4Settings mtp{};
    mtp.speculative = true;
    CHECK(sglang_v4_c128_state_bytes(P::deepseek_v4_flash, mtp, flash, 256) == std::uint64_t{66'176} * 4'096 * 20);
    // The earlier sizing sets nothing aside.
    SglangV4Settings early{};
    early.sizing = SglangV4Sizing::token_state;
    CHECK(sglang_v4_c128_state_bytes(P::deepseek_v4_flash, early, flash, 256) == 0);

    // Unset, SGLang estimates the requests from the tokens the whole room holds: 100 GiB holds
    // 107,374,182,400 / 7,705.45 = 13,934,817 tokens, x 512 / 1,048,576 = 6,804, clamped to 4,096:
    // 4,097 x 128 + 129 = 524,545 rows, 524,672 in blocks.
    SglangV4Settings unset{};
    unset.max_running_requests = 0;
    const SglangV4Pool estimated = sglang_v4_pool(P::deepseek_v4_flash, std::uint64_t{100} << 30, unset, 0, 43).value();
    CHECK(estimated.requests == 4'096);
    CHECK(estimated.c128_state_fixed_bytes == std::uint64_t{524'672} * 4'096 * 20);
    // A 4,194,304-token context: 13,934,817 x 512 / 4,194,304 = 1,701, raised to 2,048.
    unset.context_length = 4'194'304;
    CHECK(sglang_v4_pool(P::deepseek_v4_flash, std::uint64_t{100} << 30, unset, 0, 43).value().requests == 2'048);
}

TEST_CASE("SGLang V4: four published runs reproduced", "[sglang_v4]") {
    // V4-Flash-0731 (W4A8) on Ascend, sglang built from source, 2026-08-10, DP attention over 4
    // (its log's "DP0 TP0 EP0" to "DP3 TP3 EP3"): "bytes_per_full_token=7705.45,
    // available_bytes=6.16 GB, c128_state_fixed=0.04 GB" and "full=852992, swa=85248, c4=213248,
    // c128=6664, c4_state=5328, c128_state=0" (the last before the rings are counted). The command
    // is not in the log; 0.04 GiB is what one request a worker sets aside (3 rings and 129 rows:
    // 512 rows, 41,943,040 bytes; two requests would print 0.05), so --max-running-requests 4.
    SglangV4Settings dp4 = npu(4);
    dp4.attention_dp = 4;
    check_run({&P::deepseek_v4_flash, dp4, 0, 43, "7705.45", "6.16", "0.04", 852'992, 85'248, 213'248, 6'664, 5'328,
               2 * 128});
    // The same model on 4 Ascend NPUs with TP 4, 2026-08-07: "available_bytes=11.89 GB,
    // c128_state_fixed=0.11 GB", "full=1641472, swa=164096, c4=410368, c128=12824,
    // c4_state=10256": 0.11 GiB is 8 requests (9 rings and 129 rows: 1,408 rows).
    check_run({&P::deepseek_v4_flash, npu(8), 0, 43, "7705.45", "11.89", "0.11", 1'641'472, 164'096, 410'368, 12'824,
               10'256, 9 * 128});
    // And 2026-08-10, "available_bytes=1.57 GB, c128_state_fixed=0.07 GB", "full=209280,
    // swa=20864, c4=52320, c128=1635, c4_state=1304": 209,280 tokens is 1,635 pages of 128 (not a
    // whole number of 256), and 0.07 GiB is 4 requests (5 rings and 129 rows: 896 rows).
    check_run({&P::deepseek_v4_flash, npu(4), 0, 43, "7705.45", "1.57", "0.07", 209'280, 20'864, 52'320, 1'635, 1'304,
               5 * 128});
    // V4-Pro on 4 nodes of 8 H800s under sglang v0.5.12.post1 (a published test report: --tp 8
    // --pp-size 4 --mem-fraction-static 0.90 --context-length 1048576): "bytes_per_full_token
    // 23,749.84", "KV Cache 可用 35.57 GB" on every stage, and full 1,607,936, swa 160,768, c4
    // 401,984, c128 12,562, c4_state 10,048, c128_state 160,768. The earlier sizing: nothing set
    // aside, every stage priced over all 62 entries (the first stage's layers are given here).
    SglangV4Settings early{};
    early.sizing = SglangV4Sizing::token_state;
    check_run({&P::deepseek_v4_pro, early, 0, 15, "23749.84", "35.57", "0.00", 1'607'936, 160'768, 401'984, 12'562,
               10'048, 160'768});
    // Its tp 16 pp 2 run: 34.81 GB and 1,573,888 tokens (the report gives only these two).
    const SglangV4Pool tp16 =
        sglang_v4_pool(P::deepseek_v4_pro, static_cast<std::uint64_t>(std::ceil(1'573'888 * 23'749.8375)), early, 0, 31)
            .value();
    CHECK(tp16.full == 1'573'888);
    CHECK(gib(static_cast<std::uint64_t>(std::ceil(1'573'888 * 23'749.8375))) == "34.81");
}

TEST_CASE("SGLang V4: settings SGLang refuses, and no room", "[sglang_v4]") {
    const auto pool = [](const SglangV4Settings& s) {
        return sglang_v4_pool(P::deepseek_v4_flash, std::uint64_t{10} << 30, s, 0, 43);
    };
    SglangV4Settings s{};
    s.page_size = 64; // "page_size must be multiple of 128 for compressed attention"
    CHECK(pool(s).error() == MemoryError::engine_option_invalid);
    s = {};
    s.page_size = 0;
    CHECK(pool(s).error() == MemoryError::engine_option_invalid);
    s = {};
    s.swa_full_tokens_ratio = 0;
    CHECK(pool(s).error() == MemoryError::engine_option_invalid);
    s.swa_full_tokens_ratio = 1.5;
    CHECK(pool(s).error() == MemoryError::engine_option_invalid);
    s = {};
    s.attention_dp = 0;
    CHECK(pool(s).error() == MemoryError::engine_option_invalid);

    DeepseekV4Config odd = P::deepseek_v4_flash; // a config built in memory: validation would refuse it
    FixedVector<std::uint64_t, max_v4_layer_list> ratios{};
    for (std::uint64_t i = 0; i < 44; ++i) (void)ratios.push_back(i == 5 ? 16 : (*odd.compress_ratios)[i]);
    odd.compress_ratios = ratios;
    CHECK(sglang_v4_pool(odd, std::uint64_t{10} << 30, SglangV4Settings{}, 0, 43).error() ==
          MemoryError::layout_not_for_v4);

    // 256 requests' rings are 2,715,811,840 bytes: 2 GiB leaves no page, and every pool is empty.
    const SglangV4Pool none =
        sglang_v4_pool(P::deepseek_v4_flash, std::uint64_t{2} << 30, SglangV4Settings{}, 0, 43).value();
    CHECK(none.c128_state_fixed_bytes == 2'715'811'840);
    CHECK((none.full == 0 && none.swa == 0 && none.c4 == 0 && none.c128 == 0 && none.c4_state == 0 &&
           none.c128_state == 0));
}

namespace {

constexpr std::uint64_t cdiv(std::uint64_t a, std::uint64_t b) { return (a + b - 1) / b; }

/// An FP8 Linear [o, i] as SGLang holds it on Hopper: e4m3 weights and a float32 scale per 128 x 128.
constexpr std::uint64_t fp8_linear(std::uint64_t o, std::uint64_t i) { return o * i + cdiv(o, 128) * cdiv(i, 128) * 4; }

/// One decoder layer of DeepSeek-V4 `c` on a GPU of SGLang on Hopper with the Marlin MoE runner,
/// written out from models/deepseek_v4.py (000328a8): `tp` GPUs, `a` of them splitting the
/// attention, the shared expert whole when `shared_whole`.
std::uint64_t hopper_layer(const DeepseekV4Config& c, std::uint64_t layer, std::uint64_t tp, std::uint64_t a,
                           bool shared_whole) {
    const std::uint64_t H = c.hidden_size, heads = c.num_attention_heads, hd = c.head_dim, ql = c.q_lora_rank;
    const std::uint64_t og = c.o_groups, ol = c.o_lora_rank, E = c.n_routed_experts, I = c.moe_intermediate_size;
    const std::uint64_t hc = c.hc_mult, ih = c.index_n_heads, ihd = c.index_head_dim;
    std::uint64_t b = 0;
    b += fp8_linear(ql, H) + fp8_linear(hd, H); // wq_a, wkv (fused as wqkv_a), replicated
    b += ql * 2 + hd * 2;                       // q_norm, kv_norm (BF16)
    b += fp8_linear(heads * hd / a, ql);        // wq_b, by heads over the attention group
    b += (og * ol / a) * (heads * hd / og) * 2; // wo_a, dequantised to BF16, its scale dropped
    b += fp8_linear(H, og * ol / a);            // wo_b, by columns
    b += heads * 4;                             // attn_sink, float32, whole
    const std::uint64_t r = v4_compress_ratio(c, layer);
    if (r != 0) { // the compressor: wkv and wgate BF16, ape and norm float32
        const std::uint64_t coff = r == 4 ? 2 : 1;
        b += 2 * (coff * hd) * H * 2 + r * coff * hd * 4 + hd * 4;
    }
    if (r == 4) { // the indexer, replicated: wq_b FP8, weights_proj BF16, its own ratio-4 compressor
        b += fp8_linear(ih * ihd, ql) + ih * H * 2;
        b += 2 * (2 * ihd) * H * 2 + 4 * 2 * ihd * 4 + ihd * 4;
    }
    b += 2 * (((2 + hc) * hc) * (hc * H) * 4 + (2 + hc) * hc * 4 + 3 * 4); // hc_attn_*, hc_ffn_* (float32)
    b += 2 * H * 2;                                                        // attn_norm, ffn_norm
    b += E * H * 2;                                                        // the gate (BF16)
    b += layer < 3 ? c.vocab_size * c.num_experts_per_tok * 4 : E * 4;     // tid2eid as int32, or the bias
    const std::uint64_t it = I / tp;                                       // each routed expert split by width
    const std::uint64_t scales = E * (2 * it * H / 32 + H * it / 32);
    b += E * (2 * it * H / 2 + H * it / 2) + scales * (1 + 4); // FP4, Marlin's UE8M0 scales and the float32 ones
    b += shared_whole ? 2 * fp8_linear(I, H) + fp8_linear(H, I) : 2 * fp8_linear(I / tp, H) + fp8_linear(H, I / tp);
    return b;
}

/// A pipeline stage of SGLang (the remainder of layers to the last stages): its layers, the
/// embedding on the first, the head, final norm and hc_head_* on the last.
std::uint64_t hopper_stage(const DeepseekV4Config& c, std::uint64_t tp, std::uint64_t pp, std::uint64_t stage,
                           bool shared_whole) {
    const std::uint64_t L = c.num_hidden_layers, per = L / pp, extra = L % pp;
    std::uint64_t first = 0;
    for (std::uint64_t s = 0; s < stage; ++s) first += per + (s >= pp - extra ? 1 : 0);
    const std::uint64_t count = per + (stage >= pp - extra ? 1 : 0);
    std::uint64_t b = 0;
    for (std::uint64_t l = first; l < first + count; ++l) b += hopper_layer(c, l, tp, tp, shared_whole);
    const std::uint64_t vocab_share = c.vocab_size / tp * c.hidden_size * 2;
    if (stage == 0) b += vocab_share;
    if (stage + 1 == pp)
        b += vocab_share + c.hidden_size * 2 + c.hc_mult * c.hc_mult * c.hidden_size * 4 + c.hc_mult * 4 + 4;
    return b;
}

Deployment sglang_hopper(std::uint64_t tp, std::uint64_t pp = 1) {
    Deployment d{};
    d.engine = Engine::sglang;
    d.gpu_arch = GpuArch::hopper;
    d.tp = tp;
    d.pp = pp;
    return d;
}

} // namespace

TEST_CASE("SGLang V4 on Hopper: the weights a GPU holds, written out by hand, and published logs", "[sglang_v4]") {
    // V4-Pro at tp 8: 61 layers of the above, and an eighth of the embedding and of the head.
    const std::uint64_t pro8 = hopper_stage(P::deepseek_v4_pro, 8, 1, 0, false);
    CHECK(weights_per_gpu(P::deepseek_v4_pro, sglang_hopper(8)).value().total() == pro8);
    // Published: 8 x H200, lmsysorg/sglang:deepseek-v4-hopper, --tp 8 (SemiAnalysisAI/InferenceX
    // #2128): "Load weight end ... mem usage=125.65 GB". The tensors are 124.93 GiB; the rest
    // (0.72 GiB) is what SGLang builds beside them (each layer's freqs_cis buffer, two shared
    // 256 MiB tables; Marlin's workspace), which the reserve covers.
    const double gap = 125.65 - static_cast<double>(pro8) / (1 << 30);
    CHECK((gap > 0 && gap < 1));
    // Without Marlin's float32 scale copies they would be 22.5 GiB fewer, far below the log.
    const std::uint64_t stale = std::uint64_t{61} * 384 * (2 * 384 * 7168 / 32 + 7168 * 384 / 32) * 4;
    CHECK(static_cast<double>(pro8 - stale) / (1 << 30) < 125.65 - 20);
    // sglang PR #29797 deletes them after the repack (Deployment::marlin_scales_dropped): those
    // bytes fewer, 102.41 GiB. InferenceX #2128's closing comment (2026-09-09) found "~103-104
    // GB/GPU" with a newer deepseek-v4-hopper image: 0.6 to 1.6 above, as the 0.72 above.
    Deployment dropped = sglang_hopper(8);
    dropped.marlin_scales_dropped = true;
    const std::uint64_t pro8_dropped = weights_per_gpu(P::deepseek_v4_pro, dropped).value().total();
    CHECK(pro8_dropped == pro8 - stale);
    const double dropped_gib = static_cast<double>(pro8_dropped) / (1 << 30);
    CHECK((dropped_gib > 103.0 - 1 && dropped_gib < 103.0));
    // A switch of SGLang's DeepSeek-V4 only.
    Deployment v3 = sglang_hopper(8);
    v3.marlin_scales_dropped = true;
    CHECK(weights_per_gpu(P::deepseek_v3, v3).error() == MemoryError::engine_option_invalid);
    v3.engine = Engine::vllm;
    CHECK(weights_per_gpu(P::deepseek_v4_pro, v3).error() == MemoryError::engine_option_invalid);

    // V4-Pro on 4 nodes of 8 H800s, --tp 8 --pp-size 4, SGLANG_SHARED_EXPERT_TP1=1, sglang
    // v0.5.12.post1 (the published report above): 32.02, 31.79, 31.83 and 34.03 GB of weights on
    // stages 0 to 3 (15, 15, 15 and 16 layers). The tensors: 0.30 to 0.39 GiB fewer a stage.
    Deployment pp4 = sglang_hopper(8, 4);
    pp4.shared_expert_tp1 = true;
    const double logged[] = {32.02, 31.79, 31.83, 34.03};
    for (std::uint64_t s = 0; s < 4; ++s) {
        const std::uint64_t by_hand = hopper_stage(P::deepseek_v4_pro, 8, 4, s, true);
        CHECK(weights_per_gpu(P::deepseek_v4_pro, pp4, s).value().total() == by_hand);
        const double stage_gap = logged[s] - static_cast<double>(by_hand) / (1 << 30);
        CHECK((stage_gap > 0.25 && stage_gap < 0.45));
    }
    // V4-Flash at tp 4 and tp 8.
    CHECK(weights_per_gpu(P::deepseek_v4_flash, sglang_hopper(4)).value().total() ==
          hopper_stage(P::deepseek_v4_flash, 4, 1, 0, false));
    CHECK(weights_per_gpu(P::deepseek_v4_flash, sglang_hopper(8)).value().total() ==
          hopper_stage(P::deepseek_v4_flash, 8, 1, 0, false));

    // Refused: no generation, or Blackwell; V4-Pro at tp 16 with its shared expert split (192
    // rows, no whole FP8 blocks: SGLang needs SGLANG_SHARED_EXPERT_TP1); V4-Flash at tp 16 (8
    // output groups over 16 GPUs).
    Deployment none = sglang_hopper(8);
    none.gpu_arch = GpuArch::unspecified;
    CHECK(weights_per_gpu(P::deepseek_v4_pro, none).error() == MemoryError::gpu_arch_not_modelled);
    none.gpu_arch = GpuArch::blackwell;
    CHECK(weights_per_gpu(P::deepseek_v4_pro, none).error() == MemoryError::gpu_arch_not_modelled);
    CHECK(weights_per_gpu(P::deepseek_v4_pro, sglang_hopper(16)).error() == MemoryError::fp8_block_split);
    CHECK(weights_per_gpu(P::deepseek_v4_flash, sglang_hopper(16)).error() == MemoryError::tp_does_not_divide);
    // vLLM has no such switch.
    Deployment vllm{};
    vllm.tp = 8;
    vllm.shared_expert_tp1 = true;
    CHECK(weights_per_gpu(P::deepseek_v4_pro, vllm).error() == MemoryError::engine_option_invalid);
}

TEST_CASE("SGLang V4 on Hopper: a deployment's pool and requests", "[sglang_v4]") {
    // V4-Flash on 4 H200s (143,771 MiB), --tp 4 --mem-fraction-static 0.88, a 1 GiB reserve:
    // available = floor(143,771 MiB x 0.88) - weights - 1 GiB, then SGLang's pool from it.
    GpuBudget b{};
    b.gpu_memory = std::uint64_t{143'771} << 20;
    b.memory_fraction = 0.88;
    b.reserve = std::uint64_t{1} << 30;
    b.context = 262'144;
    const std::uint64_t weights = hopper_stage(P::deepseek_v4_flash, 4, 1, 0, false);
    const auto usable = static_cast<std::uint64_t>(static_cast<double>(b.gpu_memory) * 0.88);
    const SglangV4DeploymentPlan p = plan_sglang_v4_deployment(P::deepseek_v4_flash, sglang_hopper(4), b).value();
    CHECK(p.fits);
    CHECK(p.weights_per_gpu == weights);
    CHECK(p.available_bytes == usable - weights - b.reserve);
    // 256 requests' ratio-128 rings (33,152 rows of 4,096 bytes on 20 layers), then 7,705.45
    // bytes a full token, in pages of 256; a 262,144-token request takes 1,024 pages.
    const std::uint64_t rings = std::uint64_t{33'152} * 4'096 * 20;
    CHECK(p.pool.c128_state_fixed_bytes == rings);
    const auto full = static_cast<std::uint64_t>(static_cast<double>(p.available_bytes - rings) / 7'705.45) / 256 * 256;
    CHECK(p.pool.full == full);
    CHECK(p.pages_per_request == 1'024);
    CHECK(p.max_requests == full / 256 / 1'024);
    CHECK(p.total_requests == p.max_requests);
    // Short requests: at most the 256 SGLang's V4 hook allows a worker.
    b.context = 1'024;
    CHECK(plan_sglang_v4_deployment(P::deepseek_v4_flash, sglang_hopper(4), b).value().max_requests == 256);
    b.context = 262'144;

    // V4-Pro on 8 H200s at tp 8 holds more than 0.88 of them: it does not fit, as sglang PR
    // #25923 reports ("Marlin fails to start the server on Pro at TP=8 on a single H200 node").
    const std::uint64_t pro = hopper_stage(P::deepseek_v4_pro, 8, 1, 0, false);
    const SglangV4DeploymentPlan no = plan_sglang_v4_deployment(P::deepseek_v4_pro, sglang_hopper(8), b).value();
    CHECK(!no.fits);
    CHECK(no.shortfall == pro + b.reserve - usable);

    // Pipelined (V4-Pro on 4 x 8 H200s at tp 8), the stages share the smallest free memory (the
    // last stage's, with the head), and every stage takes the smallest full pool: the last
    // stage's, whose 16 layers cost the most a full token.
    Deployment pp4 = sglang_hopper(8, 4);
    pp4.shared_expert_tp1 = true;
    const SglangV4DeploymentPlan q = plan_sglang_v4_deployment(P::deepseek_v4_pro, pp4, b).value();
    CHECK(q.largest_stage == 3);
    CHECK(q.available_bytes == usable - hopper_stage(P::deepseek_v4_pro, 8, 4, 3, true) - b.reserve);
    CHECK(q.smallest_stage == 3);
    // vLLM's planner is plan_v4_deployment; a page size SGLang does not take on GPUs is refused.
    Deployment vllm{};
    vllm.tp = 8;
    CHECK(plan_sglang_v4_deployment(P::deepseek_v4_pro, vllm, b).error() == MemoryError::engine_not_modelled);
    Deployment pages = sglang_hopper(4);
    pages.page_size = 64;
    CHECK(plan_sglang_v4_deployment(P::deepseek_v4_flash, pages, b).error() == MemoryError::engine_option_invalid);
}

// The pool is arithmetic a compiler can do: the Ascend TP 4 run of 2026-08-07 above, from the
// fewest bytes that hold its pool (1,641,472 x 7,705.45 rounded up, and 1,408 rows of rings).
static_assert(sglang_v4_pool(P::deepseek_v4_flash, 12'648'280'423 + 1'408 * 4'096 * 20, npu(8), 0, 43).value().full ==
              1'641'472);

} // namespace sglang_v4_pool_test
