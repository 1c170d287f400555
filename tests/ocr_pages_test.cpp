// DeepSeek-OCR page budgets (ocr.hpp). Every expected value is worked by hand from the rules of
// modeling_deepseekocr.py (`infer`, `dynamic_preprocess`, `find_closest_aspect_ratio`):
// q = ceil(floor(size / 16) / 4) queries per side; without crop q (q + 1) + 1 positions; Gundam
// adds (10 w + 1) x 10 h positions for a w x h grid of 640-pixel tiles. The grids of the tie
// cases were also checked by running that function's logic on the same pages.
#include <deepseek/ocr.hpp>
#include <deepseek/presets.hpp>

#include <cstdint>

#include "catch.hpp"
#include "expected_figures.hpp"
#include "queries.hpp"

// One namespace per test file: the files of a batch share a translation unit (tests/CMakeLists.txt).
namespace ocr_pages_test {

using deepseek::AspectRule;
using deepseek::Dtype;
using deepseek::OcrMode;
using deepseek::page_layout;
using deepseek::PageLayout;
using deepseek::TileGrid;
using deepseek::TileLimits;

namespace {

constexpr const deepseek::DeepseekOCRConfig& ocr = deepseek::presets::deepseek_ocr;

// The A4 page at 200 dpi in Gundam mode: ratio 1654/2339 = 0.707 is closest to 2/3 (0.041 away;
// 1/2 is 0.207, 1 is 0.293), so 2x3 tiles: 273 + (10*2 + 1) * (10*3) = 273 + 630 = 903 positions,
// 16*16 + 20*30 = 856 vision tokens (expected_figures.hpp records these for cli_test.cpp too).
constexpr PageLayout a4 = *page_layout(OcrMode::gundam, 1654, 2339);
static_assert(expected::ocr_a4_gundam_positions == 273 + (10 * 2 + 1) * (10 * 3));
static_assert(expected::ocr_a4_gundam_vision_tokens == 16 * 16 + 20 * 30);
static_assert(a4.positions == expected::ocr_a4_gundam_positions);
static_assert(a4.vision_tokens == expected::ocr_a4_gundam_vision_tokens);
static_assert(a4.grid[0] == 2 && a4.grid[1] == 3);
static_assert(a4.tiles == 6);
// 903 positions x 61,440 bytes (2 x 10 KV heads x 128 x 2 bytes x 12 layers): 55,480,320.
static_assert(deepseek::ocr_page_kv_bytes(ocr, a4,
                                          test_support::kv_query(deepseek::KvLayout::mha, 0, 1, Dtype::bf16, 1))
                  .value() == expected::ocr_a4_gundam_kv_bf16_bytes);
static_assert(deepseek::ocr_pages_fit_context(ocr, a4, 8192) == 9);

// The queries per side of the four sizes: 512/64 = 8, 640/64 = 10, 1024/64 = 16, 1280/64 = 20.
static_assert(deepseek::ocr_queries_per_side(512) == 8);
static_assert(deepseek::ocr_queries_per_side(640) == 10);
static_assert(deepseek::ocr_queries_per_side(1024) == 16);
static_assert(deepseek::ocr_queries_per_side(1280) == 20);
// floor first: 1025 // 16 = 64 -> 16 (not ceil(1025 / 64) = 17); 1040 // 16 = 65 -> 17.
static_assert(deepseek::ocr_queries_per_side(1025) == 16);
static_assert(deepseek::ocr_queries_per_side(1040) == 17);

void check(const PageLayout& p, std::uint64_t gw, std::uint64_t gh, std::uint64_t positions, std::uint64_t vision) {
    CHECK(p.grid[0] == gw);
    CHECK(p.grid[1] == gh);
    CHECK(p.tiles == (gw > 1 || gh > 1 ? gw * gh : 0));
    CHECK(p.positions == positions);
    CHECK(p.vision_tokens == vision);
}

PageLayout layout(OcrMode mode, std::uint64_t w, std::uint64_t h, const TileLimits& limits = {}) {
    const auto p = page_layout(mode, w, h, limits);
    REQUIRE(p.has_value());
    CHECK(p->mode == mode);
    CHECK(p->width == w);
    CHECK(p->height == h);
    return *p;
}

} // namespace

TEST_CASE("Modes without crop: q (q + 1) + 1 positions whatever the page", "[ocr]") {
    // Tiny 8*9+1 = 73 (64 vision), Small 10*11+1 = 111 (100), Base 16*17+1 = 273 (256),
    // Large 20*21+1 = 421 (400): the paper's 64/100/256/400 plus a newline per row and a separator.
    struct Row {
        OcrMode mode;
        std::uint64_t positions, vision;
    };
    const Row rows[] = {
        {OcrMode::tiny, 73, 64}, {OcrMode::small, 111, 100}, {OcrMode::base, 273, 256}, {OcrMode::large, 421, 400}};
    for (const auto& r : rows) {
        INFO(deepseek::to_string(r.mode));
        check(layout(r.mode, 1, 1), 1, 1, r.positions, r.vision);
        check(layout(r.mode, 300, 200), 1, 1, r.positions, r.vision);
        check(layout(r.mode, 1654, 2339), 1, 1, r.positions, r.vision);
        check(layout(r.mode, 3024, 4032), 1, 1, r.positions, r.vision);
        check(layout(r.mode, 20000, 500), 1, 1, r.positions, r.vision);
    }
}

TEST_CASE("Gundam: small pages get the 1024 global view alone", "[ocr]") {
    check(layout(OcrMode::gundam, 1, 1), 1, 1, 273, 256);
    check(layout(OcrMode::gundam, 300, 200), 1, 1, 273, 256);
    check(layout(OcrMode::gundam, 640, 640), 1, 1, 273, 256); // `<= 640` on both sides
    check(layout(OcrMode::gundam, 640, 1), 1, 1, 273, 256);
    check(layout(OcrMode::gundam, 1, 640), 1, 1, 273, 256);
}

TEST_CASE("Gundam: one pixel over 640 on either side cuts tiles", "[ocr]") {
    // 640x641, 641x640, 641x641: ratio about 1, so (2,2) and (3,3) are equally close; the later
    // (3,3) would need 2 W H > 640^2 * 9 = 3,686,400, and 2 * 641 * 641 = 821,762 is not: 2x2.
    // 273 + (21 * 20) = 693 positions, 256 + 400 = 656 vision tokens.
    check(layout(OcrMode::gundam, 640, 641), 2, 2, 693, 656);
    check(layout(OcrMode::gundam, 641, 640), 2, 2, 693, 656);
    check(layout(OcrMode::gundam, 641, 641), 2, 2, 693, 656);
}

TEST_CASE("Gundam: the A4 page and a phone photo", "[ocr]") {
    check(layout(OcrMode::gundam, 1654, 2339), 2, 3, expected::ocr_a4_gundam_positions,
          expected::ocr_a4_gundam_vision_tokens);
    // 3024/4032 = 0.75: 2/3 is 0.083 away, 1 is 0.25: 2x3 as well.
    check(layout(OcrMode::gundam, 3024, 4032), 2, 3, 903, 856);
    // Landscape A4: 3/2.
    check(layout(OcrMode::gundam, 2339, 1654), 3, 2, 273 + 31 * 20, 256 + 600);
    // A big square page: (2,2) and (3,3) tie at ratio 1; 2 * 3000^2 > 3,686,400, so 3x3:
    // 273 + 31 * 30 = 1203 positions, 256 + 900 = 1156 vision tokens.
    check(layout(OcrMode::gundam, 3000, 3000), 3, 3, 1203, 1156);
}

TEST_CASE("Gundam: every grid shape of 2..9 tiles", "[ocr]") {
    // A page of exactly 640w x 640h pixels has the grid's own ratio. Each is unique except 1:2,
    // 2:1 and 1:1, which (2,4), (4,2) and (3,3) share with (1,2), (2,1) and (2,2); the tie rule
    // picks the later one only on pages large enough (checked in the next test case).
    const TileGrid grids[] = {{1, 2}, {2, 1}, {1, 3}, {3, 1}, {2, 2}, {1, 4}, {4, 1}, {1, 5}, {5, 1}, {1, 6}, {6, 1},
                              {2, 3}, {3, 2}, {1, 7}, {7, 1}, {2, 4}, {4, 2}, {1, 8}, {8, 1}, {3, 3}, {1, 9}, {9, 1}};
    for (const auto& g : grids) {
        INFO(g[0] << "x" << g[1]);
        const PageLayout p = layout(OcrMode::gundam, 640 * g[0], 640 * g[1]);
        check(p, g[0], g[1], 273 + (10 * g[0] + 1) * (10 * g[1]), 256 + 100 * g[0] * g[1]);
        CHECK(deepseek::ocr_tile_grid(640 * g[0], 640 * g[1], {2, 9, AspectRule::exact}) == g);
    }
    // The largest grids written out: 9x1 is 273 + 91 * 10 = 1183; 3x3 is 273 + 31 * 30 = 1203.
    check(layout(OcrMode::gundam, 9 * 640, 640), 9, 1, 1183, 1156);
    check(layout(OcrMode::gundam, 1920, 1920), 3, 3, 1203, 1156);
}

TEST_CASE("Gundam: on an equal ratio the later grid wins only past half its area", "[ocr]") {
    // 1:2 pages tie (1,2) with (2,4); (2,4) needs 2 W H > 640^2 * 8 = 3,276,800.
    // 905 x 1810 = 1,638,050 (x2 = 3,276,100): stays 1x2. 906 x 1812 = 1,641,672: 2x4.
    CHECK(deepseek::ocr_tile_grid(905, 1810) == TileGrid{1, 2});
    CHECK(deepseek::ocr_tile_grid(906, 1812) == TileGrid{2, 4});
    CHECK(deepseek::ocr_tile_grid(640, 1280) == TileGrid{1, 2});
    CHECK(deepseek::ocr_tile_grid(1280, 2560) == TileGrid{2, 4});
    CHECK(deepseek::ocr_tile_grid(1812, 906) == TileGrid{4, 2});
    // Squares tie (2,2) with (3,3); (3,3) needs 2 W H > 3,686,400, i.e. W H > 1,843,200.
    // 1357^2 = 1,841,449: 2x2. 1358^2 = 1,844,164: 3x3.
    CHECK(deepseek::ocr_tile_grid(1357, 1357) == TileGrid{2, 2});
    CHECK(deepseek::ocr_tile_grid(1358, 1358) == TileGrid{3, 3});
    CHECK(deepseek::ocr_tile_grid(1280, 1280) == TileGrid{2, 2});
    // Two grids of one tile count at the same distance: with max_tiles 3 the grids are 1x2, 2x1,
    // 1x3, 3x1, and a 5:4 page is 0.75 from both 1/2 and 2. The code visits (1,2) before (2,1),
    // so 2x1 wins past 2 W H > 640^2 * 2 = 819,200: 750 x 600 (900,000) yes, 650 x 520
    // (676,000) no.
    const TileLimits three{2, 3};
    CHECK(deepseek::ocr_tile_grid(750, 600, three) == TileGrid{2, 1});
    CHECK(deepseek::ocr_tile_grid(650, 520, three) == TileGrid{1, 2});
}

TEST_CASE("Gundam: a ratio half-way between two grids, float against exact", "[ocr]") {
    // 121 x 660: 121/660 = 11/60, exactly half-way between 1/5 (12/60) and 1/6 (10/60). Exact
    // arithmetic sees a tie; the later (1,6) would need 2 * 121 * 660 = 159,720 > 640^2 * 6, so
    // exact keeps 1x5. The Python code computes abs(0.18333... - 0.2) and abs(0.18333... -
    // 0.16666...) in doubles, and rounding makes the second smaller: it picks 1x6.
    CHECK(deepseek::ocr_tile_grid(121, 660) == TileGrid{1, 6});
    CHECK(deepseek::ocr_tile_grid(121, 660, {2, 9, AspectRule::python}) == TileGrid{1, 6});
    CHECK(deepseek::ocr_tile_grid(121, 660, {2, 9, AspectRule::exact}) == TileGrid{1, 5});
    // 1x6: 273 + 11 * 60 = 933 positions; 1x5: 273 + 11 * 50 = 823. Both 256 + 500/600 vision.
    check(layout(OcrMode::gundam, 121, 660), 1, 6, 933, 856);
    check(layout(OcrMode::gundam, 121, 660, {2, 9, AspectRule::exact}), 1, 5, 823, 756);
    // Where the ratio is not a tie, both rules agree (the A4 page).
    CHECK(deepseek::ocr_tile_grid(1654, 2339, {2, 9, AspectRule::exact}) == TileGrid{2, 3});
}

TEST_CASE("Gundam: tile limits", "[ocr]") {
    // max 4: the A4 ratio 0.707 is 0.207 from 1/2 and 0.293 from 1: 1x2, 273 + 11 * 20 = 493.
    check(layout(OcrMode::gundam, 1654, 2339, {2, 4}), 1, 2, 493, 456);
    // max 6 still allows 2x3.
    check(layout(OcrMode::gundam, 1654, 2339, {2, 6}), 2, 3, 903, 856);
    // min 1 allows 1x1, which the code encodes as no tiles: 800 x 800 ties (1,1) with (2,2),
    // and 2 * 640,000 is not above 640^2 * 4 = 1,638,400: 1x1, the global view alone.
    check(layout(OcrMode::gundam, 800, 800, {1, 9}), 1, 1, 273, 256);
    // 1000 x 1000: 2,000,000 > 1,638,400 takes 2x2, not 3x3 (3,686,400).
    check(layout(OcrMode::gundam, 1000, 1000, {1, 9}), 2, 2, 693, 656);
    // min 0 behaves as min 1; no grid between min and max: no tiles.
    check(layout(OcrMode::gundam, 800, 800, {0, 9}), 1, 1, 273, 256);
    check(layout(OcrMode::gundam, 1654, 2339, {2, 1}), 1, 1, 273, 256);
    check(layout(OcrMode::gundam, 1654, 2339, {0, 0}), 1, 1, 273, 256);
}

TEST_CASE("Pages with a zero side have no layout; huge ones overflow loudly", "[ocr]") {
    CHECK_FALSE(page_layout(OcrMode::base, 0, 100).has_value());
    CHECK_FALSE(page_layout(OcrMode::gundam, 100, 0).has_value());
    const std::uint64_t huge = std::uint64_t{1} << 40;
    CHECK_THROWS_AS(page_layout(OcrMode::gundam, huge, huge), deepseek::ArithmeticOverflow);
    // Without crop the size is never used in arithmetic.
    CHECK(page_layout(OcrMode::base, huge, huge)->positions == 273);
}

TEST_CASE("KV bytes, pages per context, pages per budget", "[ocr]") {
    // DeepSeek-OCR: mha, 10 KV heads x 128 x 2 (K and V) x 12 layers = 30,720 elements per
    // position: 61,440 bytes in bf16 (the A4 page's 55,480,320: static_asserted above), 122,880
    // in fp32, 30,720 in fp8.
    CHECK(deepseek::ocr_page_kv_bytes(ocr, a4, test_support::kv_query(deepseek::KvLayout::mha, 0, 1, Dtype::fp32, 1))
              .value() == expected::ocr_a4_gundam_positions * expected::ocr_kv_mha_fp32_bytes_per_token);
    CHECK(deepseek::ocr_page_kv_bytes(ocr, a4, test_support::kv_query(deepseek::KvLayout::mha, 0, 1, Dtype::fp8, 1))
              .value() == 903ull * 30720);
    // tp 2 splits the 10 KV heads; tp 3 does not divide them; latent needs MLA.
    CHECK(deepseek::ocr_page_kv_bytes(ocr, a4, test_support::kv_query(deepseek::KvLayout::mha, 0, 1, Dtype::bf16, 2))
              .value() == expected::ocr_a4_gundam_kv_bf16_bytes / 2);
    CHECK(deepseek::ocr_page_kv_bytes(ocr, a4, test_support::kv_query(deepseek::KvLayout::mha, 0, 1, Dtype::bf16, 3))
              .error() == deepseek::MemoryError::tp_does_not_divide);
    CHECK(deepseek::ocr_page_kv_bytes(ocr, a4, test_support::kv_query(deepseek::KvLayout::latent, 0, 1, Dtype::bf16, 1))
              .error() == deepseek::MemoryError::layout_needs_mla);

    // 8192 / 903 = 9.07: 9 pages (8127 positions; static_asserted above). After 100 prompt
    // tokens: 8092 / 903 = 8.96: 8.
    CHECK(deepseek::ocr_pages_fit_context(ocr, a4, 8192, 100) == 8);
    CHECK(deepseek::ocr_pages_fit_context(ocr, a4, 8127) == 9);
    CHECK(deepseek::ocr_pages_fit_context(ocr, a4, 8126) == 8);
    CHECK(deepseek::ocr_pages_fit_context(ocr, a4, 8192, 8192) == 0);
    CHECK(deepseek::ocr_pages_fit_context(ocr, a4, 8192, 9000) == 0);
    // Base mode: 8192 / 273 = 30.0: 30 pages.
    CHECK(deepseek::ocr_pages_fit_context(ocr, *page_layout(OcrMode::base, 1654, 2339), 8192) == 30);

    // Weights 6,672,212,480 bytes (the bf16 checkpoint); 8 GiB leaves 1,917,722,112 bytes:
    // 31,212 positions of 61,440 bytes (1,917,665,280), 34 A4 pages (30,702 positions).
    const std::uint64_t weights = expected::ocr_checkpoint_bytes;
    const std::uint64_t budget = 8ull << 30;
    CHECK(
        deepseek::ocr_pages_fit_budget(
            ocr, a4, test_support::given_weights_query(weights, deepseek::KvLayout::mha, Dtype::bf16, 1, 1, budget), 0)
            .value() == 34);
    // A prompt of 500 leaves 30,712 positions: still 34 (30,702); 511 leaves 30,701: 33.
    CHECK(deepseek::ocr_pages_fit_budget(
              ocr, a4, test_support::given_weights_query(weights, deepseek::KvLayout::mha, Dtype::bf16, 1, 1, budget),
              500)
              .value() == 34);
    CHECK(deepseek::ocr_pages_fit_budget(
              ocr, a4, test_support::given_weights_query(weights, deepseek::KvLayout::mha, Dtype::bf16, 1, 1, budget),
              511)
              .value() == 33);
    // Exactly weights + 34 pages fits 34; one byte less fits 33.
    const std::uint64_t exact = weights + 34 * expected::ocr_a4_gundam_kv_bf16_bytes;
    CHECK(deepseek::ocr_pages_fit_budget(
              ocr, a4, test_support::given_weights_query(weights, deepseek::KvLayout::mha, Dtype::bf16, 1, 1, exact), 0)
              .value() == 34);
    CHECK(deepseek::ocr_pages_fit_budget(
              ocr, a4,
              test_support::given_weights_query(weights, deepseek::KvLayout::mha, Dtype::bf16, 1, 1, exact - 1), 0)
              .value() == 33);
    // Weights alone over budget: an error, not 0 pages; exactly the weights: 0 pages fit.
    CHECK(deepseek::ocr_pages_fit_budget(
              ocr, a4,
              test_support::given_weights_query(weights, deepseek::KvLayout::mha, Dtype::bf16, 1, 1, weights - 1), 0)
              .error() == deepseek::MemoryError::weights_do_not_fit);
    CHECK(
        deepseek::ocr_pages_fit_budget(
            ocr, a4, test_support::given_weights_query(weights, deepseek::KvLayout::mha, Dtype::bf16, 1, 1, weights), 0)
            .has_value());
    CHECK(deepseek::ocr_pages_fit_budget(
              ocr, a4,
              test_support::given_weights_query(weights, deepseek::KvLayout::latent, Dtype::bf16, 1, 1, budget), 0)
              .error() == deepseek::MemoryError::layout_needs_mla);
}

TEST_CASE("OcrMode and AspectRule string tables", "[ocr]") {
    static_assert(deepseek::to_string(OcrMode::gundam) == "gundam");
    CHECK(deepseek::to_string(OcrMode::tiny) == "tiny");
    CHECK(deepseek::to_string(OcrMode::small) == "small");
    CHECK(deepseek::to_string(OcrMode::base) == "base");
    CHECK(deepseek::to_string(OcrMode::large) == "large");
    CHECK(deepseek::enum_from_string<OcrMode>("large") == OcrMode::large);
    CHECK_FALSE(deepseek::enum_from_string<OcrMode>("Gundam").has_value());
    CHECK(deepseek::enum_from_string<AspectRule>("exact") == AspectRule::exact);
    CHECK(deepseek::to_string(AspectRule::python) == "python");
    const auto spec = deepseek::ocr_mode_spec(OcrMode::gundam);
    CHECK(spec.base_size == 1024);
    CHECK(spec.image_size == 640);
    CHECK(spec.crop);
}

} // namespace ocr_pages_test
