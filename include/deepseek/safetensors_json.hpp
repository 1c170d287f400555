// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// Reading the header of a .safetensors file (safetensors.hpp's SafetensorsHeader), checked as
// the format's reference reader checks it, without reading the tensor data. Needs nlohmann_json.
#ifndef DEEPSEEK_CONFIG_SAFETENSORS_JSON_HPP
#define DEEPSEEK_CONFIG_SAFETENSORS_JSON_HPP

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

#include "detail/file_io.hpp"
#include "detail/json_common.hpp"
#include "detail/json_safetensors.hpp"
#include "error.hpp"
#include "safetensors.hpp"

namespace deepseek {

namespace detail {

/// parse_safetensors_header, with the JSON type named through a template parameter. With
/// `whole_file` false the data section's end is not checked against file_size (verify compares
/// them itself, to tell a truncated shard from a bad header).
template <class Json>
SafetensorsHeader parse_safetensors_bytes(std::string_view bytes, std::uint64_t file_size, bool whole_file = true) {
    check_safetensors_length(bytes, file_size);
    SafetensorsHeader header;
    header.header_bytes = safetensors_length(bytes);
    const std::string_view text = bytes.substr(safetensors_length_bytes, static_cast<std::size_t>(header.header_bytes));
    check_safetensors_text(text);
    SafetensorsHeaderReader<Json> reader(text, header);
    const bool parsed = Json::sax_parse(text.begin(), text.end(), &reader);
    if (reader.error()) throw *reader.error();
    if (!parsed) throw Error(ErrorKind::syntax, "", "malformed JSON in the header"); // reported above
    for (const SafetensorsTensor& t : header.tensors) check_safetensors_tensor(t);
    check_safetensors_ranges(header);
    if (whole_file) check_safetensors_file_size(header, file_size);
    return header;
}

/// The first bytes of the .safetensors file `path`: its 8-byte length and, when that length is
/// one the parser accepts and within the file, the N bytes of the header (never the data); the
/// file's size in `size`. An io Error, naming the file, when it is absent, not a regular file or
/// unreadable. The header is read only when its length is acceptable: a hostile length never
/// sizes an allocation (the parser reports it from the 8 bytes alone).
template <class... Deferred>
std::string read_safetensors_prefix(const std::filesystem::path& path, std::uint64_t& size) {
    namespace fs = std::filesystem;
    const std::string file = path.string();
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) throw Error(ErrorKind::io, "", "no such file", file);
    if (!fs::is_regular_file(status)) throw Error(ErrorKind::io, "", "not a regular file", file);
    const std::uintmax_t file_size = fs::file_size(path, ec);
    if (ec) throw Error(ErrorKind::io, "", "cannot read the file size: " + ec.message(), file);
    detail::File in(path, false);
    if (in.get() == nullptr) throw Error(ErrorKind::io, "", "cannot open the file for reading", file);

    std::string bytes(static_cast<std::size_t>(std::min<std::uintmax_t>(file_size, safetensors_length_bytes)), '\0');
    if (std::fread(bytes.data(), 1, bytes.size(), in.get()) != bytes.size()) {
        throw Error(ErrorKind::io, "", "cannot read the header length", file);
    }
    if (bytes.size() == safetensors_length_bytes) {
        const std::uint64_t n = detail::safetensors_length(bytes);
        if (n <= safetensors_max_header_bytes && n <= file_size - safetensors_length_bytes) {
            bytes.resize(static_cast<std::size_t>(safetensors_length_bytes + n));
            const auto header_size = static_cast<std::size_t>(n);
            if (std::fread(bytes.data() + safetensors_length_bytes, 1, header_size, in.get()) != header_size) {
                throw Error(ErrorKind::io, "", "cannot read the header (did the file change while it was read?)", file);
            }
        }
    }
    size = static_cast<std::uint64_t>(file_size);
    return bytes;
}

} // namespace detail

// The entry points are templates over an empty pack `Deferred...` that callers never write, as
// in json.hpp: their bodies, and nlohmann's parser with them, are compiled only where called.

/// Parses and checks the header of a .safetensors file. `bytes` holds the file's first bytes, at
/// least 8 + N (the whole file will do); `file_size` is the size of the whole file, to check that
/// the data section ends exactly at its end. Errors (a deepseek::Error: kind, JSON pointer of the
/// bad value such as "/model.embed_tokens.weight/data_offsets/1", message) for any header the
/// reference reader refuses, and for duplicate keys and unknown entry keys, which it lets by.
/// Example: `auto h = deepseek::parse_safetensors_header(first_bytes, file_size);`
template <class... Deferred>
[[nodiscard]] SafetensorsHeader parse_safetensors_header(std::string_view bytes, std::uint64_t file_size) {
    static_assert(sizeof...(Deferred) == 0, "deepseek::parse_safetensors_header takes no template arguments");
    return detail::parse_safetensors_bytes<detail::json_for<Deferred...>>(bytes, file_size);
}

/// Parses and checks the header of a whole .safetensors file held in `bytes`.
template <class... Deferred> [[nodiscard]] SafetensorsHeader parse_safetensors_header(std::string_view bytes) {
    return parse_safetensors_header<Deferred...>(bytes, bytes.size());
}

/// parse_safetensors_header without throwing: the header or the error.
template <class... Deferred>
[[nodiscard]] Result<SafetensorsHeader> try_parse_safetensors_header(std::string_view bytes, std::uint64_t file_size) {
    return detail::try_invoke<SafetensorsHeader>(
        [&] { return parse_safetensors_header<Deferred...>(bytes, file_size); }, nullptr);
}

/// parse_safetensors_header of a whole file's bytes without throwing.
template <class... Deferred>
[[nodiscard]] Result<SafetensorsHeader> try_parse_safetensors_header(std::string_view bytes) {
    return try_parse_safetensors_header<Deferred...>(bytes, bytes.size());
}

/// Reads and checks the header of the .safetensors file `path`: its first 8 + N bytes only,
/// never the data; the file's size from the file system. Errors name the file: kind io when it
/// is absent, not a regular file or unreadable, else as parse_safetensors_header.
template <class... Deferred>
[[nodiscard]] SafetensorsHeader read_safetensors_header(const std::filesystem::path& path) {
    std::uint64_t size = 0;
    const std::string bytes = detail::read_safetensors_prefix(path, size);
    try {
        return parse_safetensors_header<Deferred...>(bytes, size);
    } catch (const Error& e) {
        throw e.with_file(path.string());
    }
}

/// read_safetensors_header without throwing: the header or the error (which names the file).
template <class... Deferred>
[[nodiscard]] Result<SafetensorsHeader> try_read_safetensors_header(const std::filesystem::path& path) {
    return detail::try_invoke<SafetensorsHeader>([&] { return read_safetensors_header<Deferred...>(path); }, &path);
}

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_SAFETENSORS_JSON_HPP
