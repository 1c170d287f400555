// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// The closed string sets of config files (hidden_act, topk_method, dtypes, ...) as enums, each
// with an explicit string table. Standard library only.
#ifndef DEEPSEEK_CONFIG_ENUMS_HPP
#define DEEPSEEK_CONFIG_ENUMS_HPP

#include <array>
#include <string_view>

#include "optional.hpp"

namespace deepseek {

// ---------------------------------------------------------------------------------------------
// Closed string sets: enums with explicit string tables.
// ---------------------------------------------------------------------------------------------

/// `hidden_act`: the activation of the MLPs (every released DeepSeek model uses `silu`). `other`
/// is any name outside the table: it loads (no figure depends on the activation), its text stays
/// in the Document's extra keys, and it is saved back unchanged.
enum class HiddenAct { silu, swish, gelu, gelu_new, gelu_pytorch_tanh, quick_gelu, relu, tanh, other };

/// `topk_method`: how the MoE gate picks experts. `gready` is upstream's misspelled default in
/// DeepSeek's V2 config class; DeepSeek's gate matches no branch for it.
enum class TopkMethod { gready, greedy, group_limited_greedy, noaux_tc };

/// `scoring_func`: how the MoE gate scores experts (`sqrtsoftplus`: DeepSeek-V4's sqrt(softplus(x))).
enum class ScoringFunc { softmax, sigmoid, sqrtsoftplus };

/// `rope_scaling.type`: the RoPE scaling strategy.
enum class RopeType { linear, dynamic, yarn };

/// `torch_dtype` (or `dtype` in newer files): the dtype the checkpoint was saved in.
enum class TorchDtype { float32, float16, bfloat16 };

/// `quantization_config.quant_method`. `fp8` is DeepSeek's FP8 block quantisation, read into the
/// typed fields. For `modelopt` and `compressed_tensors` the whole `quantization_config` object
/// stays in the Document's extra keys (saved back unchanged) and the JSON layer reads the formats
/// it knows into `weight_quantization` (ModelOpt NVFP4, compressed-tensors pack-quantized INT4).
/// `other` is any other method (AWQ, GPTQ, ...): kept the same way, and the figures that depend
/// on the stored bytes say they are not modelled (`quantization_modelled`).
enum class QuantMethod { fp8, modelopt, compressed_tensors, other };

/// `quantization_config.fmt`: the FP8 element format.
enum class Fp8Format { e4m3, e5m2 };

/// `quantization_config.activation_scheme`.
enum class ActivationScheme { dynamic, static_ };

/// `quantization_config.scale_fmt` (DeepSeek-V3.2): the format of the block scales.
enum class ScaleFormat { ue8m0 };

/// `layer_types` (DeepSeek-V4, as transformers writes it): the attention of one decoder layer.
/// `sliding_attention` attends to a 128-token window only (compress ratio 0);
/// `compressed_sparse_attention` adds overlapping compressed entries picked by an indexer (ratio
/// compress_rates.compressed_sparse_attention, 4); `heavily_compressed_attention` adds
/// non-overlapping compressed entries, all attended (ratio 128).
enum class LayerAttention { sliding_attention, compressed_sparse_attention, heavily_compressed_attention };

/// `mlp_layer_types` (DeepSeek-V4, as transformers writes it): `hash_moe` routes each token by a
/// fixed token-to-expert table (`tid2eid`), `moe` by the learned gate.
enum class MlpLayerType { hash_moe, moe };

/// `expert_dtype` (DeepSeek-V4): how the routed experts are stored. A missing key means `fp4`, as
/// vLLM reads it (FP4 e2m1, two per byte, with a 1-byte UE8M0 scale per 32 inputs); `fp8`
/// is the -Base checkpoints' FP8 in 128 x 128 blocks.
enum class ExpertDtype { fp4, fp8 };

/// `rope_parameters.main.rope_type` / `.compress.rope_type` (DeepSeek-V4 as transformers writes
/// it). `other` is any other type transformers knows: kept as read (no figure depends on it).
enum class RopeParametersType { default_, linear, dynamic, yarn, other };

/// `tile_tag` (DeepSeek-OCR / VL2): how image tiles are laid out in the token stream.
enum class TileTag { one_d, two_d };

/// `global_view_pos` (DeepSeek-OCR / VL2): where the global view goes relative to the tiles.
enum class GlobalViewPos { head, tail };

/// `projector_config.projector_type` (DeepSeek-OCR / VL2).
enum class ProjectorType { identity, linear, mlp_gelu, downsample_mlp_gelu };

/// `vision_config.model_name` (DeepSeek-OCR: `deeplip_b_l`; DeepSeek-OCR-2: `deepencoderv2`;
/// DeepSeek-VL2: `siglip_so400m_patch14_384`, its class default `siglip_large_patch16_384`).
enum class VisionModelName { deeplip_b_l, deepencoderv2, siglip_so400m_patch14_384, siglip_large_patch16_384 };

/// One row of an enum's string table. (A plain aggregate, not std::pair: std::pair's
/// constructors cost compile time in every translation unit that includes this header.)
template <class E> struct EnumEntry {
    E first;
    std::string_view second;
};

/// The string table of an enum: `enum_table<E>::entries` pairs each value with its JSON text.
template <class E> struct enum_table;

template <> struct enum_table<HiddenAct> {
    static constexpr std::array<EnumEntry<HiddenAct>, 8> entries{{
        {HiddenAct::silu, "silu"},
        {HiddenAct::swish, "swish"},
        {HiddenAct::gelu, "gelu"},
        {HiddenAct::gelu_new, "gelu_new"},
        {HiddenAct::gelu_pytorch_tanh, "gelu_pytorch_tanh"},
        {HiddenAct::quick_gelu, "quick_gelu"},
        {HiddenAct::relu, "relu"},
        {HiddenAct::tanh, "tanh"},
    }};
};
template <> struct enum_table<TopkMethod> {
    static constexpr std::array<EnumEntry<TopkMethod>, 4> entries{{
        {TopkMethod::gready, "gready"},
        {TopkMethod::greedy, "greedy"},
        {TopkMethod::group_limited_greedy, "group_limited_greedy"},
        {TopkMethod::noaux_tc, "noaux_tc"},
    }};
};
template <> struct enum_table<ScoringFunc> {
    static constexpr std::array<EnumEntry<ScoringFunc>, 3> entries{{
        {ScoringFunc::softmax, "softmax"},
        {ScoringFunc::sigmoid, "sigmoid"},
        {ScoringFunc::sqrtsoftplus, "sqrtsoftplus"},
    }};
};
template <> struct enum_table<RopeType> {
    static constexpr std::array<EnumEntry<RopeType>, 3> entries{{
        {RopeType::linear, "linear"},
        {RopeType::dynamic, "dynamic"},
        {RopeType::yarn, "yarn"},
    }};
};
template <> struct enum_table<TorchDtype> {
    static constexpr std::array<EnumEntry<TorchDtype>, 3> entries{{
        {TorchDtype::float32, "float32"},
        {TorchDtype::float16, "float16"},
        {TorchDtype::bfloat16, "bfloat16"},
    }};
};
template <> struct enum_table<QuantMethod> {
    static constexpr std::array<EnumEntry<QuantMethod>, 3> entries{{
        {QuantMethod::fp8, "fp8"},
        {QuantMethod::modelopt, "modelopt"},
        {QuantMethod::compressed_tensors, "compressed-tensors"},
    }};
};
template <> struct enum_table<Fp8Format> {
    static constexpr std::array<EnumEntry<Fp8Format>, 2> entries{{
        {Fp8Format::e4m3, "e4m3"},
        {Fp8Format::e5m2, "e5m2"},
    }};
};
template <> struct enum_table<ActivationScheme> {
    static constexpr std::array<EnumEntry<ActivationScheme>, 2> entries{{
        {ActivationScheme::dynamic, "dynamic"},
        {ActivationScheme::static_, "static"},
    }};
};
template <> struct enum_table<ScaleFormat> {
    static constexpr std::array<EnumEntry<ScaleFormat>, 1> entries{{
        {ScaleFormat::ue8m0, "ue8m0"},
    }};
};
template <> struct enum_table<LayerAttention> {
    static constexpr std::array<EnumEntry<LayerAttention>, 3> entries{{
        {LayerAttention::sliding_attention, "sliding_attention"},
        {LayerAttention::compressed_sparse_attention, "compressed_sparse_attention"},
        {LayerAttention::heavily_compressed_attention, "heavily_compressed_attention"},
    }};
};
template <> struct enum_table<MlpLayerType> {
    static constexpr std::array<EnumEntry<MlpLayerType>, 2> entries{{
        {MlpLayerType::hash_moe, "hash_moe"},
        {MlpLayerType::moe, "moe"},
    }};
};
template <> struct enum_table<ExpertDtype> {
    static constexpr std::array<EnumEntry<ExpertDtype>, 2> entries{{
        {ExpertDtype::fp4, "fp4"},
        {ExpertDtype::fp8, "fp8"},
    }};
};
template <> struct enum_table<RopeParametersType> {
    static constexpr std::array<EnumEntry<RopeParametersType>, 4> entries{{
        {RopeParametersType::default_, "default"},
        {RopeParametersType::linear, "linear"},
        {RopeParametersType::dynamic, "dynamic"},
        {RopeParametersType::yarn, "yarn"},
    }};
};
template <> struct enum_table<TileTag> {
    static constexpr std::array<EnumEntry<TileTag>, 2> entries{{
        {TileTag::one_d, "1D"},
        {TileTag::two_d, "2D"},
    }};
};
template <> struct enum_table<GlobalViewPos> {
    static constexpr std::array<EnumEntry<GlobalViewPos>, 2> entries{{
        {GlobalViewPos::head, "head"},
        {GlobalViewPos::tail, "tail"},
    }};
};
template <> struct enum_table<ProjectorType> {
    static constexpr std::array<EnumEntry<ProjectorType>, 4> entries{{
        {ProjectorType::identity, "identity"},
        {ProjectorType::linear, "linear"},
        {ProjectorType::mlp_gelu, "mlp_gelu"},
        {ProjectorType::downsample_mlp_gelu, "downsample_mlp_gelu"},
    }};
};
template <> struct enum_table<VisionModelName> {
    static constexpr std::array<EnumEntry<VisionModelName>, 4> entries{{
        {VisionModelName::deeplip_b_l, "deeplip_b_l"},
        {VisionModelName::deepencoderv2, "deepencoderv2"},
        {VisionModelName::siglip_so400m_patch14_384, "siglip_so400m_patch14_384"},
        {VisionModelName::siglip_large_patch16_384, "siglip_large_patch16_384"},
    }};
};

/// Whether an enum is open: a string outside its table reads as its `other` value (kept as
/// read in the Document) instead of being an error. Only where no structure depends on the value.
template <class E> inline constexpr bool is_open_enum_v = false;
template <> inline constexpr bool is_open_enum_v<HiddenAct> = true;
template <> inline constexpr bool is_open_enum_v<QuantMethod> = true;
template <> inline constexpr bool is_open_enum_v<RopeParametersType> = true;

/// Whether `value` is the `other` of an open enum: a string the table does not know.
template <class T> [[nodiscard]] constexpr bool is_other_value(const T& value) noexcept {
    if constexpr (std::is_enum_v<T> && is_open_enum_v<T>)
        return value == T::other;
    else
        return (void)value, false;
}

/// The JSON text of an enum value, e.g. `to_string(TopkMethod::noaux_tc) == "noaux_tc"`.
template <class E> [[nodiscard]] constexpr std::string_view to_string(E value) noexcept {
    for (const auto& entry : enum_table<E>::entries) {
        if (entry.first == value) return entry.second;
    }
    return {};
}

/// The enum value spelled `text`, or nullopt when `text` is not one of the table's strings.
template <class E> [[nodiscard]] constexpr Optional<E> enum_from_string(std::string_view text) noexcept {
    for (const auto& entry : enum_table<E>::entries) {
        if (entry.second == text) return entry.first;
    }
    return std::nullopt;
}

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_ENUMS_HPP
