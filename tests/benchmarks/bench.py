#!/usr/bin/env python3
"""Runs the benchmark programs and prints the ratios the README quotes."""
import json
import os
import platform
import re
import shutil
import subprocess
import sys

REPETITIONS = 10


def run(program):
    # Repetitions in random order, so that a slow spell of the machine does not fall on one
    # benchmark alone.
    out = subprocess.run([program, "--benchmark_format=json", f"--benchmark_repetitions={REPETITIONS}",
                          "--benchmark_enable_random_interleaving=true",
                          "--benchmark_report_aggregates_only=true"],
                         check=True, capture_output=True, text=True).stdout
    data = json.loads(out)
    fastest = {}
    for b in data["benchmarks"]:
        if b.get("aggregate_name") == "min":
            fastest[b["run_name"]] = b
    return data["context"], fastest


def instructions(loop_program, config, mode):
    """Instructions of 1000 iterations, counted by callgrind (repeatable to the instruction)."""
    out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                          loop_program, config, mode], check=True, capture_output=True, text=True).stderr
    return int(re.search(r"refs:\s+([\d,]+)", out).group(1).replace(",", ""))


def instruction_table(loop_program, corpus):
    print()
    print("Instructions per parse (callgrind over 1000 iterations, less the program's floor, / 1000;")
    print("these repeat exactly). parse_config<C> is the file's own config type (DeepseekV3Config for V3),")
    print("parse_config<AnyConfig> what the command-line tool calls:")
    print()
    print("| config | nlohmann::json::parse | parse_config<C> | ratio | make_report adds | "
          "parse_config<AnyConfig> | ratio | make_report adds |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, file in (("v2_lite", "deepseek-v2-lite.json"), ("v3", "deepseek-v3.json"),
                       ("ocr", "deepseek-ocr.json"), ("v3.2", "deepseek-v3.2.json"),
                       ("vl2_tiny", "2026/deepseek-vl2-tiny.json"), ("kimi_vl", "2026/kimi-vl-a3b-instruct.json"),
                       ("kimi_k2.5", "2026/kimi-k2.5.json"), ("kimi_k2.5_nvfp4", "2026/nvidia-kimi-k2.5-nvfp4.json"),
                       ("v4_flash", "2026/deepseek-v4-flash.json"), ("v4_pro", "2026/deepseek-v4-pro.json")):
        path = os.path.join(corpus, file)
        count = {m: instructions(loop_program, path, m)
                 for m in ("none", "raw", "typed", "report", "any", "any_report")}
        per = {m: (n - count["none"]) / 1000 for m, n in count.items()}
        # The typed modes parse once more (as AnyConfig) to learn the file's type.
        per["typed"] -= per["any"] / 1000
        per["report"] -= per["any"] / 1000
        raw, typed, report, any_, any_report = (per[m] for m in ("raw", "typed", "report", "any", "any_report"))
        print(f"| {name} | {raw:,.0f} | {typed:,.0f} | {typed / raw:.3f}x | "
              f"{100 * (report - typed) / typed:.3f}% ({report - typed:,.0f}) | {any_:,.0f} | {any_ / raw:.3f}x | "
              f"{100 * (any_report - any_) / any_:.3f}% ({any_report - any_:,.0f}) |")


def main():
    parse_program, manifest_program = sys.argv[1], sys.argv[2]
    context, parse = run(parse_program)
    _, manifest = run(manifest_program)
    cpu = platform.processor() or platform.machine()
    print(f"machine: {context.get('num_cpus')} CPUs at {context.get('mhz_per_cpu')} MHz ({cpu}); "
          f"CPU time, fastest of {REPETITIONS} interleaved runs")
    print()
    print("| config | nlohmann::json::parse | parse_config | ratio | report alone | parse + report | report adds |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name in ("v2_lite", "v3", "ocr", "v4_pro"):
        raw = parse[f"nlohmann_parse/{name}"]["cpu_time"]
        typed = parse[f"typed_parse/{name}"]["cpu_time"]
        report = parse[f"report_only/{name}"]["cpu_time"]
        full = parse[f"full_report/{name}"]["cpu_time"]
        unit = parse[f"typed_parse/{name}"]["time_unit"]
        # "report adds": the report measured alone, over the typed parse measured alone (the
        # difference of the two end-to-end timings is within their noise).
        print(f"| {name} | {raw:.2f} {unit} | {typed:.2f} {unit} | {typed / raw:.2f}x | "
              f"{report:.2f} {unit} | {full:.2f} {unit} | {100 * report / typed:.1f}% |")
    m = manifest["v3_manifest"]
    print()
    print(f"V3 tensor manifest: {int(m['tensors'])} tensors in {m['cpu_time']:.2f} {m['time_unit']}, "
          f"{m['allocs_per_tensor']:.3f} heap allocations per tensor")
    if len(sys.argv) > 4 and shutil.which("valgrind"):
        instruction_table(sys.argv[3], sys.argv[4])


if __name__ == "__main__":
    main()
