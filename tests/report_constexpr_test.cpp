// The whole report of a preset is a compile-time constant: the arithmetic costs nothing at run
// time. Expected values are the recorded figures of expected_figures.hpp (checkpoint index sizes,
// the R1 tensor listing, published totals) and KV sizes worked by hand. The README's V3 headline
// (the weights and max context of this same report) is derived tensor by tensor in
// headline_test.cpp.
#include <deepseek/presets.hpp>
#include <deepseek/report.hpp>

#include "catch.hpp"
#include "expected_figures.hpp"

// One namespace per test file: the files of a batch share a translation unit (tests/CMakeLists.txt).
namespace report_constexpr_test {

using namespace deepseek;
namespace X = expected;

namespace {

constexpr ReportOptions v3_on_eight{std::nullopt, std::nullopt, std::nullopt, 32768, 1, 8, std::uint64_t{96} << 30};
constexpr Report v3 = *make_report(presets::deepseek_v3, v3_on_eight);
static_assert(make_report(presets::deepseek_v3, v3_on_eight).has_value());
static_assert(v3.params.total == X::v3_params);
static_assert(v3.params.active == X::v3_active_params);
static_assert(v3.params.mtp == X::v3_mtp_params);
static_assert(v3.checkpoint_bytes == X::v3_checkpoint_bytes);
static_assert(v3.kv_layout == KvLayout::latent && v3.kv_dtype == Dtype::bf16);
// latent 512 + 64, bf16, 61 layers, replicated
static_assert(v3.kv_bytes_per_token == X::v3_kv_latent_bf16_bytes_per_token);
static_assert(v3.kv_bytes == X::v3_kv_latent_bf16_bytes_32k);
static_assert(v3.max_context.has_value());

constexpr ReportOptions lite_40gib{std::nullopt,           std::nullopt, std::nullopt, std::nullopt, 1, 1,
                                   std::uint64_t{40} << 30};
constexpr Report lite = *make_report(presets::deepseek_v2_lite, lite_40gib);
static_assert(lite.checkpoint_bytes == X::v2_lite_checkpoint_bytes); // the index's total_size
static_assert(lite.weight_bytes == X::v2_lite_checkpoint_bytes);     // released, one rank
static_assert(lite.context == 32768);                                // default: 32k, below 163,840
static_assert(lite.kv_bytes == X::v2_lite_kv_latent_bf16_bytes_32k); // 31,104 bytes x 32,768
static_assert(*lite.max_context == X::v2_lite_max_context_40gib);

constexpr Report ocr = *make_report(presets::deepseek_ocr, ReportOptions{});
static_assert(ocr.params.total == X::ocr_params);
static_assert(ocr.params.vision == X::ocr_vision_params);
static_assert(ocr.checkpoint_bytes == X::ocr_checkpoint_bytes);
static_assert(ocr.kv_layout == KvLayout::mha);
static_assert(ocr.context == 8192); // the model's maximum, below 32k
static_assert(ocr.kv_bytes_per_token == X::ocr_kv_mha_bf16_bytes_per_token);
static_assert(!ocr.max_context.has_value());

constexpr ReportOptions latent_on_ocr{std::nullopt, std::nullopt, KvLayout::latent};
static_assert(make_report(presets::deepseek_ocr, latent_on_ocr).error() == MemoryError::layout_needs_mla);
constexpr ReportOptions three_ranks{std::nullopt, std::nullopt, std::nullopt, std::nullopt, 1, 3};
static_assert(make_report(presets::deepseek_v3, three_ranks).error() == MemoryError::tp_does_not_divide);

} // namespace

TEST_CASE("A report computed at run time equals the compile-time one", "[report]") {
    volatile std::uint64_t tp = 8; // keeps the call out of constant evaluation
    ReportOptions options = v3_on_eight;
    options.tp = tp;
    const Report at_run_time = make_report(presets::deepseek_v3, options).value();
    CHECK(at_run_time.params.total == v3.params.total);
    CHECK(at_run_time.weight_bytes == v3.weight_bytes);
    CHECK(at_run_time.max_context == v3.max_context);
}

} // namespace report_constexpr_test
