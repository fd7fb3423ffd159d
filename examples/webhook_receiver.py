"""A Peifu webhook receiver: verify the signature, skip what you have already handled, answer fast.

    pip install standardwebhooks
    PEIFU_WEBHOOK_SECRET=whsec_… PORT=8080 python webhook_receiver.py

Register it: POST /api/v1/webhook-endpoints {"url": "https://your-host/peifu"} (the answer holds the
secret). Delivery is at least once, in order per case: the event id is the idempotency key.
"""

import json
import os
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

webhook = Webhook(os.environ["PEIFU_WEBHOOK_SECRET"])
db = sqlite3.connect(os.environ.get("RECEIVER_DB", "peifu-events.db"), check_same_thread=False)
db.execute("CREATE TABLE IF NOT EXISTS handled (event_id TEXT PRIMARY KEY, type TEXT, body TEXT)")
lock = threading.Lock()  # Peifu sends several events at once; one connection takes one transaction at a time


def handle(event: dict) -> None:
    """Your business: e.g. case.agreed → tell the warehouse; deadline.approaching → nudge the seller."""
    case = event["data"].get("case") or {}
    print(event["type"], event["subject"]["type"], event["subject"]["id"], case.get("state", ""), flush=True)


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        try:
            event = webhook.verify(body, dict(self.headers))  # checks signature and timestamp
        except WebhookVerificationError:
            self.send_response(400)
            self.end_headers()
            return
        try:
            with lock, db:  # one transaction: handled and remembered together, or neither (Peifu retries)
                fresh = db.execute(
                    "INSERT OR IGNORE INTO handled VALUES (?, ?, ?)", (event["id"], event["type"], json.dumps(event))
                ).rowcount
                if fresh:
                    handle(event)
        except Exception:
            self.send_response(500)
            self.end_headers()
            return
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


if __name__ == "__main__":
    ThreadingHTTPServer(("0.0.0.0", int(os.environ.get("PORT", "8080"))), Receiver).serve_forever()
