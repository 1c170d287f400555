// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// Reading, validating and saving config.json files (nlohmann_json). Every value is read through
// a checked helper: nlohmann's own conversions turn 1.5 into 1 and -1 into a huge unsigned, and
// those must be errors here, each naming the JSON pointer of the bad value.
#ifndef DEEPSEEK_CONFIG_JSON_HPP
#define DEEPSEEK_CONFIG_JSON_HPP

#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <variant>

#include <nlohmann/json.hpp>

#include "any_config.hpp"
#include "config.hpp"
#include "detail/file_io.hpp"
#include "detail/json_common.hpp"
#include "detail/json_config.hpp"
#include "detail/json_dispatch.hpp"
#include "detail/json_read.hpp"
#include "detail/json_text.hpp"
#include "detail/json_write.hpp"
#include "document.hpp"
#include "error.hpp"
#include "limits.hpp"

namespace deepseek {

namespace detail {

template <class T> T convert_to(const AnyConfig& any) {
    return std::visit(
        [](const auto& c) -> T {
            using Held = std::decay_t<decltype(c)>;
            if constexpr (std::is_base_of_v<T, Held>) {
                return static_cast<const T&>(c); // a subtype loads as its base
            } else {
                throw config_error(error_kind::type_mismatch, "",
                                   "the file holds a " + std::string(class_name<Held>()) + " (model_type \"" +
                                       std::string(Held::model_type) + "\"), not a " +
                                       std::string(class_name<T>()));
            }
        },
        any);
}


} // namespace detail

// ---- public API -------------------------------------------------------------------------------
//
// The entry points below are templates with an unused `int N` parameter (callers never name it)
// that name the JSON type as detail::json_t<N>: a template's body is compiled only in translation
// units that call it, so including this header instantiates no reader or writer, and none of
// nlohmann's parser or serializer.

/// Parses config.json text into a document: the typed config plus every key it does not hold.
/// Any text is safe to pass: a NUL byte, nesting deeper than max_nesting_depth, a number beyond
/// double's range, a size above max_dimension or a layer count above max_layers is a
/// config_error like any other; a UTF-8 byte-order mark is skipped; of duplicate keys the last
/// wins.
template <int N = 0> Document parse_document(std::string_view text) {
    return detail::read_document(detail::parse_json<detail::json_t<N>>(text), true);
}

/// Loads a config.json file, or a folder holding one, into a document.
template <int = 0> Document load_document(const std::filesystem::path& path) {
    const std::string text = detail::read_file(path);
    try {
        return parse_document(text);
    } catch (const config_error& e) {
        throw e.with_file(detail::display_name(path));
    }
}

/// Parses config.json text into the config class its `model_type` / `architectures` name.
template <int N = 0> AnyConfig parse_config(std::string_view text) {
    return detail::read_document(detail::parse_json<detail::json_t<N>>(text), false).config;
}

/// Loads a config.json file (or a folder holding one) into the config class it names.
template <int = 0> AnyConfig load_config(const std::filesystem::path& path) { return load_document(path).config; }

/// Parses text as config type `T`; a subtype's file loads as its base (OCR as DeepseekV2Config),
/// any other type is an error naming both.
template <class T> T parse_config(std::string_view text) {
    static_assert(is_config_v<T>, "parse_config<T>: T must be a deepseek config type");
    return detail::convert_to<T>(parse_config(text));
}

/// Loads a file as config type `T` (see parse_config<T>).
template <class T> T load_config(const std::filesystem::path& path) {
    static_assert(is_config_v<T>, "load_config<T>: T must be a deepseek config type");
    const AnyConfig any = load_config(path);
    try {
        return detail::convert_to<T>(any);
    } catch (const config_error& e) {
        throw e.with_file(detail::display_name(path));
    }
}

/// parse_config without exceptions escaping: the config or the error.
template <int = 0> result<AnyConfig> try_parse_config(std::string_view text) noexcept {
    try {
        return parse_config(text);
    } catch (const config_error& e) {
        return e;
    } catch (const std::exception& e) {
        return config_error(error_kind::io, "", e.what());
    }
}

/// load_config without exceptions escaping: the config or the error.
template <int = 0> result<AnyConfig> try_load_config(const std::filesystem::path& path) noexcept {
    try {
        return load_config(path);
    } catch (const config_error& e) {
        return e;
    } catch (const std::exception& e) {
        return config_error(error_kind::io, "", e.what(), path.string());
    }
}

/// The typed fields of a config as JSON (with its class's `model_type`), the way save_pretrained
/// writes them: unset nullable keys as null.
template <class C, std::enable_if_t<is_config_v<C>, int> = 0> nlohmann::json to_json(const C& cfg) {
    return detail::write_config(cfg);
}

/// The typed fields of whichever config `any` holds.
template <int N = 0> nlohmann::json to_json(const AnyConfig& any) {
    return std::visit([](const auto& c) { return detail::write_config<std::decay_t<decltype(c)>, detail::json_t<N>>(c); },
                      any);
}

namespace detail {
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

/// The whole document as JSON: every typed field plus every kept key.
template <int N = 0> nlohmann::json to_json(const Document& doc) {
    using Json = detail::json_t<N>;
    Json out = Json::object();
    if (doc.layout == Layout::language_config) {
        out["language_config"] = to_json<N>(doc.config);
    } else {
        out = to_json<N>(doc.config);
    }
    detail::merge_extra(out, static_cast<const Json&>(doc.extra));
    return out;
}

/// Writes a document as config.json, atomically: to a temporary file beside `path`, then renamed
/// over it, so a crash never leaves half a config.
template <int N = 0> void save_document(const Document& doc, const std::filesystem::path& path) {
    namespace fs = std::filesystem;
    const std::string text = to_json<N>(doc).dump(2) + "\n";
    fs::path temporary = path;
    temporary += ".tmp";
    {
        detail::File out(temporary, true);
        if (out.get() == nullptr) throw config_error(error_kind::io, "", "cannot open for writing", temporary.string());
        const bool written = std::fwrite(text.data(), 1, text.size(), out.get()) == text.size();
        if (!out.close() || !written) {
            std::error_code ignored;
            fs::remove(temporary, ignored);
            throw config_error(error_kind::io, "", "cannot write the file", temporary.string());
        }
    }
    std::error_code ec;
    fs::rename(temporary, path, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(temporary, ignored);
        throw config_error(error_kind::io, "", "cannot replace the file: " + ec.message(), path.string());
    }
}

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_JSON_HPP
