"""Files sent from the page: untrusted input, streamed into a fresh folder of the workspace and nowhere else.

The request body is parsed as it arrives (python-multipart's streaming parser): no part is spooled to the
system's temporary folder, a file over the limit stops being written at the limit, and a request over its
limit is refused. Names are cut to a plain file name; the files then go through the same gate and sandbox as
those of `ingest FOLDER`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from python_multipart.multipart import MultipartParser, parse_options_header

FILE_LIMIT = 20 * 1024 * 1024  # a form is far smaller: the reader refuses a larger file too
REQUEST_LIMIT = 400 * 1024 * 1024  # some hundred units' returns at once
FIELD_LIMIT = 1024  # a field of the form (a round, a date) is a few characters
NAME_LIMIT = 120
_NOT_IN_A_NAME = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


class RequestTooLarge(Exception):
    """The request is over REQUEST_LIMIT: nothing of it is used."""


@dataclass
class Upload:
    """One file of the request: its name as sent, where it was written, and why it was not kept (a code)."""

    sent_as: str
    path: Path | None
    size: int = 0
    refused: str = ""  # too-large


@dataclass
class Received:
    files: list[Upload] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def refused(self) -> list[Upload]:
        """The files not kept (over the limit): said on the page, never checked."""
        return [upload for upload in self.files if upload.refused]


def safe_name(sent: str) -> str:
    """A plain file name from what the browser sent (a folder's files come as "folder/sub/name.xlsx")."""
    name = re.split(r"[/\\]", sent)[-1]
    name = _NOT_IN_A_NAME.sub("_", unicodedata.normalize("NFC", name)).strip().lstrip(".").strip()
    if len(name) > NAME_LIMIT:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[: NAME_LIMIT - len(suffix) - 1] + dot + suffix) if dot and len(suffix) <= 8 else name[:NAME_LIMIT]
    return name or "tep"


def _fresh(folder: Path, name: str) -> Path:
    """``name`` in ``folder``, as "name (2).xlsx" when two files of the request share it."""
    path, stem, suffix, n = folder / name, Path(name).stem, Path(name).suffix, 1
    while path.exists():
        n += 1
        path = folder / f"{stem} ({n}){suffix}"
    return path


async def receive(content_type: str, body: AsyncIterator[bytes], folder: Path, *, file_limit: int | None = None,
                  request_limit: int | None = None) -> Received:
    """Write each file part of a multipart/form-data body into ``folder`` (which exists and is empty)."""
    file_limit = FILE_LIMIT if file_limit is None else file_limit
    request_limit = REQUEST_LIMIT if request_limit is None else request_limit
    kind, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        return Received()
    got = Received()
    state: dict[str, object] = {}
    header: dict[str, bytearray] = {}
    out: list[IO[bytes] | None] = [None]
    value = bytearray()

    def on_part_begin() -> None:
        header.clear()
        state.clear()
        value.clear()

    def on_header_field(data: bytes, start: int, end: int) -> None:
        header.setdefault("field", bytearray()).extend(data[start:end])

    def on_header_value(data: bytes, start: int, end: int) -> None:
        header.setdefault("value", bytearray()).extend(data[start:end])

    def on_header_end() -> None:
        if bytes(header.get("field", b"")).lower() == b"content-disposition":
            _, disposition = parse_options_header(bytes(header.get("value", b"")))
            state["name"] = disposition.get(b"name", b"").decode("utf-8", "replace")
            if b"filename" in disposition:
                state["filename"] = disposition[b"filename"].decode("utf-8", "replace")
        header.clear()

    def on_headers_finished() -> None:
        sent = state.get("filename")
        if isinstance(sent, str) and sent:
            upload = Upload(sent, _fresh(folder, safe_name(sent)))
            got.files.append(upload)
            assert upload.path is not None
            out[0] = upload.path.open("xb")

    def on_part_data(data: bytes, start: int, end: int) -> None:
        if "filename" not in state:
            if len(value) + end - start <= FIELD_LIMIT:
                value.extend(data[start:end])
            return
        if not got.files or out[0] is None:
            return
        upload = got.files[-1]
        upload.size += end - start
        if upload.size > file_limit:  # kept no further: the part is read to its end and dropped
            _drop(upload, out)
            return
        out[0].write(data[start:end])

    def on_part_end() -> None:
        if out[0] is not None:
            out[0].close()
            out[0] = None
        elif "filename" not in state and state.get("name"):
            got.fields[str(state["name"])] = value.decode("utf-8", "replace")

    parser = MultipartParser(boundary, {
        "on_part_begin": on_part_begin, "on_header_field": on_header_field, "on_header_value": on_header_value,
        "on_header_end": on_header_end, "on_headers_finished": on_headers_finished, "on_part_data": on_part_data,
        "on_part_end": on_part_end,
    })  # fmt: skip
    total = 0
    try:
        async for chunk in body:
            total += len(chunk)
            if total > request_limit:
                raise RequestTooLarge
            parser.write(chunk)
        parser.finalize()
    finally:
        if out[0] is not None:
            out[0].close()
    return got


def _drop(upload: Upload, out: list[IO[bytes] | None]) -> None:
    if out[0] is not None:
        out[0].close()
        out[0] = None
    if upload.path is not None:
        upload.path.unlink(missing_ok=True)
    upload.path, upload.refused = None, "too-large"
