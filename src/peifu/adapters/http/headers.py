"""Security headers: on every answer, and on the files parties uploaded when they are served back.

Every answer: `X-Frame-Options: DENY` and `frame-ancestors 'none'` (no page of ours inside
someone else's frame: clickjacking), `X-Content-Type-Options: nosniff`, `Referrer-Policy:
same-origin`, and a Content Security Policy. The pages' policy allows scripts, styles and
images from this origin only — no inline script, no inline style, no eval — so the templates keep
their JavaScript in `static/` (tests/security/test_content_safety.py checks the templates). The API
viewers FastAPI serves at /docs and /redoc load from jsDelivr and start with an inline script,
so those two paths (and nothing else) get a policy that allows exactly that.

Stored files (evidence, case attachments): a sandboxing policy (`default-src 'none'; sandbox`:
even a file a browser took for a page could run nothing), `nosniff`, and a
`Content-Disposition` — `inline` for images and video (shown as thumbnails and opened in a tab),
`attachment` for everything else — with the original file name in RFC 5987 form.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
DOCS_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' https://cdn.jsdelivr.net 'unsafe-inline'",
        "style-src 'self' https://cdn.jsdelivr.net https://fonts.googleapis.com 'unsafe-inline'",
        "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly",
        "font-src 'self' https://fonts.gstatic.com",
        "worker-src 'self' blob:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
    ]
)
FILE_POLICY = (
    "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'"
)
DOCS_PATHS = frozenset({"/docs", "/redoc", "/docs/oauth2-redirect"})

_COMMON = [
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]


class SecurityHeadersMiddleware:
    """Adds the headers to every HTTP answer that does not set them itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = DOCS_POLICY if scope.get("path", "") in DOCS_PATHS else PAGE_POLICY

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in [*_COMMON, (b"content-security-policy", policy.encode())]:
                    if name not in present:
                        headers.append((name, value))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def file_headers(media: str, filename: str | None, fallback: str) -> dict[str, str]:
    """Headers for serving an uploaded file: `fallback` names it when it came without a name."""
    disposition = "inline" if media.startswith(("image/", "video/")) else "attachment"
    name = (filename or "").replace("\r", "").replace("\n", "").strip() or fallback
    ascii_name = _SAFE_NAME.sub("_", name).strip("._") or fallback
    return {
        "Content-Disposition": f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": FILE_POLICY,
    }
