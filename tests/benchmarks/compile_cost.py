#!/usr/bin/env python3
"""Times compiling one translation unit per header set; prints the medians and the differences.

usage: compile_cost.py [CXX] [RUNS] [--instructions]   (defaults: c++, 9)

Each translation unit is a full compile to an object file (-std=c++17 -O0 -c), as a user's build
does. The pairs the targets are about:
  memory.hpp    vs  an empty TU that includes <cstdint>        (target: adds < 0.15 s)
  deepseek.hpp  vs  a TU that includes only <nlohmann/json.hpp> (target: adds < 15 %)
One more row shows the floor under memory.hpp: the standard headers it includes, alone.

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


def standard_headers_of(header):
    """The <...> includes of one of our headers, and of the headers of ours it includes."""
    found, todo, seen = [], [header], set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        with open(os.path.join(INCLUDE, "deepseek", name)) as f:
            for line in f:
                m = re.match(r'\s*#include\s+([<"])([^>"]+)[>"]', line)
                if m and m.group(1) == "<":
                    if m.group(2) not in found:
                        found.append(m.group(2))
                elif m:
                    todo.append(m.group(2))
    return found


def source(headers):
    return "".join(f"#include <{h}>\n" for h in headers) + "int main() { return 0; }\n"


UNITS = [
    ("`<cstdint>`", source(["cstdint"])),
    ("the standard headers `memory.hpp` includes", source(standard_headers_of("memory.hpp"))),
    ("`<deepseek/memory.hpp>`", source(["deepseek/memory.hpp"])),
    ("`<nlohmann/json.hpp>`", source(["nlohmann/json.hpp"])),
    ("`<deepseek/deepseek.hpp>` (everything)", source(["deepseek/deepseek.hpp"])),
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
    cstdint, floor, memory_hpp, nlohmann, umbrella = t
    print(f"memory.hpp adds {memory_hpp - cstdint:.3f} s over <cstdint> (target < 0.15 s); "
          f"its standard headers alone add {floor - cstdint:.3f} s")
    extra = (umbrella - nlohmann) / nlohmann
    print(f"deepseek.hpp adds {100 * extra:.1f}% over <nlohmann/json.hpp> alone (target < 15%)")
    if instructions:
        print()
        print("Instructions the compiler executes (callgrind; these repeat exactly):")
        print()
        print("| translation unit includes | instructions |")
        print("| --- | ---: |")
        for (name, _), n in zip(UNITS, instructions):
            print(f"| {name} | {n:,} |")
        print()
        i_cstdint, i_floor, i_memory, i_nlohmann, i_umbrella = instructions
        print(f"memory.hpp: {i_memory / i_cstdint:.1f}x the instructions of <cstdint>; "
              f"its standard headers alone {i_floor / i_cstdint:.1f}x")
        print(f"deepseek.hpp adds {100 * (i_umbrella - i_nlohmann) / i_nlohmann:.1f}% instructions over "
              "<nlohmann/json.hpp> alone")


if __name__ == "__main__":
    main()
