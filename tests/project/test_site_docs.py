"""The documentation site, its generated pages, the generated clients and the worked example.

- every generated page (case lifecycle, policy reference, API reference + openapi.json, event
  catalogue) is what its generator produces now: editing the state machine, the policy or the API
  without `make docs` fails here;
- `mkdocs build --strict` passes (no broken link or anchor, every page in the nav, both languages);
- the Python client and the TypeScript types are what the generators make of the OpenAPI document
  (`make clients`), and the TypeScript example type-checks against them;
- the integration guide's worked example (examples/quickstart.py, using the Python client) runs
  against a real sandbox server and sees the refund happen.
"""

from __future__ import annotations

import filecmp
import os
import subprocess
import sys
from pathlib import Path

import pytest

from peifu.adapters import site_docs
from peifu.adapters.api.app import create_app
from peifu.adapters.api.event_docs import catalogue_markdown
from peifu.adapters.runtime import Runtime
from peifu.domain import case_machine
from peifu.domain.policy import default_policy
from peifu.domain.policy_text import describe
from peifu.services import auth
from tests.server_support import serving

pytestmark = pytest.mark.slow  # not in `make test-fast`; always in `make test`

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
BIN = Path(sys.executable).parent


def test_the_generated_pages_are_fresh(rt: Runtime) -> None:
    files = site_docs.generated_files(create_app(rt).openapi())
    stale = [rel for rel, text in files.items() if (DOCS / rel).read_text(encoding="utf-8") != text]
    assert not stale, f"stale generated pages {stale}: run `make docs`"
    assert (DOCS / "events.md").read_text(encoding="utf-8") == catalogue_markdown(), "run `make docs`"


def test_the_lifecycle_diagram_draws_every_move_of_the_table() -> None:
    for lang in site_docs.LANGS:
        diagram = "\n".join(site_docs.lifecycle_mermaid(lang, part[0]) for part in site_docs.PARTS)
        for row in case_machine.TABLE:
            if row.source == row.target:
                continue
            arrow = f"{row.source.value} --> {row.target.value} : "
            labels = [x.split(" : ", 1)[1].split(", ") for x in diagram.splitlines() if arrow.strip() in x]
            assert any(row.action.value in label for label in labels), (arrow, row.action)
        page = site_docs.lifecycle_markdown(lang)
        assert page.count("\n| `") == len(case_machine.TABLE)  # one table row per transition


def test_the_policy_reference_lists_every_number_with_its_source() -> None:
    for lang in site_docs.LANGS:
        page = site_docs.policy_markdown(lang)
        for rule in describe(default_policy()):
            assert f"| `{rule.key}` |" in page
            assert rule.source.replace("|", "\\|") in page


def _mkdocs_build(out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict", "--quiet", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_site_builds_strictly_in_both_languages(tmp_path: Path) -> None:
    out = tmp_path / "site"
    done = _mkdocs_build(out)
    assert done.returncode == 0, done.stdout + done.stderr
    for page in ("index.html", "concepts/lifecycle/index.html", "reference/policy/index.html", "events/index.html"):
        assert (out / page).exists() and (out / "en" / page).exists(), page
    zh = (out / "concepts/lifecycle/index.html").read_text(encoding="utf-8")
    en = (out / "en/concepts/lifecycle/index.html").read_text(encoding="utf-8")
    assert "售后单生命周期" in zh and "stateDiagram-v2" in zh
    assert "The case lifecycle" in en and 'hreflang="en"' in zh  # the language switch links the pages


def _same_tree(a: Path, b: Path) -> list[str]:
    def files(root: Path) -> set[str]:
        return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts}

    left, right = files(a), files(b)
    diff = sorted(left ^ right)
    diff += [f for f in sorted(left & right) if not filecmp.cmp(a / f, b / f, shallow=False)]
    return diff


def test_the_python_client_is_fresh(tmp_path: Path) -> None:
    out = tmp_path / "python"
    done = subprocess.run(
        [
            str(BIN / "openapi-python-client"),
            "generate",
            "--path",
            str(DOCS / "reference" / "openapi.json"),
            "--output-path",
            str(out),
            "--config",
            str(ROOT / "clients" / "openapi-python-client.yaml"),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert not _same_tree(out, ROOT / "clients" / "python"), "clients/python is stale: run `make clients`"


TS = ROOT / "clients" / "typescript"


@pytest.mark.skipif(not (TS / "node_modules" / ".bin" / "openapi-typescript").exists(), reason="npm ci not run")
def test_the_typescript_types_are_fresh_and_type_check(tmp_path: Path) -> None:
    out = tmp_path / "peifu.d.ts"
    done = subprocess.run(
        [
            str(TS / "node_modules" / ".bin" / "openapi-typescript"),
            str(DOCS / "reference" / "openapi.json"),
            "--output",
            str(out),
            "--default-non-nullable",
            "false",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert out.read_text(encoding="utf-8") == (TS / "peifu.d.ts").read_text(encoding="utf-8"), "run `make clients`"
    tsc = subprocess.run(
        [str(TS / "node_modules" / ".bin" / "tsc"), "--noEmit", "--strict", "--target", "es2020", "example.ts"],
        cwd=TS,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert tsc.returncode == 0, tsc.stdout + tsc.stderr


def test_the_worked_example_runs_against_a_sandbox_server(sandbox_rt: Runtime) -> None:
    with sandbox_rt.uow() as ctx:
        auth.create_user(ctx.session, "buyer-wang", "buyer", "peifu-demo", ctx.now(), party_id="buyer-wang")
        key = auth.create_api_key(ctx.session, "platform", "quickstart", ctx.now()).key
    with serving(create_app(sandbox_rt)) as url:
        env = {**os.environ, "PEIFU_URL": url, "PEIFU_KEY": key}
        done = subprocess.run(
            [sys.executable, str(ROOT / "examples" / "quickstart.py")],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "events: case.opened, case.agreed, case.refunded" in done.stdout
