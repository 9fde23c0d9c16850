"""A zip written as a stream, its members deflated and written a megabyte at a time.

The records are those ``zipfile.ZipFile(stream, "w", ZIP_DEFLATED)`` gives with
``writestr`` on a stream that cannot seek: each member's local header without its sizes,
the deflated data, a data descriptor with the CRC and sizes, and the central directory
(ZIP64 records where zipfile writes them) at the end; given zlib's deflate the bytes are
zipfile's, which tests compare. zipfile took about 40 µs a member in Python, besides zlib;
here a member's records are packed at once, and the deflate is the caller's (the XMI
export's is ISA-L's at its fastest level, which gives the CRC with the data: a 4 kB member
in 7 µs against libdeflate's 20 and zlib's 35, the data 13 % larger than zlib's; tests
read every member back). (Deflating in a thread while the export made the next members
was tried: the interpreter lock handed back after each member cost more than the overlap
saved — at 100,000 articles 11.5–13.3 s and 15–16 s of processor time, against 11.6 s and
11.5 s deflating in the export's own thread.)

A second process can write a part of the zip: its members without a central directory
(:meth:`ZipStream.close_part`), which the first stream takes after its own members
(:meth:`ZipStream.take_part`), their records moved by where the part begins: the zip one
stream writes.
"""

from __future__ import annotations

import base64
import math
import struct
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from isal.igzip_lib import COMP_GZIP_NO_HDR, compress

# zipfile's constants and record layouts (zipfile.py: structFileHeader and the rest).
ZIP64_LIMIT = (1 << 31) - 1
_FILECOUNT_LIMIT = (1 << 16) - 1
_VERSION, _ZIP64_VERSION = 20, 45
_DEFLATED = 8
_DESCRIPTOR = 0x08  # the sizes follow the data
_UTF8_NAME = 0x800
_UNIX, _READ_WRITE = 3, 0o600 << 16  # what zipfile.writestr records for a name
_HEADER = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_END64 = struct.Struct("<4sQ2H2L4Q")
_LOCATOR = struct.Struct("<4sLQL")
# Where a central directory record holds its name, extra field and comment lengths, and
# its member's offset.
_LENGTHS, _LENGTHS_AT = struct.Struct("<3H"), 28
_OFFSET, _OFFSET_AT = struct.Struct("<L"), 42
# Members deflated and written at once: one write a megabyte, not one a member.
_BATCH_BYTES = 1 << 20
# Raw DEFLATE data (no zlib header) of a member's bytes followed by gzip's trailer: their
# CRC-32 and their length (modulo 2**32), little-endian.
Deflate = Callable[[bytes], bytes]
_TRAILER = struct.Struct("<L")  # the CRC-32, read from the trailer's first four bytes


def igzip(level: int) -> Deflate:
    """ISA-L's deflate at ``level`` (0-3) with the trailer: other bytes than zlib's, the
    same data."""
    return partial(compress, level=level, flag=COMP_GZIP_NO_HDR)


class ZipStream:
    """Members deflated by ``deflate`` and written through ``write`` a batch at a time;
    the central directory by :meth:`close`. An error of ``write`` is raised by the call
    that wrote (``writestr`` or ``close``); nothing is written after it."""

    def __init__(self, write: Callable[[bytes], object], deflate: Deflate) -> None:
        self._write = write
        self._deflate_data = deflate
        self._offset = 0  # bytes written so far
        # Per member: its record in the central directory (packed as it is written).
        self._directory: list[bytes] = []
        self._batch: list[tuple[str, bytes, int, int]] = []
        self._batched = 0
        self._second = -1  # the second of the local time kept in _dos
        self._dos = (0, 0)

    def writestr(self, name: str, data: bytes) -> None:
        """Add the member ``name`` holding ``data``, dated now (as zipfile dates it)."""
        dostime, dosdate = self._now()
        self._batch.append((name, data, dostime, dosdate))
        self._batched += len(data)
        if self._batched >= _BATCH_BYTES:
            self._send()

    def _now(self) -> tuple[int, int]:
        """The local time as a zip records it (``time.localtime(time.time())``'s),
        worked out once a second: a member a few microseconds."""
        second = math.floor(time.time())
        if second != self._second:
            when = time.localtime(second)
            self._second = second
            self._dos = (
                when[3] << 11 | when[4] << 5 | when[5] // 2,
                (when[0] - 1980) << 9 | when[1] << 5 | when[2],
            )
        return self._dos

    def _send(self) -> None:
        """Deflate and write the waiting members."""
        batch, self._batch, self._batched = self._batch, [], 0
        self._deflate(batch)

    def _deflate(self, batch: list[tuple[str, bytes, int, int]]) -> None:
        """Write the members of ``batch``."""
        out: list[bytes | memoryview] = []
        offset = self._offset
        deflate = self._deflate_data
        for name, data, dostime, dosdate in batch:
            deflated = deflate(data)
            packed = len(deflated) - 8
            (crc,), size = _TRAILER.unpack_from(deflated, packed), len(data)
            zip64 = size * 1.05 > ZIP64_LIMIT
            if not zip64 and packed > ZIP64_LIMIT:
                raise RuntimeError("Compressed size too large, try using force_zip64")
            try:
                encoded, flags = name.encode("ascii"), _DESCRIPTOR
            except UnicodeEncodeError:
                encoded, flags = name.encode("utf-8"), _DESCRIPTOR | _UTF8_NAME
            # The local header: sizes and CRC zero, as they follow the data.
            extra = struct.pack("<HHQQ", 1, 16, 0, 0) if zip64 else b""
            unknown = 0xFFFFFFFF if zip64 else 0
            version = _ZIP64_VERSION if zip64 else _VERSION
            out += (
                _HEADER.pack(
                    b"PK\x03\x04",
                    version,
                    0,
                    flags,
                    _DEFLATED,
                    dostime,
                    dosdate,
                    0,
                    unknown,
                    unknown,
                    len(encoded),
                    len(extra),
                ),
                encoded,
                extra,
                memoryview(deflated)[:packed],
                struct.pack("<LLQQ" if zip64 else "<LLLL", 0x08074B50, crc, packed, size),
            )
            self._directory.append(
                _central(encoded, flags, zip64, dostime, dosdate, crc, packed, size, offset)
            )
            offset += sum(map(len, out[-5:]))
        self._write(b"".join(out))
        self._offset = offset

    def close_part(self) -> dict[str, Any]:
        """Write the members still waiting, and no central directory: the members are a
        part of a zip that another stream takes (:meth:`take_part`). The part's length and
        its members' records (their offsets within the part), as JSON values."""
        self._send()
        directory = base64.b64encode(b"".join(self._directory)).decode("ascii")
        return {"length": self._offset, "directory": directory}

    def take_part(self, part: dict[str, Any], append: Callable[[], object]) -> None:
        """The members of ``part`` (what :meth:`close_part` gave) after those written so
        far: ``append`` writes the part's bytes; the central directory will hold their
        records, moved by where the part begins."""
        self._send()
        append()
        directory = base64.b64decode(part["directory"])
        if self._offset + part["length"] <= ZIP64_LIMIT:  # no offset needs ZIP64 fields
            self._directory += _offsets_moved(directory, self._offset)
        else:
            self._directory += _moved(directory, self._offset)
        self._offset += part["length"]

    def close(self) -> None:
        """Write the members still waiting, then the central directory."""
        self._send()
        start = self._offset
        directory = b"".join(self._directory)
        end = start + len(directory)
        count, size = len(self._directory), len(directory)
        if count > _FILECOUNT_LIMIT or start > ZIP64_LIMIT or size > ZIP64_LIMIT:
            directory += _END64.pack(
                b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, size, start
            ) + _LOCATOR.pack(b"PK\x06\x07", 0, end, 1)
            count, size, start = min(count, 0xFFFF), min(size, 0xFFFFFFFF), min(start, 0xFFFFFFFF)
        self._write(directory + _END.pack(b"PK\x05\x06", 0, 0, count, count, size, start, 0))

    def abandon(self) -> None:
        """Stop without writing more: the members still waiting are dropped."""
        self._batch, self._batched = [], 0


def _offsets_moved(directory: bytes, by: int) -> list[bytes]:
    """The records of a central directory, each member's offset moved by ``by`` bytes,
    where neither the offsets nor the moved ones need ZIP64 fields: each record as it
    is but its offset (a member a microsecond; :func:`_moved` takes four)."""
    records = []
    at = 0
    while at < len(directory):
        names, extras, comments = _LENGTHS.unpack_from(directory, at + _LENGTHS_AT)
        end = at + _CENTRAL.size + names + extras + comments
        (offset,) = _OFFSET.unpack_from(directory, at + _OFFSET_AT)
        records.append(
            directory[at : at + _OFFSET_AT]
            + _OFFSET.pack(offset + by)
            + directory[at + _OFFSET_AT + _OFFSET.size : end]
        )
        at = end
    return records


def _moved(directory: bytes, by: int) -> list[bytes]:
    """The records of a central directory, each member's offset moved by ``by`` bytes
    (and given or spared ZIP64 fields as its new offset needs)."""
    records = []
    at = 0
    while at < len(directory):
        fields = _CENTRAL.unpack_from(directory, at)
        flags, dostime, dosdate, crc, packed, size = fields[5], *fields[7:12]
        names, extras, comments, offset = fields[12], fields[13], fields[14], fields[-1]
        start = at + _CENTRAL.size
        name = directory[start : start + names]
        # The ZIP64 field: its tag and length, then the large values.
        large = iter(
            struct.unpack_from(f"<{extras // 8}Q", directory, start + names + 4) if extras else ()
        )
        if size == 0xFFFFFFFF:  # both sizes in the ZIP64 field, then the offset
            size, packed = next(large), next(large)
        if offset == 0xFFFFFFFF:
            offset = next(large)
        zip64 = size * 1.05 > ZIP64_LIMIT  # as the member's local header was written
        records.append(
            _central(name, flags, zip64, dostime, dosdate, crc, packed, size, offset + by)
        )
        at = start + names + extras + comments
    return records


def _central(
    name: bytes,
    flags: int,
    zip64: bool,
    dostime: int,
    dosdate: int,
    crc: int,
    packed: int,
    size: int,
    offset: int,
) -> bytes:
    """A member's record in the central directory, as zipfile packs it at the end."""
    large: list[int] = []
    if size > ZIP64_LIMIT or packed > ZIP64_LIMIT:
        large += (size, packed)
        size = packed = 0xFFFFFFFF
    if offset > ZIP64_LIMIT:
        large.append(offset)
        offset = 0xFFFFFFFF
    extra = struct.pack(f"<HH{len(large)}Q", 1, 8 * len(large), *large) if large else b""
    # A member written with ZIP64 sizes keeps version 4.5 (zipfile raises it on its
    # ZipInfo when it writes the local header).
    version = _ZIP64_VERSION if large or zip64 else _VERSION
    return (
        _CENTRAL.pack(
            b"PK\x01\x02",
            version,
            _UNIX,
            version,
            0,
            flags,
            _DEFLATED,
            dostime,
            dosdate,
            crc,
            packed,
            size,
            len(name),
            len(extra),
            0,
            0,
            0,
            _READ_WRITE,
            offset,
        )
        + name
        + extra
    )
