"""The HTTP payment gateway: a refusal's reason (the service's answer body) reaches the payout's error,
so an integrator's "unsupported" or "exceeds refundable" is readable in payout.failed, not just "422"."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from peifu.adapters.gateway import HttpGateway
from peifu.services.payouts import GatewayError


class _Refusing(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        if self.headers.get("idempotency-key") == "ok":
            body, status = {"reference": "ref-1"}, 200
        else:
            body, status = {"code": "unsupported_payout_method", "message": "this store has no points"}, 422
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def url() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Refusing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/pay"
    finally:
        server.shutdown()
        server.server_close()


def test_a_refusal_keeps_the_services_reason(url: str) -> None:
    gateway = HttpGateway(url)
    assert gateway.pay("ok", "buyer-1", 100, "peifu payout for case 1") == "ref-1"
    with pytest.raises(GatewayError) as refused:
        gateway.pay("k2", "buyer-1", 100, "peifu payout for case 1")
    assert str(refused.value).startswith("HTTP 422: ")
    assert "unsupported_payout_method" in str(refused.value) and "no points" in str(refused.value)
