"""The documentation in docs/ builds without a warning, and every example in it runs.

Conventions of the pages (docs/index.md says so too):

* Python examples are ```` ```pycon ```` blocks (`>>>` prompts), run as doctests
  with ELLIPSIS: `...` in an expected line stands for any text.
* Shell examples are ```` ```console ```` blocks: each `$ ` line is a command
  (bash, the venv's `bin/` first on PATH), the lines after it its expected
  output (stdout and stderr together), compared line by line with the same
  ellipsis convention; a line that is exactly `...` stands for any lines.
  The exit status is not compared unless the example prints it (`echo $?`).
* A file the examples use is a ```` ```{code-block} python ```` (or `toml`, `json`)
  block with `:caption: NAME`: the test writes it as NAME before the examples run.
  Every other Python block would be unexecuted, so there are none.

All blocks of one page run in order in one fresh folder, which holds the files
of the page and links to the repository's `examples/` and `counterexamples/`.
"""

from __future__ import annotations

import doctest
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from bargaincheck.checkers.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
README = ROOT / "README.md"
PAGES = sorted(p for p in DOCS.rglob("*.md") if "_build" not in p.parts)
LINKED = ("examples", "counterexamples")
FLAGS = doctest.ELLIPSIS


@dataclass
class Block:
    """One fenced block of a page: its language, its file name (`:caption:`), text and line."""

    language: str
    caption: str | None
    text: str
    line: int


def fenced_blocks(path: Path) -> list[Block]:
    """Every fenced code block of a MyST page, with `{code-block}` options taken off."""
    blocks: list[Block] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    k = 0
    while k < len(lines):
        opening = re.match(r"^(`{3,})\s*(\S*)\s*(.*)$", lines[k])
        if not opening:
            k += 1
            continue
        fence, info, rest = opening.groups()
        start, k = k + 1, k + 1
        while k < len(lines) and not lines[k].startswith(fence):
            k += 1
        body = lines[start:k]
        k += 1
        language, caption = info, None
        if info in ("{code-block}", "{code}", "{literalinclude}"):
            language = rest.strip()
            while body and body[0].startswith(":"):
                option = re.match(r"^:(\w+):\s*(.*)$", body.pop(0))
                if option and option.group(1) == "caption":
                    caption = option.group(2).strip()
        blocks.append(Block(language, caption, "\n".join(body) + "\n", start + 1))
    return blocks


def shell_commands(block: Block) -> list[tuple[str, str]]:
    """(command, expected output) pairs of a console block; `\\` continues a command."""
    pairs: list[tuple[str, list[str]]] = []
    lines = block.text.splitlines()
    k = 0
    while k < len(lines):
        if lines[k].startswith("$ "):
            command = lines[k][2:]
            while command.endswith("\\") and k + 1 < len(lines):
                k += 1
                command = command[:-1] + " " + lines[k].strip()
            pairs.append((command, []))
        elif pairs:
            pairs[-1][1].append(lines[k])
        k += 1
    return [(command, "\n".join(output).strip("\n")) for command, output in pairs]


def _normalized(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines()) + "\n"


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["COLUMNS"] = "100"
    env["PYTHONUNBUFFERED"] = "1"  # stdout and stderr in the order they were written
    env.pop("PYTHONPATH", None)
    return env


def _workspace(tmp_path: Path, blocks: list[Block]) -> Path:
    for name in LINKED:
        (tmp_path / name).symlink_to(ROOT / name, target_is_directory=True)
    for block in blocks:
        if block.caption:
            (tmp_path / block.caption).write_text(block.text, encoding="utf-8")
    return tmp_path


def _run_console(block: Block, page: Path, workspace: Path) -> None:
    """Each command in its own bash, where `$?` is the previous command's exit status."""
    checker = doctest.OutputChecker()
    status = 0
    for command, expected in shell_commands(block):
        done = subprocess.run(["bash", "-c", f"(exit {status}); {command}"], cwd=workspace, env=_environment(),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
        status = done.returncode
        got = _normalized(done.stdout)
        want = _normalized(expected) if expected else "\n"
        assert checker.check_output(want, got, FLAGS), (
            f"{page.relative_to(ROOT)}:{block.line}: `{command}` (exit {done.returncode}) printed\n{got}"
            f"instead of\n{want}")


def _run_pycon(block: Block, page: Path, globs: dict) -> None:
    test = doctest.DocTestParser().get_doctest(block.text, globs, f"{page.name}:{block.line}", str(page), block.line)
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    report: list[str] = []
    runner.run(test, out=report.append, clear_globs=False)
    assert runner.failures == 0, f"{page.relative_to(ROOT)}:{block.line}:\n" + "".join(report)


def test_docs_build_without_warnings(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-E", "-b", "html",
         "-d", str(tmp_path / "doctrees"), str(DOCS), str(tmp_path / "html")],
        cwd=ROOT, env=_environment(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "html" / "index.html").is_file()


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(DOCS)) for p in PAGES])
def test_page_examples_run(page, tmp_path, monkeypatch):
    blocks = fenced_blocks(page)
    workspace = _workspace(tmp_path, blocks)
    monkeypatch.chdir(workspace)
    globs: dict = {"__name__": "__docs__"}
    monkeypatch.syspath_prepend(str(workspace))
    try:
        for block in blocks:
            if block.language == "pycon":
                _run_pycon(block, page, globs)
            elif block.language == "console":
                _run_console(block, page, workspace)
    finally:  # a page's own modules (mymodule.py, ...) must not leak into the next page
        for name, module in list(sys.modules.items()):
            if str(getattr(module, "__file__", "") or "").startswith(str(workspace)):
                del sys.modules[name]


def test_every_python_example_is_executed():
    """A Python block is either a doctest (pycon) or a file the page's examples use."""
    unexecuted = [f"{p.relative_to(ROOT)}:{b.line}" for p in PAGES for b in fenced_blocks(p)
                  if b.language in ("python", "py", "python3") and not b.caption]
    assert unexecuted == []


def test_the_docs_have_python_and_shell_examples():
    blocks = [b for p in PAGES for b in fenced_blocks(p)]
    doctests = sum(len(doctest.DocTestParser().get_examples(b.text)) for b in blocks if b.language == "pycon")
    commands = sum(len(shell_commands(b)) for b in blocks if b.language == "console")
    assert doctests >= 20 and commands >= 20


def test_every_concept_and_desideratum_has_a_reference_entry():
    from bargaincheck.specs.bargaining.desiderata import BARGAINING_DESIDERATA
    from bargaincheck.specs.concepts.registry import CONCEPTS, get_concept
    from bargaincheck.specs.desiderata.registry import DESIDERATA

    get_concept("coco")  # loads the built-ins
    concepts = (DOCS / "reference" / "concepts.md").read_text(encoding="utf-8")
    desiderata = (DOCS / "reference" / "desiderata.md").read_text(encoding="utf-8")
    missing = [c for c in CONCEPTS if f"(concept-{c})=" not in concepts]
    missing += [d for d in [*DESIDERATA, *BARGAINING_DESIDERATA] if f"(desideratum-{d})=" not in desiderata]
    assert missing == []


# -- README ----------------------------------------------------------------------------


def readme_command_lines() -> list[str]:
    """Every bargaincheck invocation on a line of an indented command block of the README."""
    found = []
    for line in README.read_text(encoding="utf-8").splitlines():
        if not line.startswith("    ") or line.lstrip().startswith("#"):
            continue
        code = re.split(r"\s#", line.strip(), maxsplit=1)[0]
        for part in code.split("&&"):
            if re.search(r"(^|\s)bargaincheck\s", part) and "bargaincheck" in shlex.split(part):
                found.append(part.strip())
    return found


def test_readme_has_command_lines():
    assert len(readme_command_lines()) >= 10


@pytest.mark.parametrize("line", readme_command_lines())
def test_readme_command_line_parses(line):
    words = shlex.split(line)
    args = words[words.index("bargaincheck") + 1:]
    try:
        build_parser().parse_args(args)
    except SystemExit as stop:  # argparse's way to reject a command line
        pytest.fail(f"README command does not parse (exit {stop.code}): {line}")


# -- self-contained --------------------------------------------------------------------

OUTSIDE = re.compile(r"\.\./" + "shared" + r"|[\"'(]" + "/" + r"[a-zA-Z_]+/")


def test_readme_docs_and_tests_name_no_path_outside_the_repository():
    files = [README, *(p for p in DOCS.rglob("*") if p.is_file() and "_build" not in p.parts
                       and p.suffix in (".md", ".py", ".txt")),
             *(ROOT / "tests").rglob("*.py")]
    hits = [f"{f.relative_to(ROOT)}:{n}: {line.strip()}" for f in files
            for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1) if OUTSIDE.search(line)]
    assert hits == []
