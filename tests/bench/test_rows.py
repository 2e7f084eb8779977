"""bench/rows.py: the verdicts and the JSON a `make bench` wrapper merges."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.rows import Row, Target, write_json


@pytest.mark.parametrize(
    ("target", "figure", "met"),
    [
        (Target(">=", 5), 5.0, True),
        (Target(">=", 5), 4.99, False),
        (Target("<=", 0.33), 0.3, True),
        (Target("<=", 0.33), 0.6, False),
        (Target("==", 1, on="ours"), 1.0, True),
        (Target("==", 1, on="ours"), 50.0, False),
    ],
)
def test_it_judges_a_figure_against_its_target(target: Target, figure: float, met: bool) -> None:
    assert target.met(figure) is met


def test_it_judges_a_ratio_target_on_ours_over_theirs() -> None:
    row = Row("booking 16 clients", "/s", ours=30.0, theirs=20.0, target=Target(">=", 5))

    assert row.ratio == 1.5
    assert row.met is False


def test_it_judges_an_ours_target_on_our_figure_alone() -> None:
    row = Row("held", "", ours=1, theirs=50, target=Target("==", 1, on="ours"))

    assert row.met is True


def test_it_gives_no_verdict_without_the_figure_its_target_bounds() -> None:
    assert Row("no peer", "ms", ours=3.0, target=Target(">=", 5)).met is None
    assert Row("no target", "ms", ours=3.0, theirs=1.0).met is None


def test_it_writes_every_row_with_its_ratio_target_and_verdict(tmp_path: Path) -> None:
    path = tmp_path / "out" / "peer.json"
    rows = [
        Row("p50", "ms", ours=10.0, theirs=40.0, target=Target("<=", 0.33)),
        Row("ceiling", "ms", ours=5.0),
    ]

    write_json(path, "bench/peer.py", rows, {"quick": True})

    document = json.loads(path.read_text())
    assert document["script"] == "bench/peer.py"
    assert document["quick"] is True
    assert document["rows"] == [
        {
            "name": "p50",
            "unit": "ms",
            "ours": 10.0,
            "theirs": 40.0,
            "ratio": 0.25,
            "target": "ratio <= 0.33x",
            "met": True,
        },
        {
            "name": "ceiling",
            "unit": "ms",
            "ours": 5.0,
            "theirs": None,
            "ratio": None,
            "target": None,
            "met": None,
        },
    ]
