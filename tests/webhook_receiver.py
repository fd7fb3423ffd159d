"""A real HTTP receiver for webhook tests: a threaded server on a free loopback port that verifies
each delivery's signature with the `standardwebhooks` library, as a receiver would, and can be
told to be down, to answer 500, to answer slowly, or to redirect."""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Received:
    event_id: str
    body: bytes
    headers: dict[str, str]
    verified_with: list[str]  # which of the receiver's secrets verified the signature
    answered: int

    @property
    def payload(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    port: int = field(default_factory=free_port)
    mode: str = "ok"  # ok | error | slow | redirect
    slow_seconds: float = 1.5
    secrets: list[str] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)  # every request, in arrival order
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/peifu?source=test"

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                headers = {k.lower(): v for k, v in self.headers.items()}
                verified = []
                for secret in receiver.secrets:
                    try:
                        Webhook(secret).verify(body, headers)
                        verified.append(secret)
                    except WebhookVerificationError:
                        pass
                mode = receiver.mode
                status = {"ok": 200, "error": 500, "slow": 200, "redirect": 302}[mode]
                with receiver._lock:
                    receiver.received.append(Received(headers.get("webhook-id", ""), body, headers, verified, status))
                if mode == "slow":
                    time.sleep(receiver.slow_seconds)
                try:
                    self.send_response(status)
                    if mode == "redirect":
                        self.send_header("Location", "http://127.0.0.1:1/elsewhere")
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the sender gave up (a timeout, or it was killed): it will try again

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True, name="webhook-receiver").start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    # --- what arrived -----------------------------------------------------------------------------------

    def ids(self) -> list[str]:
        with self._lock:
            return [r.event_id for r in self.received]

    def accepted(self) -> list[Received]:
        """The requests answered 2xx (what the receiver took in), in arrival order."""
        with self._lock:
            return [r for r in self.received if 200 <= r.answered < 300]

    def first_arrivals(self) -> list[Received]:
        seen: set[str] = set()
        out = []
        for r in self.accepted():
            if r.event_id not in seen:
                seen.add(r.event_id)
                out.append(r)
        return out
