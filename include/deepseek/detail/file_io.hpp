// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// Internal: reading a config file whole, through <cstdio> (<fstream> would add 1.5% to the compile
// time of every translation unit that includes json.hpp).
#ifndef DEEPSEEK_CONFIG_DETAIL_FILE_IO_HPP
#define DEEPSEEK_CONFIG_DETAIL_FILE_IO_HPP

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>

#include "../error.hpp"
#include "../limits.hpp"

namespace deepseek {
namespace detail {

/// An open file, closed when it goes out of scope. (Through <cstdio>: <fstream> would add 1.5% to
/// the compile time of every translation unit that includes this header.)
class File {
  public:
    /// Opens `path` for binary reading, or for writing (truncated); check `get()` for nullptr.
    File(const std::filesystem::path& path, bool write) noexcept {
#if defined(_WIN32)
        // Windows paths are UTF-16: open them through the wide-character API.
        if (_wfopen_s(&handle_, path.c_str(), write ? L"wb" : L"rb") != 0) handle_ = nullptr;
#else
        handle_ = std::fopen(path.c_str(), write ? "wb" : "rb");
#endif
    }
    File(const File&) = delete;
    File& operator=(const File&) = delete;
    ~File() { close(); }

    std::FILE* get() const noexcept { return handle_; }
    /// Closes the file (flushing what was written); false if that failed.
    bool close() noexcept {
        std::FILE* const handle = handle_;
        handle_ = nullptr;
        return handle == nullptr || std::fclose(handle) == 0;
    }

  private:
    std::FILE* handle_ = nullptr;
};

inline std::string read_file(const std::filesystem::path& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path file = path;
    if (fs::is_directory(file, ec)) {
        file /= "config.json";
        if (!fs::exists(file, ec)) {
            throw Error(ErrorKind::io, "", "the folder holds no config.json", path.string());
        }
    }
    const auto status = fs::status(file, ec);
    if (ec || !fs::exists(status)) {
        throw Error(ErrorKind::io, "", "no such file", file.string());
    }
    if (!fs::is_regular_file(status)) {
        throw Error(ErrorKind::io, "", "not a regular file", file.string());
    }
    const auto size = fs::file_size(file, ec);
    if (ec) throw Error(ErrorKind::io, "", "cannot read the file size: " + ec.message(), file.string());
    if (size > max_file_size) {
        throw Error(ErrorKind::io, "",
                    "the file is " + std::to_string(size) + " bytes, more than the " + std::to_string(max_file_size) +
                        " a config may have",
                    file.string());
    }
    File in(file, false);
    if (in.get() == nullptr) throw Error(ErrorKind::io, "", "cannot open the file for reading", file.string());
    std::string text(static_cast<std::size_t>(size), '\0');
    if (std::fread(text.data(), 1, text.size(), in.get()) != text.size()) {
        throw Error(ErrorKind::io, "", "cannot read the whole file", file.string());
    }
    return text;
}

} // namespace detail
} // namespace deepseek

#endif // DEEPSEEK_CONFIG_DETAIL_FILE_IO_HPP
