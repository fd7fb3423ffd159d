"""The house's plan, checked: the layering contract holds, and no module imports another inside a
function to dodge a cycle — an import is deferred only where this file says why."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import LEVELS

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "peifu"

# The only files that import peifu modules inside functions, and why. Nothing here is a cycle:
# the layering contract (pyproject.toml, [tool.importlinter]) would not allow one.
DEFERRED = {
    "adapters/cli.py": "each command loads what it runs, so `peifu --help` answers in a third of a "
    "second instead of the ten or so that loading the API, the simulator and the triage model takes",
    "services/triage.py": "the triage model's libraries (scikit-learn, jieba) load on the first text "
    "triaged, not when the API starts",
    "adapters/api/asgi.py": "the same: the model loads in its warm-up thread, off the start-up path",
}


def _deferred_imports(path: Path) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom):
                    names = [inner.module or ""]
                elif isinstance(inner, ast.Import):
                    names = [alias.name for alias in inner.names]
                else:
                    continue
                if any(name.startswith("peifu") for name in names):
                    lines.append(inner.lineno)
    return lines


def test_imports_inside_functions_are_only_where_a_reason_is_written() -> None:
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        lines = _deferred_imports(path)
        if lines:
            found[path.relative_to(SRC).as_posix()] = lines
    unexplained = {name: lines for name, lines in found.items() if name not in DEFERRED}
    assert not unexplained, f"imports inside functions with no reason in DEFERRED: {unexplained}"
    assert set(DEFERRED) <= set(found), f"DEFERRED names files that defer nothing: {set(DEFERRED) - set(found)}"


def test_the_layering_contract_holds() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    if not lint_imports.exists() and shutil.which("lint-imports") is None:
        pytest.skip("import-linter is not installed (make install-test installs it)")
    answer = subprocess.run(
        [str(lint_imports if lint_imports.exists() else "lint-imports"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert answer.returncode == 0, answer.stdout + answer.stderr
    assert "0 broken" in answer.stdout


def test_the_postgresql_pass_runs_every_level_that_stores_something() -> None:
    """`make test` runs everything on SQLite, then again on PostgreSQL every level but tests/domain
    (database-free, checked in conftest.py) and tests/project (the repository itself): a new level
    directory has to be named in scripts/test.sh, or it would silently skip PostgreSQL."""
    script = (ROOT / "scripts" / "test.sh").read_text(encoding="utf-8")
    second_pass = script[script.index('echo "== tests on PostgreSQL"') :]
    named = {part.removeprefix("tests/") for part in second_pass.split() if part.startswith("tests/")}
    assert named == set(LEVELS) - {"domain", "project"}, named
    on_disk = {p.name for p in (ROOT / "tests").iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert on_disk == set(LEVELS), on_disk
