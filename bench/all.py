"""`make bench`: the quick version of the issue 12 benchmarks, as one table (under 5 minutes).

    make bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mockloop .venv/bin/python bench/all.py

It runs, one after the other so that they do not share the cores:
- `bench/peer.py --quick`: booking and slot lists side by side with django-appointment;
- `bench/scale.py --quick`: the main pages on seeded data at two sizes.
Each writes its figures with `--json`; this prints them all, each with its target and
whether this run met it. Both need PostgreSQL (DATABASE_URL, by default the local server).
The full runs, with longer phases and the sizes of issue 12, are in docs/benchmarks.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.rows import verdict

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/mockloop"
SCRIPTS = (("peer.py", "--quick"), ("scale.py", "--quick"))


def main() -> None:
    env = {**os.environ, "DATABASE_URL": os.environ.get("DATABASE_URL", DEFAULT_DATABASE)}
    started = time.perf_counter()
    rows: list[tuple[str, dict[str, Any]]] = []
    failed: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        for script, *arguments in SCRIPTS:
            output = Path(scratch) / f"{script}.json"
            print(f"\n=== bench/{script} {' '.join(arguments)}", flush=True)
            command = [sys.executable, str(ROOT / "bench" / script), *arguments]
            done = subprocess.run([*command, "--json", str(output)], env=env, check=False)
            if done.returncode != 0 or not output.exists():
                failed.append(script)
                continue
            rows += [(script, row) for row in json.loads(output.read_text())["rows"]]
    minutes = (time.perf_counter() - started) / 60
    print(f"\n=== all figures ({minutes:.1f} min)\n")
    print(_table(rows))
    missed = sum(1 for _, row in rows if row["met"] is False)
    targets = sum(1 for _, row in rows if row["met"] is not None)
    print(f"\n{targets} targets: {targets - missed} met, {missed} missed")
    if failed:
        raise SystemExit(f"failed to run: {', '.join(failed)}")


def _table(rows: list[tuple[str, dict[str, Any]]]) -> str:
    """Every row of every script: ours (and the peer's, with the ratio), target, verdict."""
    lines = [("script", "figure", "ours", "django-appointment", "ratio", "target", "")]
    for script, row in rows:
        lines.append(
            (
                script,
                row["name"],
                _value(row["ours"], row["unit"]),
                _value(row["theirs"], row["unit"]),
                "" if row["ratio"] is None else f"{row['ratio']:.2f}x",
                row["target"] or "",
                verdict(row["met"]),
            )
        )
    widths = [max(len(line[column]) for line in lines) for column in range(7)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


def _value(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    text = f"{value:g}" if value == int(value) else f"{value:.1f}"
    return f"{text} {unit}".strip()


if __name__ == "__main__":
    main()
