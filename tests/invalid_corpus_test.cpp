// Hostile input: the bad-config corpus in tests/data/invalid (each file with its expected JSON
// pointer, error kind and message in cases.json), inputs too big to commit (deep nesting, long
// strings) generated here, the documented limits, duplicate keys, a byte-order mark, values whose
// arithmetic overflows 64 bits, and file handling.
#include <deepseek/json.hpp>
#include <deepseek/memory.hpp>
#include <deepseek/report.hpp>

#include <chrono>
#include <future>
#include <set>

#if defined(__unix__) || defined(__APPLE__)
#include <fcntl.h>    // open, to release a reader stuck on a FIFO
#include <sys/stat.h> // mkfifo
#include <unistd.h>   // close
#define DEEPSEEK_CONFIG_TEST_HAVE_FIFO 1
#endif

#include "catch.hpp"
#include "queries.hpp"
#include "test_support.hpp"

// One namespace per test file: the files of a batch share a translation unit (tests/CMakeLists.txt).
namespace invalid_corpus_test {

using namespace deepseek;
using namespace test_support;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::optional<ErrorKind> kind_from_string(const std::string& text) {
    for (const ErrorKind k :
         {ErrorKind::syntax, ErrorKind::type, ErrorKind::range, ErrorKind::unknown_value, ErrorKind::missing_key,
          ErrorKind::unknown_model, ErrorKind::type_mismatch, ErrorKind::io}) {
        if (to_string(k) == text) return k;
    }
    return std::nullopt;
}

deepseek::Error parse_error_of(std::string_view text) {
    try {
        (void)parse_config(text);
    } catch (const deepseek::Error& e) {
        return e;
    }
    FAIL("no error for this document");
    throw std::logic_error("unreachable");
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string nested(std::size_t depth, char open, char close, const std::string& inner) {
    std::string out;
    out.reserve(depth * 6 + inner.size());
    for (std::size_t i = 0; i < depth; ++i) out += open == '{' ? std::string("{\"a\":") : std::string(1, open);
    out += inner;
    out.append(depth, close);
    return out;
}

void write_file(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
}

} // namespace

TEST_CASE("Every bad config of the corpus fails with its pointer, kind and message", "[invalid][corpus]") {
    const fs::path dir = test_support::data_file("invalid");
    const json cases = json::parse(test_support::read_text(dir / "cases.json"));
    REQUIRE(cases.is_array());
    CHECK(cases.size() >= 60);

    std::set<std::string> listed;
    for (const auto& c : cases) {
        const std::string name = c.at("file").get<std::string>();
        CHECK(listed.insert(name).second); // each file listed once
        const fs::path file = dir / name;
        INFO(name << ": " << c.at("what").get<std::string>());
        const auto kind = kind_from_string(c.at("kind").get<std::string>());
        REQUIRE(kind);
        try {
            (void)load_config(file);
            FAIL_CHECK("loaded without an error");
        } catch (const deepseek::Error& e) {
            CHECK(e.file() == file.string());
            CHECK(e.pointer() == c.at("pointer").get<std::string>());
            CHECK(to_string(e.kind()) == to_string(*kind));
            INFO("message: " << e.message());
            CHECK(contains(e.message(), c.at("message").get<std::string>()));
            // A message stays readable whatever the input held.
            CHECK(e.message().size() < 1000);
        }
        // The non-throwing entry point gives the same error.
        const auto r = try_parse_config(test_support::read_text(file));
        REQUIRE_FALSE(r);
        CHECK(r.error().kind() == *kind);
    }

    // Every file of the folder has its expectations.
    for (const auto& entry : fs::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        if (name == "cases.json") continue;
        INFO(name);
        CHECK(listed.count(name) == 1);
    }
}

TEST_CASE("Nesting deeper than max_nesting_depth is refused before it is parsed", "[invalid][nesting]") {
    // 100000 levels: nlohmann's parser and destructor cope, but copying or printing the tree
    // recurses once per level. Generated here rather than committed (200 KB).
    for (const char open : {'[', '{'}) {
        const char close = open == '[' ? ']' : '}';
        const std::string deep = nested(100000, open, close, "1");
        const deepseek::Error e = parse_error_of(deep);
        CHECK(e.kind() == ErrorKind::syntax);
        CHECK(e.pointer().empty());
        CHECK(e.message() == "JSON nested deeper than 128 levels at line 1, column " +
                                 std::to_string(open == '[' ? 129 : 128 * 5 + 1));
    }
    // Deep inside an otherwise valid config, and unclosed (a truncated file).
    const std::string inside = R"({"model_type": "deepseek_v3", "extra": )" + nested(100000, '[', ']', "0") + "}";
    CHECK(parse_error_of(inside).kind() == ErrorKind::syntax);
    CHECK(parse_error_of(std::string(100000, '[')).kind() == ErrorKind::syntax);
    CHECK(parse_error_of(std::string(100000, '{')).kind() == ErrorKind::syntax);

    // Brackets inside strings do not count, escaped quotes included.
    const std::string in_string = R"({"model_type": "deepseek_v3", "note": "\")" + std::string(1000, '[') + "\"}";
    CHECK(parse_document(in_string).extra.at("note").get<std::string>().size() == 1001);

    // Exactly the limit is accepted (the root object is level 1) and survives a round trip.
    const std::string at_limit =
        R"({"model_type": "deepseek_v3", "extra": )" + nested(max_nesting_depth - 1, '[', ']', "0") + "}";
    const Document doc = parse_document(at_limit);
    CHECK(parse_document(document_to_json(doc).dump()).extra == doc.extra);
    const std::string over_limit =
        R"({"model_type": "deepseek_v3", "extra": )" + nested(max_nesting_depth, '[', ']', "0") + "}";
    CHECK(parse_error_of(over_limit).kind() == ErrorKind::syntax);
}

TEST_CASE("Very long strings are read, kept, and shortened in messages", "[invalid][strings]") {
    const std::string long_text(16u * 1024u * 1024u, 'x');
    // In a closed set: an error whose message quotes a short prefix only.
    const deepseek::Error e = parse_error_of(R"({"model_type": "deepseek_v3", "topk_method": ")" + long_text + "\"}");
    CHECK(e.pointer() == "/topk_method");
    CHECK(e.kind() == ErrorKind::unknown_value);
    CHECK(contains(e.message(), "unknown value \"xxxxxxxx"));
    CHECK(contains(e.message(), "...; accepted: \"gready\""));
    // In an open set (hidden_act): it loads, and the text is kept whole.
    const Document act = parse_document(R"({"model_type": "deepseek_v3", "hidden_act": ")" + long_text + "\"}");
    CHECK(std::get<DeepseekV3Config>(act.config).hidden_act == HiddenAct::other);
    CHECK(act.extra.at("hidden_act").get_ref<const std::string&>().size() == long_text.size());
    CHECK(e.message().size() < 300);
    // As model_type: likewise.
    const deepseek::Error m = parse_error_of(R"({"model_type": ")" + long_text + "\"}");
    CHECK(m.kind() == ErrorKind::unknown_model);
    CHECK(m.message().size() < 1000);
    // In a key the typed fields do not hold: kept as is.
    const Document doc = parse_document(R"({"model_type": "deepseek_v3", "note": ")" + long_text + "\"}");
    CHECK(doc.extra.at("note").get_ref<const std::string&>().size() == long_text.size());
}

TEST_CASE("Duplicate keys: the last value wins", "[invalid][duplicates]") {
    // nlohmann_json keeps the last, as Python's json (and so transformers) does.
    const auto v3 = parse_config<DeepseekV3Config>(
        R"({"model_type": "deepseek_v3", "hidden_size": 0, "hidden_size": 2048, "num_hidden_layers": 4})");
    CHECK(v3.hidden_size == 2048);
    const auto nested_dup = parse_config<DeepseekV3Config>(
        R"({"model_type": "deepseek_v3", "rope_scaling": {"type": "linear", "factor": 0.5, "factor": 4}})");
    REQUIRE(nested_dup.rope_scaling);
    CHECK(nested_dup.rope_scaling->factor == 4.0);
    // The last model_type decides the class.
    CHECK(std::holds_alternative<DeepseekV2Config>(
        parse_config(R"({"model_type": "deepseek_v3", "model_type": "deepseek_v2"})")));
}

TEST_CASE("A UTF-8 byte-order mark is accepted and not written back", "[invalid][bom]") {
    const std::string text = "\xEF\xBB\xBF{\"model_type\": \"deepseek_v3\", \"num_hidden_layers\": 3}";
    CHECK(parse_config<DeepseekV3Config>(text).num_hidden_layers == 3);
    const fs::path dir = test_support::scratch_dir("bom");
    const fs::path file = dir / "config.json";
    write_file(file, text);
    const Document doc = load_document(file);
    save_document(doc, file);
    const std::string saved = test_support::read_text(file);
    REQUIRE_FALSE(saved.empty());
    CHECK(saved[0] == '{');
    CHECK(load_config<DeepseekV3Config>(file).num_hidden_layers == 3);
    // A BOM anywhere but the start is not whitespace.
    CHECK(parse_error_of("{\"model_type\": \"deepseek_v3\"}\xEF\xBB\xBF").kind() == ErrorKind::syntax);
}

TEST_CASE("The documented limits: at the limit accepted, beyond refused", "[invalid][limits]") {
    CHECK(max_dimension == 4294967296u);
    CHECK(max_layers == 4096u);
    const auto at_limit = parse_config<DeepseekV3Config>(
        R"({"model_type": "deepseek_v3", "vocab_size": 4294967296, "num_hidden_layers": 4096,
            "num_nextn_predict_layers": 4096, "first_k_dense_replace": 4096})");
    CHECK(at_limit.vocab_size == max_dimension);
    CHECK(at_limit.num_hidden_layers == max_layers);
    const deepseek::Error e = parse_error_of(R"({"model_type": "deepseek_v3", "vocab_size": 4294967297})");
    CHECK(e.pointer() == "/vocab_size");
    CHECK(e.message() == "must be at most 2^32 (4294967296), the limit for any size or count, found 4294967297");
    const deepseek::Error layers = parse_error_of(R"({"model_type": "deepseek_v2", "num_hidden_layers": 4097})");
    CHECK(layers.pointer() == "/num_hidden_layers");
    CHECK(layers.message() == "must be at most 4096 layers, the limit of this reader, found 4097");
    // Inside language_config (VL2) the pointer says so.
    const deepseek::Error vl2 = parse_error_of(
        R"({"architectures": ["DeepseekVLV2ForCausalLM"], "language_config": {"num_hidden_layers": 5000}})");
    CHECK(vl2.pointer() == "/language_config/num_hidden_layers");
    // A SAM tower deeper than the limit.
    const deepseek::Error sam = parse_error_of(R"({"architectures": ["DeepseekOCRForCausalLM"], "use_mla": false,
        "hidden_size": 1280, "num_attention_heads": 10, "num_key_value_heads": 10,
        "vision_config": {"width": {"sam_vit_b": {"layers": 4097}}}})");
    CHECK(sam.pointer() == "/vision_config/width/sam_vit_b/layers");
    CHECK(sam.kind() == ErrorKind::range);
}

TEST_CASE("Sizes that parse but overflow 64 bits are reported as overflow, never wrapped", "[invalid][overflow]") {
    // vocab_size x hidden_size = 2^64: each value within the limits, their product not.
    const auto huge = parse_config<DeepseekV3Config>(
        R"({"model_type": "deepseek_v3", "vocab_size": 4294967296, "hidden_size": 4294967296,
            "num_hidden_layers": 4096})");
    CHECK_THROWS_AS(parameter_count(huge), ArithmeticOverflow);
    CHECK_THROWS_AS(param_breakdown(huge), ArithmeticOverflow);
    CHECK_THROWS_AS(checkpoint_bytes(huge), ArithmeticOverflow);
    CHECK_THROWS_AS(weight_bytes(huge, Dtype::bf16), ArithmeticOverflow);
    try {
        (void)checkpoint_bytes(huge);
    } catch (const ArithmeticOverflow& e) {
        CHECK(e.kind() == ErrorKind::overflow);
        CHECK(e.message() == "uint64 overflow computing tensor elements");
    }
    // The functions that return a result give the overflow as its error, and throw nothing.
    const SizeResult per_rank = weight_bytes_per_rank(huge, weight_query(Dtype::bf16, 1));
    REQUIRE_FALSE(per_rank.has_value());
    CHECK(per_rank.error() == MemoryError::overflow);
    CHECK(weight_bytes_per_rank(huge, weight_query(std::nullopt, 1)).error() == MemoryError::overflow);
    const auto report = make_report(huge, ReportOptions{});
    REQUIRE_FALSE(report.has_value());
    CHECK(report.error() == MemoryError::overflow);
    // The tensor count itself is small: the overflow is in sizes, not counts.
    CHECK(tensor_count(huge) > 0);

    // The KV cache of a huge attention over a long context.
    const auto wide_kv = parse_config<DeepseekV3Config>(
        R"({"model_type": "deepseek_v3", "num_attention_heads": 4294967296, "num_key_value_heads": 4294967296,
            "qk_nope_head_dim": 4294967296, "v_head_dim": 4294967296, "num_hidden_layers": 4})");
    CHECK(kv_cache_bytes(wide_kv, kv_query(KvLayout::expanded, 1, 1, Dtype::bf16, 1)).error() == MemoryError::overflow);
    CHECK(max_context_tokens(wide_kv, budget_query(1u << 30, Dtype::bf16, KvLayout::expanded, Dtype::bf16, 1, 1))
              .error() == MemoryError::overflow);
    // value() on it throws the overflow as an Error.
    try {
        (void)kv_cache_bytes(wide_kv, kv_query(KvLayout::expanded, 1, 1, Dtype::bf16, 1)).value();
        FAIL("value() of an overflow did not throw");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::overflow);
        CHECK(e.message() == "a figure of this query does not fit in 64 bits");
    }
    // The latent layout of the same model is small: a number, and the right one.
    const SizeResult latent = kv_cache_bytes(wide_kv, kv_query(KvLayout::latent, 1, 1, Dtype::bf16, 1));
    REQUIRE(latent);
    CHECK(latent.value() == (512u + 64u) * 4u * 2u);
}

TEST_CASE("File handling", "[invalid][files]") {
    const fs::path dir = test_support::scratch_dir("files");
    SECTION("a dangling symlink is a missing file") {
        const fs::path link = dir / "dangling.json";
        std::error_code ignored;
        fs::remove(link, ignored);
        fs::create_symlink(dir / "nowhere.json", link);
        const auto r = try_load_config(link);
        REQUIRE_FALSE(r);
        CHECK(r.error().kind() == ErrorKind::io);
        CHECK(r.error().message() == "no such file");
    }
    SECTION("a folder whose config.json is a folder") {
        // Root cannot read a folder as a config either (unlike a mode-000 file).
        const fs::path model = dir / "model_with_dir";
        fs::create_directories(model / "config.json");
        const auto r = try_load_config(model);
        REQUIRE_FALSE(r);
        CHECK(r.error().kind() == ErrorKind::io);
        CHECK(r.error().message() == "not a regular file");
        CHECK(r.error().file() == (model / "config.json").string());
        CHECK(r.error().pointer().empty());
        // Named directly, that config.json is a model folder without a config.json of its own.
        const auto direct = try_load_config(model / "config.json");
        REQUIRE_FALSE(direct);
        CHECK(direct.error().kind() == ErrorKind::io);
        CHECK(direct.error().message() == "the folder holds no config.json");
        CHECK(direct.error().file() == (model / "config.json").string());
    }
#ifdef DEEPSEEK_CONFIG_TEST_HAVE_FIFO
    SECTION("a FIFO named config.json is not a regular file, refused without blocking") {
        // Root reads a mode-000 file, so a chmod'ed file proves nothing where the tests run as
        // root (CI). No one reads a config from a FIFO: the loader must refuse it by its type,
        // before opening it (an open for reading would wait for a writer forever).
        const fs::path model = dir / "model_with_fifo";
        const fs::path fifo = model / "config.json";
        std::error_code ignored;
        fs::remove_all(model, ignored);
        fs::create_directories(model);
        REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
        REQUIRE(fs::is_fifo(fifo));
        for (const fs::path& given : {model, fifo}) { // the model folder, and the FIFO by name
            INFO("loading " << given.string());
            auto pending = std::async(std::launch::async, [given] { return try_load_config(given); });
            if (pending.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
                // Stuck on the FIFO: a writer that opens and closes it ends the wait (end of file),
                // so the test fails instead of hanging.
                const int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
                if (fd >= 0) ::close(fd);
                FAIL("try_load_config blocked on a FIFO named config.json");
            }
            const auto r = pending.get();
            REQUIRE_FALSE(r);
            CHECK(r.error().kind() == ErrorKind::io);
            CHECK(r.error().message() == "not a regular file");
            CHECK(r.error().file() == fifo.string());
            CHECK(r.error().pointer().empty());
        }
        fs::remove_all(model, ignored);
    }
#endif
    SECTION("a device is not a regular file") {
        if (!fs::exists("/dev/null")) return;
        const auto r = try_load_config("/dev/null");
        REQUIRE_FALSE(r);
        CHECK(r.error().message() == "not a regular file");
    }
    SECTION("a file of exactly max_file_size is read (and then judged by its content)") {
        const fs::path file = dir / "at_limit.json";
        write_file(file, R"({"model_type": "deepseek_v3"})");
        fs::resize_file(file, max_file_size); // the rest is NUL bytes
        const auto r = try_load_config(file);
        REQUIRE_FALSE(r);
        CHECK(r.error().kind() == ErrorKind::syntax);
        fs::remove(file);
    }
}

TEST_CASE("A failed save leaves the target as it was", "[invalid][save]") {
    const fs::path dir = test_support::scratch_dir("save");
    const Document doc = parse_document(R"({"model_type": "deepseek_v3", "num_hidden_layers": 4})");
    SECTION("the folder does not exist") {
        const fs::path target = dir / "no_such_folder" / "config.json";
        try {
            save_document(doc, target);
            FAIL("expected an error");
        } catch (const deepseek::Error& e) {
            CHECK(e.kind() == ErrorKind::io);
            CHECK(e.message() == "cannot open for writing: No such file or directory");
            CHECK(e.file() == target.string());
            CHECK(e.pointer().empty());
        }
        CHECK_FALSE(fs::exists(target.parent_path()));
    }
    SECTION("the target is a folder: the rename fails and the temporary is removed") {
        const fs::path target = dir / "occupied";
        fs::create_directories(target / "keep");
        try {
            save_document(doc, target);
            FAIL("expected an error");
        } catch (const deepseek::Error& e) {
            CHECK(e.kind() == ErrorKind::io);
            CHECK(e.message().rfind("cannot replace the file: ", 0) == 0);
        }
        CHECK(fs::is_directory(target / "keep"));
        for (const auto& entry : fs::directory_iterator(dir)) {
            CHECK(entry.path().filename().string().rfind(".occupied.", 0) == std::string::npos);
        }
    }
}

TEST_CASE("Our valid fixtures survive load -> save -> load", "[invalid][roundtrip]") {
    const fs::path dir = test_support::scratch_dir("fixtures");
    for (const auto& entry : fs::directory_iterator(test_support::data_file(""))) {
        if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
        INFO(entry.path().filename().string());
        const Document doc = load_document(entry.path());
        const fs::path saved = dir / entry.path().filename();
        save_document(doc, saved);
        const Document again = load_document(saved);
        CHECK(again.config == doc.config);
        CHECK(again.layout == doc.layout);
        CHECK(again.extra == doc.extra);
    }
}

namespace {

// Every typed key of config C, each given every JSON type: either the value is one the key takes
// (null for a nullable key, a float for a float, ...) or the error's pointer is that key's.
template <class C> void every_field_with_every_type(const json& base) {
    const std::vector<json> values{json("x"),     json(true),    json(12.5),     json(-3),
                                   json(nullptr), json::array(), json::object(), json::array({1, "a"})};
    std::size_t fields = 0;
    field_list<C>::visit([&](const char* key, auto member) {
        using Field = std::decay_t<decltype(std::declval<C&>().*member)>;
        ++fields;
        for (const json& value : values) {
            json doc = base;
            doc[key] = value;
            INFO(class_name<C>() << ": " << key << " = " << value.dump());
            const auto r = try_parse_config(doc.dump());
            if (r) {
                // Only a value of the field's own JSON type may pass (any string, for an open set).
                if (!is_open_enum_v<Field>) CHECK_FALSE(value.is_string());
                if (value.is_boolean()) CHECK(std::is_same_v<Field, bool>);
                continue;
            }
            const std::string prefix = std::string("/") + key;
            CHECK(r.error().pointer().compare(0, prefix.size(), prefix) == 0);
            CHECK(r.error().kind() != ErrorKind::io);
        }
    });
    CHECK(fields > 30);
}

} // namespace

TEST_CASE("Every typed field with every wrong JSON type names that field", "[invalid][types]") {
    every_field_with_every_type<DeepseekV2Config>(json{{"model_type", "deepseek_v2"}});
    every_field_with_every_type<DeepseekV3Config>(json{{"model_type", "deepseek_v3"}});
    every_field_with_every_type<DeepseekOCRConfig>(json{{"architectures", {"DeepseekOCRForCausalLM"}},
                                                        {"use_mla", false},
                                                        {"hidden_size", 1280},
                                                        {"num_attention_heads", 10},
                                                        {"num_key_value_heads", 10}});
}

} // namespace invalid_corpus_test
