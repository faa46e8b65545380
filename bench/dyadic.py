#!/usr/bin/env python3
"""How the cost of the dyadic measure grows with the number of states.

    python bench/dyadic.py [--sizes 50,100,200,400,800] [--indicators 40]

Times `harmon.core.region.dyadic_by_indicator` (the mean over all pairs of member states of
min(s_a, s_b), per indicator; docs/method.md §7) on n states x 40 indicators of scores drawn
from {0, 0.5, 1, missing}, and prints a Markdown table with the time per call and the time per
(pair x indicator). The requirement is that the cost grows no faster than pairs x indicators,
i.e. that the time per pair x indicator (fourth column) does not rise with n; the sort-based
formula is O(n log n) per indicator, so it falls. For comparison the table also times a direct
pairwise computation (an n x n matrix of minima per indicator, which is exactly pairs x
indicators work) and checks that both give the same shares. Exit code 1 when the time per
pair x indicator rises by more than 10% from one size to the next.
"""

from __future__ import annotations

import argparse
import sys
import timeit

import numpy as np

from harmon.core.region import dyadic_by_indicator


def pairwise(scores: np.ndarray) -> np.ndarray:
    """The same shares computed over every pair explicitly: O(pairs x indicators) work."""
    n = scores.shape[0]
    upper = np.triu(np.ones((n, n), dtype=bool), k=1)
    out = np.full(scores.shape[1], np.nan)
    for k in range(scores.shape[1]):
        x = scores[:, k]
        both = upper & ~np.isnan(x)[:, None] & ~np.isnan(x)[None, :]
        count = both.sum()
        if count:
            out[k] = 100 * np.minimum(x[:, None], x[None, :])[both].sum() / count
    return out


def sample(n: int, m: int, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    values = rng.choice([0.0, 0.5, 1.0, np.nan], size=(n, m), p=[0.25, 0.15, 0.4, 0.2])
    return values


def best_time(func, min_total: float = 0.05, repeat: int = 3) -> float:
    """Best time of one call, in seconds: `repeat` rounds of as many calls as take `min_total`."""
    timer = timeit.Timer(func)
    number = 1
    while timer.timeit(number) < min_total:
        number *= 2
    return min(timer.repeat(repeat=repeat, number=number)) / number


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="50,100,200,400,800", help="numbers of states, comma-separated")
    parser.add_argument("--indicators", type=int, default=40)
    parser.add_argument("--no-pairwise", action="store_true", help="skip the pairwise reference timing")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    m = args.indicators

    print("| States n | Pairs | dyadic_by_indicator (ms) | ns per pair × indicator | "
          "pairwise reference (ms) | ns per pair × indicator |")
    print("|---:|---:|---:|---:|---:|---:|")
    ratios = []
    for n in sizes:
        scores = sample(n, m)
        pairs = n * (n - 1) // 2
        fast = best_time(lambda: dyadic_by_indicator(scores))
        ratio = fast / (pairs * m) * 1e9
        ratios.append(ratio)
        if args.no_pairwise:
            slow_cells = "–", "–"
        else:
            expected = pairwise(scores)
            got = dyadic_by_indicator(scores)
            if not np.allclose(got, expected, equal_nan=True):
                print(f"dyadic.py: dyadic_by_indicator disagrees with the pairwise reference at n={n}", file=sys.stderr)
                return 1
            slow = best_time(lambda: pairwise(scores), repeat=3)
            slow_cells = f"{slow * 1e3:.2f}", f"{slow / (pairs * m) * 1e9:.2f}"
        print(f"| {n} | {pairs:,} | {fast * 1e3:.3f} | {ratio:.3f} | {slow_cells[0]} | {slow_cells[1]} |")
    grows = all(b <= a * 1.10 for a, b in zip(ratios, ratios[1:]))
    print()
    print(f"Time per pair × indicator {'does not grow' if grows else 'GROWS'} with n "
          f"({ratios[0]:.3f} ns at n = {sizes[0]}, {ratios[-1]:.4f} ns at n = {sizes[-1]}): "
          f"{'within' if grows else 'NOT within'} O(pairs × indicators).")
    return 0 if grows else 1


if __name__ == "__main__":
    sys.exit(main())
