from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.channel import Channel
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="TriageIn")



@_attrs_define
class TriageIn:
    """ A buyer's free text to triage (分诊), from the request form, chat, a phone note or an e-mail.

        Attributes:
            text (str): What the buyer wrote or said: simplified or traditional Chinese, or English (≤ 2000 characters).
            channel (Channel | None | Unset): Where the text came from: form, chat, phone or email.
     """

    text: str
    channel: Channel | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        text = self.text

        channel: None | str | Unset
        if isinstance(self.channel, Unset):
            channel = UNSET
        elif isinstance(self.channel, Channel):
            channel = self.channel.value
        else:
            channel = self.channel


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "text": text,
        })
        if channel is not UNSET:
            field_dict["channel"] = channel

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        text = d.pop("text")

        def _parse_channel(data: object) -> Channel | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                channel_type_0 = Channel(data)



                return channel_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Channel | None | Unset, data)

        channel = _parse_channel(d.pop("channel", UNSET))


        triage_in = cls(
            text=text,
            channel=channel,
        )

        return triage_in

