// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// The module patterns of quantisation exclusion lists: ModelOpt's fnmatch globs and
// compressed-tensors' exact names and "re:" expressions (the subset of Python's regular
// expressions such lists use). Internal: used by detail/json_quant.hpp. Standard library only.
#ifndef DEEPSEEK_CONFIG_DETAIL_MODULE_PATTERN_HPP
#define DEEPSEEK_CONFIG_DETAIL_MODULE_PATTERN_HPP

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../optional.hpp"

namespace deepseek {
namespace detail {

/// Python's fnmatch without character sets: `*` any run (dots included), `?` one character,
/// anything else itself; the whole name must match. (The classic linear backtracking over the
/// last `*`.)
inline bool glob_match(std::string_view pattern, std::string_view name) noexcept {
    std::size_t p = 0, n = 0, star = std::string_view::npos, resume = 0;
    while (n < name.size()) {
        if (p < pattern.size() && pattern[p] == '*') { // a wildcard even where the name has a '*'
            star = p++;
            while (p < pattern.size() && pattern[p] == '*') star = p++;
            if (p == pattern.size()) return true; // a final `*` takes the rest
            resume = n;
        } else if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[n])) {
            ++p, ++n;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            n = ++resume;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

/// The part of Python's regular expressions that exclusion lists use, for `re.match` (anchored
/// at the start, not at the end): literals, `\` escapes, `.`, `[...]` and `[^...]` sets, groups
/// with `|`, the quantifiers `*`, `+`, `?`, and `^`, `$`. A pattern outside it is `supported`
/// false, and the caller says the quantisation is not modelled rather than guess.
///
/// A class template only so that a translation unit compiles its member functions where they
/// are used (reading a quantisation), not wherever the JSON headers are included: as a plain
/// class this header cost 154 M compiler instructions, as a template 66 M. `MiniRegex` is the
/// one instance.
template <class Deferred = void> class BasicMiniRegex {
  public:
    /// A pattern that matches nothing (the regex of a ModulePattern that is not one).
    BasicMiniRegex() noexcept = default;
    explicit BasicMiniRegex(std::string_view pattern) : text_(pattern) {
        alternatives_ = parse_alternatives();
        if (pos_ != text_.size()) supported_ = false; // an unmatched ')'
        if (alternatives_.size() != 1) return;
        Seq& seq = alternatives_[0];
        // re.match needs a prefix of the name to match: a trailing node that may match nothing
        // ("...proj.*") changes no answer, and is dropped.
        while (!seq.empty() && seq.back().min == 0) seq.pop_back();
        // A leading ".*" lets the rest start anywhere before the first newline: the rest is tried
        // at each such place (where its first plain run occurs), not by backtracking over ".*".
        if (!seq.empty() && seq.front().kind == Node::any && seq.front().min == 0 &&
            seq.front().max == std::string::npos) {
            seq.erase(seq.begin());
            search_ = true;
        }
        // The runs of plain characters every match must contain (top level, one alternative,
        // no quantifier): a name without one of them fails at once, without backtracking.
        std::string run;
        bool leading = true;
        for (const Node& node : seq) {
            if (node.kind == Node::literal && node.min == 1 && node.max == 1) {
                run += node.c;
                continue;
            }
            if (!run.empty()) required_.push_back(run);
            if (leading) first_run_ = run;
            leading = false;
            run.clear();
        }
        if (!run.empty()) required_.push_back(run);
        if (leading) first_run_ = run;
        literal_only_ = leading;
    }
    /// False for syntax outside the subset, and once a match has run out of steps (a pattern
    /// such as "(a|a)*b" can take time exponential in the name's length; `max_steps` bounds it).
    [[nodiscard]] bool supported() const noexcept { return supported_ && !exhausted_; }
    static constexpr std::size_t max_steps = 100000;
    /// Whether the pattern matches a prefix of `name` (re.match).
    [[nodiscard]] bool match(std::string_view name) const {
        if (exhausted_) return false; // once out of steps, the caller reports the pattern unread
        for (const std::string& literal : required_) {
            if (name.find(literal) == std::string_view::npos) return false;
        }
        steps_ = 0;
        const auto done = [](std::size_t) { return true; };
        if (search_) {
            const std::size_t limit = std::min(name.find('\n'), name.size());
            if (literal_only_)
                return name.substr(0, limit + first_run_.size()).find(first_run_) != std::string_view::npos;
            for (std::size_t at = 0; at <= limit; ++at) {
                if (!first_run_.empty()) {
                    at = name.find(first_run_, at);
                    if (at == std::string_view::npos || at > limit) return false;
                }
                if (match_seq(alternatives_[0], 0, name, at, next_of(done))) return true;
                if (exhausted_) return false;
            }
            return false;
        }
        if (literal_only_) return name.substr(0, first_run_.size()) == first_run_;
        for (const auto& seq : alternatives_) {
            if (match_seq(seq, 0, name, 0, next_of(done))) return true;
        }
        return false;
    }

  private:
    struct Node {
        enum Kind { literal, any, set, group, start, end } kind = literal;
        char c = 0;
        std::string members; ///< a set's characters, ranges expanded
        bool negated = false;
        std::vector<std::vector<Node>> alternatives; ///< a group's
        std::size_t min = 1, max = 1;                ///< max npos: unbounded
    };
    using Seq = std::vector<Node>;

    std::vector<Seq> parse_alternatives() {
        std::vector<Seq> alts(1);
        alts.back().reserve(text_.size() - pos_);
        while (pos_ < text_.size() && supported_) {
            const char ch = text_[pos_];
            if (ch == ')') break;
            ++pos_;
            Node node;
            switch (ch) {
            case '|': alts.emplace_back().reserve(text_.size() - pos_); continue;
            case '.': node.kind = Node::any; break;
            case '^': node.kind = Node::start; break;
            case '$': node.kind = Node::end; break;
            case '\\':
                if (pos_ == text_.size() || !is_literal_escape(text_[pos_])) return fail(alts);
                node.c = text_[pos_++];
                break;
            case '[': parse_set(node); break;
            case '(':
                if (pos_ < text_.size() && text_[pos_] == '?') return fail(alts); // (?:...), lookarounds
                node.kind = Node::group;
                node.alternatives = parse_alternatives();
                if (pos_ == text_.size()) return fail(alts);
                ++pos_; // ')'
                break;
            case '*':
            case '+':
            case '?':
            case '{': return fail(alts); // a quantifier with nothing before it, or {m,n}
            default: node.c = ch;
            }
            if (pos_ < text_.size() && (text_[pos_] == '*' || text_[pos_] == '+' || text_[pos_] == '?')) {
                if (node.kind == Node::start || node.kind == Node::end) return fail(alts); // "nothing to repeat"
                const char q = text_[pos_++];
                node.min = q == '+' ? 1 : 0;
                node.max = q == '?' ? 1 : std::string::npos;
                if (pos_ < text_.size() && (text_[pos_] == '?' || text_[pos_] == '+')) return fail(alts); // lazy
            }
            if (pos_ < text_.size() && text_[pos_] == '{') return fail(alts);
            alts.back().push_back(std::move(node));
        }
        return alts;
    }
    /// Whether "\c" is the character c itself: not for an ASCII letter or digit (classes such as
    /// \d, anchors such as \A and \Z, \n, \x61, back-references, or errors in Python).
    static bool is_ascii(char c) noexcept { return static_cast<unsigned char>(c) < 0x80; }
    static bool is_literal_escape(char c) noexcept {
        return !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
    }
    void parse_set(Node& node) {
        node.kind = Node::set;
        if (pos_ < text_.size() && text_[pos_] == '^') node.negated = true, ++pos_;
        bool first = true;
        while (pos_ < text_.size() && (text_[pos_] != ']' || first)) {
            char lo = text_[pos_++];
            if (lo == '\\') {
                if (pos_ == text_.size() || !is_literal_escape(text_[pos_])) {
                    supported_ = false;
                    return;
                }
                lo = text_[pos_++];
            }
            if (pos_ + 1 < text_.size() && text_[pos_] == '-' && text_[pos_ + 1] != ']') {
                const char hi = text_[pos_ + 1];
                if (hi == '\\' || hi < lo || !is_ascii(lo) || !is_ascii(hi)) { // escaped end; refused; UTF-8
                    supported_ = false;
                    return;
                }
                pos_ += 2;
                for (int ch = lo; ch <= hi; ++ch) node.members += static_cast<char>(ch);
            } else {
                node.members += lo;
            }
            first = false;
        }
        if (pos_ == text_.size()) {
            supported_ = false;
            return;
        }
        ++pos_; // ']'
    }
    std::vector<Seq> fail(std::vector<Seq>& alts) {
        supported_ = false;
        return std::move(alts);
    }

    /// What to match after a node: a non-owning reference to a callable (the continuations nest,
    /// so a template per continuation type would never end).
    struct Next {
        const void* object;
        bool (*call)(const void*, std::size_t);
        bool operator()(std::size_t at) const { return call(object, at); }
    };
    template <class F> static Next next_of(const F& f) {
        return Next{&f, [](const void* o, std::size_t at) { return (*static_cast<const F*>(o))(at); }};
    }

    bool match_one(const Node& node, std::string_view name, std::size_t at, const Next& next) const {
        if (++steps_ > max_steps) {
            exhausted_ = true;
            return false;
        }
        switch (node.kind) {
        case Node::literal: return at < name.size() && name[at] == node.c && next(at + 1);
        case Node::any: return at < name.size() && name[at] != '\n' && next(at + 1);
        case Node::set:
            return at < name.size() && (node.members.find(name[at]) != std::string::npos) != node.negated &&
                   next(at + 1);
        case Node::start: return at == 0 && next(at);
        case Node::end: // at the end, or before a newline that ends the name
            return (at == name.size() || (at + 1 == name.size() && name[at] == '\n')) && next(at);
        case Node::group:
            for (const Seq& alt : node.alternatives) {
                if (match_seq(alt, 0, name, at, next)) return true;
            }
            return false;
        }
        return false;
    }
    /// Greedy repetition of seq[i], `count` times matched so far, then the rest of seq, then `k`.
    bool repeat(const Seq& seq, std::size_t i, std::string_view name, std::size_t at, std::size_t count,
                const Next& k) const {
        const Node& node = seq[i];
        if (count < node.max) {
            const auto again = [&](std::size_t after) {
                // an empty match counts only towards the minimum: no endless empty loops
                return (after != at || count < node.min) && repeat(seq, i, name, after, count + 1, k);
            };
            if (match_one(node, name, at, next_of(again))) return true;
        }
        return count >= node.min && match_seq(seq, i + 1, name, at, k);
    }
    bool match_seq(const Seq& seq, std::size_t i, std::string_view name, std::size_t at, const Next& k) const {
        if (i == seq.size()) return k(at);
        return repeat(seq, i, name, at, 0, k);
    }

    std::string_view text_;
    std::size_t pos_ = 0;
    bool supported_ = true;
    std::vector<Seq> alternatives_;
    std::vector<std::string> required_; ///< plain runs every match contains
    std::string first_run_;             ///< the plain run a match begins with ("" if none)
    bool search_ = false;               ///< the pattern began with ".*" (dropped from the nodes)
    bool literal_only_ = false;         ///< the nodes are first_run_'s characters, nothing else
    mutable std::size_t steps_ = 0;     ///< of the current match
    mutable bool exhausted_ = false;
};

using MiniRegex = BasicMiniRegex<>;

/// One entry of an exclusion list: a glob (ModelOpt), or compressed-tensors' exact name or
/// "re:" regular expression. A template for the reason BasicMiniRegex is; `ModulePattern` is the
/// one instance.
template <class Deferred = void> class BasicModulePattern {
  public:
    BasicModulePattern(std::string_view text, bool compressed_tensors)
        : text_(text), is_regex_(compressed_tensors && text.rfind("re:", 0) == 0),
          exact_(compressed_tensors && !is_regex_), regex_(is_regex_ ? MiniRegex(text.substr(3)) : MiniRegex()) {
        if (is_regex_) {
            digit_sensitive_ = regex_digit_sensitive(text_.substr(3));
            index_sensitive_ = digit_sensitive_; // an expression is not anchored at the index's place
        } else {
            find_glob_properties();
        }
    }
    [[nodiscard]] bool supported() const noexcept {
        return is_regex_ ? regex_.supported() : exact_ || text_.find('[') == std::string_view::npos;
    }
    [[nodiscard]] bool matches(std::string_view module) const {
        if (is_regex_) return regex_.match(module);
        if (exact_) return module == text_;
        return glob_match(text_, module);
    }
    /// Whether the pattern may tell one number in a name from another (a layer's or an expert's
    /// index): it holds a digit, a set, or a wildcard for a single character. When it does not,
    /// it matches layer 0's and expert 0's names exactly when it matches every layer's and
    /// expert's of the same module.
    [[nodiscard]] bool digit_sensitive() const noexcept { return digit_sensitive_; }
    /// Whether the pattern may tell one routed expert's index from another's, so that it has to
    /// be tried on every expert (see find_glob_properties).
    [[nodiscard]] bool index_sensitive() const noexcept { return index_sensitive_; }
    /// A glob or exact name that can only match names inside one decoder layer: it begins,
    /// wildcard-free, with `layers_prefix` ("model.layers."), the digits of the layer's index
    /// (no leading zero) and a dot. It then matches `layers_prefix` + index + "." + module
    /// exactly when `rest` matches `module` (matches_in_layer).
    struct InOneLayer {
        std::uint64_t layer;
        std::string_view rest;
    };
    [[nodiscard]] Optional<InOneLayer> single_layer(std::string_view layers_prefix) const noexcept {
        if (is_regex_ || text_.substr(0, layers_prefix.size()) != layers_prefix) return std::nullopt;
        std::size_t i = layers_prefix.size();
        std::uint64_t n = 0;
        const std::size_t digits_from = i;
        while (i < text_.size() && text_[i] >= '0' && text_[i] <= '9' && i - digits_from < 6)
            n = n * 10 + static_cast<std::uint64_t>(text_[i++] - '0');
        if (i == digits_from || i >= text_.size() || text_[i] != '.') return std::nullopt;
        if (text_[digits_from] == '0' && i - digits_from > 1) return std::nullopt; // "07" names no index
        if (!exact_ && first_wildcard_ < i) return std::nullopt;
        return InOneLayer{n, text_.substr(i + 1)};
    }
    /// Whether a single_layer pattern's `rest` matches a module's name inside the layer.
    [[nodiscard]] bool matches_in_layer(std::string_view rest, std::string_view module) const noexcept {
        return exact_ ? rest == module : glob_match(rest, module);
    }

  private:
    static bool is_digit(char ch) noexcept { return ch >= '0' && ch <= '9'; }
    /// Whether an expression holds a digit, a set (which may hold digits) or a single
    /// any-character.
    static bool regex_digit_sensitive(std::string_view p) noexcept {
        for (std::size_t i = 0; i < p.size(); ++i) {
            const char ch = p[i];
            if (ch == '\\') {
                ++i; // an escaped character is a literal, not a digit (escaped digits are not read)
            } else if (is_digit(ch) || ch == '[') {
                return true;
            } else if (ch == '.' && (i + 1 == p.size() || (p[i + 1] != '*' && p[i + 1] != '+'))) {
                return true;
            }
        }
        return false;
    }
    /// A glob's or exact name's properties, in one pass: where its first wildcard is; whether it
    /// holds a digit, `?` or a set (digit_sensitive); and whether it can tell one routed expert's
    /// index from another's. It cannot when nothing in it can consume a digit of the index but
    /// an any-length `*`: it then matches expert 0's name exactly when it matches every expert's.
    /// (Text before the first wildcard is anchored, and reaches the index only when it names
    /// the experts.)
    void find_glob_properties() noexcept {
        const bool wildcards = !exact_;
        bool digit = false, digit_after_wildcard = false, single = false;
        for (std::size_t i = 0; i < text_.size(); ++i) {
            const char ch = text_[i];
            const bool wild = wildcards && (ch == '*' || ch == '?' || ch == '[');
            if (wild && first_wildcard_ == std::string_view::npos) first_wildcard_ = i;
            if (wildcards && (ch == '?' || ch == '[')) single = true;
            if (is_digit(ch)) {
                digit = true;
                if (first_wildcard_ != std::string_view::npos) digit_after_wildcard = true;
            }
        }
        digit_sensitive_ = digit || single;
        if (text_.substr(0, first_wildcard_).find("experts.") != std::string_view::npos)
            index_sensitive_ = true;
        else
            index_sensitive_ = first_wildcard_ != std::string_view::npos && (single || digit_after_wildcard);
    }

    std::string_view text_;
    bool is_regex_;
    bool exact_;
    MiniRegex regex_;
    bool digit_sensitive_ = true;
    bool index_sensitive_ = true;
    std::size_t first_wildcard_ = std::string_view::npos; ///< a glob's first `*`, `?` or `[`
};

using ModulePattern = BasicModulePattern<>;

} // namespace detail
} // namespace deepseek

#endif // DEEPSEEK_CONFIG_DETAIL_MODULE_PATTERN_HPP
