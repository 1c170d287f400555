// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// The description of one tensor (name pieces, shape, component, storage class, tensor-parallel
// split) and the emitter the tensor walk describes each tensor with. Standard library only.
#ifndef DEEPSEEK_CONFIG_TENSOR_SPEC_HPP
#define DEEPSEEK_CONFIG_TENSOR_SPEC_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "config.hpp"
#include "dtypes.hpp"
#include "optional.hpp"
#include "overflow.hpp"
#include "wrappers.hpp"

namespace deepseek {

/// The component a tensor belongs to (the fields of ParamBreakdown). `buffer` marks stored
/// buffers (Kimi's rotary `inv_freq`, DeepSeek-V4's token-to-expert table `tid2eid`) and `scale`
/// the scales of quantised weights: neither is a parameter; `scale` stays last.
enum class Part {
    embedding,
    lm_head,
    attention,
    norm,
    dense_mlp,
    router,
    routed_experts,
    shared_experts,
    vision,
    mtp_projection,
    indexer,
    hyper_connections, ///< DeepSeek-V4's mHC mixing weights (hc_*)
    buffer,
    scale
};
/// The number of Parts.
inline constexpr std::size_t part_count = static_cast<std::size_t>(Part::scale) + 1;

template <> struct enum_table<Part> {
    static constexpr std::array<EnumEntry<Part>, part_count> entries{{
        {Part::embedding, "embedding"},
        {Part::lm_head, "lm_head"},
        {Part::attention, "attention"},
        {Part::norm, "norms"},
        {Part::dense_mlp, "dense_mlp"},
        {Part::router, "router"},
        {Part::routed_experts, "routed_experts"},
        {Part::shared_experts, "shared_experts"},
        {Part::vision, "vision"},
        {Part::mtp_projection, "mtp_projection"},
        {Part::indexer, "indexer"},
        {Part::hyper_connections, "hyper_connections"},
        {Part::buffer, "buffers"},
        {Part::scale, "scales"},
    }};
};

/// How a tensor is stored: at the checkpoint dtype (`model`), always float32 (`fp32`: the
/// noaux_tc router bias, the FP8 and NVFP4 global scales), in DeepSeek's FP8
/// (`fp8_linear`: quantization_config.fmt), or in one fixed storage type of a quantised
/// format: `uint8` (two NVFP4 values per byte), `fp8_e4m3` (NVFP4 block scales), `int32`
/// (eight INT4 values per word), `int64` (compressed-tensors' weight_shape, DeepSeek-V4's
/// tid2eid), `int8` (DeepSeek-V4's FP4 experts, two values per byte), `fp8_e8m0` (DeepSeek-V4's
/// 1-byte block scales).
enum class Storage { model, fp32, fp8_linear, uint8, fp8_e4m3, int32, int64, int8, fp8_e8m0 };
/// The number of storage classes.
inline constexpr std::size_t storage_count = static_cast<std::size_t>(Storage::fp8_e8m0) + 1;

/// How DeepSeek's V3 inference code splits a tensor over tensor-parallel ranks: `replicated`,
/// `rows` (dim 0 / tp: column-parallel weights, embedding, head), `cols` (dim 1 / tp:
/// row-parallel weights), `experts` (copies / tp: routed experts by expert index).
enum class Split { replicated, rows, cols, experts };

/// A tensor shape, at most 4 dims.
struct Shape {
    std::array<std::uint64_t, 4> dims{};
    std::size_t rank = 0;

    /// Number of elements (checked).
    [[nodiscard]] constexpr std::uint64_t elements() const {
        if (rank == 2) return detail::checked_mul(dims[0], dims[1], "tensor elements"); // most tensors
        std::uint64_t n = 1;
        for (std::size_t i = 0; i < rank; ++i) n = detail::checked_mul(n, dims[i], "tensor elements");
        return n;
    }
};

/// Marks a tensor that belongs to no numbered block.
inline constexpr std::uint64_t no_block = detail::u64_max;

/// One tensor (or `copies` identical tensors, the routed experts) of a checkpoint. Its name is
/// prefix + [block + "."] + [group + copy index + "."] + suffix, e.g. "model.layers." 3 "."
/// "mlp.experts." 17 "." "down_proj.weight"; a tensor that a quantised Linear stores beside or
/// instead of its weight has a `leaf` that replaces the suffix's last word "weight"
/// ("weight_scale_inv", "weight_packed", "input_scale", ...).
struct TensorSpec {
    /// The language model's prefix in a wrapper's checkpoint ("language.", "language_model.";
    /// see language_model_prefix), written before `prefix`; "" for every other tensor.
    std::string_view root{};
    std::string_view prefix{};
    std::uint64_t block = no_block;
    std::string_view group{};
    std::uint64_t copies = 1;
    std::string_view suffix{};
    Shape shape{};
    Part part = Part::norm;
    /// The component the tensor's bytes belong to: `part`, except for a scale, whose owner is the
    /// part of the weight it scales (the routed experts' scales are the routed experts' bytes).
    Part owner = Part::norm;
    Storage storage = Storage::model;
    Split split = Split::replicated;
    std::string_view leaf{}; ///< replaces the suffix's final "weight" when set
    /// Parameters per stored element: 2 for NVFP4's packed bytes, 8 for INT4's packed words.
    std::uint64_t packing = 1;
    bool mtp = false; ///< every layer it stands for is a multi-token-prediction module (V3 layers >= L)
    /// Identical decoder layers this spec stands for: 1 from `for_each_tensor`; the sums visit a
    /// run of layers alike for one part of a layer (attention, MLP) once, with `layers` its length.
    std::uint64_t layers = 1;
    /// How many of `layers` are MTP modules: `layers` when `mtp`, 0 for the main model's. A run
    /// of the sums may hold both (V3's MTP module has the main MoE layers' attention and MLP).
    std::uint64_t mtp_layers = 0;

    /// Elements of all copies in all layers it stands for (checked).
    [[nodiscard]] constexpr std::uint64_t elements() const {
        return detail::checked_mul(detail::checked_mul(shape.elements(), copies, "tensor elements"), layers,
                                   "tensor elements");
    }
    /// Of `n`, a count over all the layers this spec stands for (elements, or one rank's share of
    /// them), the part in MTP modules.
    [[nodiscard]] constexpr std::uint64_t mtp_share(std::uint64_t n) const noexcept {
        return mtp_layers == 0 ? 0 : mtp_layers == layers ? n : n / layers * mtp_layers;
    }
};

namespace detail {

/// The elements of `t` held by one of `tp` ranks, or nullopt when tp does not divide the split.
constexpr Optional<std::uint64_t> rank_elements(const TensorSpec& t, std::uint64_t tp) {
    Shape s = t.shape;
    std::uint64_t copies = t.copies;
    switch (t.split) {
    case Split::replicated: break;
    case Split::rows:
        if (s.rank < 1 || s.dims[0] % tp != 0) return std::nullopt;
        s.dims[0] /= tp;
        break;
    case Split::cols:
        if (s.rank < 2 || s.dims[1] % tp != 0) return std::nullopt;
        s.dims[1] /= tp;
        break;
    case Split::experts:
        if (copies % tp != 0) return std::nullopt;
        copies /= tp;
        break;
    }
    return checked_mul(checked_mul(s.elements(), copies, "tensor elements"), t.layers, "tensor elements");
}

/// For the per-rank sums: sets `n` (t.elements() on entry) to what one of `tp` ranks holds of
/// `t`. False when tp does not divide the tensor, which sets `error`; once it is set, every
/// later tensor is skipped too. At tp 1 there is nothing to split.
constexpr bool rank_share(const TensorSpec& t, std::uint64_t tp, MemoryError& error, std::uint64_t& n) {
    if (tp == 1) return true;
    if (error != MemoryError::none) return false;
    const auto held = rank_elements(t, tp);
    if (!held) {
        error = MemoryError::tp_does_not_divide;
        return false;
    }
    n = *held;
    return true;
}

template <class C> constexpr void require_config() noexcept {
    static_assert(is_config_v<C>, "deepseek memory helpers take a DeepSeek config type (DeepseekV2Config, "
                                  "DeepseekOCRConfig, DeepseekOCR2Config or DeepseekV3Config)");
}

/// The parts of a decoder layer, visited together (a layer's tensors in order) or apart (the
/// sums' runs of alike layers differ for each).
enum LayerParts : unsigned { attention_part = 1, mlp_part = 2, mtp_part = 4, all_parts = 7 };

constexpr Shape shape1(std::uint64_t a) noexcept { return Shape{{a, 0, 0, 0}, 1}; }
constexpr Shape shape2(std::uint64_t a, std::uint64_t b) noexcept { return Shape{{a, b, 0, 0}, 2}; }
constexpr Shape shape4(std::uint64_t a, std::uint64_t b, std::uint64_t c, std::uint64_t d) noexcept {
    return Shape{{a, b, c, d}, 4};
}

/// Whether `c`'s quantization_config is DeepSeek's own FP8 (quant_method fp8; V3 and V4 families).
template <class C> constexpr bool uses_deepseek_fp8(const C& c) noexcept {
    if constexpr (std::is_base_of_v<DeepseekV3Config, C> || std::is_same_v<C, DeepseekV4Config>) {
        return c.quantization_config && c.quantization_config->quant_method == QuantMethod::fp8;
    } else {
        (void)c;
        return false;
    }
}

/// How the checkpoint stores its Linear weights, or nullopt when they are all at the model dtype
/// (also for a method not modelled: see quantization_modelled): weight_quantization when the
/// JSON layer set it, else DeepSeek's FP8 from quantization_config. (A copy, not a pointer into
/// the config: g++'s UBSan instruments a null test of such a pointer, which then is no constant
/// expression.)
template <class C> constexpr Optional<WeightQuantization> quantization_of(const C& c) noexcept {
    if constexpr (std::is_base_of_v<DeepseekV3Config, C>) {
        if (c.weight_quantization) return c.weight_quantization;
        if (uses_deepseek_fp8(c))
            return fp8_block_quantization(c.quantization_config->weight_block_size, c.quantization_config->fmt);
        return std::nullopt;
    } else {
        (void)c;
        return std::nullopt;
    }
}
/// DeepSeek's FP8 as the V3, R1 and V3.2 checkpoints have it (128 x 128 blocks of e4m3).
inline constexpr Optional<WeightQuantization> deepseek_fp8_blocks = fp8_block_quantization({128, 128}, Fp8Format::e4m3);

/// The quantisation a walk reads (quantization_of), not copied where it exists already: the
/// config's weight_quantization, or deepseek_fp8_blocks; any other is built in `own`.
template <class C>
constexpr const Optional<WeightQuantization>& walk_quantization(const C& c, Optional<WeightQuantization>& own) {
    if constexpr (std::is_base_of_v<DeepseekV3Config, C>) {
        if (c.weight_quantization) return c.weight_quantization;
        const auto& q = c.quantization_config;
        if (uses_deepseek_fp8(c) && q->fmt == Fp8Format::e4m3 && q->weight_block_size[0] == 128 &&
            q->weight_block_size[1] == 128)
            return deepseek_fp8_blocks;
    }
    own = quantization_of(c);
    return own;
}
template <class C> constexpr std::uint64_t mtp_layers_of(const C& c) noexcept {
    if constexpr (std::is_same_v<C, DeepseekV4Config>) {
        return c.dspark ? 0 : c.num_nextn_predict_layers; // DSpark's draft module is not modelled
    } else if constexpr (std::is_same_v<C, KimiVLConfig>) {
        (void)c;
        return 0; // Kimi-VL's code builds no MTP module and its checkpoint stores none
    } else if constexpr (std::is_base_of_v<DeepseekV3Config, C>) {
        return c.num_nextn_predict_layers;
    } else {
        (void)c;
        return 0;
    }
}
constexpr std::uint64_t value_or_zero(const Optional<std::uint64_t>& v) noexcept { return v ? *v : 0; }
/// A field that is always set (V3's kv_lora_rank) as itself.
constexpr std::uint64_t value_or_zero(std::uint64_t v) noexcept { return v; }

/// Calls the visitor with the tensors of one scope (a decoder layer, a vision block, the model
/// root). `linear` adds the FP8 scale tensor next to a quantised Linear weight.
/// The fields a scope shares (prefix, block, mtp, layers) are set once, in `spec`; each tensor
/// then writes only its own fields there. Building a whole TensorSpec per tensor instead was the
/// larger part of the cost of a summed walk (make_report).
/// The quantisation of a scope whose Linear layers are never quantised (the vision towers).
inline constexpr Optional<WeightQuantization> no_quantization{};

template <class V> struct Emitter {
    V& visit;
    /// Unset: no Linear is quantised. A reference to the walk's one copy (it is large: copying
    /// it into every scope cost more than the FP8 checks of a summed walk).
    const Optional<WeightQuantization>& quant;
    TensorSpec spec{}; ///< the tensor being visited

    /// `layers`: identical blocks this scope stands for (TensorSpec::layers).
    constexpr Emitter(V& v, const Optional<WeightQuantization>& q, std::string_view prefix, std::uint64_t block,
                      bool mtp, std::uint64_t layers = 1)
        : visit(v), quant(q) {
        scope(prefix, block, mtp, layers, mtp ? layers : 0);
    }
    /// Moves to another scope (TensorSpec's fields of the same names); each tensor writes the rest.
    constexpr void scope(std::string_view prefix, std::uint64_t block, bool mtp, std::uint64_t layers,
                         std::uint64_t mtp_layers) {
        spec.prefix = prefix;
        spec.block = block;
        spec.mtp = mtp;
        spec.layers = layers;
        spec.mtp_layers = mtp_layers;
    }

    /// Visits `spec` (its name set by the caller) with this shape and storage.
    constexpr void emit(Shape s, Part p, Split split, Storage st, std::string_view leaf, std::uint64_t packing) {
        spec.shape = s;
        spec.part = p;
        if (p != Part::scale) spec.owner = p; // a scale follows its weight: its owner stays the weight's part
        spec.split = split;
        spec.storage = st;
        spec.leaf = leaf;
        spec.packing = packing;
        visit(static_cast<const TensorSpec&>(spec)); // read-only, valid during the call
    }
    constexpr void tensor(std::string_view suffix, Shape s, Part p, Split split = Split::replicated,
                          Storage st = Storage::model, std::string_view group = {}, std::uint64_t copies = 1) {
        spec.group = group;
        spec.copies = copies;
        spec.suffix = suffix;
        emit(s, p, split, st, {}, 1);
    }
    /// The weight [out, in] of a Linear of kind `kind` (named as linear_names says): at the
    /// model dtype unless the checkpoint's quantisation covers the kind in this block, then as the
    /// format stores it. A scale is split like its weight; a scalar is held by every rank.
    constexpr void linear(LinearKind kind, std::uint64_t out, std::uint64_t in, Part p, Split split,
                          std::uint64_t copies = 1) {
        const LinearName& name = linear_name(kind);
        spec.group = name.group; // what every stored tensor of this Linear shares, set once
        spec.suffix = name.weight;
        spec.copies = copies;
        const std::uint64_t index = spec.block == no_block ? 0 : spec.block;
        if (!quant || !quant->quantizes(kind, index)) {
            emit(shape2(out, in), p, split, Storage::model, {}, 1);
            return;
        }
        stored_as(*quant, out, in, p, split);
    }
    /// The tensors format `q` stores for a Linear [out, in] it quantises (the name in `spec`, set
    /// by the caller). A scale is split like its weight; a scalar is held by every rank.
    constexpr void stored_as(const WeightQuantization& q, std::uint64_t out, std::uint64_t in, Part p, Split split) {
        const auto& b = q.block;
        switch (q.format) {
        case WeightFormat::fp8_block:
            emit(shape2(out, in), p, split, Storage::fp8_linear, {}, 1);
            emit(shape2(ceil_div(out, b[0]), ceil_div(in, b[1])), Part::scale, split, Storage::fp32, "weight_scale_inv",
                 1);
            break;
        case WeightFormat::nvfp4:
            emit(shape2(out, ceil_div(in, 2)), p, split, Storage::uint8, {}, 2);
            emit(shape2(out, ceil_div(in, b[1])), Part::scale, split, Storage::fp8_e4m3, "weight_scale", 1);
            emit(Shape{}, Part::scale, Split::replicated, Storage::fp32, "weight_scale_2", 1);
            if (q.input_scale) emit(Shape{}, Part::scale, Split::replicated, Storage::fp32, "input_scale", 1);
            break;
        case WeightFormat::int4_pack:
            emit(shape2(out, ceil_div(in, 8)), p, split, Storage::int32, "weight_packed", 8);
            emit(shape2(out, ceil_div(in, b[1])), Part::scale, split, Storage::model, "weight_scale", 1);
            emit(shape1(2), Part::scale, Split::replicated, Storage::int64, "weight_shape", 1);
            break;
        }
    }
};

} // namespace detail

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_TENSOR_SPEC_HPP
