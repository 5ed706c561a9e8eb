"""The code's house rules, checked by the test command: lint, types, module size.

* ``ruff check`` (pyproject's rules, with the numpy docstring convention on the package);
* ``mypy`` on the package (pyproject's ``[tool.mypy]``);
* no module of the package over :data:`MAX_CODE_LINES` lines of code: a module that
  grows past it holds more than one job and is split (docstrings, comments and blank
  lines do not count, so documenting a module never pushes it over).
"""

from __future__ import annotations

import ast
import io
import subprocess
import sys
import tokenize

import pytest

from .support.paths import ROOT

PACKAGE = ROOT / "cjm_jupyter"
MAX_CODE_LINES = 500


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=600)


def test_ruff_finds_nothing() -> None:
    pytest.importorskip("ruff", reason="ruff is in the 'test' extra")
    done = _run(sys.executable, "-m", "ruff", "check", "--no-cache", "cjm_jupyter", "tests", "bench")
    assert done.returncode == 0, done.stdout[-8000:] + done.stderr[-2000:]


def test_ruff_format_would_change_nothing() -> None:
    pytest.importorskip("ruff", reason="ruff is in the 'test' extra")
    # one layout for everyone's diffs; `ruff format cjm_jupyter tests bench` fixes it
    done = _run(
        sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "cjm_jupyter", "tests", "bench"
    )
    assert done.returncode == 0, done.stdout[-8000:] + done.stderr[-2000:]


@pytest.mark.slow
def test_mypy_finds_nothing() -> None:
    pytest.importorskip("mypy", reason="mypy is in the 'test' extra")
    # the config (files, strictness, untyped libraries) is pyproject's [tool.mypy]
    done = _run(sys.executable, "-m", "mypy", "--no-incremental", "--cache-dir", "/dev/null")
    assert done.returncode == 0, done.stdout[-8000:] + done.stderr[-2000:]


def code_lines(source: str) -> int:
    """Lines holding code: not blank, not only a comment, not inside a docstring."""
    docstrings: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                docstrings.update(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    code: set[int] = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT,
                          tokenize.DEDENT, tokenize.ENDMARKER):  # fmt: skip
            continue
        code.update(range(token.start[0], token.end[0] + 1))
    return len(code - docstrings)


def test_code_lines_counts_code_only() -> None:
    source = (
        '"""Module.\n\nText.\n"""\n\n# a comment\nx = 1  # trailing\n\n\n'
        'def f():\n    """Doc."""\n    return (\n        x\n    )\n'
    )
    assert code_lines(source) == 5  # x = 1; def f():; the return over three lines


def test_no_package_module_is_over_the_size_limit() -> None:
    sizes = {
        str(p.relative_to(ROOT)): code_lines(p.read_text(encoding="utf-8")) for p in PACKAGE.rglob("*.py")
    }
    over = {path: n for path, n in sorted(sizes.items()) if n > MAX_CODE_LINES}
    assert over == {}, f"modules over {MAX_CODE_LINES} lines of code (split them by job): {over}"
