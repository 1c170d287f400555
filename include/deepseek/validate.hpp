// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// validate(cfg): every problem of a config an engine built itself (from GGUF metadata, by hand),
// each an Error with the JSON pointer of its key and the message parse_config gives for the same
// value in a file. These are the library's only semantic checks: parse_config runs them too.
// Standard library only.
#ifndef DEEPSEEK_CONFIG_VALIDATE_HPP
#define DEEPSEEK_CONFIG_VALIDATE_HPP

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "any_config.hpp"
#include "config.hpp"
#include "error.hpp"
#include "limits.hpp"
#include "optional.hpp"

namespace deepseek {
namespace detail {

/// Whether a size is set and above 0 (V2's optional kv_lora_rank, V3's always-set one).
constexpr bool is_positive(const Optional<std::uint64_t>& v) noexcept { return v && *v > 0; }
constexpr bool is_positive(std::uint64_t v) noexcept { return v > 0; }

/// A finite double as nlohmann_json writes it (so a message about a value matches the parser's):
/// the shortest digits that read back as `v`, fixed notation for decimal exponents -4 to 15
/// ("0.25", "40.0"), else "1e-05", "1.5e+16". nlohmann finds the digits with Grisu2, which for
/// some values needing 16 or 17 significant digits picks another last digit: those may print
/// differently here.
inline std::string float_text(double v) {
    if (v == 0.0) return std::signbit(v) ? "-0.0" : "0.0";
    char buf[40];
    int precision = 1;
    for (; precision <= 17; ++precision) {
        std::snprintf(buf, sizeof buf, "%.*e", precision - 1, v);
        if (std::strtod(buf, nullptr) == v) break;
    }
    // buf holds [-]d[.ddd]e(+|-)XX; the decimal point is the locale's, so only digits are kept.
    std::string digits;
    const char* p = buf;
    const bool negative = *p == '-';
    if (negative) ++p;
    for (; *p != '\0' && *p != 'e'; ++p) {
        if (*p >= '0' && *p <= '9') digits += *p;
    }
    const int exponent = *p == 'e' ? std::atoi(p + 1) : 0;
    // nlohmann's format_buffer: the value is 0.<digits> x 10^n.
    const int k = static_cast<int>(digits.size());
    const int n = exponent + 1;
    std::string out = negative ? "-" : "";
    if (k <= n && n <= 15) {
        out += digits;
        out.append(static_cast<std::size_t>(n - k), '0');
        out += ".0";
    } else if (0 < n && n <= 15) {
        out += digits.substr(0, static_cast<std::size_t>(n));
        out += '.';
        out += digits.substr(static_cast<std::size_t>(n));
    } else if (-4 < n && n <= 0) {
        out += "0.";
        out.append(static_cast<std::size_t>(-n), '0');
        out += digits;
    } else {
        out += digits[0];
        if (k > 1) {
            out += '.';
            out += digits.substr(1);
        }
        const int e = n - 1;
        out += e < 0 ? "e-" : "e+";
        if (std::abs(e) < 10) out += '0';
        out += std::to_string(std::abs(e));
    }
    return out;
}

/// Where a value sits: a config key, then names and indexes inside its value, as a chain on the
/// stack made into text only for a problem (checking a valid config builds no strings).
struct Place {
    const Place* parent = nullptr;
    std::string_view name{};
    std::size_t index = 0;
    bool is_index = false;

    /// The config key this place is in.
    std::string_view key() const { return parent != nullptr ? parent->key() : name; }
    /// The pointer below the key, e.g. "/weight_block_size/0" ("" for the key itself). Config
    /// keys and subkeys are fixed names without '~' or '/', so nothing needs escaping.
    std::string below_key() const {
        if (parent == nullptr) return std::string();
        std::string out = parent->below_key();
        out += '/';
        out += is_index ? std::to_string(index) : std::string(name);
        return out;
    }
};

/// Reports the problems of one config. `pointer_of(key)` gives the JSON pointer of a config key
/// (a std::string; called only for a problem), `sink(kind, pointer, message)` receives each
/// problem (it may throw: then the first problem ends the checks). A place is reported at most
/// once, and a check relating two keys is skipped when either already has a problem, so one bad
/// value is one problem.
template <class PointerOf, class Sink> class ConfigChecker {
  public:
    ConfigChecker(const PointerOf& pointer_of, Sink& sink) : pointer_of_(pointer_of), sink_(sink) {}

    /// True when no problem was reported for config key `key` itself.
    bool ok(std::string_view key) const {
        for (const auto& f : failed_) {
            if (f == key) return false;
        }
        return true;
    }

    /// Reports a problem at `at`, unless one was reported there already.
    void report(ErrorKind kind, const Place& at, std::string message) {
        std::string place = std::string(at.key()) + at.below_key();
        for (const auto& f : failed_) {
            if (f == place) return;
        }
        sink_(kind, pointer_of_(at.key()) + at.below_key(), std::move(message));
        failed_.push_back(std::move(place));
    }
    void report(ErrorKind kind, std::string_view key, std::string message) {
        report(kind, Place{nullptr, key}, std::move(message));
    }

    /// `key` must be positive.
    void require_positive(std::uint64_t value, std::string_view key) {
        if (value == 0) report(ErrorKind::range, key, std::string(key) + " must be positive, found 0");
    }

    /// The value at `at` must be a layer count within max_layers.
    void require_layer_count(std::uint64_t value, const Place& at) {
        if (value > max_layers) {
            report(ErrorKind::range, at,
                   "must be at most " + std::to_string(max_layers) + " layers, the limit of this reader, found " +
                       std::to_string(value));
        }
    }
    void require_layer_count(std::uint64_t value, std::string_view key) {
        require_layer_count(value, Place{nullptr, key});
    }

    // ---- the limits the reader checks on each value as it reads it -----------------------------

    void check_value(std::uint64_t value, const Place& at) {
        if (value > max_dimension) {
            report(ErrorKind::range, at,
                   "must be at most 2^32 (4294967296), the limit for any size or count, found " +
                       std::to_string(value));
        }
    }
    void check_value(double value, const Place& at) {
        if (!std::isfinite(value)) report(ErrorKind::range, at, "must be a finite number");
    }
    template <class T> void check_value(const Optional<T>& value, const Place& at) {
        if (value) check_value(*value, at);
    }
    template <class T, std::size_t N> void check_value(const std::array<T, N>& value, const Place& at) {
        for (std::size_t i = 0; i < N; ++i) check_value(value[i], Place{&at, {}, i, true});
    }
    template <class T, std::size_t N> void check_value(const FixedVector<T, N>& value, const Place& at) {
        for (std::size_t i = 0; i < value.size(); ++i) check_value(value[i], Place{&at, {}, i, true});
    }
    /// A nested struct: each field, then the checks the reader makes of the whole struct.
    template <class T, std::enable_if_t<has_field_list<T>::value, int> = 0>
    void check_value(const T& value, const Place& at) {
        field_list<T>::visit([&](const char* name, auto member) { check_value(value.*member, Place{&at, name}); });
        check_struct(value, at);
    }
    /// bool, int64 (every value is valid) and enums (typed, so valid).
    template <class T, std::enable_if_t<!has_field_list<T>::value, int> = 0> void check_value(const T&, const Place&) {}

    void check_struct(const RopeScaling& r, const Place& at) {
        // A non-finite factor is already reported.
        if (std::isfinite(r.factor) && !(r.factor >= 1.0)) {
            report(ErrorKind::range, Place{&at, "factor"},
                   "must be at least 1, found a float (" + float_text(r.factor) + ")");
        }
    }
    void check_struct(const QuantizationConfig& q, const Place& at) {
        const Place sizes{&at, "weight_block_size"};
        for (std::size_t i = 0; i < 2; ++i) {
            if (q.weight_block_size[i] == 0) {
                report(ErrorKind::range, Place{&sizes, {}, i, true}, "a block size must be positive, found 0");
            }
        }
    }
    template <class T> void check_struct(const T& tower, const Place& at) {
        if constexpr (std::is_same_v<T, ClipVisionConfig> || std::is_same_v<T, SamVisionConfig> ||
                      std::is_same_v<T, SiglipVisionConfig>) {
            // Above max_dimension it is already reported (a place is reported once).
            require_layer_count(tower.layers, Place{&at, "layers"});
        } else if constexpr (std::is_same_v<T, MoonViTConfig>) {
            require_layer_count(tower.num_hidden_layers, Place{&at, "num_hidden_layers"});
        } else if constexpr (std::is_same_v<T, MoonViT3dConfig>) {
            require_layer_count(tower.vt_num_hidden_layers, Place{&at, "vt_num_hidden_layers"});
        } else {
            (void)tower;
            (void)at;
        }
    }

  private:
    const PointerOf& pointer_of_;
    Sink& sink_;
    std::vector<std::string> failed_; // the key and pointer below it of each reported problem
};

template <class C, class Checker> void check_v2_v3_config(const C& c, Checker& at);
template <class Checker> void check_v4_config(const DeepseekV4Config& c, Checker& at);

/// The checks of a config, in the order parse_config reports them: with `value_limits`, the
/// limits of each value (which the JSON reader checks as it reads each one, so parse_config
/// passes false), then the values that would make the model undefined. `pointer_of` and `sink`
/// as for ConfigChecker.
template <class C, class PointerOf, class Sink>
void check_config(const C& c, const PointerOf& pointer_of, Sink&& sink, bool value_limits = true) {
    ConfigChecker<PointerOf, std::remove_reference_t<Sink>> at(pointer_of, sink);
    if (value_limits) {
        field_list<C>::visit([&](const char* key, auto member) { at.check_value(c.*member, Place{nullptr, key}); });
    }

    if constexpr (std::is_same_v<C, DeepseekV4Config>) {
        check_v4_config(c, at);
    } else {
        check_v2_v3_config(c, at);
    }
}

/// The checks of a V2- or V3-family config (check_config).
template <class C, class Checker> void check_v2_v3_config(const C& c, Checker& at) {
    at.require_positive(c.vocab_size, "vocab_size");
    at.require_positive(c.hidden_size, "hidden_size");
    at.require_positive(c.num_hidden_layers, "num_hidden_layers");
    at.require_layer_count(c.num_hidden_layers, "num_hidden_layers");
    if constexpr (std::is_base_of_v<DeepseekV3Config, C>) {
        at.require_layer_count(c.num_nextn_predict_layers, "num_nextn_predict_layers");
    }
    at.require_positive(c.num_attention_heads, "num_attention_heads");
    at.require_positive(c.num_key_value_heads, "num_key_value_heads");
    at.require_positive(c.max_position_embeddings, "max_position_embeddings");
    at.require_positive(c.moe_layer_freq, "moe_layer_freq");
    at.require_positive(c.ep_size, "ep_size");
    at.require_positive(c.pretraining_tp, "pretraining_tp");
    if (c.num_key_value_heads != 0 && at.ok("num_attention_heads") && at.ok("num_key_value_heads") &&
        c.num_attention_heads % c.num_key_value_heads != 0) {
        at.report(ErrorKind::range, "num_key_value_heads",
                  "num_attention_heads (" + std::to_string(c.num_attention_heads) +
                      ") must be a multiple of num_key_value_heads (" + std::to_string(c.num_key_value_heads) + ")");
    }
    if (at.ok("num_hidden_layers") && c.first_k_dense_replace > c.num_hidden_layers) {
        at.report(ErrorKind::range, "first_k_dense_replace",
                  "must be at most num_hidden_layers (" + std::to_string(c.num_hidden_layers) + "), found " +
                      std::to_string(c.first_k_dense_replace));
    }
    if (!(c.rope_theta > 0.0)) at.report(ErrorKind::range, "rope_theta", "must be positive");
    if (!(c.rms_norm_eps > 0.0)) at.report(ErrorKind::range, "rms_norm_eps", "must be positive");

    if (uses_mla(c)) {
        if (!is_positive(c.kv_lora_rank)) {
            at.report(ErrorKind::range, "kv_lora_rank",
                      "multi-head latent attention (use_mla) needs a positive kv_lora_rank");
        }
        // Each is at most 2^32 unless reported, so the sum does not wrap.
        if (at.ok("qk_nope_head_dim") && at.ok("qk_rope_head_dim") && c.qk_nope_head_dim + c.qk_rope_head_dim == 0) {
            at.report(ErrorKind::range, "qk_nope_head_dim",
                      "multi-head latent attention needs qk_nope_head_dim + qk_rope_head_dim > 0");
        }
        if (c.v_head_dim == 0) {
            at.report(ErrorKind::range, "v_head_dim", "multi-head latent attention needs a positive v_head_dim");
        }
    } else if (c.num_attention_heads != 0 && at.ok("hidden_size") && at.ok("num_attention_heads") &&
               c.hidden_size % c.num_attention_heads != 0) {
        at.report(ErrorKind::range, "hidden_size",
                  "hidden_size (" + std::to_string(c.hidden_size) + ") must be a multiple of num_attention_heads (" +
                      std::to_string(c.num_attention_heads) + ") when use_mla is false");
    }

    if (c.n_routed_experts) {
        const std::uint64_t experts = *c.n_routed_experts;
        at.require_positive(experts, "n_routed_experts");
        at.require_positive(c.moe_intermediate_size, "moe_intermediate_size");
        if (!c.num_experts_per_tok) {
            at.report(ErrorKind::missing_key, "num_experts_per_tok",
                      "a MoE model (n_routed_experts set) needs num_experts_per_tok");
        } else {
            at.require_positive(*c.num_experts_per_tok, "num_experts_per_tok");
            if (at.ok("n_routed_experts") && *c.num_experts_per_tok > experts) {
                at.report(ErrorKind::range, "num_experts_per_tok",
                          "must be at most n_routed_experts (" + std::to_string(experts) + "), found " +
                              std::to_string(*c.num_experts_per_tok));
            }
        }
        if (c.n_group) {
            at.require_positive(*c.n_group, "n_group");
            if (*c.n_group != 0 && at.ok("n_group") && at.ok("n_routed_experts") && experts % *c.n_group != 0) {
                at.report(ErrorKind::range, "n_group",
                          "n_routed_experts (" + std::to_string(experts) + ") must be a multiple of n_group (" +
                              std::to_string(*c.n_group) + ")");
            }
        }
    }
    if (c.topk_group && c.n_group && at.ok("n_group") && *c.topk_group > *c.n_group) {
        at.report(ErrorKind::range, "topk_group",
                  "must be at most n_group (" + std::to_string(*c.n_group) + "), found " +
                      std::to_string(*c.topk_group));
    }
    at.require_positive(c.intermediate_size, "intermediate_size");

    if constexpr (std::is_base_of_v<DeepseekV3Config, C>) {
        // DeepSeek-V3.2's indexer (index_n_heads set): its query is read from the q latent.
        if (c.index_n_heads) {
            at.require_positive(*c.index_n_heads, "index_n_heads");
            if (!c.index_head_dim) {
                at.report(ErrorKind::missing_key, "index_head_dim",
                          "a DSA indexer (index_n_heads set) needs index_head_dim");
            } else {
                at.require_positive(*c.index_head_dim, "index_head_dim");
            }
            if (!is_positive(c.q_lora_rank)) {
                at.report(ErrorKind::range, "q_lora_rank",
                          "a DSA indexer (index_n_heads set) reads the query latent: q_lora_rank must be positive");
            }
        }
    }
}

/// The checks of a DeepSeek-V4 config (check_config): the sizes its tensors are built from, the
/// per-layer lists of either form (ratios only 0, 4 or 128; one entry per layer, compress_ratios
/// also one per MTP block; the two forms agreeing where both are given), the indexer of the
/// ratio-4 layers.
template <class Checker> void check_v4_config(const DeepseekV4Config& c, Checker& at) {
    using std::to_string;
    for (const auto& [value, key] : {std::pair<std::uint64_t, const char*>{c.vocab_size, "vocab_size"},
                                     {c.hidden_size, "hidden_size"},
                                     {c.num_hidden_layers, "num_hidden_layers"},
                                     {c.num_attention_heads, "num_attention_heads"},
                                     {c.head_dim, "head_dim"},
                                     {c.q_lora_rank, "q_lora_rank"},
                                     {c.moe_intermediate_size, "moe_intermediate_size"},
                                     {c.n_routed_experts, "n_routed_experts"},
                                     {c.num_experts_per_tok, "num_experts_per_tok"},
                                     {c.o_groups, "o_groups"},
                                     {c.o_lora_rank, "o_lora_rank"},
                                     {c.hc_mult, "hc_mult"},
                                     {c.sliding_window, "sliding_window"},
                                     {c.max_position_embeddings, "max_position_embeddings"}})
        at.require_positive(value, key);
    at.require_layer_count(c.num_hidden_layers, "num_hidden_layers");
    at.require_layer_count(c.num_nextn_predict_layers, "num_nextn_predict_layers");
    const std::uint64_t L = c.num_hidden_layers;
    if (c.num_key_value_heads != 1) {
        at.report(ErrorKind::range, "num_key_value_heads",
                  "DeepSeek-V4 shares one K=V vector among all heads: must be 1, found " +
                      to_string(c.num_key_value_heads));
    }
    if (at.ok("num_experts_per_tok") && at.ok("n_routed_experts") && c.num_experts_per_tok > c.n_routed_experts) {
        at.report(ErrorKind::range, "num_experts_per_tok",
                  "must be at most n_routed_experts (" + to_string(c.n_routed_experts) + "), found " +
                      to_string(c.num_experts_per_tok));
    }
    if (at.ok("o_groups") && at.ok("num_attention_heads") && at.ok("head_dim") &&
        (c.num_attention_heads * c.head_dim) % c.o_groups != 0) {
        at.report(ErrorKind::range, "o_groups",
                  "num_attention_heads x head_dim (" + to_string(c.num_attention_heads * c.head_dim) +
                      ") must be a multiple of o_groups (" + to_string(c.o_groups) + ")");
    }
    if (c.partial_rotary_factor && !(*c.partial_rotary_factor > 0.0 && *c.partial_rotary_factor <= 1.0)) {
        at.report(ErrorKind::range, "partial_rotary_factor",
                  "must be in (0, 1], found " + float_text(*c.partial_rotary_factor));
    }
    if (c.qk_rope_head_dim && at.ok("head_dim") && *c.qk_rope_head_dim > c.head_dim) {
        at.report(ErrorKind::range, "qk_rope_head_dim",
                  "must be at most head_dim (" + to_string(c.head_dim) + "), found " + to_string(*c.qk_rope_head_dim));
    }
    if (!(c.rope_theta > 0.0)) at.report(ErrorKind::range, "rope_theta", "must be positive");
    if (!(c.compress_rope_theta > 0.0)) at.report(ErrorKind::range, "compress_rope_theta", "must be positive");
    if (!(c.rms_norm_eps > 0.0)) at.report(ErrorKind::range, "rms_norm_eps", "must be positive");

    // The compress rates of the two compressed layer types: the released 4 and 128 only.
    const auto require_rate = [&](std::uint64_t found, std::uint64_t wanted, const Place& place) {
        if (found != wanted) {
            at.report(ErrorKind::range, place,
                      "the library models DeepSeek-V4's released compress ratios only: must be " + to_string(wanted) +
                          ", found " + to_string(found));
        }
    };
    if (c.compress_rates) {
        const Place rates{nullptr, "compress_rates"};
        require_rate(c.compress_rates->compressed_sparse_attention, 4, Place{&rates, "compressed_sparse_attention"});
        require_rate(c.compress_rates->heavily_compressed_attention, 128,
                     Place{&rates, "heavily_compressed_attention"});
    }
    if (c.compress_rate_csa) require_rate(*c.compress_rate_csa, 4, Place{nullptr, "compress_rate_csa"});
    if (c.compress_rate_hca) require_rate(*c.compress_rate_hca, 128, Place{nullptr, "compress_rate_hca"});

    if (c.compress_ratios && at.ok("num_hidden_layers")) {
        const auto& r = *c.compress_ratios;
        const std::uint64_t with_mtp = L + c.num_nextn_predict_layers;
        if (r.size() != L && r.size() != with_mtp) {
            at.report(ErrorKind::range, "compress_ratios",
                      "needs one entry per decoder layer and one per MTP block (num_hidden_layers + "
                      "num_nextn_predict_layers = " +
                          to_string(with_mtp) + "), or one per decoder layer (" + to_string(L) + "), found " +
                          to_string(r.size()));
        }
        const Place list{nullptr, "compress_ratios"};
        for (std::size_t i = 0; i < r.size(); ++i) {
            if (r[i] != 0 && r[i] != 4 && r[i] != 128) {
                at.report(ErrorKind::range, Place{&list, {}, i, true},
                          "a compress ratio must be 0 (sliding window only), 4 or 128, found " + to_string(r[i]));
            }
        }
    }
    if (c.layer_types && at.ok("num_hidden_layers")) {
        const auto& t = *c.layer_types;
        if (t.size() != L) {
            at.report(ErrorKind::range, "layer_types",
                      "needs one entry per decoder layer (num_hidden_layers = " + to_string(L) + "), found " +
                          to_string(t.size()));
        } else if (c.compress_ratios && at.ok("compress_ratios")) {
            const Place list{nullptr, "layer_types"};
            for (std::size_t i = 0; i < t.size(); ++i) {
                if (i < c.compress_ratios->size() && v4_rate_of(c, t[i]) != (*c.compress_ratios)[i]) {
                    at.report(ErrorKind::range, Place{&list, {}, i, true},
                              "\"" + std::string(to_string(t[i])) + "\" disagrees with compress_ratios[" +
                                  std::to_string(i) + "] (" + std::to_string((*c.compress_ratios)[i]) + ")");
                    break;
                }
            }
        }
    }
    if (c.num_hash_layers && at.ok("num_hidden_layers") && *c.num_hash_layers > L) {
        at.report(ErrorKind::range, "num_hash_layers",
                  "must be at most num_hidden_layers (" + to_string(L) + "), found " + to_string(*c.num_hash_layers));
    }
    if (c.mlp_layer_types && at.ok("num_hidden_layers")) {
        const auto& t = *c.mlp_layer_types;
        if (t.size() != L) {
            at.report(ErrorKind::range, "mlp_layer_types",
                      "needs one entry per decoder layer (num_hidden_layers = " + to_string(L) + "), found " +
                          to_string(t.size()));
        } else if (c.num_hash_layers && at.ok("num_hash_layers")) {
            const Place list{nullptr, "mlp_layer_types"};
            for (std::size_t i = 0; i < t.size(); ++i) {
                if ((t[i] == MlpLayerType::hash_moe) != (i < *c.num_hash_layers)) {
                    at.report(ErrorKind::range, Place{&list, {}, i, true},
                              "\"" + std::string(to_string(t[i])) + "\" disagrees with num_hash_layers (" +
                                  to_string(*c.num_hash_layers) + ")");
                    break;
                }
            }
        }
    }
    // The lightning indexer of the ratio-4 layers.
    if (at.ok("num_hidden_layers") && at.ok("compress_ratios") && at.ok("layer_types") &&
        v4_layer_kinds(c).compressed_sparse != 0) {
        at.require_positive(c.index_n_heads, "index_n_heads");
        at.require_positive(c.index_head_dim, "index_head_dim");
        at.require_positive(c.index_topk, "index_topk");
    }
}
} // namespace detail

/// Every problem of a config built in memory (none: an empty list), each an Error of kind `range`
/// (or `missing_key`) with its key's JSON pointer and parse_config's message for that value, in
/// the order parse_config meets them: the limits the reader puts on each value (max_dimension,
/// max_layers, finite floats, rope_scaling.factor >= 1, FP8 block sizes), then the values that
/// make the model undefined. One bad value is one problem (no division by zero). Pointers are
/// where config_to_json writes a key ("/rope_scaling/factor", DeepSeek-VL2's
/// "/language_config/hidden_size", Kimi-VL's "/text_config/hidden_size"); for DeepSeek-OCR that is the top
/// level ("/hidden_size"), where parse_config names the place it read a key: for a file that has
/// it only in language_config, "/language_config/hidden_size".
/// Example: `for (const auto& e : deepseek::validate(cfg)) std::cerr << e.what() << '\n';`
/// For an AnyConfig, the problems of whichever config it holds. (One template for both, so that a
/// translation unit compiles the checks of a type only when it validates one.)
template <class C> [[nodiscard]] std::vector<Error> validate(const C& cfg) {
    static_assert(is_config_v<C> || std::is_same_v<C, AnyConfig>,
                  "deepseek::validate: takes deepseek::AnyConfig or a config type "
                  "(DeepseekV2Config, DeepseekOCRConfig, DeepseekOCR2Config, DeepseekV3Config)");
    if constexpr (std::is_same_v<C, AnyConfig>) {
        return std::visit([](const auto& c) { return validate(c); }, cfg);
    } else {
        std::vector<Error> problems;
        // A wrapper's language-model keys sit inside language_config or text_config.
        const auto pointer_of = [](std::string_view key) {
            constexpr std::string_view nested = language_config_key<C>();
            if (nested.empty() || detail::is_wrapper_key<C>(key)) return "/" + std::string(key);
            return "/" + std::string(nested) + "/" + std::string(key);
        };
        detail::check_config(cfg, pointer_of, [&problems](ErrorKind kind, std::string pointer, std::string message) {
            problems.emplace_back(kind, std::move(pointer), std::move(message));
        });
        return problems;
    }
}

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_VALIDATE_HPP
