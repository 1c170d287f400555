// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// Internal: config.json text to a JSON tree, with what nlohmann's parser would get wrong checked
// first, and positions as line and column.
#ifndef DEEPSEEK_CONFIG_DETAIL_JSON_TEXT_HPP
#define DEEPSEEK_CONFIG_DETAIL_JSON_TEXT_HPP

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

#include "../error.hpp"
#include "../limits.hpp"
#include "json_common.hpp"

namespace deepseek {
namespace detail {

/// "line L, column C" of byte `index` of `text` (1-based; a column counts bytes).
inline std::string line_column(std::string_view text, std::size_t index) {
    std::size_t line = 1;
    std::size_t column = 1;
    const std::size_t end = std::min(index, text.size());
    for (std::size_t i = 0; i < end; ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

/// Checks what nlohmann's parser would get wrong, before it runs: a NUL byte (which it takes for
/// the end of the input, silently ignoring the rest of the file; JSON text never holds one), and
/// arrays and objects nested deeper than max_nesting_depth (its parser and destructor are
/// iterative, but copying and printing a tree recurse once per level, so 100000 levels would
/// overflow the stack). Brackets inside strings do not count; anything else malformed is left
/// for the parser to describe.
inline void check_structure(std::string_view text) {
    if (text.size() >= 2 && ((text[0] == '\xFF' && text[1] == '\xFE') || (text[0] == '\xFE' && text[1] == '\xFF'))) {
        fail(ErrorKind::syntax, "",
             "malformed JSON at line 1, column 1: a UTF-16 byte-order mark; save the file as UTF-8");
    }
    if (const auto nul = text.find('\0'); nul != std::string_view::npos) {
        fail(ErrorKind::syntax, "",
             "malformed JSON at " + line_column(text, nul) + ": a NUL byte (JSON text cannot hold one)");
    }
}

/// True when `value` holds arrays or objects nested more than `levels` deep. The recursion stops
/// at `levels`, so it is bounded however deep the tree is.
template <class Json> bool nested_deeper_than(const Json& value, std::size_t levels) {
    if (!value.is_structured()) return false;
    if (levels == 0) return true;
    for (const auto& child : value) {
        if (nested_deeper_than(child, levels - 1)) return true;
    }
    return false;
}

/// Refuses a tree nested deeper than max_nesting_depth (copying or printing a tree recurses once
/// per level). Checked on the parsed tree; the text is scanned only to say where.
template <class Json> void check_nesting(const Json& root, std::string_view text) {
    if (!nested_deeper_than(root, max_nesting_depth)) return;
    std::size_t depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char ch = text[i];
        if (in_string) {
            if (ch == '\\')
                ++i;
            else if (ch == '"')
                in_string = false;
        } else if (ch == '"') {
            in_string = true;
        } else if (ch == '[' || ch == '{') {
            if (++depth > max_nesting_depth) {
                fail(ErrorKind::syntax, "",
                     "JSON nested deeper than " + std::to_string(max_nesting_depth) + " levels at " +
                         line_column(text, i));
            }
        } else if ((ch == ']' || ch == '}') && depth > 0) {
            --depth;
        }
    }
    fail(ErrorKind::syntax, "", "JSON nested deeper than " + std::to_string(max_nesting_depth) + " levels");
}

template <class Json> Json parse_json(std::string_view text) {
    check_structure(text);
    try {
        Json root = Json::parse(text.begin(), text.end());
        check_nesting(root, text);
        return root;
    } catch (const typename Json::parse_error& e) {
        // e.byte is the 1-based byte where parsing stopped.
        std::string reason = e.what();
        if (const auto pos = reason.find(": "); pos != std::string::npos) reason = reason.substr(pos + 2);
        fail(ErrorKind::syntax, "",
             "malformed JSON at " + line_column(text, e.byte == 0 ? 0 : e.byte - 1) + ": " + reason);
    } catch (const typename Json::out_of_range& e) {
        // A number beyond double's range (1e400): nlohmann throws out_of_range (not parse_error)
        // naming the token but no position. The position given is the token's first occurrence
        // (approximate only if an earlier string holds the same text).
        std::string token;
        const std::string what = e.what();
        if (const auto open = what.find('\''); open != std::string::npos) {
            if (const auto close = what.find('\'', open + 1); close != std::string::npos) {
                token = what.substr(open + 1, close - open - 1);
            }
        }
        const auto at = token.empty() ? std::string_view::npos : text.find(token);
        fail(ErrorKind::range, "",
             "number out of range" + (at == std::string_view::npos ? std::string() : " at " + line_column(text, at)) +
                 ": " + (token.empty() ? what : token + " does not fit a double"));
    }
}

} // namespace detail
} // namespace deepseek

#endif // DEEPSEEK_CONFIG_DETAIL_JSON_TEXT_HPP
