"""What an uploaded file really is: its first bytes (magic numbers) against the type the client named.

A client's `Content-Type` is a claim. An HTML page uploaded as `image/png` and served back as
`image/png` is a stored cross-site-scripting attempt; a file is kept only when its bytes are what
its declared type says. Binary types are recognised by their signatures; `text/plain` is text
(UTF-8, or GB18030 as older Chinese chat exports are, without NUL bytes and not a binary format);
`application/json` is JSON.

Plain functions, no I/O: `sniff` names the type of some bytes, `matches` compares it with a
declared type, `require_match` refuses a mismatch.
"""

from __future__ import annotations

import json

from peifu.domain.errors import UnsupportedType

# ISO base media files (MP4, QuickTime .mov): a box whose type is `ftyp` (or, in old QuickTime
# files, one of the classic atoms) right after the 4-byte size.
_ISO_BOXES = (b"ftyp",)
_QUICKTIME_ATOMS = (b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot")
_ISO_FAMILY = frozenset({"video/mp4", "video/quicktime"})  # phones label .mov and .mp4 either way


def sniff(content: bytes) -> str | None:
    """The media type `content` is by its signature, or None when it has no known one."""
    head = content[:16]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x1a\x45\xdf\xa3"):  # EBML: WebM (a Matroska profile)
        return "video/webm"
    if _box_fits(content) and head[4:8] in _ISO_BOXES:
        return "video/quicktime" if head[8:12] == b"qt  " else "video/mp4"
    if _box_fits(content) and head[4:8] in _QUICKTIME_ATOMS:
        return "video/quicktime"
    return None


def _box_fits(content: bytes) -> bool:
    """The first 4 bytes are a plausible box size: 0 (to the end), 1 (64-bit size follows) or
    8 up to the file's length. Text that happens to say "Get free…" does not pass."""
    size = int.from_bytes(content[:4], "big")
    return size in (0, 1) or 8 <= size <= len(content)


def _text(content: bytes) -> str | None:
    if b"\x00" in content:
        return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def matches(media: str, content: bytes) -> bool:
    """Whether `content` is a `media` file (a type `sniff` knows, text, or JSON)."""
    found = sniff(content)
    if media == "text/plain":
        return found is None and _text(content) is not None
    if media == "application/json":
        if found is not None:
            return False
        try:
            json.loads(content.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError):
            return False
        return True
    if media in _ISO_FAMILY:
        return found in _ISO_FAMILY
    return found is not None and found == media


def require_match(media: str, content: bytes) -> None:
    """Refuse (415 `content_type_mismatch`) a file whose bytes are not what its declared type says."""
    if not matches(media, content):
        found = sniff(content)
        seen = f"looks like {found}" if found else "is not one"
        raise UnsupportedType(
            "content_type_mismatch",
            f"The file was sent as {media} but its content {seen}; send the file with its real type.",
            declared=media,
            detected=found,
        )
