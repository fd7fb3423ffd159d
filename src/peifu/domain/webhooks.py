"""Webhook rules: who receives which event, how often a failed delivery is retried, which URLs
and addresses may be called, and the opaque feed cursor.

Deliveries follow the Standard Webhooks specification (https://www.standardwebhooks.com): each
request carries `webhook-id` (the event id: the receiver's idempotency key), `webhook-timestamp`
and `webhook-signature` (HMAC-SHA256 with the endpoint's `whsec_…` secret).
"""

from __future__ import annotations

import base64
import ipaddress
import secrets
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from peifu.domain.errors import Invalid
from peifu.domain.events import Audience, EventType, visible_to

RETRY_DELAYS: tuple[timedelta, ...] = (
    timedelta(seconds=5),
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=14),
    timedelta(hours=20),
    timedelta(hours=20),
)
"""The wait after each failed attempt (the first attempt is immediate): eleven attempts over
about three days (71.6 h), as the Standard Webhooks spec recommends — growing waits with jitter,
for days, then the endpoint is marked failing. Times follow the engine's clock."""

JITTER = 0.1  # each wait is stretched or shrunk by up to 10 %, so retries of many events spread out
PROBE_INTERVAL = timedelta(hours=1)
"""A failing endpoint's oldest waiting event is tried again this often; the first success makes the
endpoint active again and everything waiting is delivered, in order."""

ROTATION_GRACE = timedelta(hours=24)  # after a rotation the old secret still signs, beside the new
MAX_ROTATION_GRACE = timedelta(days=7)
MAX_URL_LENGTH = 2000


def retry_delay(attempts: int, spread: float) -> timedelta | None:
    """How long to wait after the `attempts`-th failed attempt; None once the schedule is spent.
    `spread` is a number in [-1, 1] (random in production) scaling the jitter."""
    if attempts < 1 or attempts > len(RETRY_DELAYS):
        return None
    base = RETRY_DELAYS[attempts - 1]
    return base * (1 + JITTER * max(-1.0, min(1.0, spread)))


def schedule_total() -> timedelta:
    return sum(RETRY_DELAYS, timedelta())


# --- who receives what ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Subscription:
    """An endpoint's filter: its shop (None: the whole platform) and its event types (None: all)."""

    shop_id: str | None
    event_types: frozenset[str] | None

    def wants(self, event_type: str, event_shop: str | None) -> bool:
        """A shop's endpoint gets its own shop's events of the types shown to shops; a platform
        endpoint gets every event. Either way narrowed to the chosen types."""
        if self.event_types is not None and event_type not in self.event_types:
            return False
        if self.shop_id is None:
            return True
        return event_shop == self.shop_id and visible_to(event_type, Audience.shop)


def check_event_types(types: list[str] | None, audience: Audience) -> list[str] | None:
    """The types an endpoint may subscribe to: known ones, visible to its owner; None means all."""
    if types is None:
        return None
    if not types:
        raise Invalid("event_types_empty", "Give at least one event type, or leave event_types out for all.")
    unknown = sorted({t for t in types if t not in {str(e) for e in EventType}})
    if unknown:
        raise Invalid("unknown_event_type", f"Unknown event types: {', '.join(unknown)}.", unknown=unknown)
    hidden = sorted({t for t in types if not visible_to(t, audience)})
    if hidden:
        raise Invalid(
            "event_type_not_visible",
            f"A shop's endpoint cannot receive: {', '.join(hidden)} (the platform's own events).",
            types=hidden,
        )
    return sorted(set(types))


# --- where requests may go ------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # path and query, as sent


def check_url(url: str) -> Target:
    """An http(s) URL with a host and no credentials in it."""
    if len(url) > MAX_URL_LENGTH:
        raise Invalid("url_too_long", f"The URL may have at most {MAX_URL_LENGTH} characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise Invalid("url_invalid", "The URL is not valid.") from None
    if parts.scheme not in ("http", "https"):
        raise Invalid("url_scheme", "Webhooks go to http:// or https:// URLs only.")
    if not parts.hostname:
        raise Invalid("url_invalid", "The URL has no host.")
    if parts.username is not None or parts.password is not None:
        raise Invalid("url_credentials", "Put no user name or password in the URL; verify the signature instead.")
    if parts.fragment:
        raise Invalid("url_fragment", "A webhook URL has no #fragment.")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80), path)


def forbidden_address(address: str) -> str | None:
    """Why a resolved address must not be called (private, loopback, link-local, …), or None."""
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for flag, why in (
        (ip.is_loopback, "loopback"),
        (ip.is_private, "private"),
        (ip.is_link_local, "link-local"),
        (ip.is_multicast, "multicast"),
        (ip.is_reserved, "reserved"),
        (ip.is_unspecified, "unspecified"),
        (not ip.is_global, "not public"),
    ):
        if flag:
            return why
    return None


# --- secrets and ids --------------------------------------------------------------------------------


def new_secret() -> str:
    """`whsec_` and 32 random bytes in base64, the form the standardwebhooks libraries take."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def new_endpoint_id() -> str:
    return "we_" + secrets.token_hex(12)


# --- the feed's cursor ------------------------------------------------------------------------------


def encode_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"p:{position}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The position a cursor stands for; a bad cursor is a clear 422, never a 500."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        text = base64.urlsafe_b64decode(padded.encode("ascii")).decode("ascii")
        kind, _, value = text.partition(":")
        position = int(value)
    except (ValueError, UnicodeError):
        raise Invalid("invalid_cursor", "The cursor is not one this feed gave out.") from None
    if kind != "p" or position < 0 or position >= 2**63:
        raise Invalid("invalid_cursor", "The cursor is not one this feed gave out.")
    return position
