// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// DeepSeek-V4's config (V4-Flash, V4-Pro): its type, in both forms its files take, and the
// per-layer facts read from either form (compress ratio, hash routing, RoPE width). Standard
// library only.
#ifndef DEEPSEEK_CONFIG_CONFIG_V4_HPP
#define DEEPSEEK_CONFIG_CONFIG_V4_HPP

#include <cstdint>
#include <string_view>
#include <type_traits>

#include "config.hpp"
#include "enums.hpp"
#include "optional.hpp"

namespace deepseek {

/// `compress_rates` (DeepSeek-V4 as transformers writes it): the compress ratio of each
/// compressed layer type. The library models the released ratios only (4 and 128).
struct CompressRates {
    std::uint64_t compressed_sparse_attention = 4;
    std::uint64_t heavily_compressed_attention = 128;
};

/// One entry of `rope_parameters` (transformers' nested form): unset keys were absent.
struct RopeParameters {
    Optional<RopeParametersType> rope_type{};
    Optional<double> rope_theta{};
    Optional<double> partial_rotary_factor{};
    Optional<double> factor{};
    Optional<std::uint64_t> original_max_position_embeddings{};
    Optional<double> beta_fast{};
    Optional<double> beta_slow{};
    Optional<double> attention_factor{};
    Optional<double> mscale{};
    Optional<double> mscale_all_dim{};
};

/// `rope_parameters` of DeepSeek-V4 as transformers writes it: the RoPE of the sliding-window
/// layers (`main`) and of the compressed ones (`compress`).
struct RopeParameterSet {
    Optional<RopeParameters> main{};
    Optional<RopeParameters> compress{};
};

/// The most entries `compress_ratios`, `layer_types` and `mlp_layer_types` may hold.
inline constexpr std::size_t max_v4_layer_list = 256;

/// DeepSeek-V4's config (`model_type` "deepseek_v4", DeepseekV4ForCausalLM): V4-Flash and V4-Pro.
/// Defaults are transformers' `DeepseekV4Config` (V4-Flash's values), and for the keys of the
/// original files that class folds away (`compress_ratios`, `num_hash_layers`,
/// `qk_rope_head_dim`, `compress_rate_csa`/`_hca`) or never had (`expert_dtype`,
/// `quantization_config`, `topk_method`, `rope_scaling`), unset. Both forms of the file read:
/// the original (`compress_ratios` with one entry per layer and one for each MTP block,
/// `num_hash_layers`, `qk_rope_head_dim`, `rope_scaling`) and a transformers re-save
/// (`layer_types`, `mlp_layer_types`, `compress_rates`, `partial_rotary_factor`,
/// `rope_parameters`). Read the per-layer facts with v4_compress_ratio, is_hash_layer and
/// v4_rope_head_dim, which take either.
struct DeepseekV4Config {
    static constexpr std::string_view model_type = "deepseek_v4";

    std::uint64_t vocab_size = 129280;
    std::uint64_t hidden_size = 4096;
    std::uint64_t moe_intermediate_size = 2048;
    std::uint64_t num_hidden_layers = 43;
    std::uint64_t num_attention_heads = 64;
    /// One K=V vector shared by every head (the released models' 1; no other value is modelled).
    std::uint64_t num_key_value_heads = 1;
    /// Width of each query head and of the one shared K=V vector.
    std::uint64_t head_dim = 512;
    std::uint64_t q_lora_rank = 1024;
    /// The original form's RoPE width (the last qk_rope_head_dim of head_dim); see v4_rope_head_dim.
    Optional<std::uint64_t> qk_rope_head_dim{};
    /// transformers' form of the same: qk_rope_head_dim / head_dim.
    Optional<double> partial_rotary_factor{};
    std::uint64_t num_experts_per_tok = 6;
    std::uint64_t n_routed_experts = 256;
    std::uint64_t n_shared_experts = 1;
    ScoringFunc scoring_func = ScoringFunc::sqrtsoftplus;
    /// Not a key of transformers' class; the released files say "noaux_tc" (a gate bias per expert).
    Optional<TopkMethod> topk_method{};
    bool norm_topk_prob = true;
    double routed_scaling_factor = 1.5;
    std::uint64_t max_position_embeddings = 1048576;
    double rope_theta = 10000.0;
    Optional<RopeScaling> rope_scaling{};
    Optional<RopeParameterSet> rope_parameters{};
    /// The original form: the compress ratio of each layer (0, 4 or 128), then of each MTP block.
    Optional<FixedVector<std::uint64_t, max_v4_layer_list>> compress_ratios{};
    /// transformers' form: the attention type of each decoder layer (no MTP entry).
    Optional<FixedVector<LayerAttention, max_v4_layer_list>> layer_types{};
    Optional<CompressRates> compress_rates{};
    /// Older spellings of compress_rates' two entries (transformers folds them in).
    Optional<std::uint64_t> compress_rate_csa{};
    Optional<std::uint64_t> compress_rate_hca{};
    double compress_rope_theta = 160000.0;
    std::uint64_t hc_mult = 4;
    std::uint64_t hc_sinkhorn_iters = 20;
    double hc_eps = 1e-6;
    /// transformers' form: hash_moe or moe for each decoder layer.
    Optional<FixedVector<MlpLayerType, max_v4_layer_list>> mlp_layer_types{};
    /// The original form: the first num_hash_layers layers route by tid2eid (3 when neither is set).
    Optional<std::uint64_t> num_hash_layers{};
    double swiglu_limit = 10.0;
    std::uint64_t sliding_window = 128;
    std::uint64_t o_groups = 8;
    std::uint64_t o_lora_rank = 1024;
    std::uint64_t index_n_heads = 64;
    std::uint64_t index_head_dim = 128;
    std::uint64_t index_topk = 512;
    std::uint64_t num_nextn_predict_layers = 1;
    bool output_router_logits = false;
    double router_aux_loss_coef = 0.001;
    double router_jitter_noise = 0.0;
    HiddenAct hidden_act = HiddenAct::silu;
    double initializer_range = 0.02;
    double rms_norm_eps = 1e-6;
    bool use_cache = true;
    Optional<std::int64_t> pad_token_id{};
    Optional<std::int64_t> bos_token_id = 0;
    Optional<std::int64_t> eos_token_id = 1;
    bool tie_word_embeddings = false;
    bool attention_bias = false;
    bool mlp_bias = false;
    double attention_dropout = 0.0;
    /// Unset: FP4 (vLLM's reading of the day-one files, which lack the key).
    Optional<ExpertDtype> expert_dtype{};
    Optional<TorchDtype> torch_dtype{};
    /// DeepSeek's FP8 (e4m3, 128 x 128 blocks, UE8M0 scales in the released files); unset for a
    /// checkpoint at torch_dtype throughout.
    Optional<QuantizationConfig> quantization_config{};
    /// Not a key of the file: another quantisation read from the files (ModelOpt NVFP4), as for
    /// DeepseekV3Config. Compared by ==, never written.
    Optional<WeightQuantization> weight_quantization{};
    /// Not a key of the file (set by the JSON layer): the file is SGLang's `deepseek_ref` config
    /// of its FP8 repack, whose tensors (FP8 experts) are not modelled.
    bool sglang_ref_format = false;
    /// Not a key of the file (set by the JSON layer): the file has `dspark_*` keys, the DSpark
    /// draft module of the later V4 releases, whose `mtp.*` tensors are not modelled.
    bool dspark = false;
    /// Not a key of the file (set by the JSON layer): `quantization_config` says "fp8" but also
    /// carries a ModelOpt description (quant_algo) that the library does not read, so the stored
    /// tensors are not known.
    bool modelopt_unread = false;
};

template <> struct is_config<DeepseekV4Config> : std::true_type {};

template <> struct field_list<CompressRates> {
    template <class V> static constexpr void visit(V&& v) {
        v("compressed_sparse_attention", &CompressRates::compressed_sparse_attention);
        v("heavily_compressed_attention", &CompressRates::heavily_compressed_attention);
    }
};
template <> struct field_list<RopeParameters> {
    template <class V> static constexpr void visit(V&& v) {
        v("rope_type", &RopeParameters::rope_type);
        v("rope_theta", &RopeParameters::rope_theta);
        v("partial_rotary_factor", &RopeParameters::partial_rotary_factor);
        v("factor", &RopeParameters::factor);
        v("original_max_position_embeddings", &RopeParameters::original_max_position_embeddings);
        v("beta_fast", &RopeParameters::beta_fast);
        v("beta_slow", &RopeParameters::beta_slow);
        v("attention_factor", &RopeParameters::attention_factor);
        v("mscale", &RopeParameters::mscale);
        v("mscale_all_dim", &RopeParameters::mscale_all_dim);
    }
};
template <> struct field_list<RopeParameterSet> {
    template <class V> static constexpr void visit(V&& v) {
        v("main", &RopeParameterSet::main);
        v("compress", &RopeParameterSet::compress);
    }
};
template <> struct field_list<DeepseekV4Config> {
    template <class V> static constexpr void visit(V&& v) {
        using C = DeepseekV4Config;
        v("vocab_size", &C::vocab_size);
        v("hidden_size", &C::hidden_size);
        v("moe_intermediate_size", &C::moe_intermediate_size);
        v("num_hidden_layers", &C::num_hidden_layers);
        v("num_attention_heads", &C::num_attention_heads);
        v("num_key_value_heads", &C::num_key_value_heads);
        v("head_dim", &C::head_dim);
        v("q_lora_rank", &C::q_lora_rank);
        v("qk_rope_head_dim", &C::qk_rope_head_dim);
        v("partial_rotary_factor", &C::partial_rotary_factor);
        v("num_experts_per_tok", &C::num_experts_per_tok);
        v("n_routed_experts", &C::n_routed_experts);
        v("n_shared_experts", &C::n_shared_experts);
        v("scoring_func", &C::scoring_func);
        v("topk_method", &C::topk_method);
        v("norm_topk_prob", &C::norm_topk_prob);
        v("routed_scaling_factor", &C::routed_scaling_factor);
        v("max_position_embeddings", &C::max_position_embeddings);
        v("rope_theta", &C::rope_theta);
        v("rope_scaling", &C::rope_scaling);
        v("rope_parameters", &C::rope_parameters);
        v("compress_ratios", &C::compress_ratios);
        v("layer_types", &C::layer_types);
        v("compress_rates", &C::compress_rates);
        v("compress_rate_csa", &C::compress_rate_csa);
        v("compress_rate_hca", &C::compress_rate_hca);
        v("compress_rope_theta", &C::compress_rope_theta);
        v("hc_mult", &C::hc_mult);
        v("hc_sinkhorn_iters", &C::hc_sinkhorn_iters);
        v("hc_eps", &C::hc_eps);
        v("mlp_layer_types", &C::mlp_layer_types);
        v("num_hash_layers", &C::num_hash_layers);
        v("swiglu_limit", &C::swiglu_limit);
        v("sliding_window", &C::sliding_window);
        v("o_groups", &C::o_groups);
        v("o_lora_rank", &C::o_lora_rank);
        v("index_n_heads", &C::index_n_heads);
        v("index_head_dim", &C::index_head_dim);
        v("index_topk", &C::index_topk);
        v("num_nextn_predict_layers", &C::num_nextn_predict_layers);
        v("output_router_logits", &C::output_router_logits);
        v("router_aux_loss_coef", &C::router_aux_loss_coef);
        v("router_jitter_noise", &C::router_jitter_noise);
        v("hidden_act", &C::hidden_act);
        v("initializer_range", &C::initializer_range);
        v("rms_norm_eps", &C::rms_norm_eps);
        v("use_cache", &C::use_cache);
        v("pad_token_id", &C::pad_token_id);
        v("bos_token_id", &C::bos_token_id);
        v("eos_token_id", &C::eos_token_id);
        v("tie_word_embeddings", &C::tie_word_embeddings);
        v("attention_bias", &C::attention_bias);
        v("mlp_bias", &C::mlp_bias);
        v("attention_dropout", &C::attention_dropout);
        v("expert_dtype", &C::expert_dtype);
        v("torch_dtype", &C::torch_dtype);
        v("quantization_config", &C::quantization_config);
    }
};

// ---------------------------------------------------------------------------------------------
// Per-layer facts, from either form of the file.
// ---------------------------------------------------------------------------------------------

/// The compress ratio of each compressed layer type: compress_rates, else the older
/// compress_rate_csa / compress_rate_hca, else 4 and 128.
[[nodiscard]] constexpr std::uint64_t v4_rate_of(const DeepseekV4Config& c, LayerAttention type) noexcept {
    switch (type) {
    case LayerAttention::sliding_attention: return 0;
    case LayerAttention::compressed_sparse_attention:
        return c.compress_rates      ? c.compress_rates->compressed_sparse_attention
               : c.compress_rate_csa ? *c.compress_rate_csa
                                     : 4;
    case LayerAttention::heavily_compressed_attention:
        return c.compress_rates      ? c.compress_rates->heavily_compressed_attention
               : c.compress_rate_hca ? *c.compress_rate_hca
                                     : 128;
    }
    return 0;
}

/// The compress ratio of layer `index` (index >= num_hidden_layers: MTP block index -
/// num_hidden_layers): 0 (a 128-token sliding window only), 4 or 128. From `compress_ratios`
/// when the file has it (an MTP block without an entry: 0); else from `layer_types` (MTP blocks:
/// 0, the ratio of every released MTP block); else transformers' default schedule (two
/// heavily compressed layers, then compressed-sparse and heavily compressed alternating, the
/// first of them heavily compressed).
[[nodiscard]] constexpr std::uint64_t v4_compress_ratio(const DeepseekV4Config& c, std::uint64_t index) noexcept {
    if (c.compress_ratios) return index < c.compress_ratios->size() ? (*c.compress_ratios)[index] : 0;
    if (index >= c.num_hidden_layers) return 0;
    if (c.layer_types) {
        return index < c.layer_types->size() ? v4_rate_of(c, (*c.layer_types)[index]) : 0;
    }
    const bool csa = index >= 2 && (index - 2) % 2 == 1;
    return v4_rate_of(c,
                      csa ? LayerAttention::compressed_sparse_attention : LayerAttention::heavily_compressed_attention);
}

/// Whether decoder layer `index` routes by the token-to-expert table `tid2eid` (a hash layer):
/// from `mlp_layer_types` when the file has it, else index < num_hash_layers (3 when unset).
/// MTP blocks never do.
[[nodiscard]] constexpr bool is_hash_layer(const DeepseekV4Config& c, std::uint64_t index) noexcept {
    if (index >= c.num_hidden_layers) return false;
    if (c.mlp_layer_types)
        return index < c.mlp_layer_types->size() && (*c.mlp_layer_types)[index] == MlpLayerType::hash_moe;
    return index < (c.num_hash_layers ? *c.num_hash_layers : 3);
}

/// The RoPE width of each query head and of the K=V vector: qk_rope_head_dim, else
/// head_dim x partial_rotary_factor (truncated, as transformers does), else head_dim / 8
/// (transformers' default factor 64 / 512).
[[nodiscard]] constexpr std::uint64_t v4_rope_head_dim(const DeepseekV4Config& c) noexcept {
    if (c.qk_rope_head_dim) return *c.qk_rope_head_dim;
    if (c.partial_rotary_factor) {
        // Validation keeps the factor in (0, 1]; a config built in memory may hold anything.
        const double d = static_cast<double>(c.head_dim) * *c.partial_rotary_factor;
        if (!(d > 0)) return 0; // also NaN
        return d >= static_cast<double>(c.head_dim) ? c.head_dim : static_cast<std::uint64_t>(d);
    }
    return c.head_dim / 8;
}

/// How the routed experts are stored: expert_dtype, FP4 when unset.
[[nodiscard]] constexpr ExpertDtype v4_expert_dtype(const DeepseekV4Config& c) noexcept {
    return c.expert_dtype ? *c.expert_dtype : ExpertDtype::fp4;
}

/// How many decoder layers route by hash (is_hash_layer): without `mlp_layer_types` the first
/// num_hash_layers (3 when unset), counted without asking layer by layer.
[[nodiscard]] constexpr std::uint64_t v4_hash_layer_count(const DeepseekV4Config& c) noexcept {
    if (c.mlp_layer_types) {
        std::uint64_t n = 0;
        for (std::uint64_t i = 0; i < c.num_hidden_layers; ++i) n += is_hash_layer(c, i) ? 1U : 0U;
        return n;
    }
    const std::uint64_t n = c.num_hash_layers ? *c.num_hash_layers : 3;
    return n < c.num_hidden_layers ? n : c.num_hidden_layers;
}

/// DeepSeek-V4's layer kinds, MTP blocks excluded: sliding-window only (ratio 0),
/// compressed-sparse (ratio 4, with an indexer), heavily compressed (ratio 128), and how many
/// route by hash.
struct V4LayerKinds {
    std::uint64_t sliding = 0;
    std::uint64_t compressed_sparse = 0;
    std::uint64_t heavily_compressed = 0;
    std::uint64_t hash_routed = 0;
};

namespace detail {
/// Blocks [from, to) (decoder layers, then MTP blocks) by compress ratio, as v4_compress_ratio
/// gives it: `count[k]` of ratio 0, 4 and 128 (k = 0, 1, 2), the first of each in `first[k]`.
/// A file's compress_ratios list is read straight (its blocks past the list have ratio 0). Both
/// arrays start at 0.
constexpr void v4_count_ratios(const DeepseekV4Config& c, std::uint64_t from, std::uint64_t to,
                               std::uint64_t (&count)[3], std::uint64_t (&first)[3]) noexcept {
    const auto kind = [](std::uint64_t r) -> std::size_t { return r == 4 ? 1 : r == 128 ? 2 : 0; };
    const auto tally = [&](std::uint64_t i, std::uint64_t r) {
        if (count[kind(r)]++ == 0) first[kind(r)] = i;
    };
    if (!c.compress_ratios) {
        for (std::uint64_t i = from; i < to; ++i) tally(i, v4_compress_ratio(c, i));
        return;
    }
    // A file's list: counted without a branch per block, each kind's first found by a scan that
    // stops there (the report reads this for every config).
    const auto& ratios = *c.compress_ratios;
    const std::uint64_t listed = to < ratios.size() ? to : ratios.size();
    std::uint64_t n4 = 0, n128 = 0; // locals: sums into `count` would be stored at every block
    for (std::uint64_t i = from; i < listed; ++i) {
        n4 += ratios[i] == 4 ? 1U : 0U;
        n128 += ratios[i] == 128 ? 1U : 0U;
    }
    if (listed > from) count[0] += listed - from - n4 - n128;
    count[1] += n4;
    count[2] += n128;
    for (std::size_t k = 0; k < 3; ++k) {
        for (std::uint64_t i = from; count[k] != 0 && i < listed; ++i) {
            if (kind(ratios[i]) == k) {
                first[k] = i;
                break;
            }
        }
    }
    const std::uint64_t past = from > listed ? from : listed;
    if (past < to) {
        if (count[0] == 0) first[0] = past;
        count[0] += to - past;
    }
}
} // namespace detail

/// The layer kinds of the decoder layers (validation guarantees ratios of 0, 4 or 128).
[[nodiscard]] constexpr V4LayerKinds v4_layer_kinds(const DeepseekV4Config& c) noexcept {
    std::uint64_t count[3] = {0, 0, 0}, first[3] = {0, 0, 0};
    detail::v4_count_ratios(c, 0, c.num_hidden_layers, count, first);
    V4LayerKinds k{};
    k.sliding = count[0];
    k.compressed_sparse = count[1];
    k.heavily_compressed = count[2];
    k.hash_routed = v4_hash_layer_count(c);
    return k;
}

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_CONFIG_V4_HPP
