// verify_checkpoint: a model folder's .safetensors shards (headers only) against a config. The
// checkpoints are written by checkpoint_writer.hpp as sparse files: DeepSeek-V2-Lite at full
// size (31,412,968,448 bytes of tensors: its index's total_size) costs a few megabytes. The clean
// folder's figures are those of the released checkpoint (5,291 tensors, 31,412,968,448 bytes);
// each fault is made by hand below and must be found, by name.
#include <deepseek/json.hpp>
#include <deepseek/presets.hpp>
#include <deepseek/verify.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "catch.hpp"
#include "checkpoint_writer.hpp"
#include "expected_figures.hpp"
#include "test_support.hpp"

// One namespace per test file: the files of a batch share a translation unit (tests/CMakeLists.txt).
namespace verify_test {

using namespace deepseek;
namespace P = deepseek::presets;
namespace W = checkpoint_writer;
namespace X = expected;

namespace {

/// V2-Lite in four shards, with its index, in a fresh scratch folder.
struct Folder {
    std::filesystem::path dir;
    W::Checkpoint ckpt;
    explicit Folder(const std::string& name) : dir(test_support::scratch_dir("verify") / name) {
        std::filesystem::remove_all(dir);
        ckpt = W::split(W::tensors_of(P::deepseek_v2_lite), 4);
    }
    Verification write_and_verify(const std::string& changed = {}, std::int64_t size_change = 0) {
        ckpt.write(dir, changed, size_change);
        W::write_json(dir / "model.safetensors.index.json", ckpt.index());
        return verify_checkpoint(P::deepseek_v2_lite, dir);
    }
    std::vector<W::Tensor>& shard(int k) { return std::next(ckpt.shards.begin(), k)->second; }
    std::string shard_name(int k) { return std::next(ckpt.shards.begin(), k)->first; }
};

} // namespace

TEST_CASE("verify: a full-size DeepSeek-V2-Lite checkpoint in sparse shards matches", "[verify]") {
    Folder f("clean");
    const Verification v = f.write_and_verify();
    CHECK(v.match());
    CHECK(v.shards == 4);
    CHECK(v.tensors == X::v2_lite_tensors);        // 5,291: the released index's names
    CHECK(v.bytes == X::v2_lite_checkpoint_bytes); // 31,412,968,448: its total_size
    CHECK(v.checkpoint_bytes == X::v2_lite_checkpoint_bytes);
    CHECK(v.has_index);
    CHECK(v.total_size == X::v2_lite_checkpoint_bytes);
    // The shards' data is never read: the folder holds 31 GB of holes.
    std::uint64_t on_disk = 0;
    for (const auto& e : std::filesystem::directory_iterator(f.dir)) on_disk += std::filesystem::file_size(e.path());
    CHECK(on_disk > X::v2_lite_checkpoint_bytes);
    // Without an index, the .safetensors files of the folder are the checkpoint.
    std::filesystem::remove(f.dir / "model.safetensors.index.json");
    const Verification no_index = verify_checkpoint(P::deepseek_v2_lite, f.dir);
    CHECK(no_index.match());
    CHECK_FALSE(no_index.has_index);
}

TEST_CASE("verify: each fault of a download is found, by tensor or shard", "[verify]") {
    const std::string embed = "model.embed_tokens.weight"; // in shard 1 (the first tensor)
    SECTION("a missing tensor") {
        Folder f("missing-tensor");
        f.shard(0).erase(f.shard(0).begin());
        const Verification v = f.write_and_verify();
        CHECK_FALSE(v.match());
        CHECK(v.missing == std::vector<std::string>{embed});
        CHECK(v.bytes == X::v2_lite_checkpoint_bytes - 102'400ULL * 2048 * 2);
    }
    SECTION("an extra tensor") {
        Folder f("extra-tensor");
        f.shard(1).push_back({"model.layers.0.mlp.extra.weight", "BF16", {16, 16}, 512});
        const Verification v = f.write_and_verify();
        CHECK_FALSE(v.match());
        CHECK(v.unexpected == std::vector<std::string>{"model.layers.0.mlp.extra.weight"});
    }
    SECTION("a wrong shape") {
        Folder f("wrong-shape");
        f.shard(0)[0].shape = {2048, 102'400}; // the embedding [vocab, hidden], transposed
        const Verification v = f.write_and_verify();
        REQUIRE(v.shape_mismatch.size() == 1);
        CHECK(v.shape_mismatch[0].name == embed);
        CHECK(v.shape_mismatch[0].expected == "[102400, 2048]");
        CHECK(v.shape_mismatch[0].found == "[2048, 102400]");
        CHECK(v.bytes == X::v2_lite_checkpoint_bytes); // same bytes: only the shape tells
        CHECK_FALSE(v.match());
    }
    SECTION("a wrong dtype") {
        Folder f("wrong-dtype");
        f.shard(0)[0].dtype = "F32";
        f.shard(0)[0].bytes *= 2;
        const Verification v = f.write_and_verify();
        REQUIRE(v.dtype_mismatch.size() == 1);
        CHECK(v.dtype_mismatch[0].name == embed);
        CHECK(v.dtype_mismatch[0].expected == "BF16");
        CHECK(v.dtype_mismatch[0].found == "F32");
        CHECK_FALSE(v.match());
    }
    SECTION("a truncated shard") {
        Folder f("truncated");
        const Verification v = f.write_and_verify(f.shard_name(2), -1000);
        REQUIRE(v.truncated_shards.size() == 1);
        CHECK(v.truncated_shards[0].shard == "model-00003-of-00004.safetensors");
        CHECK(v.truncated_shards[0].message.find("truncated") != std::string::npos);
        CHECK_FALSE(v.match());
    }
    SECTION("a shard with bytes after its tensors") {
        Folder f("longer");
        const Verification v = f.write_and_verify(f.shard_name(1), 7);
        REQUIRE(v.bad_shards.size() == 1);
        CHECK(v.bad_shards[0].shard == "model-00002-of-00004.safetensors");
        CHECK_FALSE(v.match());
    }
    SECTION("a missing shard") {
        Folder f("missing-shard");
        f.write_and_verify();
        std::filesystem::remove(f.dir / "model-00004-of-00004.safetensors");
        const Verification v = verify_checkpoint(P::deepseek_v2_lite, f.dir);
        CHECK(v.missing_shards == std::vector<std::string>{"model-00004-of-00004.safetensors"});
        CHECK(v.missing.size() == f.shard(3).size()); // its tensors are in no shard
        CHECK(v.shards == 3);
        CHECK_FALSE(v.match());
    }
    SECTION("an index that points to the wrong shard") {
        Folder f("wrong-index");
        f.write_and_verify();
        auto index = f.ckpt.index();
        index["weight_map"][embed] = "model-00002-of-00004.safetensors";
        W::write_json(f.dir / "model.safetensors.index.json", index);
        const Verification v = verify_checkpoint(P::deepseek_v2_lite, f.dir);
        REQUIRE(v.misplaced.size() == 1);
        CHECK(v.misplaced[0].name == embed);
        CHECK(v.misplaced[0].expected == "model-00002-of-00004.safetensors");
        CHECK(v.misplaced[0].found == "model-00001-of-00004.safetensors");
        CHECK_FALSE(v.match());
    }
    SECTION("a tensor in two shards") {
        Folder f("duplicate");
        f.shard(3).push_back(f.shard(0)[0]);
        const Verification v = f.write_and_verify();
        CHECK(v.duplicates == std::vector<std::string>{embed});
        CHECK_FALSE(v.match());
    }
    SECTION("a config from another model") {
        Folder f("other-config");
        f.write_and_verify();
        // DeepSeek-V2 (236B): 60 layers, hidden 5120, 160 experts, against V2-Lite's shards.
        const Verification v = verify_checkpoint(P::deepseek_v2, f.dir);
        CHECK_FALSE(v.match());
        CHECK_FALSE(v.missing.empty());
        CHECK_FALSE(v.shape_mismatch.empty());
        CHECK(v.checkpoint_bytes != v.bytes);
    }
    SECTION("a shard whose header is not one") {
        Folder f("bad-header");
        f.write_and_verify();
        test_support::write_text(f.dir / "model-00002-of-00004.safetensors", std::string(8, '\0') + "junk");
        const Verification v = verify_checkpoint(P::deepseek_v2_lite, f.dir);
        REQUIRE(v.bad_shards.size() == 1);
        CHECK(v.bad_shards[0].shard == "model-00002-of-00004.safetensors");
        CHECK(v.bad_shards[0].message.find("header length is 0") != std::string::npos);
    }
}

TEST_CASE("verify: the released V2-Lite index's shards and names", "[verify][corpus]") {
    REQUIRE_CORPUS();
    // The real index names each tensor's shard: write the shards as it lays them out.
    const auto real = nlohmann::json::parse(
        test_support::read_text(test_support::corpus_file("deepseek-v2-lite.safetensors.index.json")));
    std::map<std::string, W::Tensor> by_name;
    for (const W::Tensor& t : W::tensors_of(P::deepseek_v2_lite)) by_name[t.name] = t;
    W::Checkpoint ckpt;
    for (auto it = real["weight_map"].begin(); it != real["weight_map"].end(); ++it) {
        REQUIRE(by_name.count(it.key()) == 1);
        ckpt.shards[it.value().get<std::string>()].push_back(by_name[it.key()]);
    }
    const auto dir = test_support::scratch_dir("verify") / "released-layout";
    std::filesystem::remove_all(dir);
    ckpt.write(dir);
    W::write_json(dir / "model.safetensors.index.json", real);
    const Verification v = verify_checkpoint(P::deepseek_v2_lite, dir);
    CHECK(v.match());
    CHECK(v.shards == 4);
    CHECK(v.total_size == 31'412'968'448ULL);
    CHECK(v.bytes == 31'412'968'448ULL);
}

TEST_CASE("verify: as JSON, lists cut and counted", "[verify]") {
    Folder f("json");
    f.shard(0).erase(f.shard(0).begin(), f.shard(0).begin() + 5);
    const Verification v = f.write_and_verify();
    const nlohmann::json j = verification_to_json(v, f.dir.string(), 2);
    CHECK(j.at("match") == false);
    CHECK(j.at("missing").size() == 2);
    CHECK(j.at("counts").at("missing") == 5);
    CHECK(j.at("shards") == 4);
    CHECK(j.at("checkpoint_bytes") == X::v2_lite_checkpoint_bytes);
}

} // namespace verify_test
