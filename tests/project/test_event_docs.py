"""docs/events.md is generated from the catalogue and the payload models; it must not go stale."""

from __future__ import annotations

from pathlib import Path

from peifu.adapters.api.event_docs import catalogue_markdown
from peifu.domain.events import EventType

DOC = Path(__file__).resolve().parents[2] / "docs" / "events.md"


def test_the_event_catalogue_in_docs_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == catalogue_markdown(), (
        "docs/events.md is stale: run `peifu events catalogue --out docs/events.md`"
    )


def test_the_catalogue_names_every_event_type_in_both_languages() -> None:
    text = catalogue_markdown()
    for event_type in EventType:
        assert f"| `{event_type}` |" in text
