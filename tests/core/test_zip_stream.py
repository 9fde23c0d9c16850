"""The XMI export's zip, written a batch of members at a time, against zipfile writing
the same members: with zlib's deflate the same bytes (ZIP64 records too); with ISA-L's
(the export's) the same records around other deflated data, which zipfile, ``unzip -t``
and zlib read back as the same members; and an error stops the writing."""

from __future__ import annotations

import errno
import io
import random
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest

from factmark.core.exporting import zip_stream
from factmark.core.exporting.zip_stream import Deflate, ZipStream, igzip


def zlib_deflate(data: bytes) -> bytes:
    """zlib's deflate at zipfile's level 1 (one call, the same bytes as zipfile's
    compressobj(1, DEFLATED, -15).compress(data) and flush()), with gzip's trailer."""
    crc = struct.pack("<2L", zlib.crc32(data), len(data) & 0xFFFFFFFF)
    return zlib.compress(data, level=1, wbits=-15) + crc


NOW = 1_700_000_000.0  # one time for both writers: a member is dated when it is added
NAMES = ["doc.xmi", "Київ-1.xmi", "北京-2.xmi", "مرحبا.xmi", "🚀.xmi", "TypeSystem.xml"]


class _Unseekable:
    """A file zipfile cannot seek in (as the export's), so it writes data descriptors."""

    def __init__(self) -> None:
        self.data = io.BytesIO()

    def write(self, data: bytes) -> int:
        return self.data.write(data)

    def flush(self) -> None:
        pass


def members(count: int, seed: int = 7) -> list[tuple[str, bytes]]:
    """Named members of every kind: empty, text, random bytes that do not deflate."""
    rng = random.Random(seed)
    found = []
    for n in range(count):
        kind = n % 3
        data = (
            b""
            if n % 11 == 0
            else rng.randbytes(rng.randrange(3000))
            if kind == 0
            else ("<a b='c'>" + "Kyiv 🚀 北京 " * rng.randrange(500)).encode("utf-8")
        )
        found.append((f"{n}-{NAMES[n % len(NAMES)]}", data))
    return found


def zipfile_bytes(written: list[tuple[str, bytes]]) -> bytes:
    out = _Unseekable()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:  # type: ignore[arg-type]
        for name, data in written:
            archive.writestr(name, data)
    return out.data.getvalue()


def stream_bytes(written: list[tuple[str, bytes]], deflate: Deflate | None = None) -> bytes:
    out = io.BytesIO()
    archive = ZipStream(out.write, deflate or zlib_deflate)
    for name, data in written:
        archive.writestr(name, data)
    archive.close()
    return out.getvalue()


@pytest.fixture(autouse=True)
def one_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("time.time", lambda: NOW)


@pytest.mark.parametrize("count", [0, 1, 40, 400])
def test_the_zip_is_zipfiles_byte_for_byte(count: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zip_stream, "_BATCH_BYTES", 5000)  # many batches
    written = members(count)
    ours = stream_bytes(written)
    assert ours == zipfile_bytes(written)
    with zipfile.ZipFile(io.BytesIO(ours)) as archive:
        assert archive.testzip() is None
        assert [(i.filename, archive.read(i)) for i in archive.infolist()] == written


def test_large_members_deflate_to_zipfiles_bytes() -> None:
    """Members of many deflate blocks, text and random bytes, as zipfile deflates them."""
    rng = random.Random(3)
    text = " ".join(rng.choice(["Kyiv", "said", "𠮷", "\n\n", "15,000"]) for _ in range(200_000))
    written = [
        ("text.xmi", text.encode("utf-8")),
        ("random.xmi", rng.randbytes(700_000)),
        ("mixed.xmi", rng.randbytes(90_000) + text.encode("utf-8")[:400_000]),
    ]
    assert stream_bytes(written) == zipfile_bytes(written)


_DESCRIBED = (
    "filename",
    "CRC",
    "file_size",
    "date_time",
    "flag_bits",
    "compress_type",
    "create_system",
    "create_version",
    "extract_version",
    "external_attr",
    "internal_attr",
    "extra",
    "comment",
)


def described(info: zipfile.ZipInfo) -> tuple[object, ...]:
    """What the central directory says of a member, but where its data is and its size."""
    return tuple(getattr(info, name) for name in _DESCRIBED)


def _data_start(zipped: bytes, info: zipfile.ZipInfo) -> int:
    name, extra = struct.unpack_from("<2H", zipped, info.header_offset + 26)
    return info.header_offset + 30 + name + extra


def data(zipped: bytes, info: zipfile.ZipInfo) -> bytes:
    """A member's deflated data."""
    start = _data_start(zipped, info)
    return zipped[start : start + info.compress_size]


def local_records(zipped: bytes, info: zipfile.ZipInfo) -> tuple[bytes, bytes]:
    """A member's local header (with its name and extra field) and its data descriptor
    but the compressed size: every byte of them."""
    start = _data_start(zipped, info)
    descriptor = start + info.compress_size
    zip64 = info.file_size * 1.05 > zipfile.ZIP64_LIMIT
    length = 24 if zip64 else 16
    record = zipped[descriptor : descriptor + length]
    return zipped[info.header_offset : start], record[:8] + record[length // 2 + 4 :]


# The first member is empty: deflated alike by both.
@pytest.mark.parametrize("count", [2, 40, 400])
@pytest.mark.parametrize("level", [0, 1])  # the export's level, and the one above it
def test_with_isal_the_same_records_and_members(
    count: int, level: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The export's deflate: every record zipfile writes (headers, names, CRCs, times,
    flags) around data that zipfile, zlib and ``unzip -t`` read back as the same bytes."""
    monkeypatch.setattr(zip_stream, "_BATCH_BYTES", 5000)
    written = members(count)
    ours = stream_bytes(written, igzip(level))
    theirs = zipfile_bytes(written)
    assert ours != theirs  # another deflate, so the test below is not the one above
    with zipfile.ZipFile(io.BytesIO(ours)) as archive, zipfile.ZipFile(io.BytesIO(theirs)) as z:
        assert archive.testzip() is None  # every member's CRC
        assert [(i.filename, archive.read(i)) for i in archive.infolist()] == written
        for mine, other in zip(archive.infolist(), z.infolist(), strict=True):
            assert described(mine) == described(other)
            assert local_records(ours, mine) == local_records(theirs, other)
            assert zlib.decompress(data(ours, mine), wbits=-15) == archive.read(mine)
    unzip_reads(ours, tmp_path / "corpus.zip")


def unzip_reads(zipped: bytes, path: Path) -> None:
    """``unzip -t`` (where it is installed) finds every member of ``zipped`` whole."""
    unzip = shutil.which("unzip")
    if unzip:
        path.write_bytes(zipped)
        tested = subprocess.run([unzip, "-tq", str(path)], capture_output=True, text=True)
        assert tested.returncode == 0, tested.stdout + tested.stderr


@pytest.mark.parametrize("limit", [1_000, 50_000])
def test_zip64_records_where_zipfile_writes_them(
    limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Members, offsets and a central directory past the limits (lowered here, in both
    writers, from 2 GiB and 65,535 members) get zipfile's ZIP64 records."""
    for module in (zipfile, zip_stream):
        monkeypatch.setattr(module, "ZIP64_LIMIT", limit)
    monkeypatch.setattr(zipfile, "ZIP_FILECOUNT_LIMIT", 30)
    monkeypatch.setattr(zip_stream, "_FILECOUNT_LIMIT", 30)
    written = members(60)
    assert stream_bytes(written) == zipfile_bytes(written)


def test_an_error_while_writing_stops_the_writing_and_is_raised(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A full disk while a batch is written: raised by the member or close that wrote
    it, and nothing is written after it."""
    monkeypatch.setattr(zip_stream, "_BATCH_BYTES", 1)  # a batch a member
    writes: list[bytes] = []

    def write(data: bytes) -> None:
        if len(writes) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        writes.append(data)

    archive = ZipStream(write, igzip(1))
    with pytest.raises(OSError, match="No space left"):
        for name, data in members(20):
            archive.writestr(name, data)
        archive.close()
    archive.abandon()
    assert len(writes) == 2


@pytest.mark.parametrize("limit", [zip_stream.ZIP64_LIMIT, 20_000, 1_000])
@pytest.mark.parametrize("cut", [0, 1, 17, 40])
def test_a_part_written_by_another_stream_gives_the_same_zip(
    limit: int, cut: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Members written by a second stream as a part (no central directory), taken after
    the first stream's: the zip one stream writes, byte for byte, ZIP64 records too
    (offsets past the limit once the part is moved)."""
    for module in (zipfile, zip_stream):
        monkeypatch.setattr(module, "ZIP64_LIMIT", limit)
    monkeypatch.setattr(zip_stream, "_BATCH_BYTES", 5000)
    written = members(40)
    first, second = io.BytesIO(), io.BytesIO()
    archive, other = ZipStream(first.write, zlib_deflate), ZipStream(second.write, zlib_deflate)
    for name, data in written[:cut]:
        archive.writestr(name, data)
    for name, data in written[cut:]:
        other.writestr(name, data)
    part = other.close_part()
    assert part["length"] == len(second.getvalue())
    archive.take_part(part, lambda: first.write(second.getvalue()))
    archive.writestr("TypeSystem.xml", b"<typeSystemDescription/>")
    archive.close()
    whole = [*written, ("TypeSystem.xml", b"<typeSystemDescription/>")]
    assert first.getvalue() == stream_bytes(whole) == zipfile_bytes(whole)
