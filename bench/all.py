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

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import report

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/mockloop"
SCRIPTS = (("peer.py", "--quick"), ("scale.py", "--quick"))


def main() -> None:
    env = {**os.environ, "DATABASE_URL": os.environ.get("DATABASE_URL", DEFAULT_DATABASE)}
    started = time.perf_counter()
    figures: list[report.Figure] = []
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
            figures += report.read(output)
    minutes = (time.perf_counter() - started) / 60
    print(f"\n=== all figures ({minutes:.1f} min)\n")
    print(report.table(figures))
    missed = [figure for figure in figures if figure.met is False]
    print(f"\n{len(figures)} figures, {len(missed)} targets missed")
    if failed:
        raise SystemExit(f"failed to run: {', '.join(failed)}")


if __name__ == "__main__":
    main()
