"""The webhook receiver of benchmarks/events_bench.py: answers 204 at once and notes, per request,
the event id and the time it arrived (flushed to RECEIVER_LOG every 0.2 s)."""

from __future__ import annotations

import os
import threading
import time
from typing import Any

LOG = os.environ.get("RECEIVER_LOG", "received.log")
_lines: list[str] = []
_lock = threading.Lock()


def _flush_forever() -> None:
    while True:
        time.sleep(0.2)
        with _lock:
            chunk = "".join(_lines)
            _lines.clear()
        if chunk:
            with open(LOG, "a") as f:
                f.write(chunk)


threading.Thread(target=_flush_forever, daemon=True).start()


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    if scope["path"] == "/hook":
        while True:  # drain the body
            message = await receive()
            if not message.get("more_body"):
                break
        event_id = dict(scope["headers"]).get(b"webhook-id", b"?").decode()
        with _lock:
            _lines.append(f"{event_id} {time.time():.4f}\n")
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})
