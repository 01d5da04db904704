"""The commands the docs show, run as a reader runs them.

A ```console block in README.md or docs/*.md preceded by the line
`<!-- checked by tests/test_docs.py ... -->` is checked: each `$ ` line is a command, run with bash
(pipefail) in one scratch folder per document, in order (so a later command sees what an earlier one
built); the lines up to the next `$ ` are its expected output (stdout and stderr). `examples/` in the
scratch folder is the repository's, and `govkg` is this environment's. Placeholders: `…` in a line
stands for any text, a line of just `…` for any number of lines. Trailing spaces and leading or
trailing blank lines are ignored. Keep checked blocks on examples/corpus and quick.

README's first commands (the quick start) are not run (they set up a virtual environment and run
the suite), but each must name a script of the repository that bash can parse.
"""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
MARK = "<!-- checked by tests/test_docs.py"
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]


def checked_blocks(text: str) -> list[list[tuple[str, list[str]]]]:
    """The marked console blocks of a Markdown text: per block, (command, expected output lines)."""
    blocks, lines = [], text.splitlines()
    for i, line in enumerate(lines):
        if not line.startswith(MARK):
            continue
        assert lines[i + 1].strip() == "```console", f"{MARK} must come just before a ```console block"
        end = lines.index("```", i + 2)
        steps: list[tuple[str, list[str]]] = []
        for body in lines[i + 2:end]:
            if body.startswith("$ "):
                steps.append((body[2:], []))
            else:
                assert steps, f"output before the first command: {body!r}"
                steps[-1][1].append(body)
        blocks.append(steps)
    return blocks


def _trim(lines: list[str]) -> list[str]:
    lines = [line.rstrip() for line in lines]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def output_matches(expected: list[str], actual: list[str]) -> bool:
    """Whether actual lines match the expected ones with their `…` placeholders."""
    pattern = "".join(r"(?:[^\n]*\n)*?" if line == "…"
                      else ".*?".join(map(re.escape, line.split("…"))) + r"\n" for line in _trim(expected))
    return re.fullmatch(pattern, "".join(line + "\n" for line in _trim(actual))) is not None


def test_placeholders():
    assert output_matches(["a … c", "…", "end"], ["a b b c", "x", "y", "end"])
    assert output_matches(["…", "end"], ["end"])
    assert not output_matches(["a … c"], ["a b d"])
    assert not output_matches(["a", "b"], ["a", "b", "c"])  # nothing extra
    assert not output_matches(["a … c"], ["a b", "c"])  # … within a line does not span lines


def _documents_with_checks() -> list[Path]:
    return [doc for doc in DOCS if MARK in doc.read_text(encoding="utf-8")]


def test_some_blocks_are_checked():
    assert REPO / "README.md" in _documents_with_checks()


@pytest.mark.parametrize("doc", _documents_with_checks(), ids=lambda p: p.name)
def test_shown_commands_give_the_shown_output(doc, tmp_path):
    (tmp_path / "examples").symlink_to(REPO / "examples")
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "PYTHONPATH")}
    env.update(PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}", COLUMNS="80",
               NO_COLOR="1", TERM="dumb", LC_ALL="C.UTF-8")
    for block in checked_blocks(doc.read_text(encoding="utf-8")):
        for command, expected in block:
            run = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=tmp_path, env=env,
                                 capture_output=True, text=True, timeout=60)
            actual = (run.stdout + run.stderr).splitlines()
            assert run.returncode == 0, f"{doc.name}: `{command}` exited {run.returncode}:\n{run.stdout}{run.stderr}"
            assert output_matches(expected, actual), (
                f"{doc.name}: `{command}` printed\n" + "\n".join(actual) + "\n\nthe doc shows\n" + "\n".join(expected))


def _quick_start() -> list[list[str]]:
    """The commands of README's first code block (comments dropped), split into words."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```\w*\n(.*?)```", text, re.S)
    assert block, "README.md has no code block"
    return [shlex.split(line, comments=True) for line in block.group(1).splitlines() if line.strip()]


def test_readme_quick_start_names_real_scripts():
    commands = _quick_start()
    assert len(commands) >= 2
    for words in commands[:2]:
        assert words[0] == "bash" and len(words) == 2, words
        script = REPO / words[1]
        assert script.is_file(), f"README's `{' '.join(words)}`: no {script}"
        assert script.read_text(encoding="utf-8").startswith("#!/usr/bin/env bash")
        check = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        # every script it runs is in the repository too
        for called in re.findall(r"\bbash (scripts/\S+)", script.read_text(encoding="utf-8")):
            assert (REPO / called).is_file(), f"{script.name} runs missing {called}"


def test_readme_command_table_names_real_subcommands():
    import typer

    from govkg.cli import app

    commands = set(typer.main.get_command(app).commands)
    text = (REPO / "README.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"^\| `govkg (\w+)", text, re.M))
    assert shown >= {"build", "export", "stats", "query", "serve"}, shown
    assert shown <= commands, shown - commands
