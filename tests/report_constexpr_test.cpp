// The whole report of a preset is a compile-time constant: the arithmetic costs nothing at run
// time. Expected values are the recorded figures of memory-formulas.md (checkpoint index sizes,
// the R1 tensor listing, published totals) and KV sizes worked by hand.
#include <deepseek/presets.hpp>
#include <deepseek/report.hpp>

#include "catch.hpp"

using namespace deepseek;

namespace {

constexpr ReportOptions v3_on_eight{std::nullopt, std::nullopt, std::nullopt, 32768, 1, 8, std::uint64_t{96} << 30};
constexpr Report v3 = make_report(presets::deepseek_v3, v3_on_eight);
static_assert(v3.error == MemoryError::none);
static_assert(v3.params.total == 671026419200ull);
static_assert(v3.params.active == 36625618432ull);
static_assert(v3.params.mtp == 13463426304ull);
static_assert(v3.checkpoint_bytes == 688574839360ull);
static_assert(v3.kv_layout == KvLayout::latent && v3.kv_dtype == Dtype::bf16);
static_assert(v3.kv_bytes_per_token == 576 * 2 * 61); // latent 512 + 64, bf16, 61 layers, replicated
static_assert(v3.kv_bytes == 2302672896ull);
static_assert(v3.max_context.has_value());

constexpr ReportOptions lite_40gib{std::nullopt, std::nullopt, std::nullopt, std::nullopt, 1, 1, std::uint64_t{40} << 30};
constexpr Report lite = make_report(presets::deepseek_v2_lite, lite_40gib);
static_assert(lite.checkpoint_bytes == 31412968448ull);      // the index's total_size
static_assert(lite.weight_bytes == 31412968448ull);          // released, one rank
static_assert(lite.context == 32768);                        // default: 32k, below 163,840
static_assert(lite.kv_bytes == 1019215872ull);               // 31,104 bytes x 32,768
static_assert(*lite.max_context == (42949672960ull - 31412968448ull) / 31104); // 370,907

constexpr Report ocr = make_report(presets::deepseek_ocr, ReportOptions{});
static_assert(ocr.params.total == 3336106240ull);
static_assert(ocr.params.vision == 401372160ull);
static_assert(ocr.checkpoint_bytes == 6672212480ull);
static_assert(ocr.kv_layout == KvLayout::mha);
static_assert(ocr.context == 8192); // the model's maximum, below 32k
static_assert(ocr.kv_bytes_per_token == 2 * 10 * 128 * 2 * 12);
static_assert(!ocr.max_context.has_value());

constexpr ReportOptions latent_on_ocr{std::nullopt, std::nullopt, KvLayout::latent};
static_assert(make_report(presets::deepseek_ocr, latent_on_ocr).error == MemoryError::layout_needs_mla);
constexpr ReportOptions three_ranks{std::nullopt, std::nullopt, std::nullopt, std::nullopt, 1, 3};
static_assert(make_report(presets::deepseek_v3, three_ranks).error == MemoryError::tp_does_not_divide);

} // namespace

TEST_CASE("Reports of presets are compile-time constants", "[report][constexpr]") {
    // Reading the constants at run time: nothing is computed here.
    CHECK(v3.params.total == 671026419200ull);
    CHECK(lite.max_context == std::optional<std::uint64_t>(370907));
    CHECK(ocr.checkpoint_bytes == 6672212480ull);
}

TEST_CASE("A report computed at run time equals the compile-time one", "[report]") {
    volatile std::uint64_t tp = 8; // keeps the call out of constant evaluation
    ReportOptions options = v3_on_eight;
    options.tp = tp;
    const Report at_run_time = make_report(presets::deepseek_v3, options);
    CHECK(at_run_time.params.total == v3.params.total);
    CHECK(at_run_time.weight_bytes == v3.weight_bytes);
    CHECK(at_run_time.max_context == v3.max_context);
}
