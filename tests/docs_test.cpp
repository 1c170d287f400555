// The documentation cannot drift from the code: every ```console example of README.md and
// docs/*.md is run with the built tool and its output compared byte for byte, the ```cpp blocks
// counted here are the ones tests/docs.cmake compiles, and the CMake snippets of
// docs/integration.md are the ones the consumer projects build; the README names every public
// header.
//
// A console block holds commands and their output:
//
//   $ deepseek-config --preset deepseek-ocr --image 1654x2339
//   <exactly what the command prints, stdout and stderr together>
//
// Each `$ deepseek-config ...` line runs from the source folder with the built binary in place
// of `deepseek-config` and `2>&1`; the lines up to the next `$ ` line or the end of the block are
// its expected output.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "catch.hpp"
#include "test_support.hpp"

// One namespace per test file: the files of a batch share a translation unit (tests/CMakeLists.txt).
namespace docs_test {

namespace fs = std::filesystem;

namespace {

const fs::path source_dir{DEEPSEEK_CONFIG_SOURCE_DIR};

/// README.md and every docs/*.md, in a fixed order.
std::vector<fs::path> doc_files() {
    std::vector<fs::path> files{source_dir / "README.md"};
    std::vector<fs::path> pages;
    if (fs::is_directory(source_dir / "docs")) {
        for (const auto& entry : fs::directory_iterator(source_dir / "docs")) {
            if (entry.path().extension() == ".md") pages.push_back(entry.path());
        }
    }
    std::sort(pages.begin(), pages.end());
    files.insert(files.end(), pages.begin(), pages.end());
    return files;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = text.find('\n', start);
        if (end == std::string::npos) {
            lines.push_back(text.substr(start));
            break;
        }
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

/// A fenced block: its info string (`console`, `cpp`...), the line of its first content line,
/// and its content lines.
struct Block {
    std::string info;
    std::size_t first_line = 0;
    std::vector<std::string> lines;
};

std::vector<Block> blocks_of(const fs::path& file) {
    const auto lines = lines_of(test_support::read_text(file));
    std::vector<Block> blocks;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].rfind("```", 0) != 0) continue;
        Block b;
        b.info = lines[i].substr(3);
        b.first_line = i + 2;
        for (++i; i < lines.size() && lines[i] != "```"; ++i) b.lines.push_back(lines[i]);
        REQUIRE(i < lines.size()); // an unclosed block
        blocks.push_back(b);
    }
    return blocks;
}

/// One command of a console block and the output it must print.
struct Example {
    std::string where; // file:line
    std::string args;  // after "deepseek-config"
    std::string expected;
};

const std::string prompt = "$ deepseek-config";

std::vector<Example> console_examples() {
    std::vector<Example> examples;
    for (const auto& file : doc_files()) {
        const std::string name = fs::relative(file, source_dir).generic_string();
        for (const auto& block : blocks_of(file)) {
            if (block.info != "console") continue;
            for (std::size_t i = 0; i < block.lines.size(); ++i) {
                const std::string& line = block.lines[i];
                const std::string where = name + ":" + std::to_string(block.first_line + i);
                INFO(where << ": " << line);
                // Every command of a console block is the tool, so every one is checked.
                REQUIRE(line.rfind("$ ", 0) == 0);
                REQUIRE((line == prompt || line.rfind(prompt + " ", 0) == 0));
                Example e{where, line.substr(prompt.size()), ""};
                for (; i + 1 < block.lines.size() && block.lines[i + 1].rfind("$ ", 0) != 0; ++i) {
                    e.expected += block.lines[i + 1] + "\n";
                }
                examples.push_back(e);
            }
        }
    }
    return examples;
}

std::string quote(const std::string& s) { return "'" + s + "'"; }

/// Runs the tool from the source folder, stdout and stderr together.
std::string run_from_source_dir(const std::string& args) {
    const std::string command =
        "cd " + quote(source_dir.string()) + " && " + quote(DEEPSEEK_CONFIG_CLI) + args + " 2>&1 < /dev/null";
    std::FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string out;
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
    ::pclose(pipe);
    return out;
}

/// The text between "# --- docs/integration.md snippet: ..." and "# --- end of snippet".
std::vector<std::string> consumer_snippets() {
    std::vector<std::string> snippets;
    for (const auto& entry : fs::directory_iterator(source_dir / "tests" / "consumer")) {
        const fs::path cmake = entry.path() / "CMakeLists.txt";
        if (!fs::is_regular_file(cmake)) continue;
        std::string snippet;
        bool inside = false;
        for (const auto& line : lines_of(test_support::read_text(cmake))) {
            if (line.rfind("# --- docs/integration.md snippet:", 0) == 0) {
                inside = true;
            } else if (inside && line == "# --- end of snippet") {
                snippets.push_back(snippet);
                inside = false;
            } else if (inside) {
                snippet += line + "\n";
            }
        }
    }
    return snippets;
}

} // namespace

TEST_CASE("Every console example of the documentation prints what it shows", "[docs]") {
    const auto examples = console_examples();
    REQUIRE_FALSE(examples.empty()); // finding none would prove nothing
    for (const auto& e : examples) {
        INFO(e.where << ": $ deepseek-config" << e.args);
        CHECK(run_from_source_dir(e.args) == e.expected);
    }
    std::cout << examples.size() << " console examples checked\n";
}

TEST_CASE("The cpp blocks counted here are the ones tests/docs.cmake compiles", "[docs]") {
    std::size_t count = 0;
    for (const auto& file : doc_files()) {
        for (const auto& block : blocks_of(file)) {
            if (block.info == "cpp") ++count;
        }
    }
    CHECK(count > 0);
    CHECK(count == std::size_t{DEEPSEEK_CONFIG_DOCS_CPP_BLOCKS});
}

TEST_CASE("The CMake snippets the consumer projects build are in docs/integration.md", "[docs]") {
    std::vector<std::string> documented;
    for (const auto& block : blocks_of(source_dir / "docs" / "integration.md")) {
        if (block.info != "cmake") continue;
        std::string text;
        for (const auto& line : block.lines) text += line + "\n";
        documented.push_back(text);
    }
    const auto snippets = consumer_snippets();
    CHECK(snippets.size() >= 2); // FetchContent from git and from a tarball
    for (const auto& snippet : snippets) {
        INFO(snippet);
        CHECK(std::find(documented.begin(), documented.end(), snippet) != documented.end());
    }
}

TEST_CASE("The README names every public header", "[docs]") {
    const std::string readme = test_support::read_text(source_dir / "README.md");
    std::size_t headers = 0;
    for (const auto& entry : fs::directory_iterator(source_dir / "include" / "deepseek")) {
        if (entry.path().extension() != ".hpp") continue;
        ++headers;
        const std::string name = "`deepseek/" + entry.path().filename().string() + "`";
        INFO(name);
        CHECK(readme.find(name) != std::string::npos);
    }
    CHECK(headers > 0);
}

} // namespace docs_test
