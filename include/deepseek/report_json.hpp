// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// The JSON form of a report and of an index comparison: the objects `deepseek-config --json`
// prints (schema in docs/cli.md). Needs nlohmann_json.
#ifndef DEEPSEEK_CONFIG_REPORT_JSON_HPP
#define DEEPSEEK_CONFIG_REPORT_JSON_HPP

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "any_config.hpp"
#include "config.hpp"
#include "deployment.hpp"
#include "detail/json_common.hpp"
#include "document.hpp"
#include "engine_kv.hpp"
#include "enums.hpp"
#include "index_check.hpp"
#include "json.hpp"
#include "optional.hpp"
#include "report.hpp"
#include "tensor_walk.hpp"

namespace deepseek {

/// The weights' dtype as the report names it: "released" (the checkpoint as released) or a
/// uniform dtype such as "bf16".
[[nodiscard]] constexpr std::string_view weights_label(const Report& r) noexcept {
    return r.weights_dtype ? to_string(*r.weights_dtype) : std::string_view("released");
}

namespace detail {
/// The report's `quantization`: method (the format read, "none", or "not modelled"), source
/// (where it was read: "quantization_config", "hf_quant_config.json", or null) and modelled.
template <class Json> Json quantization_json(const Report& r) {
    Json q = Json::object();
    q["method"] = r.quantization            ? std::string(to_string(*r.quantization))
                  : r.quantization_modelled ? std::string("none")
                                            : std::string("not modelled");
    q["source"] = r.quantization_source ? Json(std::string(to_string(*r.quantization_source))) : Json(nullptr);
    q["modelled"] = r.quantization_modelled;
    return q;
}

template <class Json> Json optional_json(const Optional<std::uint64_t>& v) { return v ? Json(*v) : Json(nullptr); }
} // namespace detail

namespace detail {
template <class Json> Json kv_json(const Report& r);
template <class Json> Json v4_kv_json(const Report& r);
template <class Json, class C> Json architecture_json(const C& c);
} // namespace detail

/// The report of `cfg` as JSON: source, model_type, config_class, architecture, params,
/// checkpoint_bytes, weights, kv_cache, and with a budget max_context and weights_fit. `source`
/// says where the config came from (a file name, a preset).
template <class C, int N = 0, std::enable_if_t<is_config_v<C>, int> = 0>
[[nodiscard]] detail::json_t<N> report_to_json(const C& c, const Report& r, std::string_view source) {
    using Json = detail::json_t<N>;
    const auto& p = r.params;
    Json out = Json::object();
    out["source"] = std::string(source);
    out["model_type"] = std::string(C::model_type);
    out["config_class"] = std::string(class_name<C>());
    out["architecture"] = detail::architecture_json<Json>(c);
    out["params"] = {
        {"total", p.total},
        {"stored_elements", r.stored_elements},
        {"active", p.active},
        {"embedding", p.embedding},
        {"lm_head", p.lm_head},
        {"attention", p.attention},
        {"dense_mlp", p.dense_mlp},
        {"router", p.router},
        {"routed_experts", p.routed_experts},
        {"shared_experts", p.shared_experts},
        {"norms", p.norms},
        {"indexer", p.indexer},
        {"vision", p.vision},
        {"hyper_connections", p.hyper_connections},
        {"vision_modelled", p.vision_modelled},
        {"mtp", p.mtp},
    };
    // null when the quantisation is not modelled (quantization_modelled false)
    out["checkpoint_bytes"] = detail::optional_json<Json>(r.checkpoint_bytes);
    out["quantization"] = detail::quantization_json<Json>(r);
    out["weights"] = {{"dtype", std::string(weights_label(r))},
                      {"tp", r.tp},
                      {"mtp", r.mtp},
                      {"bytes", detail::optional_json<Json>(r.weight_bytes)}};
    if (r.v4) {
        out["kv_cache"] = detail::v4_kv_json<Json>(r);
    } else {
        out["kv_cache"] = detail::kv_json<Json>(r);
    }
    // Only a report made with a budget has these: max_context when the weights fit (0: with no
    // room for one token), weights_fit either way.
    if (r.max_context) out["max_context"] = *r.max_context;
    if (r.max_context || !r.weights_fit) out["weights_fit"] = r.weights_fit;
    return out;
}

namespace detail {
/// The report's `kv_cache` of a V2- or V3-family model.
template <class Json> Json kv_json(const Report& r) {
    return {
        {"layout", std::string(to_string(r.kv_layout))},
        {"dtype", std::string(to_string(r.kv_dtype))},
        {"bytes_per_token", r.kv_bytes_per_token},
        {"context", r.context},
        {"batch", r.batch},
        {"tp", r.tp},
        {"bytes", r.kv_bytes},
    };
}

/// The report's `kv_cache` of DeepSeek-V4: the format, one sequence's constant and growth (bytes
/// per token, a multiple of 1/256), the bytes at the context by component, and the total.
template <class Json> Json v4_kv_json(const Report& r) {
    const V4KvReport& v = *r.v4;
    const auto per_token = [](std::uint64_t per_256) { return static_cast<double>(per_256) / 256.0; };
    return {
        {"format", std::string(to_string(v.format))},
        {"per_sequence_bytes", v.per_sequence_bytes},
        {"per_sequence_exact", v.per_sequence_exact},
        {"growth_bytes_per_token", per_token(v.growth_per_256_tokens)},
        {"unpadded_growth_bytes_per_token", per_token(v.unpadded_growth_per_256_tokens)},
        {"context", r.context},
        {"batch", r.batch},
        {"tp", r.tp},
        {"sequence",
         {{"window", v.at_context.window},
          {"compressed_sparse", v.at_context.compressed_sparse},
          {"heavily_compressed", v.at_context.heavily_compressed},
          {"indexer", v.at_context.indexer},
          {"compressor_state", v.at_context.compressor_state},
          {"total", v.at_context.total}}},
        {"bytes", r.kv_bytes},
    };
}

/// The report's `architecture`: layer counts, widths, attention and experts.
template <class Json, class C> Json architecture_json(const C& c) {
    if constexpr (std::is_same_v<C, DeepseekV4Config>) {
        const V4LayerKinds k = v4_layer_kinds(c);
        return {
            {"layers", c.num_hidden_layers},
            {"dense_layers", dense_layer_count(c)},
            {"moe_layers", moe_layer_count(c)},
            {"mtp_layers", mtp_layer_count(c)},
            {"hidden_size", c.hidden_size},
            {"attention", "shared_kv_compressed"},
            {"layer_kinds",
             {{"sliding", k.sliding},
              {"compressed_sparse", k.compressed_sparse},
              {"heavily_compressed", k.heavily_compressed},
              {"hash_routed", k.hash_routed}}},
            {"num_attention_heads", c.num_attention_heads},
            {"num_key_value_heads", c.num_key_value_heads},
            {"head_dim", c.head_dim},
            {"sliding_window", c.sliding_window},
            {"routed_experts", c.n_routed_experts},
            {"shared_experts", c.n_shared_experts},
            {"experts_per_token", c.num_experts_per_tok},
            {"expert_dtype", std::string(to_string(v4_expert_dtype(c)))},
            {"vocab_size", c.vocab_size},
            {"max_position_embeddings", c.max_position_embeddings},
        };
    } else {
        return {
            {"layers", c.num_hidden_layers},
            {"dense_layers", dense_layer_count(c)},
            {"moe_layers", moe_layer_count(c)},
            {"mtp_layers", mtp_layer_count(c)},
            {"hidden_size", c.hidden_size},
            {"attention", uses_mla(c) ? "mla" : "mha"},
            {"num_attention_heads", c.num_attention_heads},
            {"num_key_value_heads", c.num_key_value_heads},
            {"routed_experts", detail::optional_json<Json>(c.n_routed_experts)},
            {"shared_experts", detail::optional_json<Json>(c.n_shared_experts)},
            {"experts_per_token", detail::optional_json<Json>(c.num_experts_per_tok)},
            {"vocab_size", c.vocab_size},
            {"max_position_embeddings", c.max_position_embeddings},
        };
    }
}
} // namespace detail

namespace detail {
/// The string at `key` of `object` (or of its `language_config` or `text_config`), or "".
template <class Json> std::string extra_text(const Json& object, const char* key) {
    for (const Json* o : {&object, object.contains("language_config") ? &object["language_config"] : nullptr,
                          object.contains("text_config") ? &object["text_config"] : nullptr}) {
        if (o == nullptr || !o->is_object()) continue;
        const auto it = o->find(key);
        if (it != o->end() && it->is_string()) return it->template get<std::string>();
    }
    return {};
}
} // namespace detail

/// What this library does not model about a document's config, one sentence each, naming the
/// file's own text where there is one: an activation or quantisation method outside its tables
/// (they load and are saved back as read), a vision encoder that is not counted.
/// Empty when everything is modelled. (A template on the Document type, so that a translation
/// unit compiles it only when it calls it.)
template <class D> [[nodiscard]] std::vector<std::string> not_modelled(const D& doc) {
    static_assert(std::is_same_v<D, Document>, "deepseek::not_modelled takes a deepseek::Document");
    std::vector<std::string> notes;
    std::visit(
        [&](const auto& c) {
            if (c.hidden_act == HiddenAct::other) {
                notes.push_back("hidden_act \"" + detail::extra_text(doc.extra, "hidden_act") +
                                "\": an activation this library does not know (no figure depends on it)");
            }
            if (!quantization_modelled(c)) notes.push_back(detail::quantization_note(doc, c));
            if (!vision_modelled(c)) notes.push_back("vision encoder: not counted (this encoder is not modelled)");
            if constexpr (std::is_same_v<std::decay_t<decltype(c)>, DeepseekV4Config>) {
                if (quantization_modelled(c) && c.quantization_config && v4_expert_dtype(c) == ExpertDtype::fp8) {
                    notes.push_back("expert_dtype \"fp8\": the -Base checkpoints' layout (FP8 experts, every block "
                                    "scale float32) follows vLLM's loader and a third-party tensor listing of "
                                    "V4-Flash-Base; no recorded size checks its bytes");
                }
            }
            if (!checkpoint_bytes_exact(c)) {
                notes.push_back("checkpoint bytes: the released index records " +
                                std::to_string(ocr2_index_unexplained_bytes) +
                                " bytes more than the tensors counted, unexplained (the figure is as computed)");
            }
        },
        doc.config);
    return notes;
}

/// report_to_json for whichever config `cfg` holds.
template <int N = 0>
[[nodiscard]] detail::json_t<N> report_to_json(const AnyConfig& cfg, const Report& r, std::string_view source) {
    return std::visit([&](const auto& c) { return report_to_json<std::decay_t<decltype(c)>, N>(c, r, source); }, cfg);
}

/// The report of a document's config as JSON (report_to_json), with the `model_type` of the file
/// (file_model_type) and `not_modelled` (a list of sentences, empty when everything is).
template <class D, std::enable_if_t<std::is_same_v<D, Document>, int> = 0>
[[nodiscard]] nlohmann::json report_to_json(const D& doc, const Report& r, std::string_view source) {
    auto out = std::visit([&](const auto& c) { return report_to_json(c, r, source); }, doc.config);
    out["model_type"] = file_model_type(doc);
    out["not_modelled"] = not_modelled(doc);
    return out;
}

/// One GPU's weights by component as JSON (the deployment's `weights_by_component`): bytes by
/// Part name (scales count with their weights, so no `scale`), and `mtp`.
template <int N = 0> [[nodiscard]] detail::json_t<N> gpu_weights_to_json(const GpuWeights& w) {
    detail::json_t<N> out = detail::json_t<N>::object();
    for (const auto& e : enum_table<Part>::entries) {
        if (e.first != Part::scale) out[std::string(e.second)] = w.of(e.first);
    }
    out["mtp"] = w.mtp;
    return out;
}

/// A vLLM or SGLang deployment of `c` as JSON (the tool's `deployment` object): engine, tp, pp, dp,
/// ep, dp_attention, dense_tp1 and dp_lm_head (SGLang's switches; false under vLLM),
/// mm_encoder_data (vLLM's --mm-encoder-tp-mode data, SGLang's --mm-enable-dp-encoder), language_model_only (vLLM's
/// --language-model-only), vision_modelled (false: the vision encoder is not counted, and the
/// capacity is an upper bound), redundant_experts, mtp, gpus, kv_format, gpu_memory,
/// memory_fraction, reserve, usable, fits, shortfall (the largest of a stage),
/// weights_bytes_per_gpu (the largest stage's), experts_per_gpu, kv_block, kv_blocks and
/// kv_capacity_tokens (the fewest of any stage, which vLLM gives every GPU), context,
/// max_concurrency (requests of `context` tokens per pipeline), total_requests, launch; and
/// `stages`, one per pipeline stage (plan_gpu): stage, layers ([first, count]), weights_bytes,
/// weights_by_component (bytes by Part, scales with their weights, and `mtp`), fits, shortfall,
/// kv_bytes_per_token, kv_blocks, kv_capacity_tokens. Precondition: plan_deployment(c, d, f, b)
/// gave `plan` (so plan_gpu succeeds for every stage).
template <class C, class Format, int N = 0, std::enable_if_t<detail::is_kv_format_v<Format>, int> = 0>
[[nodiscard]] detail::json_t<N> deployment_plan_to_json(const C& c, const DeploymentPlan& plan, const Deployment& d,
                                                        Format f, const GpuBudget& b) {
    using Json = detail::json_t<N>;
    Json stages = Json::array();
    for (std::uint64_t s = 0; s < d.pp; ++s) {
        const GpuPlan p = plan_gpu(c, d, f, b, s).value();
        stages.push_back(Json{{"stage", p.stage},
                              {"layers", Json::array({p.weights.layers.first, p.weights.layers.count})},
                              {"weights_bytes", p.weights.total()},
                              {"weights_by_component", gpu_weights_to_json<N>(p.weights)},
                              {"fits", p.fits},
                              {"shortfall", p.shortfall},
                              {"kv_bytes_per_token", p.kv_bytes_per_token},
                              {"kv_blocks", p.kv_blocks},
                              {"kv_capacity_tokens", p.kv_tokens}});
    }
    return Json{{"engine", std::string(to_string(d.engine))},
                {"tp", d.tp},
                {"pp", d.pp},
                {"dp", d.dp},
                {"ep", d.expert_parallel},
                {"dp_attention", d.dp_attention},
                {"dense_tp1", d.dense_tp1},
                {"dp_lm_head", d.dp_lm_head},
                {"mm_encoder_data", d.mm_encoder_data},
                {"language_model_only", d.language_model_only},
                {"vision_modelled", plan.vision_modelled},
                {"redundant_experts", d.redundant_experts},
                {"mtp", d.mtp},
                {"gpus", plan.gpus},
                {"kv_format", std::string(to_string(f))},
                {"gpu_memory", b.gpu_memory},
                {"memory_fraction", b.memory_fraction},
                {"reserve", b.reserve},
                {"usable", plan.usable},
                {"fits", plan.fits},
                {"shortfall", plan.shortfall},
                {"weights_bytes_per_gpu", plan.weights_per_gpu},
                {"experts_per_gpu", plan.experts_per_gpu},
                {"kv_block", plan.entry.block},
                {"kv_blocks", plan.kv_blocks},
                {"kv_capacity_tokens", plan.kv_tokens},
                {"context", plan.context},
                {"max_concurrency", plan.max_requests},
                {"total_requests", plan.total_requests},
                {"stages", std::move(stages)},
                {"launch", launch_command(d, b, f, plan.context)}};
}

/// kv_cache_by_engine's rows as JSON, for one sequence of `tokens` tokens: an array of
/// {engine, format, bytes_per_token_per_layer, indexer_bytes_per_token_per_layer, block, tokens,
/// bytes}.
template <int N = 0>
[[nodiscard]] detail::json_t<N> kv_by_engine_to_json(const FixedVector<EngineKvRow, 16>& rows, std::uint64_t tokens) {
    using Json = detail::json_t<N>;
    Json out = Json::array();
    for (const EngineKvRow& row : rows) {
        out.push_back(Json{{"engine", std::string(to_string(row.engine))},
                           {"format", std::string(row.format)},
                           {"bytes_per_token_per_layer", row.bytes_per_token_per_layer},
                           {"indexer_bytes_per_token_per_layer", row.indexer_bytes_per_token_per_layer},
                           {"block", row.block},
                           {"tokens", tokens},
                           {"bytes", row.bytes}});
    }
    return out;
}

/// An index comparison as JSON: file, index_tensors, manifest_tensors, missing, unexpected,
/// total_size (null when absent), checkpoint_bytes, match; and, only when the index gave
/// shapes, shapes_compared and shape_mismatches ([{"name", "index_shape", "manifest_shape"}]).
template <int N = 0>
[[nodiscard]] detail::json_t<N> index_comparison_to_json(const IndexComparison& result, std::string_view file) {
    using Json = detail::json_t<N>;
    Json out = {{"file", std::string(file)},
                {"index_tensors", result.index_tensors},
                {"manifest_tensors", result.manifest_tensors},
                {"missing", result.missing},
                {"unexpected", result.unexpected},
                {"total_size", detail::optional_json<Json>(result.total_size)},
                {"checkpoint_bytes", result.checkpoint_bytes},
                {"match", result.match()}};
    if (result.shapes_compared > 0) {
        Json mismatches = Json::array();
        for (const auto& m : result.shape_mismatches) {
            mismatches.push_back(
                {{"name", m.name}, {"index_shape", m.index_shape}, {"manifest_shape", m.manifest_shape}});
        }
        out["shapes_compared"] = result.shapes_compared;
        out["shape_mismatches"] = std::move(mismatches);
    }
    return out;
}

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_REPORT_JSON_HPP
