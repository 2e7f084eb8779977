"""One row per figure a benchmark checks against a target, printed and saved alike.

Each bench script can write its figures with `--json PATH`; `bench/all.py` (`make bench`)
runs the quick version of each and prints all the figures as one table.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Figure:
    bench: str  # which script measured it
    name: str  # what was measured, e.g. "matches API p95 (2,000 interviewers)"
    value: str  # the figure with its unit, e.g. "38.2 ms"
    target: str = ""  # e.g. "<= 100 ms"; empty when the figure is for information
    met: bool | None = None  # None when there is no target


def write(path: str | Path, figures: list[Figure]) -> None:
    Path(path).write_text(json.dumps([asdict(figure) for figure in figures], indent=1))


def read(path: str | Path) -> list[Figure]:
    return [Figure(**row) for row in json.loads(Path(path).read_text())]


def verdict(met: bool | None) -> str:
    return "" if met is None else ("met" if met else "MISSED")


def table(figures: list[Figure]) -> str:
    """The figures as aligned text columns, one line each."""
    rows = [("bench", "figure", "value", "target", "")]
    rows += [(f.bench, f.name, f.value, f.target, verdict(f.met)) for f in figures]
    widths = [max(len(row[column]) for row in rows) for column in range(5)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )
