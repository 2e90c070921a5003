"""Shared figures for the benchmarks: percentiles, and one printed line per figure with its verdict.

Every figure line has the same shape so ``run_all.sh`` and the README table can be read at a glance:

    FIGURE <name>: <value> <unit> | baseline <value> | ratio <x> | target <text> | PASS/MISS

A benchmark without a meaningful baseline prints ``baseline -`` and ``ratio -``.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

RESULTS: list[Figure] = []


def percentile(samples: Sequence[float], p: float) -> float:
    """The ``p`` quantile (0..1) by nearest rank (no interpolation: a figure that really happened)."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, int(round(p * len(ordered) + 0.5)) - 1))]


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


@dataclass(frozen=True)
class Figure:
    """One measured figure, its baseline from the same run (if any) and its target."""

    name: str
    value: float
    unit: str
    target: str
    passed: bool
    baseline: float | None = None

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline == 0:
            return None
        return self.value / self.baseline

    def line(self) -> str:
        baseline = "-" if self.baseline is None else f"{self.baseline:.{_digits(self.baseline)}f} {self.unit}"
        ratio = "-" if self.ratio is None else f"{self.ratio:.2f}x"
        verdict = "PASS" if self.passed else "MISS"
        return (f"FIGURE {self.name}: {self.value:.{_digits(self.value)}f} {self.unit} | baseline {baseline}"
                f" | ratio {ratio} | target {self.target} | {verdict}")


def _digits(value: float) -> int:
    return 2 if abs(value) < 10 else 1 if abs(value) < 100 else 0


def figure(name: str, value: float, unit: str, *, target: str, passed: bool,
           baseline: float | None = None) -> Figure:
    """Record and print one figure line (flushed at once: a long benchmark shows progress)."""
    result = Figure(name, value, unit, target, passed, baseline)
    RESULTS.append(result)
    print(result.line(), flush=True)
    return result


def note(text: str) -> None:
    """A line of context (sample counts, conditions) printed beside the figures."""
    print(f"  {text}", flush=True)


def markdown_table(text: str) -> str:
    """The FIGURE lines found in ``text`` as a Markdown table (for benchmarks/RESULTS.md)."""
    rows = ["| figure | value | baseline | ratio | target | verdict |", "|---|---|---|---|---|---|"]
    for line in text.splitlines():
        if not line.startswith("FIGURE "):
            continue
        first, _, others = line[len("FIGURE "):].partition(" | ")
        name, _, value = first.rpartition(": ")  # the name may hold a colon of its own
        baseline, ratio, target, verdict = (part.strip() for part in others.split(" | "))
        rows.append(f"| {name} | {value} | {baseline.removeprefix('baseline ')} | {ratio.removeprefix('ratio ')}"
                    f" | {target.removeprefix('target ')} | {verdict} |")
    return "\n".join(rows)


if __name__ == "__main__":
    import sys
    from pathlib import Path

    print(markdown_table(Path(sys.argv[1]).read_text(encoding="utf-8")))
