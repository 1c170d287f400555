#!/usr/bin/env python3
"""Times compiling one translation unit per header set; prints the medians and the differences.

usage: compile_cost.py [CXX] [RUNS] [--instructions]   (defaults: c++, 9)
       compile_cost.py --show                         (prints the translation units)

Each translation unit is a full compile to an object file (-std=c++17 -O0 -c), as a user's build
does. The pairs the targets are about:
  memory.hpp    vs  an empty TU that includes <cstdint>        (target: adds < 0.15 s)
  deepseek.hpp  vs  a TU that includes only <nlohmann/json.hpp> (target: adds < 15 %)
  every core header (all of include/deepseek/ but the JSON headers cmake/core-headers.cmake
                vs  the standard headers they include, alone           (target: at most 2x)
                lists)
One more row shows the floor under memory.hpp: the standard headers it includes, alone. The
standard headers of a set of our headers are found by scanning their `#include <...>` lines; one
under a platform condition (`#if defined(_WIN32)` ... `#else`) keeps that condition around it.

The time is the compiler's CPU time (user + system, from getrusage), not the wall clock, and the
runs of the translation units are interleaved, so a burst of load on the machine falls on all of
them alike. With g++, the compiler's own count of the memory it allocated (-ftime-report's GGC
total), which repeats exactly from run to run, is printed beside the time.
"""
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
INCLUDE = os.path.join(ROOT, "include")


INCLUDE_RE = re.compile(r'\s*#\s*include\s+([<"])([^>"]+)[>"]')
CONDITION_RE = re.compile(r"\s*#\s*(if|ifdef|ifndef|elif|else|endif)\b\s*(.*?)\s*(//.*)?$")


def scan_header(name):
    """The includes of include/<name>: [(kind, header, condition)], kind "<" or '"', condition the
    preprocessor expression the include is under ("" when none; the include guard is not one)."""
    found, stack = [], []  # stack: the expression of each open #if block, as it stands at this line
    with open(os.path.join(INCLUDE, name)) as f:
        lines = f.read().splitlines()
    guard = None
    for line in lines:
        m = CONDITION_RE.match(line)
        if m:
            word, expr = m.group(1), m.group(2)
            if word == "ifndef" and guard is None and not stack and expr.endswith("_HPP"):
                guard = expr
                stack.append(None)  # the include guard: no condition
            elif word in ("if", "ifdef", "ifndef"):
                expr = {"if": expr, "ifdef": f"defined({expr})", "ifndef": f"!defined({expr})"}[word]
                stack.append([expr, [expr]])  # [the condition of this branch, of every branch so far]
            elif word == "elif":
                block = stack[-1]
                block[0] = f"!({' || '.join(block[1])}) && ({expr})"
                block[1].append(expr)
            elif word == "else":
                block = stack[-1]
                block[0] = f"!({' || '.join(block[1])})"
            else:
                stack.pop()
            continue
        m = INCLUDE_RE.match(line)
        if m:
            open_blocks = [b[0] for b in stack if b is not None]
            condition = open_blocks[0] if len(open_blocks) == 1 else " && ".join(f"({c})" for c in open_blocks)
            found.append((m.group(1), m.group(2), condition))
    return found


def standard_headers_of(headers):
    """The <...> includes of some of our headers (names under include/, "deepseek/memory.hpp"), and
    of the headers of ours they include: [(header, condition)], in the order first met."""
    found, todo, seen = [], list(headers), set()
    while todo:
        name = os.path.normpath(todo.pop(0))
        if name in seen:
            continue
        seen.add(name)
        for kind, header, condition in scan_header(name):
            if kind == '"':
                todo.append(os.path.join(os.path.dirname(name), header))
            elif header.startswith(("deepseek/", "nlohmann/")):
                raise SystemExit(f"{name} includes <{header}>: not a standard header")
            elif (header, "") not in found and (header, condition) not in found:
                found.append((header, condition))
    unconditional = {h for h, c in found if not c}
    return [(h, c) for h, c in found if not c or h not in unconditional]


def json_header_list():
    """cmake/core-headers.cmake's list of JSON headers and its regular expression of more."""
    with open(os.path.join(ROOT, "cmake", "core-headers.cmake")) as f:
        text = f.read()
    listed = re.search(r"set\(DEEPSEEK_CONFIG_JSON_HEADERS\s+([^)]*)\)", text).group(1).split()
    pattern = re.search(r'set\(DEEPSEEK_CONFIG_JSON_HEADERS_REGEX\s+"([^"]*)"\)', text).group(1)
    return set(listed), re.compile(pattern.replace("\\\\", "\\"))


def core_headers():
    """Every header under include/deepseek/ (detail/ too) that is not a JSON header, sorted: the
    headers of deepseek_config::core, as cmake/core-headers.cmake defines them."""
    listed, pattern = json_header_list()
    headers = []
    for folder, _, files in os.walk(os.path.join(INCLUDE, "deepseek")):
        for file in files:
            if file.endswith(".hpp"):
                name = os.path.relpath(os.path.join(folder, file), INCLUDE).replace(os.sep, "/")
                if name not in listed and not pattern.search(name):
                    headers.append(name)
    return sorted(headers)


def source(headers):
    """A translation unit including `headers`: names, or (name, condition) pairs."""
    text = ""
    for h in headers:
        name, condition = (h, "") if isinstance(h, str) else h
        text += f"#if {condition}\n#include <{name}>\n#endif\n" if condition else f"#include <{name}>\n"
    return text + "int main() { return 0; }\n"


UNITS = [
    ("`<cstdint>`", source(["cstdint"])),
    ("the standard headers `memory.hpp` includes", source(standard_headers_of(["deepseek/memory.hpp"]))),
    ("`<deepseek/memory.hpp>`", source(["deepseek/memory.hpp"])),
    ("`<nlohmann/json.hpp>`", source(["nlohmann/json.hpp"])),
    ("`<deepseek/deepseek.hpp>` (everything)", source(["deepseek/deepseek.hpp"])),
    ("the standard headers the core headers include", source(standard_headers_of(core_headers()))),
    ("every core header", source(core_headers())),
]


def compile_once(cxx, path, obj, extra=()):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([cxx, "-std=c++17", "-O0", "-I", INCLUDE, *extra, "-c", path, "-o", obj],
                          check=True, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, done.stderr


def gcc_memory(cxx, path, obj):
    """-ftime-report's total of garbage-collected memory (g++ only), e.g. "31M"; else None."""
    try:
        _, report = compile_once(cxx, path, obj, ["-ftime-report"])
    except subprocess.CalledProcessError:
        return None
    m = re.search(r"TOTAL\s*:.*?(\d+[kM])\s*$", report, re.MULTILINE)
    return m.group(1) if m else None


def compiler_instructions(cxx, path, obj):
    """Instructions executed by the compiler's own processes (cc1plus, as), counted by callgrind
    through g++'s -wrapper option."""
    _, report = compile_once(cxx, path, obj, ["-wrapper", "valgrind,--tool=callgrind,--callgrind-out-file=/dev/null"])
    return sum(int(n.replace(",", "")) for n in re.findall(r"refs:\s+([\d,]+)", report))


def main():
    if "--show" in sys.argv[1:]:  # print the translation units and stop
        for name, text in UNITS:
            print(f"// {name}\n{text}")
        return
    args = [a for a in sys.argv[1:] if a != "--instructions"]
    count_instructions = "--instructions" in sys.argv[1:]
    cxx = args[0] if len(args) > 0 else "c++"
    runs = int(args[1]) if len(args) > 1 else 9
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, (_, text) in enumerate(UNITS):
            path = os.path.join(tmp, f"tu{i}.cpp")
            with open(path, "w") as f:
                f.write(text)
            paths.append(path)
        obj = os.path.join(tmp, "tu.o")
        times = [[] for _ in UNITS]
        for _ in range(runs):
            for i, path in enumerate(paths):
                times[i].append(compile_once(cxx, path, obj)[0])
        memory = [gcc_memory(cxx, path, obj) for path in paths]
        instructions = [compiler_instructions(cxx, path, obj) for path in paths] if count_instructions else None
    t = [statistics.median(x) for x in times]
    print(f"compiler: {cxx}; CPU seconds, median of {runs} interleaved compiles (-std=c++17 -O0 -c)")
    print()
    print("| translation unit includes | CPU seconds | g++ memory (repeats exactly) |")
    print("| --- | ---: | ---: |")
    for (name, _), seconds, mem in zip(UNITS, t, memory):
        print(f"| {name} | {seconds:.3f} | {mem or '-'} |")
    print()
    cstdint, floor, memory_hpp, nlohmann, umbrella, core_floor, core = t
    print(f"memory.hpp adds {memory_hpp - cstdint:.3f} s over <cstdint> (target < 0.15 s); "
          f"its standard headers alone add {floor - cstdint:.3f} s")
    extra = (umbrella - nlohmann) / nlohmann
    print(f"deepseek.hpp adds {100 * extra:.1f}% over <nlohmann/json.hpp> alone (target < 15%)")
    print(f"the core headers: {core / core_floor:.2f}x their standard headers alone (target at most 2x)")
    if instructions:
        print()
        print("Instructions the compiler executes (callgrind; these repeat exactly):")
        print()
        print("| translation unit includes | instructions |")
        print("| --- | ---: |")
        for (name, _), n in zip(UNITS, instructions):
            print(f"| {name} | {n:,} |")
        print()
        i_cstdint, i_floor, i_memory, i_nlohmann, i_umbrella, i_core_floor, i_core = instructions
        print(f"memory.hpp: {i_memory / i_cstdint:.1f}x the instructions of <cstdint>; "
              f"its standard headers alone {i_floor / i_cstdint:.1f}x")
        print(f"deepseek.hpp adds {100 * (i_umbrella - i_nlohmann) / i_nlohmann:.1f}% instructions over "
              "<nlohmann/json.hpp> alone")
        print(f"the core headers: {i_core / i_core_floor:.2f}x the instructions of their standard headers alone")


if __name__ == "__main__":
    main()
