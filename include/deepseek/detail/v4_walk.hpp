// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// Internal: DeepSeek-V4's tensors, in its checkpoint's own names (no `model.` prefix), from
// DeepSeek's inference code (inference/model.py and convert.py of the V4 release): shared-KV
// attention with a grouped low-rank output, per-layer KV compressors, the lightning indexer of
// the ratio-4 layers, mHC mixing weights, MoE on every layer (hash-routed first layers) and the
// MTP blocks. Standard library only.
#ifndef DEEPSEEK_CONFIG_DETAIL_V4_WALK_HPP
#define DEEPSEEK_CONFIG_DETAIL_V4_WALK_HPP

#include <cstdint>
#include <string_view>

#include "../config.hpp"
#include "../optional.hpp"
#include "../overflow.hpp"
#include "../tensor_spec.hpp"

namespace deepseek {
namespace detail {

/// How a DeepSeek-V4 checkpoint stores its Linear weights. With DeepSeek's FP8
/// (`quantization_config`): every Linear of a block FP8 e4m3 with a block scale `.scale`
/// [ceil(out/b0), ceil(in/b1)]; the routed experts FP4 (`expert_dtype` "fp4" or absent: `.weight`
/// I8 [out, in/2], two E2M1 values a byte, `.scale` [out, in/32]) or FP8 like the rest ("fp8").
/// The scales are 1-byte UE8M0 in an FP4-expert checkpoint and float32 in an FP8-expert one
/// (vLLM's DeepseekV4FP8Config says so; no FP8-expert checkpoint was checked). Without it (or
/// with a method that is not modelled), every weight is at torch_dtype without scales.
struct V4Storage {
    bool fp8 = false;
    bool fp4_experts = false;
    std::uint64_t b0 = 128, b1 = 128;
    Storage scale = Storage::fp8_e8m0;
};

constexpr V4Storage v4_storage(const DeepseekV4Config& c) noexcept {
    V4Storage s{};
    // A ModelOpt checkpoint (weight_quantization) re-quantises some experts and keeps the rest
    // as DeepSeek released them.
    const bool deepseek_fp8 = uses_deepseek_fp8(c);
    if (!deepseek_fp8 && !c.weight_quantization) return s;
    s.fp8 = true;
    s.fp4_experts = v4_expert_dtype(c) == ExpertDtype::fp4;
    if (deepseek_fp8) {
        s.b0 = c.quantization_config->weight_block_size[0];
        s.b1 = c.quantization_config->weight_block_size[1];
    }
    s.scale = s.fp4_experts ? Storage::fp8_e8m0 : Storage::fp32;
    return s;
}

/// FP4 experts: one UE8M0 scale per 32 inputs.
inline constexpr std::uint64_t v4_fp4_group = 32;

template <class V> struct V4Emitter {
    Emitter<V>& e;
    const V4Storage& s;
    /// ModelOpt's re-quantisation of experts (NVFP4), when the files describe one.
    const Optional<WeightQuantization>& requantized;
    /// The block's layer id (MTP blocks after the decoder layers), as the quantisation names it.
    std::uint64_t layer = 0;

    /// A tensor `name` (no `.weight` rule: hc_* and ape are bare names).
    constexpr void tensor(std::string_view name, Shape shape, Part p, Storage st = Storage::model,
                          Split split = Split::replicated) {
        e.tensor(name, shape, p, split, st);
    }
    /// Names the Linear whose tensors are emitted next: `group` + copy index + "." + `weight`.
    constexpr void name(std::string_view weight, std::string_view group, std::uint64_t copies) {
        e.spec.group = group;
        e.spec.copies = copies;
        e.spec.suffix = weight;
    }
    /// A Linear `module` [out, in] ("attn.wq_a": weight `attn.wq_a.weight`, scale
    /// `attn.wq_a.scale`), FP8 with its block scale in an FP8 checkpoint.
    constexpr void fp8_linear(std::string_view weight, std::uint64_t out, std::uint64_t in, Part p, Split split,
                              std::string_view group = {}, std::uint64_t copies = 1) {
        name(weight, group, copies);
        if (!s.fp8) {
            e.emit(shape2(out, in), p, split, Storage::model, {}, 1);
            return;
        }
        e.emit(shape2(out, in), p, split, Storage::fp8_linear, {}, 1);
        e.emit(shape2(ceil_div(out, s.b0), ceil_div(in, s.b1)), Part::scale, split, s.scale, "scale", 1);
    }
    /// A routed expert's Linear [out, in] (w1: `kind` expert_gate, w2 expert_down, w3
    /// expert_up): FP4 packed two a byte with a scale per 32 inputs, or as fp8_linear; or as
    /// ModelOpt re-quantised it.
    constexpr void expert_linear(LinearKind kind, std::string_view weight, std::uint64_t out, std::uint64_t in,
                                 std::uint64_t copies) {
        const bool nvfp4 = requantized && requantized->quantizes(kind, layer);
        if (!nvfp4 && !s.fp4_experts) {
            fp8_linear(weight, out, in, Part::routed_experts, Split::experts, "ffn.experts.", copies);
            return;
        }
        name(weight, "ffn.experts.", copies);
        if (nvfp4) {
            e.stored_as(*requantized, out, in, Part::routed_experts, Split::experts);
            return;
        }
        e.emit(shape2(out, ceil_div(in, 2)), Part::routed_experts, Split::experts, Storage::int8, {}, 2);
        e.emit(shape2(out, ceil_div(in, v4_fp4_group)), Part::scale, Split::experts, s.scale, "scale", 1);
    }
};

/// The mHC mixing weights before a sub-block (`which` "attn" or "ffn"): hc_{which}_fn
/// [(2 + hc) hc, hc D], hc_{which}_base [(2 + hc) hc], hc_{which}_scale [3], all float32.
template <class V> constexpr void visit_v4_mixing(V4Emitter<V>& w, const DeepseekV4Config& c, bool attn) {
    const char* const what = "layer shape";
    const std::uint64_t hc = c.hc_mult;
    const std::uint64_t mix = checked_mul(checked_add(2, hc, what), hc, what);
    const std::uint64_t width = checked_mul(hc, c.hidden_size, what);
    w.tensor(attn ? "hc_attn_fn" : "hc_ffn_fn", shape2(mix, width), Part::hyper_connections, Storage::fp32);
    w.tensor(attn ? "hc_attn_base" : "hc_ffn_base", shape1(mix), Part::hyper_connections, Storage::fp32);
    w.tensor(attn ? "hc_attn_scale" : "hc_ffn_scale", shape1(3), Part::hyper_connections, Storage::fp32);
}

/// The head's mHC reduction (the model's and each MTP block's): hc_head_fn [hc, hc D],
/// hc_head_base [hc], hc_head_scale [1], float32.
template <class V> constexpr void visit_v4_head_mixing(V4Emitter<V>& w, const DeepseekV4Config& c) {
    const std::uint64_t hc = c.hc_mult;
    w.tensor("hc_head_fn", shape2(hc, checked_mul(hc, c.hidden_size, "layer shape")), Part::hyper_connections,
             Storage::fp32);
    w.tensor("hc_head_base", shape1(hc), Part::hyper_connections, Storage::fp32);
    w.tensor("hc_head_scale", shape1(1), Part::hyper_connections, Storage::fp32);
}

/// A KV compressor of width `d` at ratio r (`prefix` "attn.compressor." or
/// "attn.indexer.compressor."): ape [r, coff d] float32, wkv and wgate [coff d, D] and norm [d]
/// at torch_dtype; coff = 2 (overlapping windows) at ratio 4, else 1. Replicated under TP.
template <class V> constexpr void visit_v4_compressor(V4Emitter<V>& w, const DeepseekV4Config& c, bool indexer,
                                                      std::uint64_t ratio, std::uint64_t d, Part p) {
    const char* const what = "layer shape";
    const std::uint64_t coff = ratio == 4 ? 2 : 1;
    const std::uint64_t width = checked_mul(coff, d, what);
    w.tensor(indexer ? "attn.indexer.compressor.ape" : "attn.compressor.ape", shape2(ratio, width), p, Storage::fp32);
    w.tensor(indexer ? "attn.indexer.compressor.wkv.weight" : "attn.compressor.wkv.weight",
             shape2(width, c.hidden_size), p);
    w.tensor(indexer ? "attn.indexer.compressor.wgate.weight" : "attn.compressor.wgate.weight",
             shape2(width, c.hidden_size), p);
    w.tensor(indexer ? "attn.indexer.compressor.norm.weight" : "attn.compressor.norm.weight", shape1(d), p);
}

/// The parts of a DeepSeek-V4 block, visited together (a block's tensors, in order) or apart (a
/// sum visits each part once for all the blocks that have it alike): the attention every block
/// has; what its compress ratio adds (compressor, indexer); the MoE every block has; its router's
/// extra (tid2eid on a hash layer, the bias elsewhere); what an MTP block adds.
enum V4Parts : unsigned {
    v4_attention = 1,
    v4_compression = 2,
    v4_mlp = 4,
    v4_routing = 8,
    v4_mtp = 16,
    v4_all_parts = 31,
};

/// The attention every block has (norm and mixing weights included): q through a low-rank
/// wq_a/q_norm/wq_b [H hd, q_lora]; one K=V vector wkv [hd, D] and kv_norm; a per-head float32
/// attn_sink; the grouped output wo_a [G o_lora, H hd / G] then wo_b [D, G o_lora]. Under TP (the
/// official demo): wq_b, wo_a and attn_sink by heads (rows), wo_b by columns, the rest replicated.
template <class V> constexpr void visit_v4_attention(V4Emitter<V>& w, const DeepseekV4Config& c) {
    const char* const what = "layer shape";
    const std::uint64_t D = c.hidden_size, H = c.num_attention_heads, hd = c.head_dim;
    const std::uint64_t heads_width = checked_mul(H, hd, what);
    const std::uint64_t G = c.o_groups == 0 ? 1 : c.o_groups; // validation refuses 0
    const std::uint64_t o_width = checked_mul(G, c.o_lora_rank, what);
    w.tensor("attn_norm.weight", shape1(D), Part::norm);
    visit_v4_mixing(w, c, true);
    w.tensor("attn.attn_sink", shape1(H), Part::attention, Storage::fp32, Split::rows);
    w.fp8_linear("attn.wq_a.weight", c.q_lora_rank, D, Part::attention, Split::replicated);
    w.tensor("attn.q_norm.weight", shape1(c.q_lora_rank), Part::attention);
    w.fp8_linear("attn.wq_b.weight", heads_width, c.q_lora_rank, Part::attention, Split::rows);
    w.fp8_linear("attn.wkv.weight", hd, D, Part::attention, Split::replicated);
    w.tensor("attn.kv_norm.weight", shape1(hd), Part::attention);
    w.fp8_linear("attn.wo_a.weight", o_width, heads_width / G, Part::attention, Split::rows);
    w.fp8_linear("attn.wo_b.weight", D, o_width, Part::attention, Split::cols);
}

/// What a compress ratio adds to a block's attention: at ratio > 0 a compressor of width head_dim,
/// at ratio 4 also the lightning indexer: wq_b [index heads x index_head_dim, q_lora] on the q
/// latent (FP8) and weights_proj [index heads, D] at torch_dtype, both split by index heads under
/// the demo's TP, and its own ratio-4 compressor of width index_head_dim. Compressors are
/// replicated.
template <class V>
constexpr void visit_v4_compression(V4Emitter<V>& w, const DeepseekV4Config& c, std::uint64_t ratio) {
    if (ratio == 0) return;
    visit_v4_compressor(w, c, false, ratio, c.head_dim, Part::attention);
    if (ratio != 4) return;
    const std::uint64_t n_i = c.index_n_heads, d_i = c.index_head_dim;
    w.fp8_linear("attn.indexer.wq_b.weight", checked_mul(n_i, d_i, "layer shape"), c.q_lora_rank, Part::indexer,
                 Split::rows);
    w.tensor("attn.indexer.weights_proj.weight", shape2(n_i, c.hidden_size), Part::indexer, Storage::model,
             Split::rows);
    visit_v4_compressor(w, c, true, 4, d_i, Part::indexer);
}

/// A router's extra: on a hash layer tid2eid [vocab, experts per token] I64 (a table, not a
/// parameter), elsewhere the float32 bias [E] of noaux_tc.
template <class V> constexpr void visit_v4_routing(V4Emitter<V>& w, const DeepseekV4Config& c, bool hash) {
    if (hash)
        w.tensor("ffn.gate.tid2eid", shape2(c.vocab_size, c.num_experts_per_tok), Part::buffer, Storage::int64);
    else
        w.tensor("ffn.gate.bias", shape1(c.n_routed_experts), Part::router, Storage::fp32);
}

/// The MoE every block has (norm and mixing weights included): the gate [E, D] at torch_dtype
/// (then, with `routing`, the router's extra of a `hash` layer or not); one shared expert of width
/// n_shared x moe_intermediate_size (FP8, replicated under the demo's TP); the routed experts w1,
/// w3 [I, D] and w2 [D, I], split by expert index.
template <class V> constexpr void visit_v4_mlp(V4Emitter<V>& w, const DeepseekV4Config& c, bool routing, bool hash) {
    const std::uint64_t D = c.hidden_size, E = c.n_routed_experts, I = c.moe_intermediate_size;
    w.tensor("ffn_norm.weight", shape1(D), Part::norm);
    visit_v4_mixing(w, c, false);
    w.tensor("ffn.gate.weight", shape2(E, D), Part::router);
    if (routing) visit_v4_routing(w, c, hash);
    const std::uint64_t S = checked_mul(c.n_shared_experts, I, "layer shape");
    if (S != 0) {
        w.fp8_linear("ffn.shared_experts.w1.weight", S, D, Part::shared_experts, Split::replicated);
        w.fp8_linear("ffn.shared_experts.w2.weight", D, S, Part::shared_experts, Split::replicated);
        w.fp8_linear("ffn.shared_experts.w3.weight", S, D, Part::shared_experts, Split::replicated);
    }
    w.expert_linear(LinearKind::expert_gate, "w1.weight", I, D, E);
    w.expert_linear(LinearKind::expert_down, "w2.weight", D, I, E);
    w.expert_linear(LinearKind::expert_up, "w3.weight", I, D, E);
}

/// What an MTP block adds: e_proj and h_proj [D, D] (FP8), enorm, hnorm, its final norm, and
/// its own head mixing weights. It shares the model's embed and head (none stored).
template <class V> constexpr void visit_v4_mtp_extras(V4Emitter<V>& w, const DeepseekV4Config& c) {
    const std::uint64_t D = c.hidden_size;
    w.tensor("enorm.weight", shape1(D), Part::norm);
    w.tensor("hnorm.weight", shape1(D), Part::norm);
    w.fp8_linear("e_proj.weight", D, D, Part::mtp_projection, Split::replicated);
    w.fp8_linear("h_proj.weight", D, D, Part::mtp_projection, Split::replicated);
    w.tensor("norm.weight", shape1(D), Part::norm);
    visit_v4_head_mixing(w, c);
}

/// The tensors in `parts` of block `index` (`layers.N.`, or for index >= num_hidden_layers
/// `mtp.K.`), each standing for `layers` blocks that have them alike, of which `mtp_layers` are
/// MTP blocks, emitted by `w` (moved to the block's scope). The compression is that of `ratio`,
/// the routing hash-routed or not by `hash` (block `index`'s own when visited one by one).
template <class V> constexpr void visit_v4_blocks(V4Emitter<V>& w, const DeepseekV4Config& c, std::uint64_t index,
                                                  std::uint64_t layers, std::uint64_t mtp_layers, unsigned parts,
                                                  std::uint64_t ratio, bool hash) {
    const bool mtp = index >= c.num_hidden_layers;
    w.e.scope(mtp ? "mtp." : "layers.", mtp ? index - c.num_hidden_layers : index, mtp, layers, mtp_layers);
    w.layer = index;
    if ((parts & v4_attention) != 0) visit_v4_attention(w, c);
    if ((parts & v4_compression) != 0) visit_v4_compression(w, c, ratio);
    if ((parts & v4_mlp) != 0)
        visit_v4_mlp(w, c, (parts & v4_routing) != 0, hash);
    else if ((parts & v4_routing) != 0)
        visit_v4_routing(w, c, hash);
    if (mtp && (parts & v4_mtp) != 0) visit_v4_mtp_extras(w, c);
}

/// Every tensor of block `index`, in order, emitted by `w`.
template <class V> constexpr void visit_v4_layer(V4Emitter<V>& w, const DeepseekV4Config& c, std::uint64_t index) {
    visit_v4_blocks(w, c, index, 1, index >= c.num_hidden_layers ? 1 : 0, v4_all_parts, v4_compress_ratio(c, index),
                    is_hash_layer(c, index));
}

/// Every tensor of block `index`, in order.
template <class V> constexpr void visit_v4_layer(const DeepseekV4Config& c, std::uint64_t index, V& visit) {
    const V4Storage s = v4_storage(c);
    Emitter<V> e{visit, no_quantization, {}, no_block, false};
    V4Emitter<V> w{e, s, c.weight_quantization, index};
    visit_v4_layer(w, c, index);
}

/// Every tensor of a DeepSeek-V4 checkpoint: embed, the decoder layers, the MTP blocks, the final
/// norm, the head's mixing weights, the head. With `group_layers` (for sums) each part of a block
/// is visited once for all the blocks that have it alike, wherever they are: the attention and
/// the MoE every block has once (with the MTP blocks' share), the compression once per ratio and
/// the routing once per kind, for the decoder layers and for the MTP blocks apart.
template <class V> constexpr void visit_v4_model(const DeepseekV4Config& c, V& visit, bool group_layers) {
    const V4Storage s = v4_storage(c);
    Emitter<V> root{visit, no_quantization, {}, no_block, false}, in_blocks = root; // one each, for every block
    V4Emitter<V> w{root, s, c.weight_quantization, 0}, b{in_blocks, s, c.weight_quantization, 0};
    const std::uint64_t D = c.hidden_size;
    w.tensor("embed.weight", shape2(c.vocab_size, D), Part::embedding, Storage::model, Split::rows);
    const std::uint64_t L = c.num_hidden_layers;
    const std::uint64_t blocks = checked_add(L, mtp_layers_of(c), "layer count");
    if (!group_layers) {
        for (std::uint64_t i = 0; i < blocks; ++i) visit_v4_layer(b, c, i);
    } else {
        visit_v4_blocks(b, c, 0, blocks, blocks - L, v4_attention, 0, false);
        // The MoE likewise, in runs alike for a re-quantisation of some blocks' experts.
        for (std::uint64_t i = 0, next = 0; i < blocks; i = next) {
            next = c.weight_quantization ? c.weight_quantization->alike_until(i, blocks) : blocks;
            const std::uint64_t in_mtp = next > L ? next - (i > L ? i : L) : 0;
            visit_v4_blocks(b, c, i, next - i, in_mtp, v4_mlp, 0, false);
        }
        for (const bool mtp : {false, true}) {
            // Blocks by compress ratio (0 adds nothing) and by routing.
            const std::uint64_t from = mtp ? L : 0, to = mtp ? blocks : L;
            std::uint64_t count[3] = {0, 0, 0}, first[3] = {0, 0, 0};
            v4_count_ratios(c, from, to, count, first);
            for (std::size_t k = 1; k < 3; ++k) {
                if (count[k] != 0)
                    visit_v4_blocks(b, c, first[k], count[k], mtp ? count[k] : 0, v4_compression, k == 1 ? 4 : 128,
                                    false);
            }
            // Hash routing: the decoder layers is_hash_layer names (MTP blocks never).
            std::uint64_t hash = 0, hash_first = 0, other = 0, other_first = 0;
            if (!mtp && !c.mlp_layer_types) { // the first num_hash_layers, without asking each
                hash = v4_hash_layer_count(c);
                other_first = hash;
                other = to - hash;
            } else {
                for (std::uint64_t i = from; i < to; ++i) {
                    const bool h = is_hash_layer(c, i);
                    std::uint64_t& n = h ? hash : other;
                    if (n++ == 0) (h ? hash_first : other_first) = i;
                }
            }
            if (hash != 0) visit_v4_blocks(b, c, hash_first, hash, 0, v4_routing, 0, true);
            if (other != 0) visit_v4_blocks(b, c, other_first, other, mtp ? other : 0, v4_routing, 0, false);
        }
        if (blocks > L) visit_v4_blocks(b, c, L, blocks - L, blocks - L, v4_mtp, 0, false);
    }
    w.tensor("norm.weight", shape1(D), Part::norm);
    visit_v4_head_mixing(w, c);
    w.tensor("head.weight", shape2(c.vocab_size, D), Part::lm_head, Storage::model, Split::rows);
}

} // namespace detail
} // namespace deepseek

#endif // DEEPSEEK_CONFIG_DETAIL_V4_WALK_HPP
