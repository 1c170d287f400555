// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// The run-time tensor manifest: every tensor of the released checkpoint with its Hugging Face
// name, shape and storage dtype. It walks `for_each_tensor` of memory.hpp, the same description
// the constexpr counts sum over, so the two cannot disagree. Standard library only.
#ifndef DEEPSEEK_CONFIG_TENSORS_HPP
#define DEEPSEEK_CONFIG_TENSORS_HPP

#include <cstdint>
#include <string>
#include <vector>

#include "memory.hpp"

namespace deepseek {

/// One stored tensor: Hugging Face name, shape, storage dtype, and what it belongs to.
struct TensorInfo {
    std::string name; ///< e.g. "model.layers.3.mlp.experts.17.down_proj.weight"
    Shape shape{};    ///< [out, in] for Linear weights
    Dtype dtype = Dtype::bf16;
    Part part = Part::norm; ///< component (Part::scale for the scales and shapes of quantised weights)
    bool mtp = false;       ///< part of a V3 multi-token-prediction module

    /// Number of elements.
    [[nodiscard]] std::uint64_t elements() const { return shape.elements(); }
    /// Bytes stored: elements x dtype size.
    [[nodiscard]] std::uint64_t bytes() const {
        return detail::checked_mul(elements(), dtype_bits(dtype) / 8, "tensor bytes");
    }
};

inline namespace DEEPSEEK_CONFIG_ABI_NAMESPACE { // it throws an overflow (see overflow.hpp)
/// Every tensor of the released checkpoint (routed experts one by one, FP8 scales, V3 MTP
/// modules, stored buffers, vision encoder), in the order of `for_each_tensor`. Names carry the
/// language model's prefix of a wrapper's checkpoint ("language.model.layers.0...").
template <class C> [[nodiscard]] std::vector<TensorInfo> tensor_manifest(const C& c) {
    detail::require_config<C>();
    std::vector<TensorInfo> out;
    out.reserve(static_cast<std::size_t>(tensor_count(c))); // one allocation for the list
    for_each_tensor(c, [&](const TensorSpec& t) {
        for (std::uint64_t j = 0; j < t.copies; ++j) {
            TensorInfo info;
            info.name.reserve(64);
            info.name.append(t.root); // "language_model." in a Kimi-VL checkpoint
            info.name.append(t.prefix);
            if (t.block != no_block) {
                info.name += std::to_string(t.block);
                info.name += '.';
            }
            if (!t.group.empty()) {
                info.name.append(t.group);
                info.name += std::to_string(j);
                info.name += '.';
            }
            info.name.append(t.suffix);
            if (!t.leaf.empty()) { // "...q_a_proj.weight" -> "...q_a_proj.weight_scale_inv"
                info.name.resize(info.name.size() - std::string_view("weight").size());
                info.name.append(t.leaf);
            }
            info.shape = t.shape;
            info.dtype = storage_dtype(c, t);
            info.part = t.part;
            info.mtp = t.mtp;
            out.push_back(std::move(info));
        }
    });
    return out;
}
} // namespace DEEPSEEK_CONFIG_ABI_NAMESPACE

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_TENSORS_HPP
