// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// Naming and reading a config file: a path may be a config.json or a model folder holding one.
// Standard library only (no JSON).
#ifndef DEEPSEEK_CONFIG_CONFIG_FILE_HPP
#define DEEPSEEK_CONFIG_CONFIG_FILE_HPP

#include <filesystem>
#include <string>
#include <system_error>

#include "detail/file_io.hpp"

namespace deepseek {

/// The config file `path` names: `path/config.json` when `path` is a folder, else `path` itself.
/// The name load_document and load_config give in their errors, e.g. for messages.
[[nodiscard]] inline std::filesystem::path config_file_path(const std::filesystem::path& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) return path / "config.json";
    return path;
}

/// The text of the config file `path` names (see config_file_path), at most max_file_size
/// bytes. An error of kind `io`, naming the file, when it is absent, not a regular file, too
/// large or unreadable.
[[nodiscard]] inline std::string read_config_file(const std::filesystem::path& path) { return detail::read_file(path); }

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_CONFIG_FILE_HPP
