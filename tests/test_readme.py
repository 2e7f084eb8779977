"""The README stands on its own in a fresh clone: it links nothing outside the repository,
and every command it shows runs as written there (issue 11).

A fresh machine has Python 3 and make; `make install` makes `.venv/`. It has no `uv` on
PATH (make may install uv where the shell does not look), so a command is one of: a make
target of the Makefile, the virtualenv's or the system's Python running a file of the
repository, or an `export`.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PYTHONS = {".venv/bin/python", "python3"}
# The server `make run` starts: a link to it is not a link outside the repository.
LOCAL_SERVER = re.compile(r"https?://(127\.0\.0\.1|localhost)(:\d+)?(/|$)")


def _text() -> str:
    return README.read_text()


def _shell_commands(markdown: str) -> list[str]:
    """Each command of the README's sh code blocks, continuation lines joined, comments
    dropped."""
    commands = []
    for block in re.findall(r"```(?:sh|bash|console)\n(.*?)```", markdown, flags=re.DOTALL):
        joined = block.replace("\\\n", " ")
        for line in joined.splitlines():
            words = shlex.split(line, comments=True)
            if words:
                commands.append(shlex.join(words))
    return commands


def _make_targets() -> set[str]:
    makefile = (ROOT / "Makefile").read_text()
    return set(re.findall(r"^([A-Za-z][\w.-]*):(?!=)", makefile, flags=re.MULTILINE))


def _problem(command: str, targets: set[str]) -> str | None:
    words = shlex.split(command)
    # VAR=value before a command sets its environment.
    while words and re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", words[0]):
        words = words[1:]
    if not words:
        return "sets variables and runs nothing"
    program, arguments = words[0], words[1:]
    if program == "export":
        return None
    if program == "make":
        missing = [word for word in arguments if "=" not in word and word not in targets]
        return f"the Makefile has no target {missing}" if missing else None
    if program in PYTHONS:
        if not arguments or arguments[0].startswith("-"):
            return None
        script = ROOT / arguments[0]
        return None if script.is_file() else f"{arguments[0]} is not in the repository"
    return f"{program} is not on a fresh machine's PATH"


def test_it_finds_the_commands_of_the_readme() -> None:
    commands = _shell_commands(_text())

    assert "make run" in commands
    assert "make test" in commands
    assert any("bench/matching.py" in command for command in commands)


def test_it_shows_only_commands_that_run_in_a_fresh_clone() -> None:
    targets = _make_targets()

    problems = {
        command: problem
        for command in _shell_commands(_text())
        if (problem := _problem(command, targets)) is not None
    }

    assert problems == {}


@pytest.mark.parametrize(
    ("command", "problem"),
    [
        ("uv run python bench/matching.py", "uv is not on a fresh machine's PATH"),
        ("make no-such-target", "the Makefile has no target ['no-such-target']"),
        (".venv/bin/python bench/nothing.py", "bench/nothing.py is not in the repository"),
        ("DATABASE_URL=postgres://x make test", None),
        (".venv/bin/python bench/matching.py", None),
    ],
)
def test_it_tells_a_command_that_would_fail_from_one_that_runs(
    command: str, problem: str | None
) -> None:
    assert _problem(command, _make_targets()) == problem


def test_it_links_nothing_outside_the_repository() -> None:
    text = _text()
    targets = re.findall(r"\]\(([^)\s]+)\)", text) + re.findall(r"<(https?://[^>]+)>", text)

    outside = []
    for target in targets:
        if LOCAL_SERVER.match(target) or target.startswith("#"):
            continue
        if re.match(r"[a-z]+:", target):
            outside.append(target)
            continue
        path = (ROOT / target.split("#")[0]).resolve()
        if not path.is_relative_to(ROOT) or not path.exists():
            outside.append(target)
    assert outside == []
    # Nor names files beside the checkout, as a path in backticks.
    assert "../" not in text


def test_it_points_to_the_product_summary_in_the_repository() -> None:
    summary = ROOT / "docs" / "product.md"

    assert "](docs/product.md)" in _text()
    for topic in ("## People and roles", "## The rubric", "## Matching and booking"):
        assert topic in summary.read_text()
