"""Refuse hostile or unusable uploads before any parsing: size, type, zip bombs, XML entity tricks.

Every check reads file metadata or a few kilobytes: a 100 MB upload is refused from its size alone
and a zip bomb from the zip's central directory, without decompressing it. Only then are the XML
members streamed once with a hard cap, so that a zip whose directory lies about sizes is caught too.
"""

from __future__ import annotations

import os
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

MB = 1024 * 1024
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_EXCEL_ADVICE = "请在 Excel 中打开后“另存为” .xlsx 格式再上传。"


@dataclass(frozen=True, slots=True)
class UploadLimits:
    """Thresholds for :func:`check_upload`; the defaults suit a village roll of up to ~150,000 rows."""

    max_bytes: int = 30 * MB
    max_uncompressed_bytes: int = 200 * MB
    max_member_ratio: int = 200  # uncompressed / compressed size of one zip member
    max_zip_entries: int = 2000
    xml_prolog_bytes: int = 4096
    verify_members: bool = True  # inflate every member once, capped, catching a lying directory


DEFAULT_LIMITS = UploadLimits()
ALLOWED_EXTENSIONS = (".xlsx", ".xls", ".csv")


class ImportRefused(Exception):
    """An upload refused before parsing; ``message`` is plain Chinese for the clerk."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


Upload = str | os.PathLike[str] | IO[bytes]


@contextmanager
def _opened(upload: Upload) -> Iterator[IO[bytes]]:
    if isinstance(upload, str | os.PathLike):
        with open(upload, "rb") as handle:
            yield handle
    else:
        position = upload.tell()
        try:
            yield upload
        finally:
            upload.seek(position)


def _size(handle: IO[bytes]) -> int:
    try:
        return os.fstat(handle.fileno()).st_size
    except (AttributeError, OSError):  # in-memory uploads have no file descriptor
        end = handle.seek(0, os.SEEK_END)
        handle.seek(0)
        return end


def check_upload(upload: Upload, declared_name: str, limits: UploadLimits = DEFAULT_LIMITS) -> None:
    """Raise :class:`ImportRefused` unless the upload looks like a genuine, harmless roll file."""
    extension = Path(declared_name).suffix.lower()
    if extension in (".xlsm", ".xltm", ".xlsb"):
        raise ImportRefused(f"不接受 {extension} 格式（可能含有宏）。{_EXCEL_ADVICE}")
    if extension not in ALLOWED_EXTENSIONS:
        raise ImportRefused("只能导入 Excel（.xlsx、.xls）或 CSV（.csv）文件。")
    with _opened(upload) as handle:
        size = _size(handle)
        if size == 0:
            raise ImportRefused("文件是空的，请检查后重新上传。")
        if size > limits.max_bytes:
            raise ImportRefused(
                f"文件过大（超过 {limits.max_bytes // MB} MB）。选民名单一般不会这么大，"
                "请删除图片和多余的工作表，或分成几个文件上传。"
            )
        handle.seek(0)
        head = handle.read(8192)
        if extension == ".xlsx":
            _check_xlsx(handle, head, limits)
        elif extension == ".xls":
            _check_xls(handle, head, size)
        else:
            _check_csv(head)


def _not_excel(extension: str) -> ImportRefused:
    return ImportRefused(f"这个文件不是真正的 Excel 文件（内容与扩展名 {extension} 不符）。{_EXCEL_ADVICE}")


def _check_xlsx(handle: IO[bytes], head: bytes, limits: UploadLimits) -> None:
    if head.startswith(OLE2_MAGIC):
        if _utf16(b"EncryptedPackage") in head or _utf16(b"EncryptionInfo") in head:
            raise ImportRefused("文件设置了打开密码，请在 Excel 中取消密码后再上传。")
        raise ImportRefused(f"这个文件其实是旧版 .xls 格式，只是扩展名写成了 .xlsx。{_EXCEL_ADVICE}")
    if not head.startswith(ZIP_MAGIC):
        raise _not_excel(".xlsx")
    _check_end_record(handle, limits)
    handle.seek(0)
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportRefused(f"文件已损坏，无法打开。{_EXCEL_ADVICE}") from None
    with archive:
        members = archive.infolist()
        _check_zip_directory(members, limits)
        names = {m.filename for m in members}
        if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
            raise _not_excel(".xlsx")
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            raise ImportRefused(f"文件含有宏，已拒绝。{_EXCEL_ADVICE}")
        _check_zip_members(archive, handle, members, limits)


def _check_end_record(handle: IO[bytes], limits: UploadLimits) -> None:
    """Entry count and directory size from the zip's last bytes, before ``zipfile`` reads the directory."""
    end = handle.seek(0, os.SEEK_END)
    start = max(0, end - 22 - 65_535)  # the end record, after a comment of at most 64 KB
    handle.seek(start)
    tail = handle.read(end - start)
    position = tail.rfind(b"PK\x05\x06")
    if position < 0 or len(tail) - position < 22:
        raise ImportRefused(f"文件已损坏，无法打开。{_EXCEL_ADVICE}")
    entries = int.from_bytes(tail[position + 10 : position + 12], "little")
    directory_size = int.from_bytes(tail[position + 12 : position + 16], "little")
    if entries > limits.max_zip_entries or directory_size > limits.max_zip_entries * 1024:
        raise ImportRefused(
            "文件内含异常压缩数据，已拒绝。请确认文件来源，或在 Excel 中另存为新文件后再上传。"
        )


def _check_zip_directory(members: list[zipfile.ZipInfo], limits: UploadLimits) -> None:
    """Zip-bomb checks from the central directory alone: entry count, total size, compression ratio."""
    bomb = ImportRefused("文件内含异常压缩数据，已拒绝。请确认文件来源，或在 Excel 中另存为新文件后再上传。")
    if len(members) > limits.max_zip_entries:
        raise bomb
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise ImportRefused("文件设置了密码，请在 Excel 中取消密码后再上传。")
        total += member.file_size
        if total > limits.max_uncompressed_bytes:
            raise bomb
        if member.file_size > MB and member.file_size > limits.max_member_ratio * max(
            member.compress_size, 1
        ):
            raise bomb


def _check_zip_members(
    archive: zipfile.ZipFile, handle: IO[bytes], members: list[zipfile.ZipInfo], limits: UploadLimits
) -> None:
    """Refuse DTDs (entity expansion, external entities) in XML parts; with ``verify_members``,
    inflate every member once, capped at its declared size, to catch a lying central directory."""
    bomb = ImportRefused("文件内含异常压缩数据，已拒绝。请确认文件来源，或在 Excel 中另存为新文件后再上传。")
    for member in members:
        is_xml = member.filename.lower().endswith(_XML_SUFFIXES)
        if is_xml:
            try:
                with archive.open(member) as stream:
                    prolog = stream.read(limits.xml_prolog_bytes)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, zlib.error):
                raise ImportRefused(f"文件已损坏，无法打开。{_EXCEL_ADVICE}") from None
            if _has_dtd(prolog):
                raise ImportRefused(
                    "文件中含有不安全的 XML 内容（DOCTYPE/ENTITY 声明），已拒绝。" + _EXCEL_ADVICE
                )
        if limits.verify_members and _inflates_beyond(handle, member):
            raise bomb


def _inflates_beyond(handle: IO[bytes], member: zipfile.ZipInfo) -> bool:
    """True when the member's data holds more than the directory declares (read in 1 MB steps)."""
    handle.seek(member.header_offset)
    local = handle.read(30)
    if len(local) < 30 or local[:4] != b"PK\x03\x04":
        return True
    name_length = int.from_bytes(local[26:28], "little")
    extra_length = int.from_bytes(local[28:30], "little")
    handle.seek(member.header_offset + 30 + name_length + extra_length)
    if member.compress_type == zipfile.ZIP_STORED:
        return member.compress_size != member.file_size
    if member.compress_type != zipfile.ZIP_DEFLATED:
        return False  # calamine cannot read other methods anyway: it will fail cleanly
    inflater = zlib.decompressobj(-15)
    remaining, produced, cap = member.compress_size, 0, member.file_size
    try:
        while remaining > 0 and not inflater.eof:
            chunk = handle.read(min(remaining, MB))
            if not chunk:
                break
            remaining -= len(chunk)
            while chunk:
                produced += len(inflater.decompress(chunk, cap + 1 - produced))
                if produced > cap:
                    return True
                chunk = inflater.unconsumed_tail
    except zlib.error:
        return True
    return False


def _utf16(text: bytes) -> bytes:
    return text.decode("ascii").encode("utf-16-le")


def _has_dtd(prolog: bytes) -> bool:
    text = prolog.replace(b"\x00", b"").upper()  # also catches UTF-16 encoded parts
    return b"<!DOCTYPE" in text or b"<!ENTITY" in text


def _check_xls(handle: IO[bytes], head: bytes, size: int) -> None:
    if head.startswith(ZIP_MAGIC):
        raise ImportRefused(
            "这个文件其实是 .xlsx 格式，只是扩展名写成了 .xls。请把扩展名改为 .xlsx 后再上传。"
        )
    if not head.startswith(OLE2_MAGIC):
        raise _not_excel(".xls")
    handle.seek(0)
    data = handle.read(size)
    if _utf16(b"_VBA_PROJECT") in data:
        raise ImportRefused(f"文件含有宏，已拒绝。{_EXCEL_ADVICE}")


def _check_csv(head: bytes) -> None:
    if head.startswith(ZIP_MAGIC) or head.startswith(OLE2_MAGIC):
        raise ImportRefused(
            "这个文件其实是 Excel 文件，只是扩展名写成了 .csv。请改成 .xlsx 或 .xls 后再上传。"
        )
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return  # UTF-16 text (Excel's “Unicode 文本”) legitimately contains NUL bytes
    if b"\x00" in head:
        raise ImportRefused(
            "这个文件不是文本格式的 CSV 文件。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或 .xlsx。"
        )
