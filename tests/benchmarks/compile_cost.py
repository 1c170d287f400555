#!/usr/bin/env python3
"""Times compiling one translation unit per header set; prints the medians and the differences.

usage: compile_cost.py [CXX] [RUNS]   (defaults: c++, 7)

Pairs, each a full compile to an object file (-std=c++17 -O0 -c), as a user's build does:
  memory.hpp    vs  an empty TU that includes <cstdint>        (target: adds < 0.15 s)
  deepseek.hpp  vs  a TU that includes only <nlohmann/json.hpp> (target: adds < 15 %)
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
INCLUDE = os.path.join(ROOT, "include")

SOURCES = {
    "cstdint": "#include <cstdint>\nint main() { return 0; }\n",
    "memory.hpp": "#include <deepseek/memory.hpp>\nint main() { return 0; }\n",
    "nlohmann/json.hpp": "#include <nlohmann/json.hpp>\nint main() { return 0; }\n",
    "deepseek.hpp": "#include <deepseek/deepseek.hpp>\nint main() { return 0; }\n",
}


def compile_seconds(cxx, source, runs):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "tu.cpp")
        with open(path, "w") as f:
            f.write(source)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([cxx, "-std=c++17", "-O0", "-I", INCLUDE, "-c", path, "-o",
                            os.path.join(tmp, "tu.o")], check=True)
            times.append(time.perf_counter() - start)
        return statistics.median(times)


def main():
    cxx = sys.argv[1] if len(sys.argv) > 1 else "c++"
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    t = {name: compile_seconds(cxx, src, runs) for name, src in SOURCES.items()}
    print(f"compiler: {cxx}; median of {runs} compiles (-std=c++17 -O0 -c)")
    print()
    print("| translation unit includes | seconds |")
    print("| --- | ---: |")
    for name, seconds in t.items():
        print(f"| `{name}` | {seconds:.3f} |")
    print()
    print(f"memory.hpp adds {t['memory.hpp'] - t['cstdint']:.3f} s over <cstdint> (target < 0.15 s)")
    extra = (t["deepseek.hpp"] - t["nlohmann/json.hpp"]) / t["nlohmann/json.hpp"]
    print(f"deepseek.hpp adds {100 * extra:.1f}% over <nlohmann/json.hpp> alone (target < 15%)")


if __name__ == "__main__":
    main()
