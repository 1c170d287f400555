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
/// as save_pretrained does. Another (DeepSeek-V3.2's "deepseek_v32", Kimi-K2's "kimi_k2") is
/// kept, so the file is saved as it was read and the report names the file's model.
template <class C, class Json> void erase_class_model_type(Json& extra) {
    const auto it = extra.find("model_type");
    if (it != extra.end() && it->is_string() && it->template get_ref<const std::string&>() == C::model_type)
        extra.erase(it);
}

/// Reads config `C` laid out as `layout`. With `keep_extra`, `Document::extra` holds every key
/// the typed fields do not; without it (parse_config) that copy of the tree is not made.
template <class C, class Json> Document read_document_as(const Json& root, DocumentLayout layout, bool keep_extra) {
    static const std::string language_config_ptr = "/language_config";
    Json extra = keep_extra ? root : Json(Json::value_t::object);
    FieldSources<Json> sources;
    const auto nested = root.find("language_config");
    if (nested != root.end() && !nested->is_object()) type_fail(Path(Path(), "language_config"), "an object", *nested);
    C config{};
    if (layout == DocumentLayout::language_config) {
        if (nested == root.end()) {
            fail(ErrorKind::missing_key, Path(Path(), "language_config"),
                 "a DeepSeek-VL2 file needs a language_config object");
        }
        sources.primary = &*nested;
        sources.primary_ptr = language_config_ptr;
        Json* nested_extra = keep_extra ? &extra["language_config"] : nullptr;
        config = read_config_fields<C>(sources, nested_extra);
        if (nested_extra != nullptr) erase_class_model_type<C>(*nested_extra);
    } else {
        sources.primary = &root;
        if (nested != root.end()) {
            sources.fallback = &*nested;
            sources.fallback_ptr = language_config_ptr;
        }
        config = read_config_fields<C>(sources, keep_extra ? &extra : nullptr);
        if (keep_extra) erase_class_model_type<C>(extra);
    }
    validate(config, sources);
    return Document{std::move(config), std::move(extra), layout};
}

template <class Json> Document read_document(const Json& root, bool keep_extra) {
    if (!root.is_object()) type_fail("", "a JSON object at the top level", root);
    switch (detect_kind(root)) {
    case ConfigKind::deepseek_v2:
        return read_document_as<DeepseekV2Config>(root, DocumentLayout::top_level, keep_extra);
    case ConfigKind::deepseek_ocr:
        return read_document_as<DeepseekOCRConfig>(root, DocumentLayout::top_level, keep_extra);
    case ConfigKind::deepseek_ocr2:
        return read_document_as<DeepseekOCR2Config>(root, DocumentLayout::top_level, keep_extra);
    case ConfigKind::deepseek_v3:
        return read_document_as<DeepseekV3Config>(root, DocumentLayout::top_level, keep_extra);
    case ConfigKind::deepseek_vl_v2:
        return read_document_as<DeepseekV2Config>(root, DocumentLayout::language_config, keep_extra);
    }
    fail(ErrorKind::unknown_model, "", "unsupported model family");
}

} // namespace detail
} // namespace deepseek

#endif // DEEPSEEK_CONFIG_DETAIL_JSON_DISPATCH_HPP
