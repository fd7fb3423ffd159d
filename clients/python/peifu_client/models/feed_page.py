from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.feed_page_events_item import FeedPageEventsItem





T = TypeVar("T", bound="FeedPage")



@_attrs_define
class FeedPage:
    """ 
        Attributes:
            events (list[FeedPageEventsItem]): Oldest first; each is the same JSON a webhook receives.
            next_cursor (str): Pass as `after` to resume; the same cursor again when nothing is new.
            has_more (bool): A full page came back: ask again at once.
     """

    events: list[FeedPageEventsItem]
    next_cursor: str
    has_more: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.feed_page_events_item import FeedPageEventsItem # noqa: PLC0415
        events = []
        for events_item_data in self.events:
            events_item = events_item_data.to_dict()
            events.append(events_item)



        next_cursor = self.next_cursor

        has_more = self.has_more


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "events": events,
            "next_cursor": next_cursor,
            "has_more": has_more,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.feed_page_events_item import FeedPageEventsItem # noqa: PLC0415
        d = dict(src_dict)
        events = []
        _events = d.pop("events")
        for events_item_data in (_events):
            events_item = FeedPageEventsItem.from_dict(events_item_data)



            events.append(events_item)


        next_cursor = d.pop("next_cursor")

        has_more = d.pop("has_more")

        feed_page = cls(
            events=events,
            next_cursor=next_cursor,
            has_more=has_more,
        )


        feed_page.additional_properties = d
        return feed_page

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
