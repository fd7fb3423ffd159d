"""Payment gateways the outbox dispatcher can pay through.

`SandboxGateway` is a real gateway with its own book (table `gateway_payouts`, written in its
own transaction, as an external system's would be) and the idempotency contract of real payment
APIs: the same key always returns the same payout and never pays twice. Its look-up and its
insert are bare driver statements (`db.raw`): it runs once per payout in the worker (issue 15). It is what the demo,
the tests and sandbox deployments use. `HttpGateway` posts to a marketplace's payment service
with an `Idempotency-Key` header.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid

from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from peifu.db import bulk, raw
from peifu.db.engine import unit_of_work
from peifu.db.models import GatewayPayoutRow
from peifu.domain.clock import Clock
from peifu.services.payouts import GatewayError

REFUSAL_BYTES = 500  # of a refusing gateway's answer body, recorded as the payout's error
BOOK = bulk.table_of(GatewayPayoutRow)
BOOK_COLUMNS = ("idempotency_key", "reference", "payee", "amount_fen", "created_at")
_FIND = raw.Raw(
    lambda d: select(BOOK.c.reference, BOOK.c.payee, BOOK.c.amount_fen).where(
        BOOK.c.idempotency_key == bindparam("key")
    )
)
_ADD = raw.Raw(lambda d: insert(BOOK).values({n: bindparam(n) for n in BOOK_COLUMNS}))


class SandboxGateway:
    def __init__(self, factory: sessionmaker[Session], clock: Clock) -> None:
        self.factory = factory
        self.clock = clock

    def pay(self, idempotency_key: str, payee: str, amount_fen: int, memo: str) -> str:
        with unit_of_work(self.factory) as session:
            found = raw.Link(session).run(_FIND, {"key": idempotency_key})
        if found:
            existing_reference, existing_payee, existing_amount = found[0]
            if existing_amount != amount_fen or existing_payee != payee:
                raise GatewayError(f"idempotency key {idempotency_key} reused with a different payout")
            return str(existing_reference)
        reference = f"sbx_{uuid.uuid4().hex[:20]}"
        row = {
            "idempotency_key": idempotency_key,
            "reference": reference,
            "payee": payee,
            "amount_fen": amount_fen,
            "created_at": self.clock.now(),
        }
        try:
            with unit_of_work(self.factory) as session:
                raw.Link(session).run(_ADD, row)
        except IntegrityError:  # a concurrent call with the same key won; answer with its payout
            with unit_of_work(self.factory) as session:
                ((won, _, _),) = raw.Link(session).run(_FIND, {"key": idempotency_key})
                return str(won)
        return reference


class HttpGateway:
    """POST {url} with JSON {payee, amount_fen, memo} and an Idempotency-Key header; expects {reference}."""

    def __init__(self, url: str, token: str | None = None, timeout: float = 10.0) -> None:
        self.url = url
        self.token = token
        self.timeout = timeout

    def pay(self, idempotency_key: str, payee: str, amount_fen: int, memo: str) -> str:
        body = json.dumps({"payee": payee, "amount_fen": amount_fen, "memo": memo}).encode()
        request = urllib.request.Request(self.url, data=body, method="POST")
        request.add_header("Content-Type", "application/json")
        request.add_header("Idempotency-Key", idempotency_key)
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:  # the service's own reason for refusing, kept for payout.failed
            detail = exc.read(REFUSAL_BYTES).decode("utf-8", "replace").strip()
            raise GatewayError(f"HTTP {exc.code}: {detail}" if detail else str(exc)) from exc
        except (urllib.error.URLError, TimeoutError, json.JSONDecodeError) as exc:
            raise GatewayError(str(exc)) from exc
        reference = answer.get("reference")
        if not isinstance(reference, str) or not reference:
            raise GatewayError("the gateway's answer has no reference")
        return reference
