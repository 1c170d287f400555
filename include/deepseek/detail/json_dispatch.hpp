// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// Internal: which config class a file holds (like AutoConfig, by dispatch.hpp's rules), and the
// document read as it.
#ifndef DEEPSEEK_CONFIG_DETAIL_JSON_DISPATCH_HPP
#define DEEPSEEK_CONFIG_DETAIL_JSON_DISPATCH_HPP

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../dispatch.hpp"
#include "../document.hpp"
#include "../error.hpp"
#include "json_common.hpp"
#include "json_config.hpp"
#include "json_quant.hpp"

namespace deepseek {
namespace detail {

/// The class hints of one object: the string entries of `architectures` (which must be an array)
/// and `auto_map.AutoConfig`.
template <class Json> void read_class_hints(const Json& object, const Path& pointer,
                                            std::vector<std::string_view>& architectures,
                                            std::string_view& auto_config) {
    if (const auto it = object.find("architectures"); it != object.end()) {
        if (!it->is_array()) type_fail(Path(pointer, "architectures"), "an array of strings", *it);
        for (const auto& name : *it) {
            if (name.is_string()) architectures.emplace_back(name.template get_ref<const std::string&>());
        }
    }
    if (const auto it = object.find("auto_map"); it != object.end() && it->is_object()) {
        if (const auto cls = it->find("AutoConfig"); cls != it->end() && cls->is_string()) {
            auto_config = cls->template get_ref<const std::string&>();
        }
    }
}

/// Picks the config class like AutoConfig, by dispatch.hpp's rules (detect_config_kind); each
/// level's hints are read only when the rules reach them.
template <class Json> ConfigKind detect_kind(const Json& root) {
    std::string_view model_type;
    if (const auto it = root.find("model_type"); it != root.end()) {
        if (!it->is_string()) type_fail("/model_type", "a string", *it);
        model_type = it->template get_ref<const std::string&>();
    }
    // DeepSeek-V4.1 is refused whatever its architectures say: no class here reads it right.
    if (model_type == "deepseek_v41") {
        fail(ErrorKind::not_modelled, "/model_type",
             "DeepSeek-V4.1 (model_type \"deepseek_v41\") is a different architecture from DeepSeek-V4 (engram "
             "layers, shared KV and index source layers) and is not modelled");
    }
    const auto nested = root.find("language_config");
    const auto kind = detect_config_kind(
        model_type, [&](HintLevel level, std::vector<std::string_view>& architectures, std::string_view& auto_config) {
            if (level == HintLevel::top_level) {
                read_class_hints(root, Path(), architectures, auto_config);
                return true;
            }
            if (nested == root.end() || !nested->is_object()) return false;
            read_class_hints(*nested, Path(Path(), "language_config"), architectures, auto_config);
            return true;
        });
    if (kind) return *kind;
    fail(ErrorKind::unknown_model, model_type.empty() ? std::string() : std::string("/model_type"),
         (model_type.empty() ? std::string("no model_type")
                             : "unsupported model_type " + short_dump(Json(std::string(model_type)))) +
             supported_config_names());
}

/// Drops `model_type` from the kept keys when it is the class's own: saving writes the class's,
/// as save_pretrained does. Another (DeepSeek-V3.2's "deepseek_v32", DeepSeek-OCR's
/// "deepseek_vl_v2", Kimi-K2.5's text_config "kimi_k2") is kept, so the file is saved as it was
/// read and the report names the file's model.
template <class C, class Json> void erase_class_model_type(Json& extra) {
    const auto it = extra.find("model_type");
    if (it != extra.end() && it->is_string() && it->template get_ref<const std::string&>() == C::model_type)
        extra.erase(it);
}

/// Reads a wrapper's own typed keys (wrapper_field_list) from the top level `root`; consumed
/// keys are erased from `extra` when given.
template <class C, class Json> void read_wrapper_fields(const Json& root, C& cfg, Json* extra) {
    wrapper_field_list<C>::visit([&](const char* key, auto member) {
        const auto it = root.find(key);
        if (it == root.end()) return;
        Json* sub_extra = nullptr;
        if (extra != nullptr) {
            if (const auto e = extra->find(key); e != extra->end()) sub_extra = &*e;
        }
        read_value(*it, Path(Path(), key), cfg.*member, sub_extra);
        // A nested object keeps the keys its struct did not take; anything else is consumed.
        if (sub_extra != nullptr && !(sub_extra->is_object() && !sub_extra->empty() && it->is_object()))
            extra->erase(key);
    });
}

/// What a DeepSeek-V4 file says beyond its typed keys: SGLang's `deepseek_ref` model_type and
/// the `dspark_*` keys of the DSpark draft module (both loaded, their checkpoints not modelled);
/// and the indexer keys, which a file with a compressed-sparse (ratio-4) layer must give.
template <class Json> void read_v4_file_facts(DeepseekV4Config& config, const Json& root) {
    if (const auto it = root.find("model_type"); it != root.end() && it->is_string())
        config.sglang_ref_format = it->template get_ref<const std::string&>() == "deepseek_ref";
    for (auto it = root.begin(); it != root.end(); ++it) {
        if (std::string_view(it.key()).substr(0, 7) == "dspark_") config.dspark = true;
    }
    // The ratios are checked by validation; an unknown one counts as no ratio-4 layer here.
    bool compressed_sparse = false;
    for (std::uint64_t i = 0; i < config.num_hidden_layers && i < max_layers && !compressed_sparse; ++i)
        compressed_sparse = v4_compress_ratio(config, i) == 4;
    if (!compressed_sparse) return;
    for (const char* key : {"index_n_heads", "index_head_dim", "index_topk"}) {
        if (root.find(key) == root.end()) {
            fail(ErrorKind::missing_key, Path(Path(), key),
                 std::string("DeepSeek-V4's compressed-sparse (ratio-4) layers have a lightning indexer: the file "
                             "needs ") +
                     key);
        }
    }
}

/// Reads config `C`: its language model's keys at the top level, or inside `language_config` or
/// `text_config` (language_config_key<C>). With `keep_extra`, `Document::extra` holds every key
/// the typed fields do not; without it (parse_config) that copy of the tree is not made.
template <class C, class Json> Document read_document_as(const Json& root, bool keep_extra) {
    Json extra = keep_extra ? root : Json(Json::value_t::object);
    FieldSources<Json> sources;
    constexpr std::string_view nested_key = language_config_key<C>();
    DocumentLayout layout = DocumentLayout::top_level;
    C config{};
    if constexpr (!nested_key.empty()) {
        using Base = language_model_t<C>;
        static const std::string nested_ptr = "/" + std::string(nested_key);
        layout = nested_key == "text_config" ? DocumentLayout::text_config : DocumentLayout::language_config;
        const auto nested = root.find(nested_key);
        if (nested == root.end()) {
            fail(ErrorKind::missing_key, Path(Path(), nested_key),
                 "a " + std::string(wrapper_family<C>()) + " file needs a " + std::string(nested_key) + " object");
        }
        if (!nested->is_object()) type_fail(Path(Path(), nested_key), "an object", *nested);
        sources.primary = &*nested;
        sources.primary_ptr = nested_ptr;
        // The checkpoint's quantization_config may sit at the top level instead (NVIDIA's ModelOpt
        // export of Kimi-K2.5 puts it there): it is read from there when the nested one has none.
        Json top_quantization(Json::value_t::object);
        if (const auto q = root.find("quantization_config"); q != root.end()) {
            top_quantization["quantization_config"] = *q;
            sources.fallback = &top_quantization;
        }
        Json* nested_extra = keep_extra ? &extra[std::string(nested_key)] : nullptr;
        static_cast<Base&>(config) = read_config_fields<Base>(sources, nested_extra);
        if (nested_extra != nullptr) erase_class_model_type<Base>(*nested_extra);
        read_wrapper_fields(root, config, keep_extra ? &extra : nullptr);
        if (keep_extra) erase_class_model_type<C>(extra);
        (void)read_file_quantization(config, root); // not modelled: not_modelled(doc) says why
        validate(config, sources);
        return Document{std::move(config), std::move(extra), layout};
    } else {
        static const std::string language_config_ptr = "/language_config";
        const auto nested = root.find("language_config");
        if (nested != root.end() && !nested->is_object())
            type_fail(Path(Path(), "language_config"), "an object", *nested);
        sources.primary = &root;
        if (nested != root.end()) {
            sources.fallback = &*nested;
            sources.fallback_ptr = language_config_ptr;
        }
        config = read_config_fields<C>(sources, keep_extra ? &extra : nullptr);
        if (keep_extra) erase_class_model_type<C>(extra);
        (void)read_file_quantization(config, root); // not modelled: not_modelled(doc) says why
        if constexpr (std::is_same_v<C, DeepseekV4Config>) read_v4_file_facts(config, root);
        validate(config, sources);
        return Document{std::move(config), std::move(extra), layout};
    }
}

template <class Json> Document read_document(const Json& root, bool keep_extra) {
    if (!root.is_object()) type_fail("", "a JSON object at the top level", root);
    switch (detect_kind(root)) {
    case ConfigKind::deepseek_v2: return read_document_as<DeepseekV2Config>(root, keep_extra);
    case ConfigKind::deepseek_ocr: return read_document_as<DeepseekOCRConfig>(root, keep_extra);
    case ConfigKind::deepseek_ocr2: return read_document_as<DeepseekOCR2Config>(root, keep_extra);
    case ConfigKind::deepseek_v3: return read_document_as<DeepseekV3Config>(root, keep_extra);
    case ConfigKind::deepseek_vl_v2: return read_document_as<DeepseekVL2Config>(root, keep_extra);
    case ConfigKind::kimi_k2: return read_document_as<KimiK2Config>(root, keep_extra);
    case ConfigKind::kimi_vl: return read_document_as<KimiVLConfig>(root, keep_extra);
    case ConfigKind::kimi_k25: return read_document_as<KimiK25Config>(root, keep_extra);
    case ConfigKind::deepseek_v4: return read_document_as<DeepseekV4Config>(root, keep_extra);
    }
    fail(ErrorKind::unknown_model, "", "unsupported model family");
}

} // namespace detail
} // namespace deepseek

#endif // DEEPSEEK_CONFIG_DETAIL_JSON_DISPATCH_HPP
