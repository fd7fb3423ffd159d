"""Catch up with Peifu's event feed and follow it: no webhooks, no broker, just a cursor.

    PEIFU_URL=http://127.0.0.1:8000 PEIFU_KEY=pk_… python feed_consumer.py [--once]

The cursor is kept in a file; after a crash or a week offline the consumer resumes where it was.
A shop's key reads its own shop's events; the marketplace's key reads every event.
"""

import json
import os
import sys
import time
import urllib.parse
import urllib.request

BASE = os.environ.get("PEIFU_URL", "http://127.0.0.1:8000")
KEY = os.environ["PEIFU_KEY"]
CURSOR_FILE = os.environ.get("CURSOR_FILE", "peifu-feed.cursor")
TYPES = os.environ.get("EVENT_TYPES", "")  # e.g. "case.opened,case.escalated"; empty: all


def fetch(after: str | None) -> dict:
    query = {"limit": "500", **({"after": after} if after else {}), **({"types": TYPES} if TYPES else {})}
    request = urllib.request.Request(
        f"{BASE}/api/v1/events?{urllib.parse.urlencode(query)}", headers={"Authorization": f"Bearer {KEY}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def handle(event: dict) -> None:
    print(event["type"], event["subject"]["type"], event["subject"]["id"], flush=True)


def main(once: bool) -> None:
    after = None
    if os.path.exists(CURSOR_FILE):
        with open(CURSOR_FILE) as f:
            after = f.read().strip() or None
    while True:
        page = fetch(after)
        for event in page["events"]:
            handle(event)  # make it idempotent on event["id"]: a crash before saving repeats the page
        after = page["next_cursor"]
        with open(CURSOR_FILE + ".tmp", "w") as f:
            f.write(after)
        os.replace(CURSOR_FILE + ".tmp", CURSOR_FILE)
        if not page["has_more"]:
            if once:
                return
            time.sleep(2)


if __name__ == "__main__":
    main(once="--once" in sys.argv)
