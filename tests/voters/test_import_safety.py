"""Hostile and unusable uploads are refused quickly, before parsing, with a message in plain Chinese."""

import io
import time
import zipfile
import zlib

import pytest

from voters.importing.safety import MB, OLE2_MAGIC, ImportRefused, UploadLimits, check_upload
from voters.importing.template import build_template

from .files import HEADER, voter_row, write_csv, write_fast_xlsx, write_xls, write_xlsx


def refused(path, name=None, **limits) -> str:
    started = time.perf_counter()
    with pytest.raises(ImportRefused) as caught:
        check_upload(path, name or path.name, UploadLimits(**limits) if limits else UploadLimits())
    assert time.perf_counter() - started < 1.0
    return caught.value.message


@pytest.fixture
def good_xlsx(tmp_path):
    return write_xlsx(tmp_path / "名单.xlsx", {"名单": [HEADER, voter_row()]})


def test_genuine_files_pass(tmp_path, good_xlsx):
    check_upload(good_xlsx, "名单.xlsx")
    check_upload(write_xls(tmp_path / "a.xls", {"名单": [HEADER, voter_row()]}), "a.xls")
    check_upload(write_csv(tmp_path / "a.csv", [HEADER, voter_row()], encoding="gb18030"), "a.csv")
    check_upload(write_csv(tmp_path / "b.csv", [HEADER, voter_row()], encoding="utf-16"), "b.csv")
    template = tmp_path / "template.xlsx"
    template.write_bytes(build_template())
    check_upload(template, "template.xlsx")


def test_file_objects_are_checked_and_rewound(good_xlsx):
    upload = io.BytesIO(good_xlsx.read_bytes())
    upload.seek(5)
    check_upload(upload, "名单.xlsx")
    assert upload.tell() == 5


def test_extensions(tmp_path, good_xlsx):
    assert "只能导入" in refused(good_xlsx, "名单.pdf")
    assert "宏" in refused(good_xlsx, "名单.xlsm")
    assert "宏" in refused(good_xlsx, "名单.XLSB")


def test_empty_and_oversized_files(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.touch()
    assert "空的" in refused(empty)
    huge = tmp_path / "huge.xlsx"
    with open(huge, "wb") as handle:
        handle.truncate(100 * MB + 1)  # sparse: instant to create
    assert refused(huge).startswith("文件过大（超过 30 MB）")
    assert "超过 5 MB" in refused(huge, max_bytes=5 * MB)


def test_files_that_are_not_what_their_name_says(tmp_path, good_xlsx):
    png = tmp_path / "photo.xlsx"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)
    assert refused(png).startswith("这个文件不是真正的 Excel 文件")
    text = tmp_path / "text.xlsx"
    text.write_text("姓名,身份证号\n张三,1\n", encoding="utf-8")
    assert refused(text).startswith("这个文件不是真正的 Excel 文件")
    fake_xls = tmp_path / "fake.xls"
    fake_xls.write_text("姓名\t身份证号\n", encoding="utf-8")
    assert refused(fake_xls).startswith("这个文件不是真正的 Excel 文件")
    assert "扩展名写成了 .xls" in refused(good_xlsx, "名单.xls")
    assert "扩展名写成了 .csv" in refused(good_xlsx, "名单.csv")
    other_zip = tmp_path / "other.xlsx"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert refused(other_zip).startswith("这个文件不是真正的 Excel 文件")
    binary_csv = tmp_path / "binary.csv"
    binary_csv.write_bytes(b"abc\x00def" * 10)
    assert "不是文本格式" in refused(binary_csv)


def test_xls_saved_as_xlsx_and_password_protected_xlsx(tmp_path):
    xls = write_xls(tmp_path / "a.xls", {"名单": [HEADER]})
    assert "旧版 .xls" in refused(xls, "a.xlsx")
    encrypted = tmp_path / "secret.xlsx"  # Office encryption wraps the package in an OLE2 file
    encrypted.write_bytes(
        OLE2_MAGIC + b"\x00" * 1000 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 1000
    )
    assert "密码" in refused(encrypted)


def test_macros_are_refused(tmp_path):
    path = write_fast_xlsx(tmp_path / "macro.xlsx", {"名单": [HEADER]})
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\x00" * 100)
    assert "宏" in refused(path)
    xls = write_xls(tmp_path / "macro.xls", {"名单": [HEADER]})
    xls.write_bytes(xls.read_bytes() + "_VBA_PROJECT_CUR".encode("utf-16-le"))
    assert "宏" in refused(xls)


def _zip_bomb(path, megabytes: int) -> None:
    """A valid-looking .xlsx whose sheet inflates to ``megabytes`` of zeros (written in ~0.2 s per 100 MB)."""
    write_fast_xlsx(path, {"名单": [HEADER]})
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet2.xml", "w", force_zip64=True) as member:
            block = b"\x00" * MB
            for _ in range(megabytes):
                member.write(block)


def test_a_zip_bomb_is_refused_from_the_directory_without_decompressing(tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    _zip_bomb(bomb, 210)
    assert bomb.stat().st_size < 2 * MB
    assert refused(bomb).startswith("文件内含异常压缩数据，已拒绝")


def test_a_highly_compressed_member_is_refused_even_under_the_total_limit(tmp_path):
    bomb = tmp_path / "ratio.xlsx"
    _zip_bomb(bomb, 20)
    assert "异常压缩数据" in refused(bomb)


def test_a_zip_lying_about_its_sizes_is_caught(tmp_path, good_xlsx):
    """The central directory says 1 KB; the data inflates to 10 MB: caught by the capped read."""
    lying = tmp_path / "lying.xlsx"
    payload = zlib.compressobj(9, zlib.DEFLATED, -15)
    compressed = payload.compress(b"<x/>" + b" " * (10 * MB)) + payload.flush()
    data = bytearray(good_xlsx.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(lying, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, content in members:
            archive.writestr(info, content)
        archive.writestr("xl/worksheets/sheet9.xml", b"<x/>")
    raw = bytearray(lying.read_bytes())
    # Splice the big deflate stream in place of the tiny one, keeping the directory's small sizes.
    with zipfile.ZipFile(io.BytesIO(bytes(raw))) as archive:
        info = archive.getinfo("xl/worksheets/sheet9.xml")
    header_end = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    raw[header_end : header_end + info.compress_size] = compressed
    shift = len(compressed) - info.compress_size
    end_record = raw.rfind(b"PK\x05\x06")
    directory_offset = int.from_bytes(raw[end_record + 16 : end_record + 20], "little") + shift
    raw[end_record + 16 : end_record + 20] = directory_offset.to_bytes(4, "little")
    directory_start = directory_offset
    position = raw.find(b"PK\x01\x02", directory_start)
    while position != -1:
        name_length = int.from_bytes(raw[position + 28 : position + 30], "little")
        name = bytes(raw[position + 46 : position + 46 + name_length])
        if name == b"xl/worksheets/sheet9.xml":
            raw[position + 20 : position + 24] = len(compressed).to_bytes(4, "little")
        position = raw.find(b"PK\x01\x02", position + 46)
    lying.write_bytes(bytes(raw))
    assert "异常压缩数据" in refused(lying)


def test_a_directory_claiming_huge_counts_is_refused_before_it_is_read(tmp_path, good_xlsx):
    raw = bytearray(good_xlsx.read_bytes())
    end = raw.rfind(b"PK\x05\x06")
    raw[end + 10 : end + 12] = (0xFFFF).to_bytes(2, "little")
    patched = tmp_path / "patched.xlsx"
    patched.write_bytes(bytes(raw))
    assert "异常压缩数据" in refused(patched)


def test_too_many_entries(tmp_path):
    path = write_fast_xlsx(tmp_path / "many.xlsx", {"名单": [HEADER]})
    with zipfile.ZipFile(path, "a") as archive:
        for n in range(60):
            archive.writestr(f"xl/media/{n}.xml", "<x/>")
    assert "异常压缩数据" in refused(path, max_zip_entries=50)


@pytest.mark.parametrize(
    "shared_strings",
    [
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><sst><si><t>&lol2;</t></si></sst>',
        '<?xml version="1.0"?><!DOCTYPE sst SYSTEM "file:///etc/passwd"><sst/>',
        '<?xml version="1.0"?><!ENTITY x SYSTEM "http://example.invalid/">',
    ],
)
def test_xml_entity_tricks_are_refused(tmp_path, shared_strings):
    path = write_fast_xlsx(tmp_path / "xxe.xlsx", {"名单": [HEADER]}, shared_strings_xml=shared_strings)
    assert "DOCTYPE/ENTITY" in refused(path)


def test_utf16_encoded_doctype_is_refused_too(tmp_path):
    path = write_fast_xlsx(tmp_path / "u16.xlsx", {"名单": [HEADER]})
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(
            "xl/custom.xml", '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x>'.encode("utf-16")
        )
    assert "DOCTYPE/ENTITY" in refused(path)


def test_corrupt_zip(tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    assert "已损坏" in refused(broken)
