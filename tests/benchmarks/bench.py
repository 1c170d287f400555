#!/usr/bin/env python3
"""Runs the benchmark programs and prints the ratios the README quotes."""
import json
import platform
import subprocess
import sys


def run(program):
    out = subprocess.run([program, "--benchmark_format=json", "--benchmark_repetitions=5",
                          "--benchmark_report_aggregates_only=true"],
                         check=True, capture_output=True, text=True).stdout
    data = json.loads(out)
    medians = {}
    for b in data["benchmarks"]:
        if b.get("aggregate_name") == "median":
            medians[b["run_name"]] = b
    return data["context"], medians


def main():
    parse_program, manifest_program = sys.argv[1], sys.argv[2]
    context, parse = run(parse_program)
    _, manifest = run(manifest_program)
    cpu = platform.processor() or platform.machine()
    print(f"machine: {context.get('num_cpus')} CPUs at {context.get('mhz_per_cpu')} MHz ({cpu}); "
          "CPU time, median of 5 runs")
    print()
    print("| config | nlohmann::json::parse | parse_config | ratio | report alone | parse + report | report adds |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name in ("v2_lite", "v3", "ocr"):
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


if __name__ == "__main__":
    main()
