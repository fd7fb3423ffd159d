"""Idempotency keys on state-changing POSTs, as payment APIs have them.

A client retrying a POST sends the same `Idempotency-Key`. The first answer (any status below
500) is stored with a hash of the request; a retry with the same key and body gets that answer
again (header `Idempotent-Replayed: true`) without running anything; the same key with a
different body is a 422; a retry while the first is still running is a 409. Keys are scoped to
the caller, so two clients cannot collide.

Only an authenticated caller's keys are kept: the caller is resolved first (`caller.py`), keys
belong to its principal (the account or API key, whichever token it uses), and a request without
valid credentials runs on without a key — the route refuses it, and nothing is stored for it.

Keys are kept `idempotency_retention_hours` (24 by default, as Stripe does): a key older than that
is a new key, and `purge_expired` — run by the worker every hour and by `peifu idempotency purge` —
deletes the old rows (`peifu.db.idempotency_keys`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from peifu.adapters.http.caller import STATE_KEY, Caller
from peifu.adapters.runtime import Runtime
from peifu.db.engine import unit_of_work
from peifu.db.idempotency_keys import retention
from peifu.db.models import IdempotencyRecord

HEADER = b"idempotency-key"
MAX_KEY = 200
# Answers that carry a new session token are never kept (the token would sit in clear in the
# table) nor replayed: a retried login is simply another login.
NOT_KEPT = frozenset({"/api/v1/auth/login", "/login"})
ABANDONED_AFTER = timedelta(minutes=2)  # an in-progress record this old belongs to a crashed request
FINISH_PATIENCE = timedelta(seconds=60)  # how long to keep trying to record an answer while the database is away

log = logging.getLogger(__name__)


class _ClaimUnsure(Exception):
    """The claim's INSERT failed on the connection (the server went away around its COMMIT): it may
    have committed although the answer was lost. Carries the claim's `created_at`, which names it."""

    def __init__(self, created_at: datetime) -> None:
        super().__init__("the claim's commit went unanswered")
        self.created_at = created_at


def _error(status: int, code: str, message: str) -> tuple[int, bytes, str]:
    body = json.dumps({"error": {"code": code, "message": message, "details": {}}}).encode()
    return status, body, "application/json"


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp, runtime: Runtime) -> None:
        self.app = app
        self.rt = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        key_bytes = headers.get(HEADER)
        if key_bytes is None or scope["path"].rstrip("/") in NOT_KEPT:
            await self.app(scope, receive, send)
            return
        key = key_bytes.decode("latin-1").strip()
        if not key or len(key) > MAX_KEY:
            await _reply(
                send, *_error(400, "idempotency_key_invalid", f"Idempotency-Key is 1 to {MAX_KEY} characters.")
            )
            return
        caller = scope.get("state", {}).get(STATE_KEY)
        if not isinstance(caller, Caller) or caller.actor is None:
            await self.app(scope, receive, send)  # not authenticated: the route refuses it, nothing is kept
            return
        body = await _read_body(receive)
        principal = principal_hash(caller.key)
        path = scope["path"]
        fingerprint = hashlib.sha256(b"POST " + path.encode() + b"\n" + body).hexdigest()
        try:
            verdict = await run_in_threadpool(self._claim, principal, key, path, fingerprint)
        except (_ClaimUnsure, OperationalError, InterfaceError) as away:  # answered like the routes: retry shortly
            if isinstance(away, _ClaimUnsure):
                await run_in_threadpool(self._release_unsure, principal, key, fingerprint, away.created_at)
            await _reply(
                send, *_error(503, "database_unavailable", "The database is busy or unreachable; retry shortly.")
            )
            return
        if verdict is not None:
            await _reply(send, *verdict)
            return

        captured: dict[str, Any] = {"status": 500, "headers": [], "body": b""}

        delivered = False

        async def replay_receive() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        async def capture_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
                captured["headers"] = message.get("headers", [])
            elif message["type"] == "http.response.body":
                captured["body"] += message.get("body", b"")
            await send(message)

        try:
            await self.app(scope, replay_receive, capture_send)
        finally:
            content_type = dict(captured["headers"]).get(b"content-type", b"application/json").decode()
            await run_in_threadpool(self._finish, principal, key, captured["status"], captured["body"], content_type)

    def _claim(self, principal: str, key: str, path: str, fingerprint: str) -> tuple[int, bytes, str] | None:
        now = self.rt.clock.now()
        kept_since = now - retention(self.rt.settings)
        try:
            self._insert(principal, key, path, fingerprint, now)
            return None
        except IntegrityError:
            pass
        except (OperationalError, InterfaceError) as exc:
            raise _ClaimUnsure(now) from exc
        with unit_of_work(self.rt.factory) as session:
            # Locked: of several retries taking over an abandoned request, only the first may run it.
            record = session.get(IdempotencyRecord, (principal, key), with_for_update=True)
            if record is None:  # it was released (a 5xx) between our two looks: run this one
                session.add(
                    IdempotencyRecord(
                        principal=principal, key=key, method="POST", path=path, body_hash=fingerprint, created_at=now
                    )
                )
                return None
            if record.created_at < kept_since:  # expired (not purged yet): a new key
                record.path, record.body_hash, record.created_at = path, fingerprint, now
                record.status_code = record.response_body = record.content_type = record.completed_at = None
                return None
            if record.body_hash != fingerprint:
                return _error(422, "idempotency_key_reused", "This Idempotency-Key was used with a different request.")
            if record.completed_at is None:
                if now - record.created_at > ABANDONED_AFTER:
                    record.created_at = now
                    return None
                return _error(409, "idempotency_in_progress", "A request with this Idempotency-Key is still running.")
            return record.status_code or 200, record.response_body or b"", record.content_type or "application/json"

    def _insert(self, principal: str, key: str, path: str, fingerprint: str, now: datetime) -> None:
        with unit_of_work(self.rt.factory) as session:
            session.add(
                IdempotencyRecord(
                    principal=principal, key=key, method="POST", path=path, body_hash=fingerprint, created_at=now
                )
            )

    def _finish(self, principal: str, key: str, status: int, body: bytes, content_type: str) -> None:
        """Record the answer (or release the key after a 5xx), waiting out a database that is away.

        Given up at once, the record would stay "in progress": retries get 409 until
        ABANDONED_AFTER, and then run again although the first one may have been done.
        """
        _patiently(lambda: self._record(principal, key, status, body, content_type))

    def _release_unsure(self, principal: str, key: str, fingerprint: str, created_at: datetime) -> None:
        """Take back a claim whose COMMIT went unanswered (the server crashed around it, and the row
        may be there). Nothing ran under it, so the client's retry must run; left in place, the row
        would answer every retry 409 for ABANDONED_AFTER. Only this claim's own row is deleted (same
        body, same `created_at`, still unanswered), never another request's. Tried once at once; while
        the database is away, a background thread keeps trying for FINISH_PATIENCE, so the 503 is not
        held up."""

        def release() -> None:
            with unit_of_work(self.rt.factory) as session:
                session.execute(
                    delete(IdempotencyRecord).where(
                        IdempotencyRecord.principal == principal,
                        IdempotencyRecord.key == key,
                        IdempotencyRecord.body_hash == fingerprint,
                        IdempotencyRecord.created_at == created_at,
                        IdempotencyRecord.completed_at.is_(None),
                    )
                )

        try:
            release()
        except (OperationalError, InterfaceError):
            threading.Thread(target=_patiently, args=(release, True), name="idempotency-release", daemon=True).start()

    def _record(self, principal: str, key: str, status: int, body: bytes, content_type: str) -> None:
        with unit_of_work(self.rt.factory) as session:
            record = session.get(IdempotencyRecord, (principal, key))
            if record is None:
                return
            if status >= 500:
                session.delete(record)  # nothing was done: let the client retry for real
                return
            record.status_code = status
            record.response_body = body
            record.content_type = content_type
            record.completed_at = self.rt.clock.now()


def _patiently(step: Callable[[], None], quietly: bool = False) -> None:
    """Run `step` until it gets through, waiting out a database that is away (up to FINISH_PATIENCE,
    backing off to one try a second). Giving up raises — or, `quietly` (a background thread), logs."""
    wait, give_up = 0.05, time.monotonic() + FINISH_PATIENCE.total_seconds()
    while True:
        try:
            step()
            return
        except (OperationalError, InterfaceError):
            if time.monotonic() >= give_up:
                if not quietly:
                    raise
                log.warning("idempotency: the database stayed away; an unanswered claim is left to ABANDONED_AFTER")
                return
            time.sleep(wait)
            wait = min(1.0, wait * 2)


def principal_hash(key: str) -> str:
    """How a caller's principal (`Caller.key`) is stored in `idempotency_keys.principal`."""
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client went away
            return b"".join(chunks)
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _reply(send: Send, status: int, body: bytes, content_type: str = "application/json") -> None:
    headers = [(b"content-type", content_type.encode()), (b"content-length", str(len(body)).encode())]
    if status < 400:
        headers.append((b"idempotent-replayed", b"true"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
