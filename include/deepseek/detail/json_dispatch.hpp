// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// Internal: which config class a file holds (like AutoConfig), and the document read as it.
#ifndef DEEPSEEK_CONFIG_DETAIL_JSON_DISPATCH_HPP
#define DEEPSEEK_CONFIG_DETAIL_JSON_DISPATCH_HPP

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "../document.hpp"
#include "../error.hpp"
#include "json_common.hpp"
#include "json_config.hpp"

namespace deepseek {
namespace detail {

enum class Family { v2, ocr, ocr2, v3, vl2 };

inline std::optional<Family> family_from_model_type(std::string_view type) {
    if (type == "deepseek_v2") return Family::v2;
    if (type == "deepseek_v3" || type == "deepseek_v32") return Family::v3;
    if (type == "DeepseekOCR") return Family::ocr;
    if (type == "DeepseekOCR2") return Family::ocr2;
    return std::nullopt;
}

inline std::optional<Family> family_from_architecture(std::string_view name) {
    if (name == "DeepseekV3ForCausalLM" || name == "DeepseekV32ForCausalLM") return Family::v3;
    if (name == "DeepseekOCRForCausalLM") return Family::ocr;
    if (name == "DeepseekOCR2ForCausalLM") return Family::ocr2;
    if (name == "DeepseekVLV2ForCausalLM") return Family::vl2;
    if (name == "DeepseekV2ForCausalLM") return Family::v2;
    return std::nullopt;
}

inline std::optional<Family> family_from_auto_config(std::string_view reference) {
    // "module.ClassName": the class decides.
    const auto dot = reference.rfind('.');
    const std::string_view cls = dot == std::string_view::npos ? reference : reference.substr(dot + 1);
    if (cls == "DeepseekV2Config") return Family::v2;
    if (cls == "DeepseekV3Config") return Family::v3;
    if (cls == "DeepseekOCRConfig") return Family::ocr;
    if (cls == "DeepseekOCR2Config") return Family::ocr2;
    if (cls == "DeepseekVLV2Config") return Family::vl2;
    return std::nullopt;
}

/// The family by `architectures`, then `auto_map.AutoConfig`, of one object.
template <class Json> std::optional<Family> family_from_hints(const Json& object, const Path& pointer) {
    if (const auto it = object.find("architectures"); it != object.end()) {
        if (!it->is_array()) type_fail(Path(pointer, "architectures"), "an array of strings", *it);
        for (const auto& name : *it) {
            if (name.is_string()) {
                if (auto family = family_from_architecture(name.template get_ref<const std::string&>())) return family;
            }
        }
    }
    if (const auto it = object.find("auto_map"); it != object.end() && it->is_object()) {
        if (const auto cls = it->find("AutoConfig"); cls != it->end() && cls->is_string()) {
            if (auto family = family_from_auto_config(cls->template get_ref<const std::string&>())) return family;
        }
    }
    return std::nullopt;
}

/// Picks the config class like AutoConfig: `model_type` where it decides, else `architectures`
/// / `auto_map`, at the top level and then in `language_config`.
template <class Json> Family detect_family(const Json& root) {
    std::string model_type;
    if (const auto it = root.find("model_type"); it != root.end()) {
        if (!it->is_string()) type_fail("/model_type", "a string", *it);
        model_type = it->template get<std::string>();
        if (auto family = family_from_model_type(model_type)) return *family;
    }
    if (auto family = family_from_hints(root, Path())) return *family;
    if (const auto it = root.find("language_config"); it != root.end() && it->is_object()) {
        if (auto family = family_from_hints(*it, Path(Path(), "language_config"))) return *family;
    }
    fail(
        error_kind::unknown_model, model_type.empty() ? std::string() : std::string("/model_type"),
        (model_type.empty() ? std::string("no model_type") : "unsupported model_type " + short_dump(Json(model_type))) +
            " and no known architectures; supported: model_type deepseek_v2, deepseek_v3, deepseek_v32, "
            "DeepseekOCR, DeepseekOCR2, or architectures DeepseekV2ForCausalLM, DeepseekV3ForCausalLM, "
            "DeepseekV32ForCausalLM, DeepseekOCRForCausalLM, DeepseekOCR2ForCausalLM, DeepseekVLV2ForCausalLM");
}

/// Reads config `C` laid out as `layout`. With `keep_extra`, `Document::extra` holds every key
/// the typed fields do not; without it (parse_config) that copy of the tree is not made.
template <class C, class Json> Document read_document_as(const Json& root, Layout layout, bool keep_extra) {
    static const std::string language_config_ptr = "/language_config";
    Json extra = keep_extra ? root : Json(Json::value_t::object);
    FieldSources<Json> sources;
    const auto nested = root.find("language_config");
    if (nested != root.end() && !nested->is_object()) type_fail(Path(Path(), "language_config"), "an object", *nested);
    C config{};
    if (layout == Layout::language_config) {
        if (nested == root.end()) {
            fail(error_kind::missing_key, Path(Path(), "language_config"),
                 "a DeepSeek-VL2 file needs a language_config object");
        }
        sources.primary = &*nested;
        sources.primary_ptr = language_config_ptr;
        Json* nested_extra = keep_extra ? &extra["language_config"] : nullptr;
        config = read_config_fields<C>(sources, nested_extra);
        if (nested_extra != nullptr) nested_extra->erase("model_type");
    } else {
        sources.primary = &root;
        if (nested != root.end()) {
            sources.fallback = &*nested;
            sources.fallback_ptr = language_config_ptr;
        }
        config = read_config_fields<C>(sources, keep_extra ? &extra : nullptr);
        if (keep_extra) extra.erase("model_type"); // saving writes the class's, as save_pretrained does
    }
    validate(config, sources);
    return Document{std::move(config), std::move(extra), layout};
}

template <class Json> Document read_document(const Json& root, bool keep_extra) {
    if (!root.is_object()) type_fail("", "a JSON object at the top level", root);
    switch (detect_family(root)) {
    case Family::v2: return read_document_as<DeepseekV2Config>(root, Layout::top_level, keep_extra);
    case Family::ocr: return read_document_as<DeepseekOCRConfig>(root, Layout::top_level, keep_extra);
    case Family::ocr2: return read_document_as<DeepseekOCR2Config>(root, Layout::top_level, keep_extra);
    case Family::v3: return read_document_as<DeepseekV3Config>(root, Layout::top_level, keep_extra);
    case Family::vl2: return read_document_as<DeepseekV2Config>(root, Layout::language_config, keep_extra);
    }
    fail(error_kind::unknown_model, "", "unsupported model family");
}

} // namespace detail
} // namespace deepseek

#endif // DEEPSEEK_CONFIG_DETAIL_JSON_DISPATCH_HPP
