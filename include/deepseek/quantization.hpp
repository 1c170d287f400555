// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// Quantisation formats as data: what a checkpoint stores for each Linear weight (DeepSeek's FP8
// blocks, ModelOpt NVFP4, compressed-tensors INT4), and which Linear weights a quantisation
// leaves at the model's dtype. The tensor walk reads this; the JSON layer fills it from a
// config's `quantization_config` or a model folder's `hf_quant_config.json`. Standard library
// only.
#ifndef DEEPSEEK_CONFIG_QUANTIZATION_HPP
#define DEEPSEEK_CONFIG_QUANTIZATION_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "enums.hpp"

namespace deepseek {

/// How a quantised Linear weight [out, in] is stored.
enum class WeightFormat {
    /// DeepSeek's FP8 (V3, R1, V3.2): `weight` FP8 [out, in] and a float32 `weight_scale_inv`
    /// [ceil(out/b0), ceil(in/b1)] per block of b0 x b1.
    fp8_block,
    /// ModelOpt NVFP4: `weight` U8 [out, in/2] (two FP4 values per byte), `weight_scale` FP8 e4m3
    /// [out, in/16], `weight_scale_2` float32 [] and, for W4A4, `input_scale` float32 [].
    nvfp4,
    /// compressed-tensors `pack-quantized` INT4, symmetric, by groups of g along `in`:
    /// `weight_packed` I32 [out, in/8], `weight_scale` at the model dtype [out, ceil(in/g)],
    /// `weight_shape` I64 [2].
    int4_pack,
};

/// Where the quantisation was described.
enum class QuantSource {
    quantization_config, ///< `quantization_config` in config.json
    hf_quant_config,     ///< ModelOpt's `hf_quant_config.json` beside config.json
};

template <> struct enum_table<WeightFormat> {
    static constexpr std::array<EnumEntry<WeightFormat>, 3> entries{{
        {WeightFormat::fp8_block, "fp8_block"},
        {WeightFormat::nvfp4, "nvfp4"},
        {WeightFormat::int4_pack, "int4_pack"},
    }};
};
template <> struct enum_table<QuantSource> {
    static constexpr std::array<EnumEntry<QuantSource>, 2> entries{{
        {QuantSource::quantization_config, "quantization_config"},
        {QuantSource::hf_quant_config, "hf_quant_config.json"},
    }};
};

/// The Linear layers of the language model that a quantisation can target (`nn.Linear` in the
/// model code: the MoE router and the embedding are not Linear layers).
enum class LinearKind : std::uint8_t {
    q_proj,
    q_a_proj,
    q_b_proj,
    kv_a_proj,
    kv_b_proj,
    o_proj,
    k_proj,
    v_proj,
    mlp_gate,
    mlp_up,
    mlp_down,
    shared_gate,
    shared_up,
    shared_down,
    expert_gate,
    expert_up,
    expert_down,
    indexer_wq_b,
    indexer_wk,
    indexer_weights_proj,
    eh_proj,
    mtp_head,
    lm_head,
};
inline constexpr std::size_t linear_kind_count = static_cast<std::size_t>(LinearKind::lm_head) + 1;

/// One Linear kind's module name inside a decoder layer (or at the root, for lm_head): the
/// experts' are `group` + expert index + "." + `module`. The one place these names are written:
/// the tensor walk names each Linear's weight `weight`, and the quantisation's module patterns
/// are matched against `module`.
struct LinearName {
    LinearKind kind;
    std::string_view group;
    std::string_view module;
    std::string_view weight; ///< the weight's name: module + ".weight"
};
inline constexpr std::array<LinearName, linear_kind_count> linear_names{{
    {LinearKind::q_proj, {}, "self_attn.q_proj", "self_attn.q_proj.weight"},
    {LinearKind::q_a_proj, {}, "self_attn.q_a_proj", "self_attn.q_a_proj.weight"},
    {LinearKind::q_b_proj, {}, "self_attn.q_b_proj", "self_attn.q_b_proj.weight"},
    {LinearKind::kv_a_proj, {}, "self_attn.kv_a_proj_with_mqa", "self_attn.kv_a_proj_with_mqa.weight"},
    {LinearKind::kv_b_proj, {}, "self_attn.kv_b_proj", "self_attn.kv_b_proj.weight"},
    {LinearKind::o_proj, {}, "self_attn.o_proj", "self_attn.o_proj.weight"},
    {LinearKind::k_proj, {}, "self_attn.k_proj", "self_attn.k_proj.weight"},
    {LinearKind::v_proj, {}, "self_attn.v_proj", "self_attn.v_proj.weight"},
    {LinearKind::mlp_gate, {}, "mlp.gate_proj", "mlp.gate_proj.weight"},
    {LinearKind::mlp_up, {}, "mlp.up_proj", "mlp.up_proj.weight"},
    {LinearKind::mlp_down, {}, "mlp.down_proj", "mlp.down_proj.weight"},
    {LinearKind::shared_gate, {}, "mlp.shared_experts.gate_proj", "mlp.shared_experts.gate_proj.weight"},
    {LinearKind::shared_up, {}, "mlp.shared_experts.up_proj", "mlp.shared_experts.up_proj.weight"},
    {LinearKind::shared_down, {}, "mlp.shared_experts.down_proj", "mlp.shared_experts.down_proj.weight"},
    {LinearKind::expert_gate, "mlp.experts.", "gate_proj", "gate_proj.weight"},
    {LinearKind::expert_up, "mlp.experts.", "up_proj", "up_proj.weight"},
    {LinearKind::expert_down, "mlp.experts.", "down_proj", "down_proj.weight"},
    {LinearKind::indexer_wq_b, {}, "self_attn.indexer.wq_b", "self_attn.indexer.wq_b.weight"},
    {LinearKind::indexer_wk, {}, "self_attn.indexer.wk", "self_attn.indexer.wk.weight"},
    {LinearKind::indexer_weights_proj, {}, "self_attn.indexer.weights_proj", "self_attn.indexer.weights_proj.weight"},
    {LinearKind::eh_proj, {}, "eh_proj", "eh_proj.weight"},
    {LinearKind::mtp_head, {}, "shared_head.head", "shared_head.head.weight"},
    {LinearKind::lm_head, {}, "lm_head", "lm_head.weight"},
}};

/// The names of a Linear kind (the table is in the order of the enum).
[[nodiscard]] constexpr const LinearName& linear_name(LinearKind kind) noexcept {
    return linear_names[static_cast<std::size_t>(kind)];
}

namespace detail {
constexpr bool linear_names_in_order() noexcept {
    for (std::size_t i = 0; i < linear_names.size(); ++i) {
        if (static_cast<std::size_t>(linear_names[i].kind) != i) return false;
    }
    return true;
}
} // namespace detail
static_assert(detail::linear_names_in_order(), "linear_names must list the kinds in the order of LinearKind");

/// A set of layer indices: every index, or some below `capacity` (the root's lm_head is index 0
/// of its own set). A quantisation whose exclusions name layers at or above the capacity is not
/// modelled (the JSON layer refuses it).
struct LayerSet {
    static constexpr std::uint64_t capacity = 256;
    bool all = false;
    std::array<std::uint64_t, capacity / 64> words{};

    constexpr void insert(std::uint64_t i) noexcept {
        if (i < capacity) words[static_cast<std::size_t>(i / 64)] |= std::uint64_t{1} << (i % 64);
    }
    /// Inserts 0, 1, ..., n - 1 (those below the capacity).
    constexpr void insert_below(std::uint64_t n) noexcept {
        for (std::size_t w = 0; w < words.size() && n > 64 * w; ++w)
            words[w] |= n - 64 * w >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << (n - 64 * w)) - 1;
    }
    /// The first index in (i, stop) whose membership differs from i's; `stop` when none does. Read
    /// a word at a time (a run of 61 layers is one or two words).
    [[nodiscard]] constexpr std::uint64_t same_until(std::uint64_t i, std::uint64_t stop) const noexcept {
        if (all || i >= capacity) return stop; // every index alike: all in, or (at capacity) none
        const bool here = contains(i);
        for (std::uint64_t j = i + 1; j < stop && j < capacity;) {
            const std::uint64_t shift = j % 64, width = 64 - shift;
            std::uint64_t differ = words[static_cast<std::size_t>(j / 64)] >> shift; // j's bit first
            if (here) differ = ~differ;
            if (width < 64) differ &= (std::uint64_t{1} << width) - 1; // this word's bits only
            if (differ != 0) {
                while ((differ & 1U) == 0) differ >>= 1, ++j;
                return j < stop ? j : stop;
            }
            j += width;
        }
        return here && capacity < stop ? capacity : stop; // none at or above the capacity
    }
    [[nodiscard]] constexpr bool contains(std::uint64_t i) const noexcept {
        return all || (i < capacity && ((words[static_cast<std::size_t>(i / 64)] >> (i % 64)) & 1U) != 0);
    }
    friend constexpr bool operator==(const LayerSet& a, const LayerSet& b) noexcept {
        if (a.all != b.all) return false;
        for (std::size_t i = 0; i < a.words.size(); ++i) {
            if (a.words[i] != b.words[i]) return false;
        }
        return true;
    }
};

/// How the checkpoint stores its Linear weights: the format, and the Linear layers it leaves at
/// the model's dtype (`kept`, by kind and layer index; lm_head at index 0). Derived from the
/// files, not a key of config.json.
struct WeightQuantization {
    WeightFormat format = WeightFormat::fp8_block;
    QuantSource source = QuantSource::quantization_config;
    /// fp8_block: the block [rows, cols] of one scale; nvfp4 and int4_pack: {1, group size}.
    std::array<std::uint64_t, 2> block{128, 128};
    Fp8Format fp8 = Fp8Format::e4m3; ///< fp8_block: the element format
    bool input_scale = false;        ///< nvfp4: a W4A4 checkpoint also stores `input_scale`
    std::array<LayerSet, linear_kind_count> kept{};

    [[nodiscard]] constexpr bool quantizes(LinearKind kind, std::uint64_t layer) const noexcept {
        return !kept[static_cast<std::size_t>(kind)].contains(layer);
    }
    constexpr void keep(LinearKind kind, std::uint64_t layer) noexcept {
        kept[static_cast<std::size_t>(kind)].insert(layer);
    }
    /// Keeps `kind` in layers 0 to `layers` - 1.
    constexpr void keep_layers(LinearKind kind, std::uint64_t layers) noexcept {
        kept[static_cast<std::size_t>(kind)].insert_below(layers);
    }
    constexpr void keep_all(LinearKind kind) noexcept { kept[static_cast<std::size_t>(kind)].all = true; }
    /// The first layer after `index`, below `stop`, whose Linear layers this quantisation treats
    /// otherwise than layer `index`'s; `stop` when there is none (the tensor walk's runs of
    /// identical layers end there).
    [[nodiscard]] constexpr std::uint64_t alike_until(std::uint64_t index, std::uint64_t stop) const noexcept {
        for (const LayerSet& set : kept) stop = set.same_until(index, stop);
        return stop;
    }

    friend constexpr bool operator==(const WeightQuantization& a, const WeightQuantization& b) noexcept {
        if (a.format != b.format || a.source != b.source || a.block[0] != b.block[0] || a.block[1] != b.block[1] ||
            a.fp8 != b.fp8 || a.input_scale != b.input_scale)
            return false;
        for (std::size_t i = 0; i < linear_kind_count; ++i) {
            if (!(a.kept[i] == b.kept[i])) return false;
        }
        return true;
    }
    friend constexpr bool operator!=(const WeightQuantization& a, const WeightQuantization& b) noexcept {
        return !(a == b);
    }
};

/// DeepSeek's FP8: every Linear of a decoder layer but the indexer's weights_proj, FP8 in blocks;
/// the output heads (lm_head, the MTP shared head) and the MTP eh_proj stay at the model dtype.
[[nodiscard]] constexpr WeightQuantization fp8_block_quantization(std::array<std::uint64_t, 2> block,
                                                                  Fp8Format fmt) noexcept {
    WeightQuantization q{};
    q.format = WeightFormat::fp8_block;
    q.block = block;
    q.fp8 = fmt;
    for (const LinearKind k :
         {LinearKind::indexer_weights_proj, LinearKind::eh_proj, LinearKind::mtp_head, LinearKind::lm_head})
        q.keep_all(k);
    return q;
}

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_QUANTIZATION_HPP
