// Test support: writes a model folder as a checkpoint would be downloaded (config.json, the
// index, .safetensors shards) with each shard's data a sparse file, so that a full-size
// checkpoint costs the disk a few megabytes of headers. Used by verify_test and cli_test.
#ifndef DEEPSEEK_CONFIG_TESTS_CHECKPOINT_WRITER_HPP
#define DEEPSEEK_CONFIG_TESTS_CHECKPOINT_WRITER_HPP

#include <deepseek/json.hpp>
#include <deepseek/tensors.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace checkpoint_writer {

using nlohmann::json;

/// One tensor of a shard as its header names it.
struct Tensor {
    std::string name;
    std::string dtype; ///< "BF16", "F8_E4M3", ...
    std::vector<std::uint64_t> shape;
    std::uint64_t bytes = 0;
};

/// The manifest of `c` as shard tensors (its names, shapes and storage dtypes).
template <class C> std::vector<Tensor> tensors_of(const C& c) {
    std::vector<Tensor> out;
    for (const deepseek::TensorInfo& t : deepseek::tensor_manifest(c)) {
        out.push_back({t.name, std::string(deepseek::safetensors_name(t.dtype)),
                       std::vector<std::uint64_t>(t.shape.dims.begin(), t.shape.dims.begin() + t.shape.rank),
                       t.bytes()});
    }
    return out;
}

/// A checkpoint folder being written: shards by file name, each a list of tensors in order.
struct Checkpoint {
    std::map<std::string, std::vector<Tensor>> shards;
    /// Writes every shard into `dir`: the 8-byte length, the header, and the data as a hole
    /// (`size_change` bytes more or less than the header says for shard `changed`).
    void write(const std::filesystem::path& dir, const std::string& changed = {}, std::int64_t size_change = 0) const {
        std::filesystem::create_directories(dir);
        for (const auto& [file, tensors] : shards) {
            json header = json::object();
            std::uint64_t offset = 0;
            for (const Tensor& t : tensors) {
                header[t.name] = {{"dtype", t.dtype}, {"shape", t.shape}, {"data_offsets", {offset, offset + t.bytes}}};
                offset += t.bytes;
            }
            const std::string text = header.dump();
            std::string bytes(8, '\0');
            for (std::size_t i = 0; i < 8; ++i) bytes[i] = static_cast<char>((text.size() >> (8 * i)) & 0xFF);
            bytes += text;
            const std::filesystem::path path = dir / file;
            {
                std::ofstream out(path, std::ios::binary | std::ios::trunc);
                out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
            }
            std::uint64_t size = bytes.size() + offset;
            if (file == changed) size = static_cast<std::uint64_t>(static_cast<std::int64_t>(size) + size_change);
            std::filesystem::resize_file(path, size); // the data: a hole, never written
        }
    }
    /// The index of these shards: weight_map and metadata.total_size (the tensors' bytes).
    json index() const {
        json map = json::object();
        std::uint64_t total = 0;
        for (const auto& [file, tensors] : shards) {
            for (const Tensor& t : tensors) {
                map[t.name] = file;
                total += t.bytes;
            }
        }
        return {{"metadata", {{"total_size", total}}}, {"weight_map", map}};
    }
};

/// `tensors` in `count` shards named as Hugging Face names them, in order.
inline Checkpoint split(const std::vector<Tensor>& tensors, std::size_t count) {
    Checkpoint c;
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        const std::size_t k = i * count / tensors.size() + 1;
        const std::string n = std::to_string(k), of = std::to_string(count);
        const std::string file = "model-" + std::string(5 - n.size(), '0') + n + "-of-" +
                                 std::string(5 - of.size(), '0') + of + ".safetensors";
        c.shards[file].push_back(tensors[i]);
    }
    return c;
}

inline void write_json(const std::filesystem::path& file, const json& j) {
    std::ofstream out(file, std::ios::trunc);
    out << j.dump(1);
}

} // namespace checkpoint_writer

#endif // DEEPSEEK_CONFIG_TESTS_CHECKPOINT_WRITER_HPP
