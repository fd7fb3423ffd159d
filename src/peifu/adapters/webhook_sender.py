"""Sending webhook deliveries over HTTP: signed (Standard Webhooks), bounded, and only where allowed.

Each request is signed at the moment it is sent with every secret the endpoint has in force
(`webhook-signature: v1,<current> v1,<previous during a rotation's grace>`), using the
`standardwebhooks` reference library. The signature's timestamp is the real time of sending, not
the engine's clock: receivers reject signatures more than five minutes from their own clock, and
the sandbox clock may be days ahead. Retry *times* follow the engine's clock (services.webhooks).

The host is resolved here and every address it resolves to must be public unless
PEIFU_WEBHOOK_ALLOW_PRIVATE=1; the connection then goes to the checked address itself (the Host
header and TLS name stay the URL's), so a name that resolves differently a moment later cannot
turn a delivery towards an internal service. No redirects are followed; a redirect is a failure.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import httpx
from standardwebhooks.webhooks import Webhook

from peifu import __version__
from peifu.domain import webhooks as rules
from peifu.domain.errors import DomainError
from peifu.services.webhooks import Outgoing, Sent

USER_AGENT = f"Peifu-Webhooks/{__version__} (+https://www.standardwebhooks.com)"
MAX_RESPONSE_BYTES = 4096


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (IPv4 and IPv6)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def sign(event_id: str, body: bytes, secrets: Sequence[str], at: datetime) -> dict[str, str]:
    """The three Standard Webhooks headers for `body`, signed with each secret."""
    text = body.decode()
    signatures = " ".join(Webhook(secret).sign(event_id, at, text) for secret in secrets)
    return {
        "webhook-id": event_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signatures,
    }


class HttpSender:
    """services.webhooks.Sender over httpx, `concurrency` requests at a time."""

    def __init__(
        self,
        *,
        timeout: float = 10.0,
        allow_private: bool = False,
        concurrency: int = 16,
        wall_clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        resolver: Callable[[str, int], list[str]] = resolve,
    ) -> None:
        self.timeout = timeout
        self.allow_private = allow_private
        self.concurrency = concurrency
        self.wall_clock = wall_clock
        self.resolver = resolver
        self.client = httpx.Client(
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            limits=httpx.Limits(max_connections=concurrency * 2, max_keepalive_connections=concurrency),
            headers={"user-agent": USER_AGENT},
            trust_env=False,  # never through a proxy from the environment
        )

    def close(self) -> None:
        self.client.close()

    def send_all(self, requests: Sequence[Outgoing]) -> list[Sent]:
        if len(requests) <= 1:
            return [self.send(r) for r in requests]
        with ThreadPoolExecutor(max_workers=min(self.concurrency, len(requests))) as pool:
            return list(pool.map(self.send, requests))

    def _address(self, target: rules.Target) -> str:
        """The address to connect to: checked against the rules unless private ones are allowed."""
        addresses = self.resolver(target.host, target.port)
        if not addresses:
            raise OSError(f"{target.host} does not resolve")
        if not self.allow_private:
            for address in addresses:
                why = rules.forbidden_address(address)
                if why is not None:
                    raise PermissionError(f"{target.host} resolves to a {why} address ({address})")
        return addresses[0]

    def send(self, out: Outgoing) -> Sent:
        started = time.perf_counter()
        try:
            target = rules.check_url(out.url)
            address = self._address(target)
            host = f"[{address}]" if ":" in address else address
            url = f"{target.scheme}://{host}:{target.port}{target.path}"
            default_port = 443 if target.scheme == "https" else 80
            headers = {
                "content-type": "application/json",
                "host": target.host if target.port == default_port else f"{target.host}:{target.port}",
                "peifu-event-type": out.event_type,
                "peifu-delivery-attempt": str(out.attempt),
                **sign(out.event_id, out.body, out.secrets, self.wall_clock()),
            }
            extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
            with self.client.stream("POST", url, content=out.body, headers=headers, extensions=extensions) as answer:
                read = 0
                for chunk in answer.iter_bytes():
                    read += len(chunk)
                    if read >= MAX_RESPONSE_BYTES:
                        break
                status = answer.status_code
        except PermissionError as exc:
            return Sent(None, _ms(started), f"not allowed: {exc}")
        except httpx.TimeoutException:
            return Sent(None, _ms(started), f"timed out after {self.timeout:g} s")
        except DomainError as exc:
            return Sent(None, _ms(started), exc.message)
        except (httpx.HTTPError, OSError, ValueError) as exc:
            return Sent(None, _ms(started), f"{type(exc).__name__}: {exc}"[:500])
        error = None
        if 300 <= status < 400:
            error = f"HTTP {status}: redirects are not followed"
        elif not 200 <= status < 300:
            error = f"HTTP {status}"
        return Sent(status, _ms(started), error)


def _ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)
