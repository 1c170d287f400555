// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// The configs of models whose language model is DeepSeek's (DeepseekV2ForCausalLM or
// DeepseekV3ForCausalLM), whatever wraps it: DeepSeek-VL2 (a V2 language model under a SigLIP
// tower), Kimi-K2 (a V3 under its own model_type), Kimi-VL (a V3 under MoonViT) and Kimi-K2.5
// (a V3 under MoonViT3d). Each is a subtype of its language model's class, so whatever takes a
// DeepseekV2Config or DeepseekV3Config takes it too. Standard library only.
#ifndef DEEPSEEK_CONFIG_WRAPPERS_HPP
#define DEEPSEEK_CONFIG_WRAPPERS_HPP

#include <array>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "config.hpp"

namespace deepseek {

// ---------------------------------------------------------------------------------------------
// Nested structs.
// ---------------------------------------------------------------------------------------------

/// `vision_config` of DeepSeek-VL2: the SigLIP ViT its code builds (no class token, an
/// attention-pool head). Defaults are the VL2 repository's VisionEncoderConfig (a SigLIP-L/16);
/// the released files set SigLIP-SO400M/14's layers, width, patch_size and mlp_ratio.
struct SiglipVisionConfig {
    VisionModelName model_name = VisionModelName::siglip_large_patch16_384;
    std::uint64_t image_size = 384;
    std::uint64_t patch_size = 16;
    std::uint64_t width = 1024;
    std::uint64_t layers = 24;
    std::uint64_t heads = 16;
    /// MLP width = int(width x mlp_ratio), as timm rounds it (1152 x 3.7362 -> 4304).
    double mlp_ratio = 4.0;
};

/// `projector_config` of DeepSeek-VL2 (its MlpProjectorConfig), with the class defaults.
struct MlpProjectorConfig {
    ProjectorType projector_type = ProjectorType::downsample_mlp_gelu;
    std::uint64_t input_dim = 1152;
    std::uint64_t n_embed = 2048;
    std::uint64_t depth = 2;
    std::uint64_t mlp_ratio = 1;
    std::uint64_t downsample_ratio = 2;
};

/// `vision_config` of Kimi-VL: MoonViT (its MoonViTConfig), with the class defaults.
struct MoonViTConfig {
    std::uint64_t patch_size = 14;
    std::uint64_t init_pos_emb_height = 64;
    std::uint64_t init_pos_emb_width = 64;
    std::uint64_t num_attention_heads = 16;
    std::uint64_t num_hidden_layers = 27;
    std::uint64_t hidden_size = 1152;
    std::uint64_t intermediate_size = 4304;
    /// Patches merged into one token, [height, width].
    std::array<std::uint64_t, 2> merge_kernel_size{2, 2};
};

/// `vision_config` of Kimi-K2.5: MoonViT3d, its `vt_*` keys and the projector's, with the defaults
/// of its KimiK25VisionConfig (the released model's values). The time axis of its position
/// embedding (init_pos_emb_time) is a fixed table, computed, not stored.
struct MoonViT3dConfig {
    std::uint64_t patch_size = 14;
    std::uint64_t init_pos_emb_height = 64;
    std::uint64_t init_pos_emb_width = 64;
    std::uint64_t init_pos_emb_time = 4;
    std::uint64_t vt_num_attention_heads = 16;
    std::uint64_t vt_num_hidden_layers = 27;
    std::uint64_t vt_hidden_size = 1152;
    std::uint64_t vt_intermediate_size = 4304;
    /// Patches merged into one token, [height, width].
    std::array<std::uint64_t, 2> merge_kernel_size{2, 2};
    /// The projector's input per patch; unset (None): vt_hidden_size.
    Optional<std::uint64_t> mm_hidden_size{};
    std::uint64_t text_hidden_size = 7168; ///< the projector's output: the language model's width
};

// ---------------------------------------------------------------------------------------------
// The config classes.
// ---------------------------------------------------------------------------------------------

/// DeepSeek-VL2's `DeepseekVLV2Config` (`model_type` "deepseek_vl_v2"): the language model's keys
/// are inside `language_config` (a DeepseekV2Config of the VL2 repository, whose defaults are
/// this library's), the vision keys at the top level. `candidate_resolutions` holds at most 64.
/// (DeepSeek-OCR files also say "deepseek_vl_v2"; their architectures make them OCR configs.)
struct DeepseekVL2Config : DeepseekV2Config {
    static constexpr std::string_view model_type = "deepseek_vl_v2";

    SiglipVisionConfig vision_config{};
    MlpProjectorConfig projector_config{};
    FixedVector<Resolution, 64> candidate_resolutions{{Resolution{384, 384}}, 1};
    TileTag tile_tag = TileTag::two_d;
    GlobalViewPos global_view_pos = GlobalViewPos::head;
};

/// Moonshot's Kimi-K2 (`model_type` "kimi_k2", DeepseekV3ForCausalLM): DeepSeek's V3 class and
/// keys at the top level. Its checkpoints also store one rotary `inv_freq` buffer per layer.
struct KimiK2Config : DeepseekV3Config {
    static constexpr std::string_view model_type = "kimi_k2";
};

/// Moonshot's Kimi-VL (`KimiVLConfig`, `model_type` "kimi_vl"): a DeepseekV3Config inside
/// `text_config`, and MoonViT's `vision_config` at the top level. Its code builds no MTP module,
/// so none is counted whatever num_nextn_predict_layers says (the key is absent: 1 by default).
struct KimiVLConfig : DeepseekV3Config {
    static constexpr std::string_view model_type = "kimi_vl";

    MoonViTConfig vision_config{};
};

/// Moonshot's Kimi-K2.5 (`KimiK25Config`, `model_type` "kimi_k25"): a DeepseekV3Config (Kimi-K2's
/// shape) inside `text_config`, and MoonViT3d's `vision_config` at the top level.
struct KimiK25Config : DeepseekV3Config {
    static constexpr std::string_view model_type = "kimi_k25";

    MoonViT3dConfig vision_config{};
};

template <> struct is_config<DeepseekVL2Config> : std::true_type {};
template <> struct is_config<KimiK2Config> : std::true_type {};
template <> struct is_config<KimiVLConfig> : std::true_type {};
template <> struct is_config<KimiK25Config> : std::true_type {};

/// The prefix of the language model's tensor names in the checkpoint of config type `C`: "" for
/// DeepSeek's own and Kimi-K2's, "language." for DeepSeek-VL2, "language_model." for Kimi-VL and
/// Kimi-K2.5 (e.g. "language_model.model.layers.0.self_attn.q_proj.weight").
template <class C> [[nodiscard]] constexpr std::string_view language_model_prefix() noexcept {
    if constexpr (std::is_same_v<C, DeepseekVL2Config>)
        return "language.";
    else if constexpr (std::is_same_v<C, KimiVLConfig> || std::is_same_v<C, KimiK25Config>)
        return "language_model.";
    else
        return "";
}

/// Where the language model's keys of config type `C` sit in its file: "" (the top level),
/// "language_config" (DeepSeek-VL2) or "text_config" (Kimi-VL, Kimi-K2.5).
template <class C> [[nodiscard]] constexpr std::string_view language_config_key() noexcept {
    if constexpr (std::is_same_v<C, DeepseekVL2Config>)
        return "language_config";
    else if constexpr (std::is_same_v<C, KimiVLConfig> || std::is_same_v<C, KimiK25Config>)
        return "text_config";
    else
        return "";
}

/// The class of the language model inside config type `C` (DeepseekV2Config or DeepseekV3Config).
template <class C> using language_model_t =
    std::conditional_t<std::is_base_of_v<DeepseekV3Config, C>, DeepseekV3Config, DeepseekV2Config>;

// ---------------------------------------------------------------------------------------------
// Field lists.
// ---------------------------------------------------------------------------------------------

template <> struct field_list<SiglipVisionConfig> {
    template <class V> static constexpr void visit(V&& v) {
        v("model_name", &SiglipVisionConfig::model_name);
        v("image_size", &SiglipVisionConfig::image_size);
        v("patch_size", &SiglipVisionConfig::patch_size);
        v("width", &SiglipVisionConfig::width);
        v("layers", &SiglipVisionConfig::layers);
        v("heads", &SiglipVisionConfig::heads);
        v("mlp_ratio", &SiglipVisionConfig::mlp_ratio);
    }
};
template <> struct field_list<MlpProjectorConfig> {
    template <class V> static constexpr void visit(V&& v) {
        v("projector_type", &MlpProjectorConfig::projector_type);
        v("input_dim", &MlpProjectorConfig::input_dim);
        v("n_embed", &MlpProjectorConfig::n_embed);
        v("depth", &MlpProjectorConfig::depth);
        v("mlp_ratio", &MlpProjectorConfig::mlp_ratio);
        v("downsample_ratio", &MlpProjectorConfig::downsample_ratio);
    }
};
template <> struct field_list<MoonViTConfig> {
    template <class V> static constexpr void visit(V&& v) {
        v("patch_size", &MoonViTConfig::patch_size);
        v("init_pos_emb_height", &MoonViTConfig::init_pos_emb_height);
        v("init_pos_emb_width", &MoonViTConfig::init_pos_emb_width);
        v("num_attention_heads", &MoonViTConfig::num_attention_heads);
        v("num_hidden_layers", &MoonViTConfig::num_hidden_layers);
        v("hidden_size", &MoonViTConfig::hidden_size);
        v("intermediate_size", &MoonViTConfig::intermediate_size);
        v("merge_kernel_size", &MoonViTConfig::merge_kernel_size);
    }
};

template <> struct field_list<MoonViT3dConfig> {
    template <class V> static constexpr void visit(V&& v) {
        v("patch_size", &MoonViT3dConfig::patch_size);
        v("init_pos_emb_height", &MoonViT3dConfig::init_pos_emb_height);
        v("init_pos_emb_width", &MoonViT3dConfig::init_pos_emb_width);
        v("init_pos_emb_time", &MoonViT3dConfig::init_pos_emb_time);
        v("vt_num_attention_heads", &MoonViT3dConfig::vt_num_attention_heads);
        v("vt_num_hidden_layers", &MoonViT3dConfig::vt_num_hidden_layers);
        v("vt_hidden_size", &MoonViT3dConfig::vt_hidden_size);
        v("vt_intermediate_size", &MoonViT3dConfig::vt_intermediate_size);
        v("merge_kernel_size", &MoonViT3dConfig::merge_kernel_size);
        v("mm_hidden_size", &MoonViT3dConfig::mm_hidden_size);
        v("text_hidden_size", &MoonViT3dConfig::text_hidden_size);
    }
};

/// `wrapper_field_list<C>::visit(v)`: the typed keys of a wrapper's file outside its language
/// model's keys (none for a type without any).
template <class C> struct wrapper_field_list {
    template <class V> static constexpr void visit(V&&) {}
};
template <> struct wrapper_field_list<DeepseekVL2Config> {
    template <class V> static constexpr void visit(V&& v) {
        v("vision_config", &DeepseekVL2Config::vision_config);
        v("projector_config", &DeepseekVL2Config::projector_config);
        v("candidate_resolutions", &DeepseekVL2Config::candidate_resolutions);
        v("tile_tag", &DeepseekVL2Config::tile_tag);
        v("global_view_pos", &DeepseekVL2Config::global_view_pos);
    }
};
template <> struct wrapper_field_list<KimiVLConfig> {
    template <class V> static constexpr void visit(V&& v) { v("vision_config", &KimiVLConfig::vision_config); }
};
template <> struct wrapper_field_list<KimiK25Config> {
    template <class V> static constexpr void visit(V&& v) { v("vision_config", &KimiK25Config::vision_config); }
};

/// A wrapper's fields: its language model's, then its own.
template <class C> struct wrapper_fields {
    template <class V> static constexpr void visit(V&& v) {
        detail::visit_language_fields<C>(v);
        wrapper_field_list<C>::visit(v);
    }
};
template <> struct field_list<DeepseekVL2Config> : wrapper_fields<DeepseekVL2Config> {};
template <> struct field_list<KimiK2Config> : wrapper_fields<KimiK2Config> {};
template <> struct field_list<KimiVLConfig> : wrapper_fields<KimiVLConfig> {};
template <> struct field_list<KimiK25Config> : wrapper_fields<KimiK25Config> {};

namespace detail {
/// Whether `key` names one of wrapper_field_list<C>'s fields.
template <class C> constexpr bool is_wrapper_key(std::string_view key) noexcept {
    bool found = false;
    wrapper_field_list<C>::visit([&](const char* name, auto) { found = found || key == name; });
    return found;
}
/// "DeepSeek-VL2", "Kimi-VL", "Kimi-K2.5": the family of a wrapper, for messages.
template <class C> constexpr std::string_view wrapper_family() noexcept {
    if constexpr (std::is_same_v<C, DeepseekVL2Config>)
        return "DeepSeek-VL2";
    else if constexpr (std::is_same_v<C, KimiVLConfig>)
        return "Kimi-VL";
    else
        return "Kimi-K2.5";
}
} // namespace detail

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_WRAPPERS_HPP
