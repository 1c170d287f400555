// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// DeepSeek-OCR page budgets: how many sequence positions a page of W x H pixels fills in each
// resolution mode, what that costs in KV cache, and how many pages fit a context or a memory
// budget. `constexpr`, standard library only.
//
// The rules are those of DeepSeek-OCR's released inference code (modeling_deepseekocr.py:
// `infer`, `dynamic_preprocess`, `find_closest_aspect_ratio`):
//
// - A mode is (base_size, image_size, crop). q(size) = ceil(floor(size / 16) / 4) queries per
//   side (patch 16, downsample 4).
// - Without crop the page is resized or padded to image_size: q rows of (q image tokens + one
//   newline), then one view separator: q (q + 1) + 1 positions, q^2 of them vision tokens.
// - With crop (Gundam) the global view is padded to base_size (qb (qb + 1) + 1 positions); a page
//   larger than 640 on either side is also cut into a w x h grid of 640-pixel tiles, adding
//   (q w + 1) (q h) positions (q = 10): a newline after each row of the stitched tile map.
// - The grid is the one of min_tiles..max_tiles tiles (default 2..9) whose ratio w / h is
//   closest to the page's W / H; grids are visited by tile count, and on an equal distance the
//   later grid wins when 2 W H > 640^2 w h. A chosen 1 x 1 grid (only possible with
//   min_tiles 1) adds no tiles, as in the code.
//
// Aspect ratios are compared exactly (integer cross-multiplication). The Python code compares
// float differences; the two agree except when a page's ratio lies exactly half-way between two
// grids' ratios, where float rounding decides (e.g. 121 x 660: 11/60 is half-way between 1/5
// and 1/6, exact arithmetic keeps 1x5, Python picks 1x6). `AspectRule::python` (the default)
// settles exactly those ties as Python does, with IEEE-754 doubles (correctly rounded division
// and subtraction, as CPython's float), so the grid is the one the model is fed;
// `AspectRule::exact` applies the tie rule to the exact ratios and uses no floating point.
//
// DeepSeek-OCR-2 (modeling_deepseekocr2.py `infer` and `dynamic_preprocess`; vLLM's
// image_process.py `count_tiles` and config.py) has one mode, a 1024 global view plus 768-pixel
// tiles (BASE_SIZE 1024, IMAGE_SIZE 768, CROP_MODE True, MIN_CROPS 2, MAX_CROPS 6):
//
// - The global view is padded to 1024: 16 x 16 = 256 vision tokens, no newlines.
// - A page larger than 768 on either side is also cut into the w x h grid of 768-pixel tiles
//   that `dynamic_preprocess` chooses (the rule above, with 768 for 640 and 2..6 tiles), each
//   12 x 12 = 144 vision tokens, no newlines.
// - One view separator: 257 + 144 n positions for n tiles, n in {0, 2, 3, 4, 5, 6}.
//
// `ocr2_page_layout` gives that layout (an Ocr2PageLayout); the config functions below take a
// DeepseekOCRConfig with a PageLayout, or a DeepseekOCR2Config with an Ocr2PageLayout, and any
// other pairing is a compile error.
#ifndef DEEPSEEK_CONFIG_OCR_HPP
#define DEEPSEEK_CONFIG_OCR_HPP

#include <array>
#include <cstdint>
#include <limits>
#include <string_view>
#include <type_traits>
#include <utility>

#include "memory.hpp"
#include "optional.hpp"

namespace deepseek {

/// DeepSeek-OCR's resolution modes (the README's names): Tiny 512, Small 640, Base 1024,
/// Large 1280 without crop; Gundam a 1024 global view plus 640-pixel tiles.
enum class OcrMode { tiny, small, base, large, gundam };

/// How `ocr_tile_grid` compares aspect-ratio distances (see the header comment).
enum class AspectRule {
    python, ///< exact, except that an exact tie is settled by the Python code's float compare
    exact,  ///< exact rational comparison throughout; no floating point
};

template <> struct enum_table<OcrMode> {
    static constexpr std::array<EnumEntry<OcrMode>, 5> entries{{
        {OcrMode::tiny, "tiny"},
        {OcrMode::small, "small"},
        {OcrMode::base, "base"},
        {OcrMode::large, "large"},
        {OcrMode::gundam, "gundam"},
    }};
};
template <> struct enum_table<AspectRule> {
    static constexpr std::array<EnumEntry<AspectRule>, 2> entries{{
        {AspectRule::python, "python"},
        {AspectRule::exact, "exact"},
    }};
};

/// Pixels per side of a vision patch (`patch_size` in `infer`).
inline constexpr std::uint64_t ocr_patch_size = 16;
/// Patches per query per side (`downsample_ratio` in `infer`).
inline constexpr std::uint64_t ocr_downsample_ratio = 4;
/// Pixels per side of a Gundam tile, and the page side above which Gundam cuts tiles (both 640
/// in the code: `dynamic_preprocess`'s image_size and the `<= 640` test in `infer`).
inline constexpr std::uint64_t ocr_tile_size = 640;

/// DeepSeek-OCR-2's global view, pixels per side (BASE_SIZE in its config.py and `infer`).
inline constexpr std::uint64_t ocr2_base_size = 1024;
/// DeepSeek-OCR-2's tile side, and the page side above which it cuts tiles (IMAGE_SIZE, and the
/// `<= 768` test of `infer` and `get_num_image_tokens`).
inline constexpr std::uint64_t ocr2_tile_size = 768;

/// The sizes of one mode, in pixels per side: `infer`'s base_size, image_size, crop_mode.
struct OcrModeSpec {
    std::uint64_t base_size = 1024;
    std::uint64_t image_size = 1024;
    bool crop = false;
};

/// The sizes of a mode (Tiny 512/512, Small 640/640, Base 1024/1024, Large 1280/1280, Gundam
/// 1024/640 with crop).
[[nodiscard]] constexpr OcrModeSpec ocr_mode_spec(OcrMode mode) noexcept {
    switch (mode) {
    case OcrMode::tiny: return {512, 512, false};
    case OcrMode::small: return {640, 640, false};
    case OcrMode::base: return {1024, 1024, false};
    case OcrMode::large: return {1280, 1280, false};
    case OcrMode::gundam: return {1024, 640, true};
    }
    return {};
}

/// Queries per side of a square view of `size` pixels: ceil(floor(size / 16) / 4), as `infer`
/// computes num_queries (8, 10, 16, 20 for 512, 640, 1024, 1280).
[[nodiscard]] constexpr std::uint64_t ocr_queries_per_side(std::uint64_t size) noexcept {
    return detail::ceil_div(size / ocr_patch_size, ocr_downsample_ratio);
}

/// The tile counts Gundam may choose from (`dynamic_preprocess`'s min_num and max_num: 2 and 9
/// in the released code; serving setups lower max_tiles) and the aspect rule.
struct TileLimits {
    std::uint64_t min_tiles = 2;
    std::uint64_t max_tiles = 9;
    AspectRule rule = AspectRule::python;
};

/// DeepSeek-OCR-2's tile counts: MIN_CROPS 2 and MAX_CROPS 6 of its config.py (also the
/// defaults of the HF code's `dynamic_preprocess`).
inline constexpr TileLimits ocr2_tile_limits{2, 6, AspectRule::python};

/// A tile grid [w, h]: w tiles across, h down. [1, 1] means no tiles.
using TileGrid = std::array<std::uint64_t, 2>;

namespace detail {
constexpr std::uint64_t abs_diff(std::uint64_t a, std::uint64_t b) noexcept { return a > b ? a - b : b - a; }

/// Sign of |W/H - a| - |W/H - b| for grid ratios a = a0/a1, b = b0/b1, exactly: both sides
/// times H a1 b1 give |W a1 - a0 H| b1 and |W b1 - b0 H| a1.
constexpr int compare_aspect_exact(std::uint64_t W, std::uint64_t H, TileGrid a, TileGrid b) {
    const char* const what = "page aspect ratio";
    const std::uint64_t da = checked_mul(abs_diff(checked_mul(W, a[1], what), checked_mul(a[0], H, what)), b[1], what);
    const std::uint64_t db = checked_mul(abs_diff(checked_mul(W, b[1], what), checked_mul(b[0], H, what)), a[1], what);
    return da < db ? -1 : (da > db ? 1 : 0);
}

/// The same comparison as `find_closest_aspect_ratio` makes it: abs(W / H - w / h) in IEEE
/// doubles. Only asked when the exact distances are equal; sides of 2^53 or more (not exactly
/// representable) are left an exact tie.
constexpr int compare_aspect_python(std::uint64_t W, std::uint64_t H, TileGrid a, TileGrid b) noexcept {
    constexpr std::uint64_t exact_limit = std::uint64_t{1} << 53;
    if (W >= exact_limit || H >= exact_limit) return 0;
    const double aspect = static_cast<double>(W) / static_cast<double>(H);
    double da = aspect - static_cast<double>(a[0]) / static_cast<double>(a[1]);
    double db = aspect - static_cast<double>(b[0]) / static_cast<double>(b[1]);
    if (da < 0) da = -da;
    if (db < 0) db = -db;
    return da < db ? -1 : (da > db ? 1 : 0);
}
} // namespace detail

namespace detail {
/// ocr_tile_grid (ocr2_tile_grid with `tile` 768), an overflow reported by report_overflow.
constexpr TileGrid tile_grid(std::uint64_t width, std::uint64_t height, const TileLimits& limits,
                             std::uint64_t tile = ocr_tile_size) {
    const char* const what = "tile grid";
    TileGrid best{1, 1};
    bool have = false;
    const std::uint64_t twice_area = detail::checked_mul(detail::checked_mul(width, height, what), 2, what);
    const std::uint64_t tile_area = detail::checked_mul(tile, tile, what);
    const std::uint64_t first = limits.min_tiles == 0 ? 1 : limits.min_tiles;
    for (std::uint64_t n = first; n <= limits.max_tiles && n != 0; ++n) {
        for (std::uint64_t w = 1; w <= n; ++w) {
            if (n % w != 0) continue;
            const TileGrid grid{w, n / w};
            if (!have) {
                best = grid;
                have = true;
                continue;
            }
            int c = detail::compare_aspect_exact(width, height, grid, best);
            if (c == 0 && limits.rule == AspectRule::python)
                c = detail::compare_aspect_python(width, height, grid, best);
            if (c < 0 || (c == 0 && twice_area > detail::checked_mul(tile_area, n, what))) best = grid;
        }
        if (n == std::numeric_limits<std::uint64_t>::max()) break;
    }
    return best;
}
} // namespace detail

/// The grid `dynamic_preprocess` chooses for a W x H page (W, H >= 1): over every w x h with
/// min_tiles <= w h <= max_tiles (min_tiles 0 counts as 1), by tile count and then by width,
/// the closest ratio w / h to W / H; on an equal distance the later grid wins when the page's
/// area exceeds half the grid's (2 W H > 640^2 w h). [1, 1] when no grid qualifies. The order
/// among grids of one tile count is the code's wherever it can decide a tie (Python orders them
/// by set hashing; only (1,2) before (2,1), max_tiles 2 or 3, ever meets on a tie). An overflow
/// (sides near 2^32) throws ArithmeticOverflow; hence the exceptions-mode namespace.
inline namespace DEEPSEEK_CONFIG_ABI_NAMESPACE {
[[nodiscard]] constexpr TileGrid ocr_tile_grid(std::uint64_t width, std::uint64_t height,
                                               const TileLimits& limits = {}) {
    return detail::checked_figure([&] { return detail::tile_grid(width, height, limits); });
}

/// The grid DeepSeek-OCR-2's `dynamic_preprocess` chooses for a W x H page: the rule of
/// ocr_tile_grid with 768-pixel tiles (the tie test is 2 W H > 768^2 w h) and 2..6 tiles.
[[nodiscard]] constexpr TileGrid ocr2_tile_grid(std::uint64_t width, std::uint64_t height,
                                                const TileLimits& limits = ocr2_tile_limits) {
    return detail::checked_figure([&] { return detail::tile_grid(width, height, limits, ocr2_tile_size); });
}
} // namespace DEEPSEEK_CONFIG_ABI_NAMESPACE

/// What one page becomes in the model's sequence.
struct PageLayout {
    OcrMode mode = OcrMode::gundam;
    std::uint64_t width = 0;         ///< page pixels across
    std::uint64_t height = 0;        ///< page pixels down
    TileGrid grid{1, 1};             ///< Gundam tiles [w, h]; [1, 1]: none (and always in other modes)
    std::uint64_t tiles = 0;         ///< local tiles encoded: w h, or 0
    std::uint64_t positions = 0;     ///< sequence positions: vision tokens, newlines, separator
    std::uint64_t vision_tokens = 0; ///< encoder output tokens alone (the paper's figure)
};

namespace detail {
/// page_layout, an overflow reported by report_overflow.
constexpr Optional<PageLayout> layout_of_page(OcrMode mode, std::uint64_t width, std::uint64_t height,
                                              const TileLimits& limits) {
    if (width == 0 || height == 0) return std::nullopt;
    using detail::checked_add;
    using detail::checked_mul;
    const char* const what = "page positions";
    const OcrModeSpec spec = ocr_mode_spec(mode);
    PageLayout p{};
    p.mode = mode;
    p.width = width;
    p.height = height;
    // The one view every mode has: base_size with crop, image_size without.
    const std::uint64_t qv = ocr_queries_per_side(spec.crop ? spec.base_size : spec.image_size);
    p.positions = checked_add(checked_mul(qv, qv + 1, what), 1, what);
    p.vision_tokens = checked_mul(qv, qv, what);
    if (!spec.crop) return p;
    if (width > ocr_tile_size || height > ocr_tile_size) p.grid = detail::tile_grid(width, height, limits);
    if (p.grid[0] > 1 || p.grid[1] > 1) {
        const std::uint64_t q = ocr_queries_per_side(spec.image_size);
        const std::uint64_t across = checked_mul(q, p.grid[0], what);
        const std::uint64_t down = checked_mul(q, p.grid[1], what);
        p.tiles = checked_mul(p.grid[0], p.grid[1], what);
        p.positions = checked_add(p.positions, checked_mul(checked_add(across, 1, what), down, what), what);
        p.vision_tokens = checked_add(p.vision_tokens, checked_mul(across, down, what), what);
    }
    return p;
}

} // namespace detail

/// The layout of a W x H page in `mode`; nullopt when a side is 0. Without crop the page size
/// does not matter (it is resized or padded); with crop a page at most 640 on both sides gets
/// the global view alone.
inline namespace DEEPSEEK_CONFIG_ABI_NAMESPACE {
[[nodiscard]] constexpr Optional<PageLayout> page_layout(OcrMode mode, std::uint64_t width, std::uint64_t height,
                                                         const TileLimits& limits = {}) {
    return detail::checked_figure([&] { return detail::layout_of_page(mode, width, height, limits); });
}
} // namespace DEEPSEEK_CONFIG_ABI_NAMESPACE

/// What one page becomes in DeepSeek-OCR-2's sequence (its one mode: see the header comment).
struct Ocr2PageLayout {
    std::uint64_t width = 0;         ///< page pixels across
    std::uint64_t height = 0;        ///< page pixels down
    TileGrid grid{1, 1};             ///< 768-pixel tiles [w, h]; [1, 1]: none
    std::uint64_t tiles = 0;         ///< local tiles encoded: w h, or 0
    std::uint64_t positions = 0;     ///< sequence positions: vision tokens and the separator
    std::uint64_t vision_tokens = 0; ///< encoder output tokens alone (the paper's 256..1,120)
};

namespace detail {
/// ocr2_page_layout, an overflow reported by report_overflow.
constexpr Optional<Ocr2PageLayout> layout_of_ocr2_page(std::uint64_t width, std::uint64_t height,
                                                       const TileLimits& limits) {
    if (width == 0 || height == 0) return std::nullopt;
    const char* const what = "page positions";
    Ocr2PageLayout p{};
    p.width = width;
    p.height = height;
    // The global view: 16 x 16 queries (query_1024), then one view_seperator.
    const std::uint64_t qb = ocr_queries_per_side(ocr2_base_size);
    p.vision_tokens = qb * qb;
    if (width > ocr2_tile_size || height > ocr2_tile_size) p.grid = tile_grid(width, height, limits, ocr2_tile_size);
    if (p.grid[0] > 1 || p.grid[1] > 1) {
        // Each tile 12 x 12 queries (query_768).
        const std::uint64_t q = ocr_queries_per_side(ocr2_tile_size);
        p.tiles = checked_mul(p.grid[0], p.grid[1], what);
        p.vision_tokens = checked_add(p.vision_tokens, checked_mul(checked_mul(q, q, what), p.tiles, what), what);
    }
    p.positions = checked_add(p.vision_tokens, 1, what);
    return p;
}

/// The page layout a config's page functions take: PageLayout for DeepSeek-OCR, Ocr2PageLayout
/// for DeepSeek-OCR-2.
template <class C, class L> constexpr void require_ocr_layout() noexcept {
    static_assert(std::is_same_v<C, DeepseekOCRConfig> || std::is_same_v<C, DeepseekOCR2Config>,
                  "OCR page budgets take a DeepseekOCRConfig or a DeepseekOCR2Config");
    static_assert(!std::is_same_v<C, DeepseekOCR2Config> || std::is_same_v<L, Ocr2PageLayout>,
                  "DeepSeek-OCR-2 lays pages out differently (768-pixel tiles, at most 6, no newline "
                  "tokens): its page functions take an Ocr2PageLayout (ocr2_page_layout)");
    static_assert(!std::is_same_v<C, DeepseekOCRConfig> || std::is_same_v<L, PageLayout>,
                  "DeepSeek-OCR's page functions take a PageLayout (page_layout); an Ocr2PageLayout is "
                  "DeepSeek-OCR-2's");
}
} // namespace detail

/// The layout of a W x H page in DeepSeek-OCR-2; nullopt when a side is 0. A page at most 768
/// on both sides gets the global view alone: 257 positions; otherwise 257 + 144 n for the n
/// tiles of ocr2_tile_grid.
inline namespace DEEPSEEK_CONFIG_ABI_NAMESPACE {
[[nodiscard]] constexpr Optional<Ocr2PageLayout> ocr2_page_layout(std::uint64_t width, std::uint64_t height,
                                                                  const TileLimits& limits = ocr2_tile_limits) {
    return detail::checked_figure([&] { return detail::layout_of_ocr2_page(width, height, limits); });
}
} // namespace DEEPSEEK_CONFIG_ABI_NAMESPACE

/// KV-cache bytes one page costs: its positions x KV bytes per token per layer x
/// num_hidden_layers (DeepSeek-OCR and OCR-2: 61,440 bytes per position in bf16, mha). `kv`
/// gives the layout, dtype and tp; its tokens and batch are ignored (one page, one sequence).
/// `page`: a PageLayout for DeepSeek-OCR, an Ocr2PageLayout for OCR-2. Errors as kv_cache_bytes.
template <class C, class L>
[[nodiscard]] constexpr SizeResult ocr_page_kv_bytes(const C& c, const L& page, KvQuery kv = {}) {
    detail::require_ocr_layout<C, L>();
    kv.tokens = page.positions;
    kv.batch = 1;
    return kv_cache_bytes(c, kv);
}

/// Pages like `page` that fit in `context_tokens` after a prompt of `prompt_tokens`:
/// floor((context - prompt) / positions); 0 when the prompt alone fills the context.
template <class C, class L>
[[nodiscard]] constexpr std::uint64_t ocr_pages_fit_context(const C& c, const L& page, std::uint64_t context_tokens,
                                                            std::uint64_t prompt_tokens = 0) noexcept {
    detail::require_ocr_layout<C, L>();
    (void)c;
    if (prompt_tokens >= context_tokens || page.positions == 0) return 0;
    return (context_tokens - prompt_tokens) / page.positions;
}

/// Pages like `page` whose KV cache, with the prompt's, fits the budget of `q` next to the
/// weights (one sequence: q.batch is taken as 1): the largest context T that fits
/// (max_context_tokens), then floor((T - prompt) / positions); 0 when the prompt alone fills T.
/// Errors as max_context_tokens (weights larger than the budget: `weights_do_not_fit`).
template <class C, class L> [[nodiscard]] constexpr SizeResult
ocr_pages_fit_budget(const C& c, const L& page, BudgetQuery q, std::uint64_t prompt_tokens = 0) {
    detail::require_ocr_layout<C, L>();
    q.batch = 1;
    const SizeResult tokens = max_context_tokens(c, q);
    if (!tokens) return tokens;
    if (prompt_tokens >= *tokens || page.positions == 0) return std::uint64_t{0};
    return (*tokens - prompt_tokens) / page.positions;
}

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_OCR_HPP
