from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.instant import Instant





T = TypeVar("T", bound="EvidenceOut")



@_attrs_define
class EvidenceOut:
    """ 
        Attributes:
            id (int):
            party (str):
            kind (str):
            text (None | str):
            sha256 (None | str):
            size (int):
            content_type (None | str):
            filename (None | str):
            shared (bool):
            for_appeal (bool):
            created_at (Instant): A moment: stored UTC, and the Asia/Shanghai wall time people read.
            download (None | str): Where to fetch the file, for uploaded evidence.
     """

    id: int
    party: str
    kind: str
    text: None | str
    sha256: None | str
    size: int
    content_type: None | str
    filename: None | str
    shared: bool
    for_appeal: bool
    created_at: Instant
    download: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.instant import Instant # noqa: PLC0415
        id = self.id

        party = self.party

        kind = self.kind

        text: None | str
        text = self.text

        sha256: None | str
        sha256 = self.sha256

        size = self.size

        content_type: None | str
        content_type = self.content_type

        filename: None | str
        filename = self.filename

        shared = self.shared

        for_appeal = self.for_appeal

        created_at = self.created_at.to_dict()

        download: None | str
        download = self.download


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "party": party,
            "kind": kind,
            "text": text,
            "sha256": sha256,
            "size": size,
            "content_type": content_type,
            "filename": filename,
            "shared": shared,
            "for_appeal": for_appeal,
            "created_at": created_at,
            "download": download,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.instant import Instant # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        party = d.pop("party")

        kind = d.pop("kind")

        def _parse_text(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        text = _parse_text(d.pop("text"))


        def _parse_sha256(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        sha256 = _parse_sha256(d.pop("sha256"))


        size = d.pop("size")

        def _parse_content_type(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        content_type = _parse_content_type(d.pop("content_type"))


        def _parse_filename(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        filename = _parse_filename(d.pop("filename"))


        shared = d.pop("shared")

        for_appeal = d.pop("for_appeal")

        created_at = Instant.from_dict(d.pop("created_at"))




        def _parse_download(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        download = _parse_download(d.pop("download"))


        evidence_out = cls(
            id=id,
            party=party,
            kind=kind,
            text=text,
            sha256=sha256,
            size=size,
            content_type=content_type,
            filename=filename,
            shared=shared,
            for_appeal=for_appeal,
            created_at=created_at,
            download=download,
        )


        evidence_out.additional_properties = d
        return evidence_out

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
