// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// A DeepSeek-OCR or DeepSeek-OCR-2 page budget over several page sizes: per size the layout, KV
// bytes and pages that fit (ocr.hpp), and the totals, overflow checked. Standard library only.
#ifndef DEEPSEEK_CONFIG_OCR_BUDGET_HPP
#define DEEPSEEK_CONFIG_OCR_BUDGET_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "config.hpp"
#include "error.hpp"
#include "ocr.hpp"
#include "optional.hpp"
#include "overflow.hpp"
#include "report.hpp"

namespace deepseek {

/// Pages of one size: `count` pages of width x height pixels.
struct PageRequest {
    std::uint64_t width = 0;  ///< pixels across
    std::uint64_t height = 0; ///< pixels down
    std::uint64_t count = 1;  ///< pages of this size
};

/// How the pages are laid out and what they must fit.
struct PageBudgetOptions {
    OcrMode mode = OcrMode::gundam;   ///< the mode of DeepSeek-OCR's infer()
    TileLimits limits{};              ///< Gundam tile counts
    std::uint64_t prompt_tokens = 0;  ///< text tokens in the sequence besides the pages
    Optional<std::uint64_t> budget{}; ///< bytes per rank for weights + KV cache
};

/// How DeepSeek-OCR-2's pages are laid out (its one mode) and what they must fit.
struct Ocr2PageBudgetOptions {
    TileLimits limits = ocr2_tile_limits; ///< tile counts (MIN_CROPS 2, MAX_CROPS 6)
    std::uint64_t prompt_tokens = 0;      ///< text tokens in the sequence besides the pages
    Optional<std::uint64_t> budget{};     ///< bytes per rank for weights + KV cache
};

/// One page size of a budget, with its figures; `Layout` is PageLayout (DeepSeek-OCR) or
/// Ocr2PageLayout (DeepSeek-OCR-2).
template <class Layout> struct PageRowOf {
    Layout layout{};
    std::uint64_t count = 1;              ///< pages of this size
    std::uint64_t kv_bytes = 0;           ///< one page, one rank
    std::uint64_t fit_context = 0;        ///< pages like it in the context after the prompt
    Optional<std::uint64_t> fit_budget{}; ///< pages like it in the budget (with a budget)
};
/// A row of a DeepSeek-OCR page budget.
using PageRow = PageRowOf<PageLayout>;
/// A row of a DeepSeek-OCR-2 page budget.
using Ocr2PageRow = PageRowOf<Ocr2PageLayout>;

/// The page budget: each size's row and the totals over all pages (count included).
struct PageBudget {
    OcrMode mode = OcrMode::gundam;
    TileLimits limits{};
    std::uint64_t prompt_tokens = 0;
    std::vector<PageRow> rows;
    std::uint64_t total_pages = 0;
    std::uint64_t total_positions = 0;     ///< sequence positions of all pages
    std::uint64_t total_vision_tokens = 0; ///< vision tokens of all pages
    std::uint64_t total_kv_bytes = 0;      ///< KV bytes of all pages, one rank
    std::size_t largest = 0;               ///< index of the row with the most positions
};

/// A DeepSeek-OCR-2 page budget: each size's row and the totals over all pages (count included).
struct Ocr2PageBudget {
    TileLimits limits = ocr2_tile_limits;
    std::uint64_t prompt_tokens = 0;
    std::vector<Ocr2PageRow> rows;
    std::uint64_t total_pages = 0;
    std::uint64_t total_positions = 0;     ///< sequence positions of all pages
    std::uint64_t total_vision_tokens = 0; ///< vision tokens of all pages
    std::uint64_t total_kv_bytes = 0;      ///< KV bytes of all pages, one rank
    std::size_t largest = 0;               ///< index of the row with the most positions
};

namespace detail {
inline namespace DEEPSEEK_CONFIG_ABI_NAMESPACE {
/// Fills the rows and totals of `b` (PageBudget or Ocr2PageBudget, its limits and prompt_tokens
/// set) with `pages`, each laid out by `layout_of(width, height)`; an overflow reported by
/// report_overflow.
template <class C, class Budget, class LayoutOf>
void fill_page_budget(Budget& b, const C& c, const std::vector<PageRequest>& pages,
                      const Optional<std::uint64_t>& budget, const Report& r, const LayoutOf& layout_of) {
    const char* const what = "page budget totals";
    b.rows.reserve(pages.size());
    for (const auto& page : pages) {
        const auto layout = layout_of(page.width, page.height);
        if (!layout) {
            throw Error(ErrorKind::range, "",
                        "a page of " + std::to_string(page.width) + "x" + std::to_string(page.height) +
                            " pixels: width and height must be above 0");
        }
        typename decltype(b.rows)::value_type row;
        row.layout = *layout;
        row.count = page.count;
        row.kv_bytes = ocr_page_kv_bytes(c, row.layout, kv_query_of(r)).value(); // r has no error: throws only overflow
        row.fit_context = ocr_pages_fit_context(c, row.layout, r.context, b.prompt_tokens);
        if (budget) {
            BudgetQuery q = budget_query_of(r, *budget);
            q.batch = 1; // pages count per sequence
            const SizeResult fit = ocr_pages_fit_budget(c, row.layout, q, b.prompt_tokens);
            if (fit || fit.error() != MemoryError::weights_do_not_fit)
                row.fit_budget = fit.value(); // an error other than weights_do_not_fit throws
            else
                row.fit_budget = 0; // the weights alone do not fit: no page does
        }
        b.total_pages = checked_add(b.total_pages, row.count, what);
        b.total_positions = checked_add(b.total_positions, checked_mul(row.layout.positions, row.count, what), what);
        b.total_vision_tokens =
            checked_add(b.total_vision_tokens, checked_mul(row.layout.vision_tokens, row.count, what), what);
        b.total_kv_bytes = checked_add(b.total_kv_bytes, checked_mul(row.kv_bytes, row.count, what), what);
        if (row.layout.positions > (b.rows.empty() ? 0 : b.rows[b.largest].layout.positions)) b.largest = b.rows.size();
        b.rows.push_back(row);
    }
}

/// page_budget, an overflow reported by report_overflow.
template <class C> PageBudget page_budget_of(const C& c, const std::vector<PageRequest>& pages,
                                             const PageBudgetOptions& options, const Report& r) {
    static_assert(std::is_same_v<C, DeepseekOCRConfig>,
                  "page_budget with PageBudgetOptions takes a DeepseekOCRConfig (DeepSeek-OCR-2 lays pages out "
                  "differently: give it Ocr2PageBudgetOptions)");
    PageBudget b;
    b.mode = options.mode;
    b.limits = options.limits;
    b.prompt_tokens = options.prompt_tokens;
    fill_page_budget(b, c, pages, options.budget, r, [&](std::uint64_t width, std::uint64_t height) {
        return page_layout(b.mode, width, height, b.limits);
    });
    return b;
}

/// page_budget of DeepSeek-OCR-2, an overflow reported by report_overflow. (A template, as the
/// public page_budget: compiled only where it is called, not in every translation unit.)
template <class C> Ocr2PageBudget ocr2_page_budget_of(const C& c, const std::vector<PageRequest>& pages,
                                                      const Ocr2PageBudgetOptions& options, const Report& r) {
    static_assert(std::is_same_v<C, DeepseekOCR2Config>,
                  "page_budget with Ocr2PageBudgetOptions takes a DeepseekOCR2Config");
    Ocr2PageBudget b;
    b.limits = options.limits;
    b.prompt_tokens = options.prompt_tokens;
    fill_page_budget(b, c, pages, options.budget, r, [&](std::uint64_t width, std::uint64_t height) {
        return ocr2_page_layout(width, height, b.limits);
    });
    return b;
}
} // namespace DEEPSEEK_CONFIG_ABI_NAMESPACE
} // namespace detail

inline namespace DEEPSEEK_CONFIG_ABI_NAMESPACE { // it throws (see overflow.hpp)
/// The page budget of `pages` on a DeepSeek-OCR config, at the KV dtype, layout, tensor
/// parallelism, context and weight bytes of `r` (a report of `c` without error). A page with
/// a side of 0 is an error of kind `range`; totals beyond 64 bits are ArithmeticOverflow.
template <class C> [[nodiscard]] PageBudget page_budget(const C& c, const std::vector<PageRequest>& pages,
                                                        const PageBudgetOptions& options, const Report& r) {
    return detail::run_checked([&] { return detail::page_budget_of(c, pages, options, r); });
}

/// The page budget of `pages` on a DeepSeek-OCR-2 config (its one mode: a 1024 global view plus
/// 768-pixel tiles, 257 + 144 n positions a page), otherwise as above.
template <class C> [[nodiscard]] Ocr2PageBudget page_budget(const C& c, const std::vector<PageRequest>& pages,
                                                            const Ocr2PageBudgetOptions& options, const Report& r) {
    return detail::run_checked([&] { return detail::ocr2_page_budget_of(c, pages, options, r); });
}
} // namespace DEEPSEEK_CONFIG_ABI_NAMESPACE

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_OCR_BUDGET_HPP
