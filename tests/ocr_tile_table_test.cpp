// DeepSeek-OCR's tile grid on every page where the released Python code's float comparison
// picks another grid than exact arithmetic: tests/data/ocr_python_tie_pages.tsv, written by
// tests/tools/ocr_tile_grid.py (a port of `dynamic_preprocess` / `find_closest_aspect_ratio`
// with the grid order CPython produces) for min_tiles 2, max_tiles 9 and every page up to
// 2500 x 2500. The default rule (AspectRule::python) must give the table's Python grid, and
// AspectRule::exact its exact grid, on every row.
#include <deepseek/ocr.hpp>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "catch.hpp"
#include "test_support.hpp"

// One namespace per test file: the files of a batch share a translation unit (tests/CMakeLists.txt).
namespace ocr_tile_table_test {

using deepseek::AspectRule;
using deepseek::ocr_tile_grid;
using deepseek::TileGrid;
using deepseek::TileLimits;

namespace {

struct TieRow {
    std::uint64_t width = 0;
    std::uint64_t height = 0;
    TileGrid python{};
    TileGrid exact{};
    std::size_t line = 0;
};

// "1x6" -> {1, 6}; false unless the whole text is <digits>x<digits>.
bool parse_grid(const std::string& text, TileGrid& grid) {
    const std::size_t cross = text.find('x');
    if (cross == std::string::npos || cross == 0 || cross + 1 >= text.size()) return false;
    for (std::size_t i = 0; i < text.size(); ++i)
        if (i != cross && (text[i] < '0' || text[i] > '9')) return false;
    grid = {std::stoull(text.substr(0, cross)), std::stoull(text.substr(cross + 1))};
    return true;
}

std::string show(const TileGrid& grid) { return std::to_string(grid[0]) + "x" + std::to_string(grid[1]); }

struct Table {
    std::vector<TieRow> rows;
    std::vector<std::string> errors;
    bool header_seen = false;
};

Table read_table() {
    Table table;
    std::ifstream in(test_support::data_file("ocr_python_tie_pages.tsv"));
    if (!in) {
        table.errors.push_back("cannot open ocr_python_tie_pages.tsv");
        return table;
    }
    std::string line;
    std::size_t number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (line.empty() || line[0] == '#') continue;
        if (!table.header_seen) {
            table.header_seen = true;
            if (line != "width\theight\tpython\texact")
                table.errors.push_back("line " + std::to_string(number) + ": bad header: " + line);
            continue;
        }
        std::istringstream fields(line);
        std::string width, height, python, exact, extra;
        TieRow row;
        row.line = number;
        const bool ok = std::getline(fields, width, '\t') && std::getline(fields, height, '\t') &&
                        std::getline(fields, python, '\t') && std::getline(fields, exact, '\t') &&
                        !std::getline(fields, extra, '\t') &&
                        width.find_first_not_of("0123456789") == std::string::npos &&
                        height.find_first_not_of("0123456789") == std::string::npos && !width.empty() &&
                        !height.empty() && parse_grid(python, row.python) && parse_grid(exact, row.exact);
        if (!ok) {
            table.errors.push_back("line " + std::to_string(number) + ": bad row: " + line);
            continue;
        }
        row.width = std::stoull(width);
        row.height = std::stoull(height);
        table.rows.push_back(row);
    }
    return table;
}

} // namespace

TEST_CASE("ocr_tile_grid matches the Python port on every page where the rules differ") {
    const Table table = read_table();
    for (const std::string& error : table.errors) FAIL_CHECK(error);
    REQUIRE(table.errors.empty());
    REQUIRE(table.header_seen);

    // Every page up to 2500 x 2500 whose grid the float comparison changes (max_tiles 9); 311
    // of them have a side above 640, the pages Gundam actually cuts into tiles.
    CHECK(table.rows.size() == 374);
    std::size_t tiled = 0;
    for (const TieRow& row : table.rows)
        if (row.width > 640 || row.height > 640) ++tiled;
    CHECK(tiled == 311);

    const TileLimits exact_limits{2, 9, AspectRule::exact};
    std::size_t mismatches = 0;
    for (const TieRow& row : table.rows) {
        INFO("line " << row.line << ": " << row.width << " x " << row.height);
        CHECK(row.width >= 1);
        CHECK(row.width <= 2500);
        CHECK(row.height >= 1);
        CHECK(row.height <= 2500);
        CHECK(row.python != row.exact);
        const TileGrid python = ocr_tile_grid(row.width, row.height);
        const TileGrid exact = ocr_tile_grid(row.width, row.height, exact_limits);
        if (python != row.python || exact != row.exact) {
            ++mismatches;
            FAIL_CHECK("python rule " << show(python) << " (table " << show(row.python) << "), exact rule "
                                      << show(exact) << " (table " << show(row.exact) << ")");
        }
    }
    CHECK(mismatches == 0);

    // The example of ocr.hpp's comment and the README is one of the rows.
    const TileGrid one_by_six{1, 6};
    const TileGrid one_by_five{1, 5};
    bool has_example = false;
    for (const TieRow& row : table.rows)
        if (row.width == 121 && row.height == 660) {
            has_example = true;
            CHECK(row.python == one_by_six);
            CHECK(row.exact == one_by_five);
        }
    CHECK(has_example);
}

} // namespace ocr_tile_table_test
