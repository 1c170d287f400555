// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// Verifying a downloaded checkpoint against its config: the header of every .safetensors shard
// of a model folder (never the weights) compared with the tensor manifest (tensors.hpp), the
// shards' sizes on disk with their headers, and the index (model.safetensors.index.json), when
// there is one, with the shards. Needs nlohmann_json.
#ifndef DEEPSEEK_CONFIG_VERIFY_HPP
#define DEEPSEEK_CONFIG_VERIFY_HPP

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "any_config.hpp"
#include "config.hpp"
#include "error.hpp"
#include "index_check.hpp"
#include "memory.hpp"
#include "optional.hpp"
#include "safetensors.hpp"
#include "safetensors_json.hpp"
#include "tensors.hpp"

namespace deepseek {

/// A tensor that differs between the manifest and a shard (or the index and the shards).
struct VerifyMismatch {
    std::string name;     ///< the tensor's name
    std::string expected; ///< what the config (or the index) says: "[7168, 2048]", "BF16", a shard
    std::string found;    ///< what the shard holds
};

/// A shard that cannot be used as it is: which file, and why.
struct VerifyShardProblem {
    std::string shard;   ///< its file name in the model folder
    std::string message; ///< what is wrong
};

/// A model folder's shards compared with a config (verify_checkpoint). Every list is sorted.
struct Verification {
    std::size_t shards = 0;                           ///< .safetensors files whose header was read
    std::size_t tensors = 0;                          ///< tensors in those headers
    std::size_t manifest_tensors = 0;                 ///< tensors in tensor_manifest(cfg)
    std::vector<std::string> missing;                 ///< in the manifest, in no shard
    std::vector<std::string> unexpected;              ///< in a shard, not in the manifest
    std::vector<VerifyMismatch> shape_mismatch;       ///< in both, another shape
    std::vector<VerifyMismatch> dtype_mismatch;       ///< in both, another dtype
    std::vector<std::string> duplicates;              ///< held by more than one shard
    std::vector<VerifyShardProblem> truncated_shards; ///< shorter than their header says
    std::vector<VerifyShardProblem> bad_shards;       ///< a header that is not one, or data beyond the tensors'
    std::vector<std::string> missing_shards;          ///< named by the index, not in the folder
    /// Tensors the index maps to another shard than the one that holds them (`expected`: the
    /// index's shard, or "" when the index does not name the tensor).
    std::vector<VerifyMismatch> misplaced;
    bool has_index = false;               ///< the folder has model.safetensors.index.json
    Optional<std::uint64_t> total_size{}; ///< its metadata.total_size, when present
    std::uint64_t bytes = 0;              ///< the tensors' byte ranges summed over the shards read
    std::uint64_t checkpoint_bytes = 0;   ///< checkpoint_bytes(cfg)

    /// Whether the folder holds exactly the checkpoint the config describes: nothing in any list,
    /// the shards' bytes equal to checkpoint_bytes, and the index's total_size (when given) too.
    [[nodiscard]] bool match() const noexcept {
        return missing.empty() && unexpected.empty() && shape_mismatch.empty() && dtype_mismatch.empty() &&
               duplicates.empty() && truncated_shards.empty() && bad_shards.empty() && missing_shards.empty() &&
               misplaced.empty() && bytes == checkpoint_bytes && (!total_size || *total_size == bytes);
    }
};

namespace detail {

/// "[7168, 2048]": the first `rank` of `dims`.
template <class Dims> std::string dims_text(const Dims& dims, std::size_t rank) {
    std::string text = "[";
    for (std::size_t i = 0; i < rank; ++i) text += (i != 0 ? ", " : "") + std::to_string(dims[i]);
    return text + "]";
}

/// One tensor as a shard holds it.
struct ShardTensor {
    std::string name;
    std::string shard;
    SafetensorsDtype dtype{};
    std::vector<std::uint64_t> shape;
};

/// Reads the header of shard `file` into `out` (its tensors) and `v` (its bytes, or why it
/// cannot be used). A file shorter than its header says is truncated; one longer than its data,
/// or with a header that is not one, is bad.
template <class Json>
void read_shard(const std::filesystem::path& file, std::vector<ShardTensor>& out, Verification& v) {
    const std::string shard = file.filename().string();
    std::uint64_t size = 0;
    const std::string bytes = read_safetensors_prefix(file, size);
    const std::uint64_t n = bytes.size() >= safetensors_length_bytes ? safetensors_length(bytes) : 0;
    if (bytes.size() < safetensors_length_bytes ||
        (n <= safetensors_max_header_bytes && bytes.size() < safetensors_length_bytes + n)) {
        v.truncated_shards.push_back(
            {shard, "the file is " + std::to_string(size) + " bytes, shorter than its header (truncated)"});
        return;
    }
    SafetensorsHeader header;
    try {
        header = parse_safetensors_bytes<Json>(bytes, size, false);
    } catch (const Error& e) {
        v.bad_shards.push_back({shard, e.what()});
        return;
    }
    const std::uint64_t needed = header.data_start() + header.data_bytes;
    if (size < needed) {
        v.truncated_shards.push_back({shard, "the file is " + std::to_string(size) + " bytes; its header needs " +
                                                 std::to_string(needed) + " (truncated)"});
    } else if (size > needed) {
        v.bad_shards.push_back({shard, "the file is " + std::to_string(size) + " bytes; its header accounts for " +
                                           std::to_string(needed) + " (bytes after the last tensor)"});
    }
    ++v.shards;
    v.bytes = checked_add(v.bytes, header.data_bytes, "checkpoint bytes");
    for (SafetensorsTensor& t : header.tensors) {
        out.push_back({std::move(t.name), shard, t.dtype, std::move(t.shape)});
    }
}

/// The .safetensors files of folder `dir`, by name.
template <class... Deferred> std::vector<std::string> shard_files(const std::filesystem::path& dir) {
    std::vector<std::string> files;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        if (entry.path().extension() == ".safetensors") files.push_back(entry.path().filename().string());
    }
    if (ec) throw Error(ErrorKind::io, "", "cannot list the folder: " + ec.message(), dir.string());
    std::sort(files.begin(), files.end());
    return files;
}

/// Compares the shards' tensors (sorted by name, duplicates removed) with the manifest (by
/// name, each name once: manifest_by_name).
template <class... Deferred> void compare_with_manifest(const std::vector<ShardTensor>& held,
                                                        const std::vector<TensorInfo>& manifest, Verification& v) {
    v.manifest_tensors = manifest.size();
    std::size_t h = 0, m = 0; // one merge of the two sorted lists
    while (h < held.size() || m < manifest.size()) {
        if (m == manifest.size() || (h < held.size() && held[h].name < manifest[m].name)) {
            v.unexpected.push_back(held[h++].name);
        } else if (h == held.size() || manifest[m].name < held[h].name) {
            v.missing.push_back(manifest[m++].name);
        } else {
            const ShardTensor& t = held[h++];
            const TensorInfo& want = manifest[m++];
            const std::string expected_shape = dims_text(want.shape.dims, want.shape.rank);
            const std::string found_shape = dims_text(t.shape, t.shape.size());
            if (expected_shape != found_shape) v.shape_mismatch.push_back({t.name, expected_shape, found_shape});
            const std::string_view expected_dtype = safetensors_name(want.dtype);
            const std::string_view found_dtype = to_string(t.dtype);
            if (expected_dtype != found_dtype)
                v.dtype_mismatch.push_back({t.name, std::string(expected_dtype), std::string(found_dtype)});
        }
    }
}

} // namespace detail

/// Verifies model folder `dir` against `cfg` by reading the header of every shard and never the
/// weights: the shards are those the index (`dir/model.safetensors.index.json`) names, and any
/// other .safetensors file in the folder; without an index, every .safetensors file. Each
/// tensor's name, shape and dtype is compared with tensor_manifest(cfg); each shard's size on
/// disk with its header; the index, when there is one, with where each tensor is; and the
/// tensors' bytes with the index's total_size and checkpoint_bytes(cfg). The differences are in
/// the result (see Verification::match); a deepseek::Error only for a folder that cannot be
/// listed, an index that is not one, an unreadable file, or a config whose checkpoint is not
/// modelled (ErrorKind::not_modelled, as checkpoint_bytes).
template <class C, int N = 0, std::enable_if_t<is_config_v<C>, int> = 0>
[[nodiscard]] Verification verify_checkpoint(const C& cfg, const std::filesystem::path& dir) {
    using Json = detail::json_t<N>;
    Verification v;
    v.checkpoint_bytes = checkpoint_bytes(cfg);
    std::vector<std::string> on_disk = detail::shard_files(dir);
    std::vector<std::pair<std::string, std::string>> index_map; // tensor -> shard, sorted by tensor
    const std::filesystem::path index_file = dir / "model.safetensors.index.json";
    std::error_code ec;
    if (std::filesystem::exists(index_file, ec)) {
        v.has_index = true;
        const Json index = load_index<N>(index_file);
        v.total_size = detail::index_total_size(index);
        const Json& map = detail::index_weight_map(index);
        for (auto it = map.begin(); it != map.end(); ++it) {
            const Json& entry = it.value(); // a file name, or an object naming its "file"
            std::string shard;
            if (entry.is_string()) {
                shard = entry.template get<std::string>();
            } else if (const auto file = entry.find("file"); file != entry.end() && file->is_string()) {
                shard = file->template get<std::string>();
            }
            index_map.emplace_back(it.key(), shard);
            if (!shard.empty() && !std::binary_search(on_disk.begin(), on_disk.end(), shard)) {
                v.missing_shards.push_back(shard);
            }
        }
        std::sort(index_map.begin(), index_map.end());
        std::sort(v.missing_shards.begin(), v.missing_shards.end());
        v.missing_shards.erase(std::unique(v.missing_shards.begin(), v.missing_shards.end()), v.missing_shards.end());
    }

    std::vector<detail::ShardTensor> held;
    for (const std::string& shard : on_disk) detail::read_shard<Json>(dir / shard, held, v);
    v.tensors = held.size();
    std::stable_sort(held.begin(), held.end(),
                     [](const detail::ShardTensor& a, const detail::ShardTensor& b) { return a.name < b.name; });
    // A tensor in two shards: reported once, compared once (its first copy).
    std::vector<detail::ShardTensor> unique;
    unique.reserve(held.size());
    for (detail::ShardTensor& t : held) {
        if (!unique.empty() && unique.back().name == t.name) {
            if (v.duplicates.empty() || v.duplicates.back() != t.name) v.duplicates.push_back(t.name);
            continue;
        }
        unique.push_back(std::move(t));
    }
    if (v.has_index) {
        for (const detail::ShardTensor& t : unique) {
            const auto at = std::lower_bound(index_map.begin(), index_map.end(), std::make_pair(t.name, std::string()));
            const bool named = at != index_map.end() && at->first == t.name;
            if (!named || at->second != t.shard) v.misplaced.push_back({t.name, named ? at->second : "", t.shard});
        }
    }
    detail::compare_with_manifest(unique, detail::manifest_by_name(cfg), v);
    return v;
}

/// verify_checkpoint for whichever config `cfg` holds.
template <int N = 0>
[[nodiscard]] Verification verify_checkpoint(const AnyConfig& cfg, const std::filesystem::path& dir) {
    return std::visit([&](const auto& c) { return verify_checkpoint<std::decay_t<decltype(c)>, N>(c, dir); }, cfg);
}

/// A Verification as JSON (the tool's `verify` object): folder, shards, tensors,
/// manifest_tensors, has_index, total_size (null when absent), bytes, checkpoint_bytes, match;
/// the lists missing, unexpected, shape_mismatch and dtype_mismatch ([{name, expected, found}]),
/// duplicates, truncated_shards and bad_shards ([{shard, message}]), missing_shards and misplaced
/// ([{name, expected, found}]), each cut to its first `cap` entries; and `counts`, every list's
/// full length.
template <int N = 0> [[nodiscard]] detail::json_t<N> verification_to_json(const Verification& v, std::string_view dir,
                                                                          std::size_t cap = 100) {
    using Json = detail::json_t<N>;
    const auto names = [cap](const std::vector<std::string>& list) {
        Json out = Json::array();
        for (std::size_t i = 0; i < list.size() && i < cap; ++i) out.push_back(list[i]);
        return out;
    };
    const auto mismatches = [cap](const std::vector<VerifyMismatch>& list) {
        Json out = Json::array();
        for (std::size_t i = 0; i < list.size() && i < cap; ++i)
            out.push_back({{"name", list[i].name}, {"expected", list[i].expected}, {"found", list[i].found}});
        return out;
    };
    const auto problems = [cap](const std::vector<VerifyShardProblem>& list) {
        Json out = Json::array();
        for (std::size_t i = 0; i < list.size() && i < cap; ++i)
            out.push_back({{"shard", list[i].shard}, {"message", list[i].message}});
        return out;
    };
    return Json{{"folder", std::string(dir)},
                {"shards", v.shards},
                {"tensors", v.tensors},
                {"manifest_tensors", v.manifest_tensors},
                {"missing", names(v.missing)},
                {"unexpected", names(v.unexpected)},
                {"shape_mismatch", mismatches(v.shape_mismatch)},
                {"dtype_mismatch", mismatches(v.dtype_mismatch)},
                {"duplicates", names(v.duplicates)},
                {"truncated_shards", problems(v.truncated_shards)},
                {"bad_shards", problems(v.bad_shards)},
                {"missing_shards", names(v.missing_shards)},
                {"misplaced", mismatches(v.misplaced)},
                {"counts",
                 {{"missing", v.missing.size()},
                  {"unexpected", v.unexpected.size()},
                  {"shape_mismatch", v.shape_mismatch.size()},
                  {"dtype_mismatch", v.dtype_mismatch.size()},
                  {"duplicates", v.duplicates.size()},
                  {"truncated_shards", v.truncated_shards.size()},
                  {"bad_shards", v.bad_shards.size()},
                  {"missing_shards", v.missing_shards.size()},
                  {"misplaced", v.misplaced.size()}}},
                {"has_index", v.has_index},
                {"total_size", v.total_size ? Json(*v.total_size) : Json(nullptr)},
                {"bytes", v.bytes},
                {"checkpoint_bytes", v.checkpoint_bytes},
                {"match", v.match()}};
}

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_VERIFY_HPP
