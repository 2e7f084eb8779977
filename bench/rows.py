"""One benchmark table: figures for ours and a peer, their ratio, a target and a verdict.

bench/peer.py prints its results through this module and writes them as JSON (`--json`),
rows of name, unit, ours, theirs, ratio, target and met, so a `make bench` wrapper can
merge the tables of several scripts into one.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "<=": operator.le,
    ">=": operator.ge,
    "==": operator.eq,
}


@dataclass(frozen=True)
class Target:
    """A bound on a row's ratio (ours / theirs) or, with `on="ours"`, on our own figure."""

    op: Literal["<=", ">=", "=="]
    value: float
    on: Literal["ratio", "ours"] = "ratio"

    def met(self, figure: float) -> bool:
        return _COMPARE[self.op](figure, self.value)

    def __str__(self) -> str:
        if self.on == "ratio":
            return f"ratio {self.op} {self.value:g}x"
        return f"ours {self.op} {self.value:g}"


@dataclass(frozen=True)
class Row:
    name: str
    unit: str
    ours: float | None
    theirs: float | None = None
    target: Target | None = None

    @property
    def ratio(self) -> float | None:
        if self.ours is None or not self.theirs:
            return None
        return self.ours / self.theirs

    @property
    def met(self) -> bool | None:
        """None when the row has no target, or lacks the figure its target bounds."""
        if self.target is None:
            return None
        figure = self.ratio if self.target.on == "ratio" else self.ours
        return None if figure is None else self.target.met(figure)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "unit": self.unit,
            "ours": self.ours,
            "theirs": self.theirs,
            "ratio": self.ratio,
            "target": str(self.target) if self.target else None,
            "met": self.met,
        }


def _figure(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if value == int(value) and unit in ("", "sessions"):
        return f"{int(value)}" + (f" {unit}" if unit else "")
    text = f"{value:.1f}" if abs(value) >= 10 or unit in ("ms", "/s") else f"{value:.2f}"
    return f"{text} {unit}" if unit else text


def verdict(met: bool | None) -> str:
    return {True: "met", False: "missed", None: ""}[met]


def print_rows(rows: Sequence[Row], peer: str) -> None:
    """The table, one row a line: name, ours, theirs, ours/theirs, target, verdict."""
    cells = [
        (
            row.name,
            _figure(row.ours, row.unit),
            _figure(row.theirs, row.unit),
            "-" if row.ratio is None else f"{row.ratio:.2f}x",
            f"({row.target})" if row.target else "",
            verdict(row.met),
        )
        for row in rows
    ]
    header = ("", "ours", peer, "ours/theirs", "target", "verdict")
    widths = [max(len(line[column]) for line in [header, *cells]) for column in range(6)]
    for line in [header, *cells]:
        name, *rest = line
        aligned = [f"{cell:>{width}}" for cell, width in zip(rest[:3], widths[1:4], strict=True)]
        print(
            f"{name:{widths[0]}}  {'  '.join(aligned)}  {rest[3]:{widths[4]}}  {rest[4]}".rstrip()
        )


def write_json(path: Path, script: str, rows: Sequence[Row], about: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"script": script, **about, "rows": [row.as_dict() for row in rows]}
    path.write_text(json.dumps(document, indent=2) + "\n")
