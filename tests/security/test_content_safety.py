"""Stored files and pages cannot be turned against the people who open them (issue 21, item 10).

* An uploaded file is kept only when its bytes are what its declared type says (magic numbers,
  `peifu.domain.file_types`): an HTML page sent as `image/png` is a 415 and nothing is stored.
* Evidence and case attachments are served with `X-Content-Type-Options: nosniff`, a
  `Content-Disposition` and a sandboxing Content Security Policy.
* Every answer carries frame protection, every page a Content Security Policy without
  'unsafe-inline' — so the templates hold no inline script, event handler or style element.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from peifu.adapters.api.app import create_app
from peifu.adapters.runtime import Runtime
from peifu.db.models import CaseAttachment, Evidence, EvidenceBlob
from peifu.domain import file_types
from peifu.domain.actors import Actor
from peifu.domain.errors import UnsupportedType
from peifu.domain.intervention import EvidenceKind
from peifu.domain.vocabulary import Role
from peifu.services import attachments, auth
from tests.conftest import as_buyer, as_seller
from tests.dispute_flow import API, PDF, PNG, new_order, open_case, refuse_and_escalate, upload

HTML = b"<!doctype html><html><body><script>fetch('/api/v1/auth/me').then(r=>r.text()).then(alert)</script>"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 32
GIF = b"GIF89a" + b"\x00" * 32
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 32
MOV = b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  " + b"\x00" * 32
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01" + b"\x00" * 32
TEMPLATES = Path(__file__).parents[2] / "src" / "peifu" / "adapters" / "web" / "templates"


# --- the sniffing rule (pure) ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "media, content",
    [
        ("image/png", PNG),
        ("image/jpeg", JPEG),
        ("image/gif", GIF),
        ("image/webp", WEBP),
        ("application/pdf", PDF),
        ("video/mp4", MP4),
        ("video/quicktime", MOV),
        ("video/mp4", MOV),  # phones label .mov and .mp4 either way: one container family
        ("video/webm", WEBM),
        ("text/plain", "卖家：可以退，您直接申请仅退款吧".encode()),
        ("text/plain", "卖家：可以退".encode("gb18030")),
        ("text/plain", b"Get free shipping on the next order"),  # not a QuickTime 'free' atom
        ("application/json", '{"tracking": "SF1", "status": "签收"}'.encode()),
    ],
)
def test_files_are_what_they_say(media: str, content: bytes) -> None:
    assert file_types.matches(media, content)
    file_types.require_match(media, content)


@pytest.mark.parametrize(
    "media, content",
    [
        ("image/png", HTML),
        ("image/jpeg", HTML),
        ("image/png", JPEG),
        ("image/jpeg", PNG),
        ("application/pdf", HTML),
        ("video/mp4", HTML),
        ("video/webm", MP4),
        ("image/gif", b""),
        ("text/plain", PNG),
        ("text/plain", b"binary\x00data"),
        ("application/json", b"{not json"),
        ("application/json", PDF),
        ("image/svg+xml", b"<svg onload=alert(1)>"),
    ],
)
def test_files_that_are_not_what_they_say_are_refused(media: str, content: bytes) -> None:
    assert not file_types.matches(media, content)
    with pytest.raises(UnsupportedType) as refused:
        file_types.require_match(media, content)
    assert refused.value.code == "content_type_mismatch"


# --- uploads ---------------------------------------------------------------------------------------


def _blobs(rt: Runtime) -> tuple[int, int]:
    with rt.uow() as ctx:
        return (
            ctx.session.scalar(select(func.count()).select_from(EvidenceBlob)) or 0,
            ctx.session.scalar(select(func.count()).select_from(Evidence)) or 0,
        )


@pytest.fixture
def dispute_id(client: TestClient) -> int:
    new_order(client, "F1")
    return refuse_and_escalate(client, open_case(client, "F1", "return_and_refund", "damaged"))


def test_html_sent_as_an_image_is_refused_and_not_stored(client: TestClient, rt: Runtime, dispute_id: int) -> None:
    before = _blobs(rt)
    for kind, media, content in [
        ("image", "image/png", HTML),
        ("image", "image/jpeg", PNG + HTML),
        ("document", "application/pdf", HTML),
        ("chat_log", "image/png", HTML),
        ("video", "video/mp4", HTML),
    ]:
        answer = upload(client, dispute_id, as_buyer(), kind, content, media, "photo.png")
        assert answer.status_code == 415, answer.text
        error = answer.json()["error"]
        assert error["code"] == "content_type_mismatch" and media in error["message"], error
    assert _blobs(rt) == before
    assert upload(client, dispute_id, as_buyer(), "image", PNG, "image/png", "photo.png").status_code == 201


def test_case_attachments_are_checked_the_same_way(client: TestClient, rt: Runtime) -> None:
    new_order(client, "F2")
    case_id = open_case(client, "F2", "refund_only", "damaged")
    with pytest.raises(UnsupportedType), rt.uow() as ctx:
        attachments.add(ctx, case_id, Actor(Role.buyer, "buyer-1"), EvidenceKind.image, HTML, "image/png", "x.png")
    with rt.uow() as ctx:
        assert ctx.session.scalar(select(func.count()).select_from(CaseAttachment)) == 0


# --- serving them back -----------------------------------------------------------------------------


def _assert_safe_file(answer: object, media: str, disposition: str) -> None:
    headers = answer.headers  # type: ignore[attr-defined]
    assert headers["content-type"].startswith(media)
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["content-disposition"].startswith(disposition), headers["content-disposition"]
    assert "filename=" in headers["content-disposition"]
    csp = headers["content-security-policy"]
    assert "sandbox" in csp and "default-src 'none'" in csp, csp


def test_evidence_is_served_with_nosniff_a_disposition_and_a_sandbox(client: TestClient, dispute_id: int) -> None:
    photo = upload(client, dispute_id, as_buyer(), "image", PNG, "image/png", "鞋底 开胶.png").json()["evidence"][-1]
    report = upload(client, dispute_id, as_seller(), "document", PDF, "application/pdf", "qc.pdf").json()["evidence"]
    agent = {"X-Peifu-Actor": "agent:x1"}
    image = client.get(f"{API}/evidence/{photo['id']}/content", headers=agent)
    assert image.status_code == 200 and image.content == PNG
    _assert_safe_file(image, "image/png", "inline")
    assert "filename*=UTF-8''%E9%9E%8B%E5%BA%95%20%E5%BC%80%E8%83%B6.png" in image.headers["content-disposition"]
    pdf = client.get(f"{API}/evidence/{report[-1]['id']}/content", headers=agent)
    _assert_safe_file(pdf, "application/pdf", "attachment")
    said = client.post(
        f"{API}/disputes/{dispute_id}/evidence", json={"kind": "text", "text": "<b>hi</b>"}, headers=agent
    )
    text_id = said.json()["evidence"][-1]["id"]
    text = client.get(f"{API}/evidence/{text_id}/content", headers=agent)
    _assert_safe_file(text, "text/plain", "attachment")


@pytest.fixture
def buyer_web(rt: Runtime) -> Iterator[TestClient]:
    with rt.uow() as ctx:
        auth.create_user(ctx.session, "web-buyer", "buyer", "a-long-password", ctx.now(), party_id="buyer-1")
    with TestClient(create_app(rt), raise_server_exceptions=False) as web:
        assert web.post("/login", data={"username": "web-buyer", "password": "a-long-password"}).status_code == 200
        yield web


def test_case_attachments_are_served_safely(client: TestClient, rt: Runtime, buyer_web: TestClient) -> None:
    new_order(client, "F3")
    case_id = open_case(client, "F3", "refund_only", "damaged")
    with rt.uow() as ctx:
        added = attachments.add(
            ctx, case_id, Actor(Role.buyer, "buyer-1"), EvidenceKind.image, PNG, "image/png", "p.png"
        )
        attachment_id = added.id
    answer = buyer_web.get(f"/buyer/attachments/{attachment_id}")
    assert answer.status_code == 200 and answer.content == PNG
    _assert_safe_file(answer, "image/png", "inline")


# --- every answer: frame protection; every page: a Content Security Policy ---------------------------


def test_every_answer_is_protected_against_framing_and_pages_have_a_strict_policy(client: TestClient) -> None:
    for path in ["/login", "/policy", "/healthz", "/api/v1/policy", "/nowhere", "/static/peifu.css"]:
        answer = client.get(path)
        assert answer.headers["x-frame-options"] == "DENY", path
        assert answer.headers["x-content-type-options"] == "nosniff", path
        csp = answer.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp, (path, csp)
    page = client.get("/login").headers["content-security-policy"]
    assert "script-src 'self'" in page and "'unsafe-inline'" not in page and "'unsafe-eval'" not in page
    assert "object-src 'none'" in page and "base-uri 'self'" in page and "form-action 'self'" in page


def test_the_api_documentation_still_loads_its_viewer(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200
    csp = docs.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "https://cdn.jsdelivr.net" in csp


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_templates_hold_no_inline_script_handler_or_style(template: Path) -> None:
    """The pages' policy has no 'unsafe-inline': anything inline would silently stop working."""
    text = template.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text), "an inline <script>: move it to a file under static/"
    assert not HANDLER.search(text), "an on…= event handler: bind it in static/peifu.js"
    assert not STYLE.search(text), "inline style: move it to static/peifu.css"
