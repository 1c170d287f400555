// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// A config and every key of its file that the typed fields do not hold (nlohmann_json), so that
// saving loses nothing.
#ifndef DEEPSEEK_CONFIG_DOCUMENT_HPP
#define DEEPSEEK_CONFIG_DOCUMENT_HPP

#include <nlohmann/json.hpp>

#include "any_config.hpp"

namespace deepseek {

/// Where the typed language-model fields live in the file.
enum class DocumentLayout {
    top_level,       ///< at the top (V2, V3, Kimi-K2, and OCR, whose `language_config` is kept as read)
    language_config, ///< only inside `language_config` (DeepSeek-VL2 files)
    text_config,     ///< only inside `text_config` (Kimi-VL and Kimi-K2.5 files)
};

/// A config and everything of its file that the typed fields do not hold, so saving loses
/// nothing. `extra` mirrors the file's structure (nested objects included).
struct Document {
    AnyConfig config;
    nlohmann::json extra = nlohmann::json(nlohmann::json::value_t::object); // {} (braces would make [{}])
    DocumentLayout layout = DocumentLayout::top_level;
    /// ModelOpt's `hf_quant_config.json` beside the config file, as read by load_document (null
    /// when there is none, and for parsed text). Saving config.json does not touch it.
    nlohmann::json hf_quant_config = nullptr;
};

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_DOCUMENT_HPP
