// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// Reading the quantisation formats this library models from their JSON (ModelOpt NVFP4 in
// `quantization_config` or `hf_quant_config.json`, compressed-tensors pack-quantized INT4) into a
// WeightQuantization, with the module patterns of their exclusion lists resolved to the Linear
// kinds and layers of the config. Internal: include json.hpp.
#ifndef DEEPSEEK_CONFIG_DETAIL_JSON_QUANT_HPP
#define DEEPSEEK_CONFIG_DETAIL_JSON_QUANT_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "../config.hpp"
#include "../document.hpp"
#include "../error.hpp"
#include "../optional.hpp"
#include "../quantization.hpp"
#include "json_common.hpp"
#include "module_pattern.hpp"

namespace deepseek {
namespace detail {

// ---- the formats ------------------------------------------------------------------------------

/// The result of reading a quantisation: the format, or why it is not modelled (one sentence).
struct QuantReading {
    Optional<WeightQuantization> quantization;
    std::string not_modelled;
};

/// Resolves `patterns` against every quantisable Linear of `c`, named as `prefix` +
/// "model.layers.{i}." + module (lm_head: prefix + "lm_head"). Experts are one kind: a pattern
/// that names some experts of a layer and not others is not modelled.
///
/// Each pattern is tried on as few names as give every answer: one that cannot tell numbers
/// apart (no digit, set or single wildcard: most compressed-tensors expressions) answers alike
/// for every layer and expert, and is tried on layer 0's names; one that names a single layer
/// ("model.layers.7.self_attn*", as ModelOpt lists a pattern per layer) is tried on that
/// layer's module names only, without its prefix; any other on every layer's names, and on
/// every expert's when it can tell experts apart.
///
/// The number of name matches is bounded (`exclusion_match_budget`): a list that needs more
/// (hundreds of patterns that each tell layers and experts apart, which no released checkpoint
/// writes: their lists name one layer a pattern) is not modelled, rather than taking seconds
/// to resolve. 100,000 matches take about 1 s in the fuzzing build (ASan, UBSan, coverage),
/// 0.2 s in a g++ Debug build; two patterns that tell layers and experts apart fit on V3.
inline constexpr std::uint64_t exclusion_match_budget = 100'000;
template <class C> std::string resolve_exclusions(WeightQuantization& q, const C& c,
                                                  const std::vector<ModulePattern>& patterns, std::string_view prefix) {
    for (const ModulePattern& p : patterns) {
        if (!p.supported()) return "an exclusion pattern in a syntax this library does not read is not modelled";
    }
    const std::uint64_t layers = c.num_hidden_layers + c.num_nextn_predict_layers;
    if (layers > LayerSet::capacity)
        return "module exclusions over more than " + std::to_string(LayerSet::capacity) + " layers are not modelled";
    const std::uint64_t last_expert = c.n_routed_experts && *c.n_routed_experts > 0 ? *c.n_routed_experts - 1 : 0;
    const std::string layers_prefix = std::string(prefix) + "model.layers.";
    const std::string lm_head = std::string(prefix) + "lm_head";
    // A Linear's name inside a decoder layer, written into `out` (a buffer reused):
    // "self_attn.q_a_proj", "mlp.experts.{j}.gate_proj".
    const auto in_layer = [](std::string& out, const LinearName& n, std::uint64_t expert) -> const std::string& {
        out.assign(n.group);
        if (!n.group.empty()) {
            out += std::to_string(expert);
            out += '.';
        }
        out += n.module;
        return out;
    };
    // Each pattern's matches are counted before they are made, at most what it can need.
    std::uint64_t matches_left = exclusion_match_budget;
    const auto spend = [&matches_left](std::uint64_t times, std::uint64_t each) {
        const bool ok = each == 0 || times <= matches_left / each;
        matches_left = ok ? matches_left - times * each : 0;
        return ok;
    };
    std::uint64_t expert_kinds = 0;
    for (const LinearName& n : linear_names) expert_kinds += n.group.empty() ? 0U : 1U;
    // A masks() call: every kind once, and the experts' kinds for every other expert.
    const auto masks_cost = [&](const ModulePattern& p) {
        if (!p.index_sensitive() || last_expert == 0) return std::uint64_t{linear_kind_count};
        return last_expert > exclusion_match_budget ? exclusion_match_budget + 1
                                                    : linear_kind_count + expert_kinds * last_expert;
    };
    const std::string too_costly = "an exclusion list that needs more than " + std::to_string(exclusion_match_budget) +
                                   " name matches to resolve is not modelled";
    std::array<std::string, linear_kind_count> module0; // expert 0's for the experts
    for (const LinearName& n : linear_names) {
        if (n.kind != LinearKind::lm_head) in_layer(module0[static_cast<std::size_t>(n.kind)], n, 0);
    }
    std::array<std::string, linear_kind_count> full0; // layer 0's names, built when first needed
    // The kinds a pattern keeps in a layer (bit k: LinearKind k), and those it keeps for some
    // experts but not expert 0, from `hit(module name)`.
    struct KindMasks {
        std::uint32_t kept = 0, partial = 0;
    };
    static_assert(linear_kind_count <= 32, "KindMasks holds one bit per Linear kind");
    std::string expert_name, full_name; // buffers for the names tried, reused
    const auto masks = [&](const ModulePattern& p, const auto& hit) {
        KindMasks m;
        for (const LinearName& n : linear_names) {
            if (n.kind == LinearKind::lm_head) continue;
            const std::uint32_t bit = std::uint32_t{1} << static_cast<unsigned>(n.kind);
            if (hit(module0[static_cast<std::size_t>(n.kind)])) {
                m.kept |= bit;
            } else if (!n.group.empty() && p.index_sensitive()) {
                for (std::uint64_t j = 1; j <= last_expert; ++j) {
                    if (hit(in_layer(expert_name, n, j))) {
                        m.partial |= bit;
                        break;
                    }
                }
            }
        }
        return m;
    };
    // (kind, layer) pairs some pattern keeps for some experts but not expert 0.
    std::vector<std::pair<LinearKind, std::uint64_t>> partial;
    const auto apply = [&](const KindMasks& m, std::uint64_t layer) {
        for (std::size_t k = 0; k < linear_kind_count; ++k) {
            const auto kind = static_cast<LinearKind>(k);
            if ((m.kept >> k) & 1U) q.keep(kind, layer);
            if ((m.partial >> k) & 1U) partial.emplace_back(kind, layer);
        }
    };
    // The answer for the last single-layer pattern's `rest`: ModelOpt lists the same rest
    // ("self_attn*") for layer after layer. (The answer depends on the rest alone: the part
    // before it is plain text, without a wildcard or "experts.".)
    Optional<std::pair<std::string_view, KindMasks>> last_rest;
    for (const ModulePattern& p : patterns) {
        if (!spend(1, linear_kind_count)) return too_costly; // lm_head, and layer 0's names
        if (p.matches(lm_head)) q.keep(LinearKind::lm_head, 0);
        if (!p.digit_sensitive()) {
            for (const LinearName& n : linear_names) {
                if (n.kind == LinearKind::lm_head) continue;
                std::string& name = full0[static_cast<std::size_t>(n.kind)];
                if (name.empty()) name = layers_prefix + "0." + module0[static_cast<std::size_t>(n.kind)];
                if (p.matches(name)) q.keep_layers(n.kind, layers);
            }
        } else if (const auto one = p.single_layer(layers_prefix)) {
            if (one->layer >= layers) continue;
            if (!last_rest || last_rest->first != one->rest) {
                if (!spend(1, masks_cost(p))) return too_costly;
                const auto hit = [&](const std::string& module) { return p.matches_in_layer(one->rest, module); };
                last_rest.emplace(one->rest, masks(p, hit));
            }
            apply(last_rest->second, one->layer);
        } else {
            if (!spend(layers, masks_cost(p))) return too_costly;
            for (std::uint64_t layer = 0; layer < layers; ++layer) {
                const std::string base = layers_prefix + std::to_string(layer) + ".";
                const auto hit = [&](const std::string& module) {
                    full_name.assign(base);
                    full_name += module;
                    return p.matches(full_name);
                };
                apply(masks(p, hit), layer);
            }
        }
    }
    for (const auto& [kind, layer] : partial) {
        if (q.quantizes(kind, layer))
            return "an exclusion that names some routed experts of a layer and not others is not modelled";
    }
    for (const ModulePattern& p : patterns) {
        if (!p.supported()) return "an exclusion pattern too costly to match (nested repetition) is not modelled";
    }
    return {};
}

template <class Json> std::vector<ModulePattern> module_patterns(const Json& list, bool compressed_tensors) {
    std::vector<ModulePattern> out;
    if (!list.is_array()) return out;
    out.reserve(list.size());
    for (const Json& entry : list) {
        if (entry.is_string()) out.emplace_back(entry.template get_ref<const std::string&>(), compressed_tensors);
    }
    return out;
}

template <class Json> const Json* member(const Json& object, const char* key) {
    if (!object.is_object()) return nullptr;
    const auto it = object.find(key);
    return it == object.end() || it->is_null() ? nullptr : &*it;
}
template <class Json> std::string text_of(const Json* value) {
    return value != nullptr && value->is_string() ? value->template get<std::string>() : std::string();
}
template <class Json> Optional<std::uint64_t> count_of(const Json* value) {
    if (value == nullptr || !value->is_number_unsigned()) return std::nullopt;
    return value->template get<std::uint64_t>();
}

/// The only config group of a compressed-tensors or ModelOpt `config_groups`, or nullptr.
template <class Json> const Json* only_config_group(const Json& q) {
    const Json* groups = member(q, "config_groups");
    if (groups == nullptr || !groups->is_object() || groups->size() != 1) return nullptr;
    return &groups->begin().value();
}

/// ModelOpt: `quant_algo` NVFP4 with a group size of 16, excluded modules from
/// `exclude_modules` (hf_quant_config.json) or `ignore` (config.json), fnmatch globs. W4A4
/// (an `input_scale` per Linear) unless config_groups says the activations are not quantised.
template <class C, class Json>
QuantReading read_modelopt(const C& c, const Json& q, std::string_view prefix, QuantSource source) {
    QuantReading r;
    const std::string algo = text_of(member(q, "quant_algo"));
    if (algo != "NVFP4") {
        r.not_modelled = "ModelOpt quant_algo \"" + algo + "\" is not modelled (only NVFP4 is)";
        return r;
    }
    const Json* group = only_config_group(q);
    Optional<std::uint64_t> group_size = count_of(member(q, "group_size"));
    bool input_scale = true;
    if (group != nullptr) {
        if (const Json* weights = member(*group, "weights")) group_size = count_of(member(*weights, "group_size"));
        input_scale = member(*group, "input_activations") != nullptr;
    }
    if (group_size && *group_size != 16) {
        r.not_modelled =
            "ModelOpt NVFP4 with group_size " + std::to_string(*group_size) + " is not modelled (NVFP4 is 16)";
        return r;
    }
    WeightQuantization w{};
    w.format = WeightFormat::nvfp4;
    w.source = source;
    w.block = {1, 16};
    w.input_scale = input_scale;
    const Json* list = member(q, "exclude_modules");
    if (list == nullptr) list = member(q, "ignore");
    std::vector<ModulePattern> patterns;
    if (list != nullptr) patterns = module_patterns(*list, false);
    r.not_modelled = resolve_exclusions(w, c, patterns, prefix);
    if (r.not_modelled.empty()) r.quantization = w;
    return r;
}

/// The layer id of `key` when it names a block's routed experts, "layers.N.ffn.experts" (N) or
/// "mtp.K.ffn.experts" (num_hidden_layers + K); nullopt otherwise.
inline Optional<std::uint64_t> v4_experts_layer(std::string_view key, std::uint64_t layers) {
    std::uint64_t base = 0;
    if (key.substr(0, 7) == "layers.") {
        key.remove_prefix(7);
    } else if (key.substr(0, 4) == "mtp.") {
        key.remove_prefix(4);
        base = layers;
    } else {
        return std::nullopt;
    }
    std::uint64_t n = 0;
    std::size_t digits = 0;
    while (digits < key.size() && digits < 9 && key[digits] >= '0' && key[digits] <= '9')
        n = n * 10 + static_cast<std::uint64_t>(key[digits++] - '0');
    if (digits == 0 || key.substr(digits) != ".ffn.experts") return std::nullopt;
    return base + n;
}

/// ModelOpt on DeepSeek-V4 (NVIDIA's NVFP4 checkpoints): quant_algo MIXED_PRECISION whose
/// `quantized_layers` name blocks' routed experts ("layers.N.ffn.experts") with quant_algo NVFP4
/// and group size 16. Those experts are stored as NVFP4 (W4A4: with an `input_scale`); every other
/// tensor stays as DeepSeek released it (the exclusion list, `*.attn.*`, shared experts, head,
/// `mtp.*`, says so; it is not read further). Anything else is not modelled.
template <class Json> QuantReading read_v4_modelopt(const DeepseekV4Config& c, const Json& q, QuantSource source) {
    QuantReading r;
    const std::string algo = text_of(member(q, "quant_algo"));
    if (algo != "MIXED_PRECISION") {
        r.not_modelled = "ModelOpt quant_algo \"" + algo +
                         "\" on DeepSeek-V4 is not modelled (MIXED_PRECISION with NVFP4 routed experts is)";
        return r;
    }
    const std::uint64_t blocks = c.num_hidden_layers + c.num_nextn_predict_layers;
    if (blocks > LayerSet::capacity) {
        r.not_modelled =
            "ModelOpt quantisation of more than " + std::to_string(LayerSet::capacity) + " blocks is not modelled";
        return r;
    }
    const Json* layers = member(q, "quantized_layers");
    if (layers == nullptr || !layers->is_object()) {
        r.not_modelled = "ModelOpt MIXED_PRECISION without a quantized_layers object is not modelled";
        return r;
    }
    const Optional<std::uint64_t> default_group = count_of(member(q, "group_size"));
    LayerSet listed{};
    for (auto it = layers->begin(); it != layers->end(); ++it) {
        const Optional<std::uint64_t> layer = v4_experts_layer(it.key(), c.num_hidden_layers);
        const std::string entry_algo = text_of(member(it.value(), "quant_algo"));
        Optional<std::uint64_t> group = count_of(member(it.value(), "group_size"));
        if (!group) group = default_group;
        if (!layer || *layer >= blocks || entry_algo != "NVFP4" || (group && *group != 16)) {
            r.not_modelled = "ModelOpt quantized_layers entry \"" + it.key() + "\" (" + entry_algo +
                             ") is not modelled (NVFP4 routed experts of a block are)";
            return r;
        }
        listed.insert(*layer);
    }
    WeightQuantization w{};
    w.format = WeightFormat::nvfp4;
    w.source = source;
    w.block = {1, 16};
    w.input_scale = true;
    for (std::size_t k = 0; k < linear_kind_count; ++k) {
        const auto kind = static_cast<LinearKind>(k);
        const bool expert =
            kind == LinearKind::expert_gate || kind == LinearKind::expert_up || kind == LinearKind::expert_down;
        if (!expert) {
            w.keep_all(kind);
            continue;
        }
        for (std::uint64_t i = 0; i < blocks; ++i) {
            if (!listed.contains(i)) w.keep(kind, i);
        }
    }
    r.quantization = w;
    return r;
}

/// compressed-tensors: format `pack-quantized`, one config group targeting `Linear` with
/// symmetric INT4 weights by groups (no activation order, no quantised activations); `ignore`
/// holds exact module names and "re:" expressions.
template <class C, class Json>
QuantReading read_compressed_tensors(const C& c, const Json& q, std::string_view prefix, QuantSource source) {
    QuantReading r;
    const Json* group = only_config_group(q);
    std::string format = text_of(member(q, "format"));
    if (group != nullptr && member(*group, "format") != nullptr) format = text_of(member(*group, "format"));
    const Json* weights = group != nullptr ? member(*group, "weights") : nullptr;
    const Json* targets = group != nullptr ? member(*group, "targets") : nullptr;
    const bool linear_only = targets != nullptr && targets->is_array() && targets->size() == 1 &&
                             (*targets)[0].is_string() && (*targets)[0].template get<std::string>() == "Linear";
    const auto is_true = [](const Json* v) { return v != nullptr && v->is_boolean() && v->template get<bool>(); };
    if (format != "pack-quantized" || group == nullptr || weights == nullptr || !linear_only ||
        count_of(member(*weights, "num_bits")) != Optional<std::uint64_t>(4) ||
        text_of(member(*weights, "type")) != "int" || !is_true(member(*weights, "symmetric")) ||
        text_of(member(*weights, "strategy")) != "group" || member(*weights, "actorder") != nullptr ||
        member(*group, "input_activations") != nullptr) {
        r.not_modelled = "compressed-tensors format \"" + format +
                         "\" with these config_groups is not modelled (only pack-quantized, symmetric INT4 weights "
                         "by groups, on Linear layers, is)";
        return r;
    }
    const Optional<std::uint64_t> group_size = count_of(member(*weights, "group_size"));
    if (!group_size || *group_size == 0) {
        r.not_modelled = "compressed-tensors INT4 without a positive group_size is not modelled";
        return r;
    }
    WeightQuantization w{};
    w.format = WeightFormat::int4_pack;
    w.source = source;
    w.block = {1, *group_size};
    std::vector<ModulePattern> patterns;
    if (const Json* list = member(q, "ignore")) patterns = module_patterns(*list, true);
    r.not_modelled = resolve_exclusions(w, c, patterns, prefix);
    if (r.not_modelled.empty()) r.quantization = w;
    return r;
}

/// Reads a `quantization_config` (or hf_quant_config.json's `quantization`) of `method`.
template <class C, class Json> QuantReading read_weight_quantization(const C& c, QuantMethod method, const Json& q,
                                                                     std::string_view prefix, QuantSource source) {
    if (method == QuantMethod::modelopt) return read_modelopt(c, q, prefix, source);
    if (method == QuantMethod::compressed_tensors) return read_compressed_tensors(c, q, prefix, source);
    return QuantReading{std::nullopt, "quant_method \"" + text_of(member(q, "quant_method")) + "\" is not modelled"};
}

// ---- where the files put it -------------------------------------------------------------------

/// The `quantization_config` of a config `C`'s file for its language model, as read: inside the
/// nested language keys (where the names it lists are the language model's own) or at the top
/// level (where they carry the language model's prefix, language_model_prefix<C>). Sets `prefix`
/// accordingly; nullptr when there is none.
template <class C, class Json> const Json* file_quantization_config(const Json& root, std::string_view& prefix) {
    prefix = {};
    constexpr std::string_view nested = language_config_key<C>();
    if constexpr (!nested.empty()) {
        if (const Json* lm = member(root, std::string(nested).c_str())) {
            if (const Json* q = member(*lm, "quantization_config")) return q;
        }
        prefix = deepseek::language_model_prefix<C>();
    }
    return member(root, "quantization_config");
}

/// ModelOpt's description `q` of config `c`'s checkpoint: DeepSeek-V4's (read_v4_modelopt) or
/// the V3 family's (read_modelopt).
template <class C, class Json> QuantReading read_modelopt_of(const C& c, const Json& q, QuantSource source) {
    if constexpr (std::is_same_v<C, DeepseekV4Config>)
        return read_v4_modelopt(c, q, source);
    else
        return read_modelopt(c, q, deepseek::language_model_prefix<C>(), source);
}

/// Reads the quantisation a V3-family config's file describes in `quantization_config` (a
/// method other than DeepSeek's FP8, whose object the reader kept as read) into
/// `weight_quantization`. Returns why it is not modelled ("" when it is, or when there is none).
template <class C, class Json> std::string read_file_quantization(C& config, const Json& root) {
    if constexpr (std::is_same_v<C, DeepseekV4Config>) {
        // ModelOpt's description: quant_method "modelopt", or (NVIDIA's V4 NVFP4 exports) "fp8"
        // with ModelOpt's quant_algo beside DeepSeek's keys. Read as DeepSeek's FP8, the latter
        // would size the release instead of the export.
        if (!config.quantization_config) return {};
        const Json* q = member(root, "quantization_config");
        if (q == nullptr) return {};
        const QuantMethod method = config.quantization_config->quant_method;
        if (method != QuantMethod::modelopt && !(method == QuantMethod::fp8 && member(*q, "quant_algo") != nullptr))
            return {};
        QuantReading r = read_modelopt_of(config, *q, QuantSource::quantization_config);
        config.weight_quantization = r.quantization;
        config.modelopt_unread = method == QuantMethod::fp8 && !r.quantization;
        return r.not_modelled;
    } else if constexpr (std::is_base_of_v<DeepseekV3Config, C>) {
        if (!config.quantization_config || config.quantization_config->quant_method == QuantMethod::fp8) return {};
        std::string_view prefix;
        const Json* q = file_quantization_config<C>(root, prefix);
        if (q == nullptr) return {};
        QuantReading r = read_weight_quantization(config, config.quantization_config->quant_method, *q, prefix,
                                                  QuantSource::quantization_config);
        config.weight_quantization = r.quantization;
        return r.not_modelled;
    } else {
        (void)config, (void)root;
        return {};
    }
}

/// Reads ModelOpt's `hf_quant_config.json` (its `quantization` object) into a V3-family or V4
/// config whose config.json has no quantization_config: its format into `weight_quantization`; anything else
/// marks the config's quantisation as not modelled (quant_method modelopt, kept only in memory:
/// config.json is saved without it). Returns why it is not modelled, or "".
template <class C, class Json> std::string read_hf_quant_config(C& config, const Json& file, const std::string& path) {
    if constexpr (has_weight_quantization<C>::value) {
        if (config.quantization_config) return {}; // config.json says it itself
        const Json* q = member(file, "quantization");
        if (q == nullptr || !q->is_object()) {
            throw Error(ErrorKind::missing_key, "/quantization", "hf_quant_config.json needs a \"quantization\" object")
                .with_file(path);
        }
        QuantReading r = read_modelopt_of(config, *q, QuantSource::hf_quant_config);
        if (r.quantization) {
            config.weight_quantization = r.quantization;
        } else {
            QuantizationConfig marker{};
            marker.quant_method = QuantMethod::modelopt;
            config.quantization_config = marker;
        }
        return r.not_modelled;
    } else {
        (void)config, (void)file, (void)path;
        return "hf_quant_config.json is read for DeepSeek-V3-family and DeepSeek-V4 configs only";
    }
}

/// The sentence that says why a document's quantisation is not modelled (quantization_modelled
/// false), naming the file's method and where it was described.
template <class C> std::string quantization_note(const Document& doc, const C& c) {
    const std::string tail = ", so the checkpoint's bytes and the weights as released are not given (--weights-dtype "
                             "gives a uniform figure)";
    std::string_view prefix;
    const nlohmann::json* q = file_quantization_config<C>(doc.extra, prefix);
    const std::string method = q != nullptr ? text_of(member(*q, "quant_method")) : std::string();
    if constexpr (std::is_same_v<C, DeepseekV4Config>) {
        if (c.sglang_ref_format) {
            return "model_type \"deepseek_ref\": SGLang's FP8 repack of DeepSeek-V4, whose tensors (FP8 experts, its "
                   "own names) are not modelled" +
                   tail;
        }
        if (c.dspark) {
            return "dspark_* keys: the DSpark draft module of a later DeepSeek-V4 release replaces the MTP block, "
                   "and its tensors are not modelled (the figures count the main model, MTP apart)" +
                   tail;
        }
    }
    if constexpr (has_weight_quantization<C>::value) {
        // A description this library reads, but whose content it does not model: why, as read.
        bool readable = false;
        std::string label = method;
        if constexpr (std::is_same_v<C, DeepseekV4Config>) {
            readable = c.modelopt_unread ||
                       (c.quantization_config && c.quantization_config->quant_method == QuantMethod::modelopt);
            label = "ModelOpt"; // NVIDIA's V4 exports may say quant_method "fp8"
        } else {
            readable =
                c.quantization_config && (c.quantization_config->quant_method == QuantMethod::modelopt ||
                                          c.quantization_config->quant_method == QuantMethod::compressed_tensors);
        }
        if (q != nullptr && readable) {
            C copy = c;
            return "quantization_config (" + label + "): " + read_file_quantization(copy, doc.extra) + tail;
        }
        if (q == nullptr && !doc.hf_quant_config.is_null()) {
            C copy = c;
            copy.quantization_config = Optional<QuantizationConfig>();
            return "hf_quant_config.json: " + read_hf_quant_config(copy, doc.hf_quant_config, "") + tail;
        }
    }
    if constexpr (std::is_same_v<C, DeepseekV4Config>) {
        return "quantization_config.quant_method \"" + method +
               "\": not modelled for DeepSeek-V4 (DeepSeek's own FP8 with FP4 or FP8 experts is)" + tail;
    }
    return "quantization_config.quant_method \"" + method +
           "\": not modelled (DeepSeek's fp8, ModelOpt NVFP4 and compressed-tensors pack-quantized INT4 are)" + tail;
}

} // namespace detail
} // namespace deepseek

#endif // DEEPSEEK_CONFIG_DETAIL_JSON_QUANT_HPP
