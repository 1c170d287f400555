// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// Verifying a download against its config: a checkpoint's model.safetensors.index.json compared
// with the tensor manifest (tensors.hpp) and checkpoint_bytes (memory.hpp). Needs nlohmann_json.
//
// An index is `{"metadata": {"total_size": BYTES}, "weight_map": {NAME: FILE, ...}}`. The
// released indexes carry no shapes; an entry that is an object with a `shape` array
// (`{NAME: {"file": ..., "shape": [4096, 2048]}}`) has its shape compared too.
#ifndef DEEPSEEK_CONFIG_INDEX_CHECK_HPP
#define DEEPSEEK_CONFIG_INDEX_CHECK_HPP

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "any_config.hpp"
#include "config.hpp"
#include "detail/file_io.hpp"
#include "detail/json_common.hpp"
#include "detail/json_text.hpp"
#include "error.hpp"
#include "memory.hpp"
#include "optional.hpp"
#include "tensors.hpp"

namespace deepseek {

/// A tensor whose shape in the index differs from the manifest's.
struct ShapeMismatch {
    std::string name;                          ///< the tensor's Hugging Face name
    std::vector<std::uint64_t> index_shape;    ///< as the index gives it
    std::vector<std::uint64_t> manifest_shape; ///< as the config implies
};

/// An index file compared with the tensor manifest of a config.
struct IndexComparison {
    std::size_t index_tensors = 0;               ///< names in the index's weight_map
    std::size_t manifest_tensors = 0;            ///< names in tensor_manifest(cfg)
    std::vector<std::string> missing;            ///< in the manifest, not in the index (sorted)
    std::vector<std::string> unexpected;         ///< in the index, not in the manifest (sorted)
    std::size_t shapes_compared = 0;             ///< tensors in both whose index entry has a shape
    std::vector<ShapeMismatch> shape_mismatches; ///< of those, the ones that differ (by name)
    Optional<std::uint64_t> total_size{};        ///< metadata.total_size, when present (bytes)
    std::uint64_t checkpoint_bytes = 0;          ///< checkpoint_bytes(cfg)

    /// Whether the index gives a total_size equal to checkpoint_bytes.
    [[nodiscard]] bool total_size_matches() const noexcept {
        return total_size.has_value() && *total_size == checkpoint_bytes;
    }
    /// Whether index and config agree: same names, same shapes where given, equal sizes.
    [[nodiscard]] bool match() const noexcept {
        return missing.empty() && unexpected.empty() && shape_mismatches.empty() && total_size_matches();
    }
};

/// The index file `path` names: `path/model.safetensors.index.json` when `path` is a folder.
[[nodiscard]] inline std::filesystem::path index_file_path(const std::filesystem::path& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) return path / "model.safetensors.index.json";
    return path;
}

namespace detail {

/// "a string", "a float (1.5)", "a negative number (-1)", "null"...: what a value is, for messages.
template <class Json> std::string describe_json_value(const Json& value) {
    if (value.is_number_float()) return "a float (" + value.dump() + ")";
    if (value.is_number_integer() && !value.is_number_unsigned() && value.template get<std::int64_t>() < 0)
        return "a negative number (" + value.dump() + ")";
    if (value.is_null()) return "null";
    if (value.is_array()) return "an array";
    if (value.is_object()) return "an object";
    if (value.is_boolean()) return "a boolean (" + value.dump() + ")";
    if (value.is_string()) return "a string (" + value.dump() + ")";
    return "a number (" + value.dump() + ")";
}

/// Whether `value` is a whole number >= 0 (nlohmann stores 5 written in C++ as signed).
template <class Json> bool is_whole_number(const Json& value) {
    return value.is_number_unsigned() || (value.is_number_integer() && value.template get<std::int64_t>() >= 0);
}

/// The JSON pointer of entry `name` of the weight_map, `suffix` appended ("/shape").
inline std::string weight_map_pointer(const std::string& name, const char* suffix = "") {
    std::string out = "/weight_map";
    append_pointer_token(out, name); // RFC 6901: '~' and '/' escaped
    return out + suffix;
}

/// An index entry's shape, when it has one; a deepseek::Error on a malformed entry.
template <class Json>
Optional<std::vector<std::uint64_t>> index_entry_shape(const std::string& name, const Json& entry) {
    if (entry.is_string()) return std::nullopt;
    if (!entry.is_object()) {
        throw Error(ErrorKind::type, weight_map_pointer(name),
                    "expected the name of a .safetensors file (a string) or an object, found " +
                        describe_json_value(entry));
    }
    const auto shape = entry.find("shape");
    if (shape == entry.end()) return std::nullopt;
    if (!shape->is_array()) {
        throw Error(ErrorKind::type, weight_map_pointer(name, "/shape"),
                    "expected an array of whole numbers, found " + describe_json_value(*shape));
    }
    std::vector<std::uint64_t> dims;
    for (std::size_t i = 0; i < shape->size(); ++i) {
        const auto& dim = (*shape)[i];
        if (!is_whole_number(dim)) {
            throw Error(ErrorKind::type, weight_map_pointer(name, "/shape/") + std::to_string(i),
                        "expected a whole number, found " + describe_json_value(dim));
        }
        dims.push_back(dim.template get<std::uint64_t>());
    }
    return dims;
}

/// The weight_map of an index; a deepseek::Error when the index is not shaped like one.
template <class Json> const Json& index_weight_map(const Json& index) {
    if (!index.is_object()) {
        throw Error(ErrorKind::type, "",
                    "an index file is a JSON object holding a weight_map object, found " + describe_json_value(index));
    }
    const auto map = index.find("weight_map");
    if (map == index.end()) {
        throw Error(ErrorKind::missing_key, "/weight_map", "an index file needs a weight_map object");
    }
    if (!map->is_object()) {
        throw Error(ErrorKind::type, "/weight_map",
                    "expected an object mapping tensor names to files, found " + describe_json_value(*map));
    }
    return *map;
}

/// metadata.total_size of an index, when present; a deepseek::Error when it is not a whole number.
template <class Json> Optional<std::uint64_t> index_total_size(const Json& index) {
    const auto metadata = index.find("metadata");
    if (metadata == index.end()) return std::nullopt;
    if (!metadata->is_object()) {
        throw Error(ErrorKind::type, "/metadata", "expected an object, found " + describe_json_value(*metadata));
    }
    const auto total = metadata->find("total_size");
    if (total == metadata->end()) return std::nullopt;
    if (!is_whole_number(*total)) {
        throw Error(ErrorKind::type, "/metadata/total_size",
                    "expected the checkpoint's size in bytes (a whole number), found " + describe_json_value(*total));
    }
    return total->template get<std::uint64_t>();
}

/// tensor_manifest(cfg) sorted by name, each name once: the list compare_with_index and
/// verify_checkpoint merge with what they read.
template <class C> std::vector<TensorInfo> manifest_by_name(const C& cfg) {
    std::vector<TensorInfo> manifest = tensor_manifest(cfg);
    std::sort(manifest.begin(), manifest.end(),
              [](const TensorInfo& a, const TensorInfo& b) { return a.name < b.name; });
    manifest.erase(std::unique(manifest.begin(), manifest.end(),
                               [](const TensorInfo& a, const TensorInfo& b) { return a.name == b.name; }),
                   manifest.end());
    return manifest;
}

/// Checks that `index` is shaped like an index file (as compare_with_index reads it).
template <class Json> void check_index(const Json& index) {
    const Json& map = index_weight_map(index);
    for (auto it = map.begin(); it != map.end(); ++it) (void)index_entry_shape(it.key(), it.value());
    (void)index_total_size(index);
}

} // namespace detail

/// Compares an index (a parsed model.safetensors.index.json) with the tensor manifest of `cfg`:
/// names both ways, shapes where the index gives them, and metadata.total_size against
/// checkpoint_bytes(cfg). A deepseek::Error, with the JSON pointer, when the index is not an
/// object, has no weight_map object, or a total_size that is not a whole number.
template <class C, int N = 0, std::enable_if_t<is_config_v<C>, int> = 0>
[[nodiscard]] IndexComparison compare_with_index(const C& cfg, const detail::json_t<N>& index) {
    using Json = detail::json_t<N>;
    const Json& map = detail::index_weight_map(index);
    IndexComparison out;
    out.total_size = detail::index_total_size(index);
    out.checkpoint_bytes = checkpoint_bytes(cfg);

    using Entry = std::pair<std::string, Optional<std::vector<std::uint64_t>>>;
    std::vector<Entry> in_index;
    in_index.reserve(map.size());
    for (auto it = map.begin(); it != map.end(); ++it) {
        in_index.emplace_back(it.key(), detail::index_entry_shape(it.key(), it.value()));
    }
    std::sort(in_index.begin(), in_index.end(), [](const Entry& a, const Entry& b) { return a.first < b.first; });

    const std::vector<TensorInfo> manifest = detail::manifest_by_name(cfg);
    out.index_tensors = in_index.size();
    out.manifest_tensors = manifest.size();

    // One merge of the two sorted lists.
    std::size_t i = 0, m = 0;
    while (i < in_index.size() || m < manifest.size()) {
        if (m == manifest.size() || (i < in_index.size() && in_index[i].first < manifest[m].name)) {
            out.unexpected.push_back(in_index[i++].first);
        } else if (i == in_index.size() || manifest[m].name < in_index[i].first) {
            out.missing.push_back(manifest[m++].name);
        } else {
            if (const auto& shape = in_index[i].second) {
                const Shape& s = manifest[m].shape;
                std::vector<std::uint64_t> dims(s.dims.begin(), s.dims.begin() + static_cast<std::ptrdiff_t>(s.rank));
                ++out.shapes_compared;
                if (*shape != dims) out.shape_mismatches.push_back({manifest[m].name, *shape, std::move(dims)});
            }
            ++i;
            ++m;
        }
    }
    return out;
}

/// compare_with_index for whichever config `cfg` holds.
template <int N = 0>
[[nodiscard]] IndexComparison compare_with_index(const AnyConfig& cfg, const detail::json_t<N>& index) {
    return std::visit([&](const auto& c) { return compare_with_index<std::decay_t<decltype(c)>, N>(c, index); }, cfg);
}

/// Reads and parses an index file (or `path/model.safetensors.index.json` for a folder) and
/// checks its shape as compare_with_index does. Errors (io, syntax, type...) name the file.
template <int N = 0> [[nodiscard]] detail::json_t<N> load_index(const std::filesystem::path& path) {
    using Json = detail::json_t<N>;
    const std::filesystem::path file = index_file_path(path);
    const std::string text = detail::read_file(file);
    try {
        Json index = detail::parse_json<Json>(text);
        detail::check_index(index);
        return index;
    } catch (const Error& e) {
        throw e.with_file(file.string());
    }
}

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_INDEX_CHECK_HPP
