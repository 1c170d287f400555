// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// Reading, validating and saving config.json files (nlohmann_json). Every value is read through
// a checked helper: nlohmann's own conversions turn 1.5 into 1 and -1 into a huge unsigned, and
// those must be errors here, each naming the JSON pointer of the bad value.
#ifndef DEEPSEEK_CONFIG_JSON_HPP
#define DEEPSEEK_CONFIG_JSON_HPP

#include <filesystem>
#include <new>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>

#include <nlohmann/json.hpp>

#include "any_config.hpp"
#include "config.hpp"
#include "config_file.hpp"
#include "detail/file_io.hpp"
#include "detail/file_save.hpp"
#include "detail/json_common.hpp"
#include "detail/json_config.hpp"
#include "detail/json_dispatch.hpp"
#include "detail/json_quant.hpp"
#include "detail/json_read.hpp"
#include "detail/json_text.hpp"
#include "detail/json_write.hpp"
#include "document.hpp"
#include "error.hpp"
#include "limits.hpp"

namespace deepseek {

namespace detail {

/// True for what the config entry points return: AnyConfig or one config type.
template <class T> inline constexpr bool is_loadable_v = std::is_same_v<T, AnyConfig> || is_config_v<T>;

/// True for the JSON value the `const nlohmann::json&` overloads take (text of any kind, a
/// std::string or a string literal, goes to the text overloads instead).
template <class Json> inline constexpr bool is_json_v = std::is_same_v<Json, nlohmann::json>;

template <class T> T convert_to(const AnyConfig& any) {
    return std::visit(
        [](const auto& c) -> T {
            using Held = std::decay_t<decltype(c)>;
            if constexpr (std::is_base_of_v<T, Held>) {
                return static_cast<const T&>(c); // a subtype loads as its base
            } else {
                throw Error(ErrorKind::type_mismatch, "",
                            "the file holds a " + std::string(class_name<Held>()) + " (model_type \"" +
                                std::string(Held::model_type) + "\"), not a " + std::string(class_name<T>()));
            }
        },
        any);
}

/// The config of a parsed JSON tree, as `T` (AnyConfig or one config type).
template <class T, class Json> T config_from_tree(const Json& root) {
    if constexpr (std::is_same_v<T, AnyConfig>) {
        return read_document(root, false).config;
    } else {
        return convert_to<T>(read_document(root, false).config);
    }
}

/// ModelOpt's hf_quant_config.json beside the config file of `path`, parsed (`file` set to its
/// name), or null when there is none. Its errors name it.
template <class Json> Json sibling_hf_quant_config(const std::filesystem::path& path, std::string& file) {
    const std::filesystem::path quant = config_file_path(path).parent_path() / "hf_quant_config.json";
    std::error_code ec;
    if (!std::filesystem::is_regular_file(quant, ec)) return Json(nullptr);
    file = quant.string();
    const std::string text = read_file(quant);
    try {
        return parse_json<Json>(text);
    } catch (const Error& e) {
        throw e.with_file(file);
    }
}

/// Puts every key of `extra` into `out`, merging objects that both have.
template <class Json> void merge_extra(Json& out, const Json& extra) {
    for (auto it = extra.begin(); it != extra.end(); ++it) {
        auto target = out.find(it.key());
        if (target != out.end() && target->is_object() && it->is_object()) {
            merge_extra(*target, *it);
        } else {
            out[it.key()] = *it;
        }
    }
}

} // namespace detail

#define DEEPSEEK_CONFIG_LOADABLE_ASSERT(function)                                                                      \
    static_assert(detail::is_loadable_v<T>, "deepseek::" function "<T>: T must be deepseek::AnyConfig or a config "    \
                                            "type (DeepseekV2Config, DeepseekOCRConfig, DeepseekOCR2Config, "          \
                                            "DeepseekV3Config)")
#define DEEPSEEK_CONFIG_NO_ARGS_ASSERT(function)                                                                       \
    static_assert(sizeof...(Deferred) == 0, "deepseek::" function " takes no template arguments")

// ---- public API -------------------------------------------------------------------------------
//
// Every entry point is a function template whose body names the JSON type through its own
// template parameters (detail::json_for<T>; the document functions, which have no type to choose,
// through an empty pack `Deferred...` that callers never write): a template's body is compiled
// only in translation units that call it, so including this header instantiates no reader or
// writer, and none of nlohmann's parser or serializer.
//
// `T` is AnyConfig (the default: the class the file names, like AutoConfig) or one config type:
// a subtype's file loads as its base (OCR as DeepseekV2Config), any other type is an error of
// kind type_mismatch naming both. The text overloads take anything convertible to
// std::string_view; the JSON overloads take an already parsed nlohmann::json (pointers in
// errors are then relative to that value).

/// Parses config.json text into the config class its `model_type` / `architectures` name, or
/// into `T`. Any text is safe to pass: a NUL byte, nesting deeper than max_nesting_depth, a
/// number beyond double's range, a size above max_dimension or a layer count above max_layers
/// is a deepseek::Error like any other; a UTF-8 byte-order mark is skipped; of duplicate keys
/// the last wins. Example: `auto v3 = deepseek::parse_config<deepseek::DeepseekV3Config>(text);`
template <class T = AnyConfig> [[nodiscard]] T parse_config(std::string_view text) {
    DEEPSEEK_CONFIG_LOADABLE_ASSERT("parse_config");
    return detail::config_from_tree<T>(detail::parse_json<detail::json_for<T>>(text));
}

/// Reads a config from an already parsed JSON value (validated as parse_config does).
template <class T = AnyConfig, class Json, std::enable_if_t<detail::is_json_v<Json>, int> = 0>
[[nodiscard]] T parse_config(const Json& json) {
    DEEPSEEK_CONFIG_LOADABLE_ASSERT("parse_config");
    return detail::config_from_tree<T>(json);
}

/// Loads a config.json file (or a folder holding one) as parse_config does; errors name the file.
template <class T = AnyConfig> [[nodiscard]] T load_config(const std::filesystem::path& path) {
    DEEPSEEK_CONFIG_LOADABLE_ASSERT("load_config");
    using Json = detail::json_for<T>;
    const std::string text = detail::read_file(path);
    T config{};
    try {
        config = parse_config<T>(std::string_view(text));
    } catch (const Error& e) {
        throw e.with_file(config_file_path(path).string());
    }
    std::string file;
    const Json quant = detail::sibling_hf_quant_config<Json>(path, file);
    if (!quant.is_null()) {
        const auto apply = [&](auto& c) { (void)detail::read_hf_quant_config(c, quant, file); };
        if constexpr (std::is_same_v<T, AnyConfig>)
            std::visit(apply, config);
        else
            apply(config);
    }
    return config;
}

/// Parses config.json text into a document: the typed config plus every key it does not hold.
template <class... Deferred> [[nodiscard]] Document parse_document(std::string_view text) {
    DEEPSEEK_CONFIG_NO_ARGS_ASSERT("parse_document");
    return detail::read_document(detail::parse_json<detail::json_for<Deferred...>>(text), true);
}

/// Reads a document from an already parsed JSON value.
template <class Json, std::enable_if_t<detail::is_json_v<Json>, int> = 0>
[[nodiscard]] Document parse_document(const Json& json) {
    return detail::read_document(json, true);
}

/// Loads a config.json file, or a folder holding one, into a document; errors name the file.
/// ModelOpt's `hf_quant_config.json` beside it, when there is one, is read too (NVIDIA's NVFP4
/// checkpoints describe their quantisation there, not in config.json): kept in
/// `Document::hf_quant_config`, and its format in the config's `weight_quantization`.
template <class... Deferred> [[nodiscard]] Document load_document(const std::filesystem::path& path) {
    DEEPSEEK_CONFIG_NO_ARGS_ASSERT("load_document");
    using Json = detail::json_for<Deferred...>;
    const std::string text = detail::read_file(path);
    Document doc;
    try {
        doc = parse_document<Deferred...>(std::string_view(text));
    } catch (const Error& e) {
        throw e.with_file(config_file_path(path).string());
    }
    std::string file;
    Json quant = detail::sibling_hf_quant_config<Json>(path, file);
    if (!quant.is_null()) {
        std::visit([&](auto& c) { (void)detail::read_hf_quant_config(c, quant, file); }, doc.config);
        doc.hf_quant_config = std::move(quant);
    }
    return doc;
}

// The try_ functions: the same, returning the error instead of throwing it. They report every
// deepseek::Error (as thrown, file included) and std::bad_alloc (ErrorKind::out_of_memory);
// anything else would be a bug of this library and propagates.

/// parse_config without throwing: the config or the error.
template <class T = AnyConfig> [[nodiscard]] Result<T> try_parse_config(std::string_view text) {
    DEEPSEEK_CONFIG_LOADABLE_ASSERT("try_parse_config");
    return detail::try_invoke<T>([&] { return parse_config<T>(text); }, nullptr);
}

/// parse_config of a JSON value without throwing.
template <class T = AnyConfig, class Json, std::enable_if_t<detail::is_json_v<Json>, int> = 0>
[[nodiscard]] Result<T> try_parse_config(const Json& json) {
    DEEPSEEK_CONFIG_LOADABLE_ASSERT("try_parse_config");
    return detail::try_invoke<T>([&] { return parse_config<T>(json); }, nullptr);
}

/// load_config without throwing: the config or the error (which names the file).
template <class T = AnyConfig> [[nodiscard]] Result<T> try_load_config(const std::filesystem::path& path) {
    DEEPSEEK_CONFIG_LOADABLE_ASSERT("try_load_config");
    return detail::try_invoke<T>([&] { return load_config<T>(path); }, &path);
}

/// parse_document without throwing.
template <class... Deferred> [[nodiscard]] Result<Document> try_parse_document(std::string_view text) {
    DEEPSEEK_CONFIG_NO_ARGS_ASSERT("try_parse_document");
    return detail::try_invoke<Document>([&] { return parse_document<Deferred...>(text); }, nullptr);
}

/// parse_document of a JSON value without throwing.
template <class Json, std::enable_if_t<detail::is_json_v<Json>, int> = 0>
[[nodiscard]] Result<Document> try_parse_document(const Json& json) {
    return detail::try_invoke<Document>([&] { return parse_document(json); }, nullptr);
}

/// load_document without throwing.
template <class... Deferred> [[nodiscard]] Result<Document> try_load_document(const std::filesystem::path& path) {
    DEEPSEEK_CONFIG_NO_ARGS_ASSERT("try_load_document");
    return detail::try_invoke<Document>([&] { return load_document<Deferred...>(path); }, &path);
}

/// The typed fields of a config (one config type, or whichever AnyConfig holds) as JSON, with
/// its class's `model_type`, the way save_pretrained writes them: unset nullable keys as null.
template <class C> [[nodiscard]] nlohmann::json config_to_json(const C& cfg) {
    static_assert(detail::is_loadable_v<C>,
                  "deepseek::config_to_json: takes deepseek::AnyConfig or a config type (DeepseekV2Config, "
                  "DeepseekOCRConfig, DeepseekOCR2Config, DeepseekV3Config)");
    if constexpr (std::is_same_v<C, AnyConfig>) {
        return std::visit(
            [](const auto& c) { return detail::write_config<std::decay_t<decltype(c)>, detail::json_for<C>>(c); }, cfg);
    } else {
        return detail::write_config<C, detail::json_for<C>>(cfg);
    }
}

/// The whole document as JSON: every typed field plus every kept key. A wrapper's config
/// (DeepSeek-VL2, Kimi-VL, Kimi-K2.5) writes its language model's keys where its file has them;
/// a config of another class in a document laid out as `language_config` or `text_config` is
/// written inside that key.
template <class... Deferred> [[nodiscard]] nlohmann::json document_to_json(const Document& doc) {
    DEEPSEEK_CONFIG_NO_ARGS_ASSERT("document_to_json");
    using Json = detail::json_for<Deferred...>;
    Json out = Json::object();
    if (doc.layout != DocumentLayout::top_level && language_config_key_of(doc.config).empty()) {
        out[doc.layout == DocumentLayout::text_config ? "text_config" : "language_config"] = config_to_json(doc.config);
    } else {
        out = config_to_json(doc.config);
    }
    detail::merge_extra(out, static_cast<const Json&>(doc.extra));
    return out;
}

/// The `model_type` of a document's file: the file's own where it names a model other than its
/// config class's (DeepSeek-V3.2's "deepseek_v32", DeepSeek-OCR's "deepseek_vl_v2"), else the
/// class's ("kimi_k2", "deepseek_vl_v2", "kimi_vl", "kimi_k25" for those classes).
template <class... Deferred> [[nodiscard]] std::string file_model_type(const Document& doc) {
    DEEPSEEK_CONFIG_NO_ARGS_ASSERT("file_model_type");
    using Json = detail::json_for<Deferred...>;
    const Json& extra = doc.extra;
    const auto it = extra.find("model_type");
    if (it != extra.end() && it->is_string()) return it->template get<std::string>();
    return std::string(model_type_of(doc.config));
}

/// Writes a document as config.json (two-space indent), crash-safe: to a new temporary file
/// beside the target, flushed to disk, renamed over the target, and the folder flushed; the
/// target keeps its permission bits, and a symbolic link keeps pointing at the file it names,
/// whose content is replaced. Errors are ErrorKind::io naming `path`; the target is then as it
/// was.
template <class... Deferred> void save_document(const Document& doc, const std::filesystem::path& path) {
    DEEPSEEK_CONFIG_NO_ARGS_ASSERT("save_document");
    detail::save_file_atomically(path, document_to_json<Deferred...>(doc).dump(2) + "\n");
}

#undef DEEPSEEK_CONFIG_LOADABLE_ASSERT
#undef DEEPSEEK_CONFIG_NO_ARGS_ASSERT

// ---- nlohmann's customisation points (found by argument-dependent lookup) ---------------------
//
// `nlohmann::json j = cfg;`, `j.get<DeepseekV3Config>()`, `j.get<AnyConfig>()` and
// `j.get<Document>()` read and write through the same code as parse_config and config_to_json:
// a bad value throws deepseek::Error with its JSON pointer (relative to `j`).

/// Writes a config's typed fields into `j` (see config_to_json).
template <class Json, class C, std::enable_if_t<detail::is_json_v<Json> && detail::is_loadable_v<C>, int> = 0>
void to_json(Json& j, const C& cfg) {
    j = config_to_json(cfg);
}

/// Reads a config from `j` (see parse_config<C>).
template <class Json, class C, std::enable_if_t<detail::is_json_v<Json> && detail::is_loadable_v<C>, int> = 0>
void from_json(const Json& j, C& cfg) {
    cfg = detail::config_from_tree<C>(j);
}

/// Writes a whole document into `j` (see document_to_json).
template <class Json, std::enable_if_t<detail::is_json_v<Json>, int> = 0> void to_json(Json& j, const Document& doc) {
    j = document_to_json(doc);
}

/// Reads a document from `j` (see parse_document).
template <class Json, std::enable_if_t<detail::is_json_v<Json>, int> = 0> void from_json(const Json& j, Document& doc) {
    doc = detail::read_document(j, true);
}

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_JSON_HPP
