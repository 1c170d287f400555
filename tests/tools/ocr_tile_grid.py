#!/usr/bin/env python3
"""DeepSeek-OCR's Gundam tile grid, as the released Python code picks it, for every page size.

What this is
------------
A port, written for this project, of the grid choice in DeepSeek-OCR's `dynamic_preprocess` /
`find_closest_aspect_ratio` (modeling_deepseekocr.py, the Hugging Face release's model code),
used to check `deepseek::ocr_tile_grid` (include/deepseek/ocr.hpp). The rule, as the code
evaluates it:

- candidates: every (i, j) with min_num <= i * j <= max_num, put into a Python *set* by the
  generator `for n in min..max, for i in 1..n, for j in 1..n`, then `sorted(..., key=i * j)`:
  a stable sort, so grids of one tile count stay in the set's iteration order, which is
  CPython's hash-table order. This script builds the set the same way on the interpreter that
  runs it, so it uses that interpreter's real order (`--order` prints it).
- the page's ratio is `W / H` and each candidate's `i / j`, both Python floats; the distance is
  `abs(aspect - target)`; a strictly smaller distance wins; on `==` the later candidate wins when
  `W * H > 0.5 * 640 * 640 * i * j`. The best starts at (1, 1) with distance infinity.
- "i x j" below is i tiles across, j down (the code resizes to 640 i by 640 j).

It also implements the *exact* rule (what `AspectRule::exact` in ocr.hpp computes): the same
loop over the same order, but distances compared exactly by integer cross-multiplication
(|W b - a H| / (H b) for grid a x b), and the tie rule applied to exact ties.

How it stays fast
-----------------
`--brute` runs both loops above literally for every page (6.25 million pages x 22 grids for
2500 x 2500 and max_tiles 9: about a minute). The default mode gets the same answers in a few
seconds:

1. Exact rule, a row at a time. For a fixed height H the exact winner is a step function of W:
   the candidates' distinct ratios r_1 < ... < r_m (Fractions) split the W axis at the
   midpoints (r_k + r_k+1) / 2. Strictly between two midpoints only the grids of one ratio are
   closest (several grids when ratios coincide, e.g. 1x2 and 2x4); among those the tie rule
   keeps the last one in visit order with W H > 204800 i j, which again is a step in W (tile
   counts rise along the visit order). Each step is filled by slice assignment.
2. Python rule. A float comparison can only disagree with the exact one where the exact
   distances are equal: two distances that differ, differ by at least 1 / (H b d) >=
   1 / (N M^2) (N = max side, M = max tiles), while each float distance is within
   2^-52 (N + M) (1 + eps) of the true one (three correctly rounded operations). The script
   refuses sizes where 2 (N + M) N M^2 >= 2^52 (for N = 2500, M = 12 it is about 1.8e9).
   Equal exact distances of *equal* ratios give identical floats (same correctly rounded
   operands), so the float loop takes the tie branch exactly where the exact loop does. What
   is left is a page whose ratio lies exactly half-way between two adjacent ratios (W / H ==
   a midpoint): only there can the loops differ, and only there the literal float loop runs.
   A half-way tie between two ratios that are not the closest cannot change the result: the
   closest grid still wins by a strictly smaller distance, in floats as in exact arithmetic.
   At those midpoint pages the exact result is also recomputed with the literal exact loop
   and must agree with step 1.

`--brute` was run for 2500 x 2500 and max_tiles 9: the same table, and (through the comparison
with the library below) the same `--all` output, for both rules.

How to run it
-------------
    python3 tests/tools/ocr_tile_grid.py                      # count the pages that differ
    python3 tests/tools/ocr_tile_grid.py --table tests/data/ocr_python_tie_pages.tsv
    python3 tests/tools/ocr_tile_grid.py --all python --max-tiles 6 > grids.txt
    python3 tests/tools/ocr_tile_grid.py --order --max-tiles 12

`--all RULE` prints "W H grid" for every page, H in the outer loop, W inner, for diffing
against a program that prints `ocr_tile_grid` the same way.

What it produced
----------------
On CPython 3.11.7, `--table tests/data/ocr_python_tie_pages.tsv` (min_tiles 2, max_tiles 9,
every page up to 2500 x 2500) wrote 374 rows, 311 of them with a side above 640 (the pages
Gundam cuts into tiles; the other 63 get the global view alone), in under a second of
computation (0.3 s; `--brute`: about a minute). `--all python` and `--all exact` agreed line for
line with `ocr_tile_grid` (AspectRule::python and ::exact) for min_tiles 2, max_tiles 2..12 and
every page up to 2500 x 2500 (about 4 s a run, most of it printing); `--brute` was compared the
same way for max_tiles 2..12 (python rule) and 2, 3, 9, 12 (exact rule).
With a min_tiles other than 1 or 2 the two orders of one tile count (CPython's set order here,
width order in the library) do meet on ties: e.g. min_tiles 4, max_tiles 4, page 5 x 2 (ratio
2.5, half-way between 2x2 and 4x1): the code keeps 4x1 (visited first), the library 2x2.

Standard library only.
"""

import argparse
import platform
import sys
import time
from fractions import Fraction

TILE = 640  # dynamic_preprocess's image_size
HALF_TILE_AREA = TILE * TILE // 2  # area > 0.5 * 640 * 640 * i * j  <=>  area > 204800 * i * j


def candidate_grids(min_tiles, max_tiles):
    """The candidates in the order the code visits them (see the module comment)."""
    pool = set(
        (across, down)
        for count in range(min_tiles, max_tiles + 1)
        for across in range(1, count + 1)
        for down in range(1, count + 1)
        if min_tiles <= across * down <= max_tiles
    )
    return sorted(pool, key=lambda grid: grid[0] * grid[1])


def python_rule(width, height, grids):
    """The literal float loop of find_closest_aspect_ratio."""
    page_ratio = width / height
    area = width * height
    chosen = (1, 1)
    chosen_distance = float("inf")
    for grid in grids:
        distance = abs(page_ratio - grid[0] / grid[1])
        if distance < chosen_distance:
            chosen, chosen_distance = grid, distance
        elif distance == chosen_distance:
            if area > 0.5 * TILE * TILE * grid[0] * grid[1]:
                chosen = grid
    return chosen


def exact_rule(width, height, grids):
    """The same loop with exact distances: grid a x b is |W b - a H| / (H b) away; H cancels."""
    area = width * height
    chosen = (1, 1)
    chosen_num = None  # |W b - a H| of the chosen grid, over its b
    for grid in grids:
        num = abs(width * grid[1] - grid[0] * height)
        if chosen_num is None:
            order = -1
        else:
            lhs = num * chosen[1]
            rhs = chosen_num * grid[1]
            order = (lhs > rhs) - (lhs < rhs)
        if order < 0:
            chosen, chosen_num = grid, num
        elif order == 0 and area > HALF_TILE_AREA * grid[0] * grid[1]:
            chosen, chosen_num = grid, num
    return chosen


class Plan:
    """What the fast mode needs for one (min_tiles, max_tiles): ratio classes and midpoints."""

    def __init__(self, grids):
        self.grids = grids
        by_ratio = {}
        for grid in grids:  # visit order is kept inside each class
            by_ratio.setdefault(Fraction(grid[0], grid[1]), []).append(grid)
        self.ratios = sorted(by_ratio)
        self.classes = [by_ratio[r] for r in self.ratios]
        self.midpoints = [(lo + hi) / 2 for lo, hi in zip(self.ratios, self.ratios[1:])]
        visit = {grid: index for index, grid in enumerate(grids)}
        # At a midpoint both neighbouring classes are closest, merged in visit order.
        self.midpoint_sets = [
            sorted(self.classes[k] + self.classes[k + 1], key=visit.__getitem__)
            for k in range(len(self.midpoints))
        ]


def tie_pick(closest, area):
    """Sequential tie rule over the closest grids (visit order): the first, or the last later
    one whose tie test passes."""
    chosen = closest[0]
    for grid in closest[1:]:
        if area > HALF_TILE_AREA * grid[0] * grid[1]:
            chosen = grid
    return chosen


def exact_row_fast(height, max_side, plan, midpoint_pages):
    """Exact grids for W = 1..max_side at this height (index 0 unused), by steps; appends the
    (W, merged-closest-set) of every midpoint page to midpoint_pages."""
    row = [None] * (max_side + 1)
    last = len(plan.classes) - 1
    lo = 1
    for k, closest in enumerate(plan.classes):
        if k < last:
            edge = plan.midpoints[k] * height  # class k holds W < edge
            hi = -((-edge.numerator) // edge.denominator) - 1  # ceil(edge) - 1
            mid_w = edge.numerator if edge.denominator == 1 else None
        else:
            hi, mid_w = max_side, None
        hi = min(hi, max_side)
        if lo <= hi:
            # Tie steps: grid s_j (j >= 2) is kept from W >= 204800 i j // H + 1 on.
            start = lo
            for j in range(len(closest)):
                if j + 1 < len(closest):
                    g = closest[j + 1]
                    stop = min(hi, HALF_TILE_AREA * g[0] * g[1] // height)  # last W before s_j+1
                else:
                    stop = hi
                if start <= stop:
                    row[start:stop + 1] = [closest[j]] * (stop - start + 1)
                    start = stop + 1
        if mid_w is not None and 1 <= mid_w <= max_side:
            row[mid_w] = tie_pick(plan.midpoint_sets[k], mid_w * height)
            midpoint_pages.append(mid_w)
        if k == last:
            break
        lo = max(lo, edge.numerator // edge.denominator + 1)  # class k + 1 holds W > edge
        if lo > max_side:
            break
    return row


def rows(max_side, min_tiles, max_tiles, brute):
    """Yields (H, exact_row, python_row) for H = 1..max_side; rows are indexed by W."""
    grids = candidate_grids(min_tiles, max_tiles)
    if not grids:
        raise SystemExit("no grid has min_tiles..max_tiles tiles")
    if not brute:
        n, m = max_side, max_tiles
        if 2 * (n + m) * n * m * m >= 2 ** 52:
            raise SystemExit("sizes too large for the fast mode's float bound; use --brute")
        plan = Plan(grids)
    for height in range(1, max_side + 1):
        if brute:
            exact = [None] + [exact_rule(w, height, grids) for w in range(1, max_side + 1)]
            python = [None] + [python_rule(w, height, grids) for w in range(1, max_side + 1)]
        else:
            midpoint_pages = []
            exact = exact_row_fast(height, max_side, plan, midpoint_pages)
            python = exact
            for w in midpoint_pages:
                literal = exact_rule(w, height, grids)
                if literal != exact[w]:
                    raise AssertionError(f"fast exact rule wrong at {w} x {height}")
                float_pick = python_rule(w, height, grids)
                if float_pick != exact[w]:
                    if python is exact:
                        python = list(exact)
                    python[w] = float_pick
        yield height, exact, python


def name(grid):
    return f"{grid[0]}x{grid[1]}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--max-side", type=int, default=2500, help="pages 1..N x 1..N (2500)")
    parser.add_argument("--min-tiles", type=int, default=2, help="min_num (2)")
    parser.add_argument("--max-tiles", type=int, default=9, help="max_num (9)")
    parser.add_argument("--brute", action="store_true",
                        help="run the literal loops for every page (slow; checks the fast mode)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--table", metavar="PATH",
                      help="write the pages where the rules differ as TSV ('-': stdout)")
    mode.add_argument("--all", choices=("python", "exact"),
                      help="print 'W H grid' for every page (H outer, W inner)")
    mode.add_argument("--order", action="store_true", help="print the visit order and exit")
    args = parser.parse_args()
    if args.max_side < 1 or args.min_tiles < 0 or args.max_tiles < max(args.min_tiles, 1):
        parser.error("need max_side >= 1 and 0 <= min_tiles <= max_tiles, max_tiles >= 1")

    if args.order:
        print(" ".join(name(g) for g in candidate_grids(args.min_tiles, args.max_tiles)))
        return

    started = time.perf_counter()
    differ = []
    out = sys.stdout
    for height, exact, python in rows(args.max_side, args.min_tiles, args.max_tiles, args.brute):
        if args.all:
            chosen = python if args.all == "python" else exact
            out.write("".join(f"{w} {height} {name(chosen[w])}\n"
                              for w in range(1, args.max_side + 1)))
        if python is not exact:
            differ.extend((w, height, python[w], exact[w])
                          for w in range(1, args.max_side + 1) if python[w] != exact[w])
    elapsed = time.perf_counter() - started
    differ.sort()

    if args.table:
        command = ["python3", "tests/tools/ocr_tile_grid.py"]
        if args.max_side != 2500:
            command += ["--max-side", str(args.max_side)]
        if args.min_tiles != 2:
            command += ["--min-tiles", str(args.min_tiles)]
        if args.max_tiles != 9:
            command += ["--max-tiles", str(args.max_tiles)]
        if args.brute:
            command += ["--brute"]
        command += ["--table", args.table]
        lines = [
            f"# {' '.join(command)}  (CPython {platform.python_version()}): pages W x H, "
            f"1 <= W, H <= {args.max_side}, min_tiles {args.min_tiles}, max_tiles "
            f"{args.max_tiles}, where the Python float rule and the exact rule pick different "
            f"grids: {len(differ)} rows, {sum(1 for w, h, _, _ in differ if max(w, h) > TILE)} of them "
            f"with a side > {TILE} (the pages Gundam cuts into tiles)",
            "width\theight\tpython\texact",
        ]
        lines += [f"{w}\t{h}\t{name(p)}\t{name(e)}" for w, h, p, e in differ]
        text = "\n".join(lines) + "\n"
        if args.table == "-":
            sys.stdout.write(text)
        else:
            with open(args.table, "w", encoding="ascii", newline="\n") as f:
                f.write(text)
    print(f"{len(differ)} pages differ (max_side {args.max_side}, tiles {args.min_tiles}.."
          f"{args.max_tiles}, CPython {platform.python_version()}, {elapsed:.1f} s)",
          file=sys.stderr)


if __name__ == "__main__":
    main()
