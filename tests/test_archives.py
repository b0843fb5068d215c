"""Archives: members named ARCHIVE/MEMBER, GBK names, limits, and every refusal with a message."""

from __future__ import annotations

import dataclasses
import io
import zipfile

import pytest

from analysis import archives
from analysis.campaign import Limits
from tests.fixtures import make_materials as mm

LIMITS = Limits()


def names(expanded: archives.Expanded) -> list[str]:
    return [m.rel for m in expanded.members]


def codes(expanded: archives.Expanded) -> list[tuple[str, str]]:
    return [(i.file, i.code) for i in expanded.issues]


def test_zip_members_are_named_archive_slash_member_in_name_order():
    data = mm.zip_of({"长阳镇/报送表.xlsx": b"a", "长阳镇/照片.jpg": b"bb", "说明.txt": b"c"})
    found = archives.expand(data, "submissions/r1/报送材料.zip", LIMITS)
    assert names(found) == [
        "submissions/r1/报送材料.zip/说明.txt",
        "submissions/r1/报送材料.zip/长阳镇/报送表.xlsx",
        "submissions/r1/报送材料.zip/长阳镇/照片.jpg",
    ]
    assert [m.data for m in found.members] == [b"c", b"a", b"bb"]
    assert found.issues == []


def test_gbk_member_names_without_utf8_flag_are_decoded_per_member():
    data = mm.zip_of({"长阳镇/报送表.xlsx": b"a", "readme.txt": b"b"}, gbk=True)
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    assert all(not i.flag_bits & 0x800 for i in infos)  # really written the Windows way
    assert names(archives.expand(data, "submissions/材料.zip", LIMITS)) == [
        "submissions/材料.zip/readme.txt",
        "submissions/材料.zip/长阳镇/报送表.xlsx",
    ]


def _zip_of_raw_names(members: dict[bytes, bytes]) -> bytes:
    """A zip whose names are exactly these bytes, the UTF-8 flag unset (any program, any code page)."""
    buffer = io.BytesIO()
    placeholders = {}
    with zipfile.ZipFile(buffer, "w") as zf:
        for i, (raw, data) in enumerate(members.items()):
            stored = f"~{i:03d}".ljust(len(raw), "_")
            placeholders[stored.encode()] = raw
            zf.writestr(stored, data)
    data = buffer.getvalue()
    for placeholder, raw in placeholders.items():
        data = data.replace(placeholder, raw)
    return data


@pytest.mark.parametrize(
    "members",
    [["图片/1.jpg", "通知.txt"], ["图片/1.jpg", "长阳镇/报送表.xlsx", "学习.docx"]],
)
def test_gbk_names_that_happen_to_be_valid_utf8_are_read_as_gbk(members):
    """GBK 图片 (CD BC C6 AC) is also valid UTF-8 ("ͼƬ"): an archive from Chinese Windows
    is GBK throughout, not UTF-8 for the names that happen to decode."""
    data = _zip_of_raw_names({name.encode("gbk"): b"x" for name in members})
    found = archives.expand(data, "submissions/材料.zip", LIMITS)
    assert names(found) == sorted(f"submissions/材料.zip/{name}" for name in members)


def test_utf8_names_without_the_flag_stay_utf8():
    """Older macOS and Linux tools write UTF-8 without the flag."""
    members = ["长阳镇/报送表.xlsx", "图片/1.jpg", "café.txt"]
    data = _zip_of_raw_names({name.encode("utf-8"): b"x" for name in members})
    found = archives.expand(data, "submissions/材料.zip", LIMITS)
    assert names(found) == sorted(f"submissions/材料.zip/{name}" for name in members)


def test_a_unicode_path_extra_field_gives_the_name():
    """7-Zip and WinRAR keep the true name in UTF-8 when the legacy one lost characters."""
    import struct
    import zlib

    true_name = "长阳镇总工会（𠀀）报送表.xlsx"
    legacy = "???.xlsx"
    info = zipfile.ZipInfo(legacy)
    utf8 = true_name.encode("utf-8")
    info.extra = struct.pack("<HHBI", 0x7075, 5 + len(utf8), 1, zlib.crc32(legacy.encode())) + utf8
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr(info, b"x")
    found = archives.expand(buffer.getvalue(), "submissions/材料.zip", LIMITS)
    assert names(found) == [f"submissions/材料.zip/{true_name}"]


def test_utf8_flagged_names_are_kept():
    data = mm.zip_of({"琉璃河镇/总结.docx": b"a"})
    assert zipfile.ZipFile(io.BytesIO(data)).infolist()[0].flag_bits & 0x800
    assert names(archives.expand(data, "submissions/a.zip", LIMITS)) == [
        "submissions/a.zip/琉璃河镇/总结.docx"
    ]


@pytest.mark.parametrize(
    ("name", "safe"),
    [("../evil.xlsx", None), ("/etc/passwd", None), ("a/../../b", None), ("C:/x.xlsx", None),
     ("a\\..\\b.xlsx", None), ("./a/b.xlsx", "a/b.xlsx"), ("a\\b.xlsx", "a/b.xlsx")],
)  # fmt: skip
def test_safe_member_path(name, safe):
    assert archives.safe_member_path(name) == safe


def test_a_name_twice_in_one_zip_is_read_once_the_last_copy_and_told():
    """A file added again under its name (`zip -u`, an archiver's “add”): two inputs
    under one ledger name would collide; an extraction keeps the last."""
    import warnings

    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as zf:
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name it writes
        zf.writestr("长阳镇/报送表.xlsx", b"old")
        zf.writestr("说明.txt", b"x")
        zf.writestr("长阳镇/报送表.xlsx", b"new")
    found = archives.expand(buffer.getvalue(), "submissions/材料.zip", LIMITS)
    assert [(m.rel, m.data) for m in found.members] == [
        ("submissions/材料.zip/说明.txt", b"x"),
        ("submissions/材料.zip/长阳镇/报送表.xlsx", b"new"),
    ]
    assert codes(found) == [("submissions/材料.zip/长阳镇/报送表.xlsx", "archive_member_repeated")]
    assert found.issues[0].severity == "error"
    assert "2 个同名文件“长阳镇/报送表.xlsx”" in found.issues[0].message


def test_zip_slip_member_refused_rest_read():
    data = mm.zip_slip({"../../evil.xlsx": b"x", "/etc/cron.jpg": b"y", "ok.jpg": b"z"})
    found = archives.expand(data, "submissions/a.zip", LIMITS)
    assert names(found) == ["submissions/a.zip/ok.jpg"]
    assert codes(found) == [("submissions/a.zip", "archive_member_unsafe")] * 2
    assert (
        "../../evil.xlsx" in found.issues[0].message or "../../evil.xlsx" in found.issues[1].message
    )


def test_link_and_encrypted_members_refused_rest_read():
    data = mm.zip_of({"a.jpg": b"1", "b.jpg": b"2"}, link="link.jpg", encrypted=("b.jpg",))
    found = archives.expand(data, "submissions/z.zip", LIMITS)
    assert names(found) == ["submissions/z.zip/a.jpg"]
    assert sorted(codes(found)) == [
        ("submissions/z.zip/b.jpg", "archive_member_encrypted"),
        ("submissions/z.zip/link.jpg", "archive_member_link"),
    ]


def test_wholly_encrypted_zip_is_one_message():
    data = mm.zip_of({"a.jpg": b"1", "b.xlsx": b"2"}, encrypted=("a.jpg", "b.xlsx"))
    found = archives.expand(data, "submissions/z.zip", LIMITS)
    assert names(found) == [] and codes(found) == [("submissions/z.zip", "archive_encrypted")]
    assert "密码" in found.issues[0].message


def test_zip_bomb_member_refused_by_ratio_counted_as_inflated():
    data = mm.zip_of({"bomb.jpg": b"\0" * (8 << 20), "ok.jpg": b"fine"})
    found = archives.expand(data, "submissions/z.zip", LIMITS)
    assert names(found) == ["submissions/z.zip/ok.jpg"]
    assert codes(found) == [("submissions/z.zip/bomb.jpg", "archive_ratio")]


def test_total_size_is_bounded_by_bytes_read():
    data = mm.zip_of({"a.bin": bytes(range(256)) * 4096, "b.bin": b"x" * 10})  # 1 MiB, then 10 B
    small = dataclasses.replace(LIMITS, max_archive_bytes=500_000)
    found = archives.expand(data, "submissions/z.zip", small)
    assert codes(found) == [("submissions/z.zip", "archive_too_large")]
    assert names(found) == []  # reading stops at the limit


def test_header_claiming_less_than_the_member_holds_is_refused():
    data = mm.zip_of({"a.bin": bytes(range(256)) * 4096, "b.bin": b"x" * 10})
    lying = data.replace(struct_size(1 << 20), struct_size(100))  # sizes claimed: 100 bytes
    found = archives.expand(lying, "submissions/z.zip", LIMITS)
    assert names(found) == ["submissions/z.zip/b.bin"]
    assert codes(found) == [("submissions/z.zip/a.bin", "archive_member_corrupt")]


def struct_size(n: int) -> bytes:
    import struct

    return struct.pack("<I", n)


def test_member_count_limit_reads_the_first_members_and_says_so():
    data = mm.zip_of({f"{i:02d}.jpg": b"x" for i in range(5)})
    found = archives.expand(
        data, "submissions/z.zip", dataclasses.replace(LIMITS, max_archive_members=3)
    )
    assert names(found) == [f"submissions/z.zip/{i:02d}.jpg" for i in range(3)]
    assert codes(found) == [("submissions/z.zip", "archive_too_many_members")]


def test_one_level_of_nesting_is_read_deeper_is_refused():
    inner = mm.zip_of({"报送表.xlsx": b"sheet"})
    innermost = mm.zip_of({"x.jpg": b"x"})
    middle = mm.zip_of({"最里层.zip": innermost})
    outer = mm.zip_of({"内层.zip": inner, "中层.zip": middle})
    found = archives.expand(outer, "submissions/外层.zip", LIMITS)
    assert names(found) == ["submissions/外层.zip/内层.zip/报送表.xlsx"]
    assert codes(found) == [("submissions/外层.zip/中层.zip/最里层.zip", "archive_nested_too_deep")]


def test_office_files_inside_are_members_not_archives():
    xlsx = mm.xlsx([["a"]])
    found = archives.expand(mm.zip_of({"表.xlsx": xlsx}), "submissions/z.zip", LIMITS)
    assert [(m.rel, m.data) for m in found.members] == [("submissions/z.zip/表.xlsx", xlsx)]


def test_seven_zip_members():
    data = mm.seven_zip({"窦店镇/报送表.xlsx": b"t", "窦店镇/a.jpg": b"p"})
    found = archives.expand(data, "submissions/窦店镇.7z", LIMITS)
    assert [(m.rel, m.data) for m in found.members] == [
        ("submissions/窦店镇.7z/窦店镇/a.jpg", b"p"),
        ("submissions/窦店镇.7z/窦店镇/报送表.xlsx", b"t"),
    ]
    assert found.issues == []


def test_seven_zip_total_size_bounded():
    data = mm.seven_zip({"a.bin": b"\0" * 300_000, "b.bin": b"\0" * 300_000})
    found = archives.expand(
        data, "submissions/a.7z", dataclasses.replace(LIMITS, max_archive_bytes=400_000)
    )
    assert ("submissions/a.7z", "archive_too_large") in codes(found)


def test_rar_asks_to_unpack_and_corrupt_zip_is_one_message():
    rar = archives.expand(b"Rar!\x1a\x07\x01\x00" + b"\0" * 40, "submissions/a.rar", LIMITS)
    assert codes(rar) == [("submissions/a.rar", "archive_rar")]
    assert "请解压后放入" in rar.issues[0].message
    bad = archives.expand(b"PK\x03\x04" + b"\0" * 30, "submissions/b.zip", LIMITS)
    assert codes(bad) == [("submissions/b.zip", "archive_corrupt")]


def test_a_member_compressed_by_a_method_zipfile_lacks_is_told_so_not_damaged():
    """Deflate64 (7-Zip's option, Windows for large files): the file is sound, just unread."""
    import struct

    data = bytearray(mm.zip_of({"长阳镇/报送表.xlsx": b"PK" * 100, "说明.txt": b"x"}))
    for signature, at in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):  # the first member's
        struct.pack_into("<H", data, data.find(signature) + at, 9)
    found = archives.expand(bytes(data), "submissions/材料.zip", LIMITS)
    assert names(found) == ["submissions/材料.zip/说明.txt"]
    assert codes(found) == [("submissions/材料.zip/长阳镇/报送表.xlsx", "archive_member_method")]
    assert "压缩方式（Deflate64）" in found.issues[0].message


def test_each_volume_of_a_split_archive_is_told_to_be_unpacked_together(raw):
    from analysis import ingest

    folder = raw / "submissions" / "长阳镇"
    folder.mkdir()
    volumes = ["材料.z01", "材料.zip", "照片.zip.001", "照片.zip.002", "表.7z.001", "表.part1.rar"]
    for name in volumes:
        (folder / name).write_bytes(b"PK\x07\x08" + b"\x01" * 64)
    (folder / "完整.zip").write_bytes(mm.zip_of({"说明.txt": b"x"}))  # no .z01 beside it
    result = ingest.run(raw, raw.parent / "out", progress=False, full=True)
    split = result.issues[result.issues["code"] == "archive_split"]
    assert sorted(split["file"]) == sorted(f"submissions/长阳镇/{name}" for name in volumes)
    assert set(split["severity"]) == {"error"}
    assert all("分卷压缩包" in text for text in split["message"])
    assert not set(result.submissions["file"]) & set(split["file"])  # not "not a spreadsheet"
    assert "submissions/长阳镇/完整.zip/说明.txt" in set(result.materials["file"])  # a note, read


def test_an_empty_archive_file_is_told_empty_not_damaged():
    found = archives.expand(b"", "submissions/材料.zip", LIMITS)
    assert codes(found) == [("submissions/材料.zip", "archive_empty")]
    assert found.issues[0].severity == "error"
    assert "空文件（0 字节）" in found.issues[0].message


def test_a_member_named_as_windows_refuses_is_copied_under_a_legal_name():
    """“报送表?.xlsx” zipped on a Mac: its temporary copy must be creatable on Windows."""
    from analysis.filenames import windows_problems
    from analysis.materials.intake import Intake

    intake = Intake()
    try:
        rel = "submissions/长阳镇.zip/长阳镇总工会报送表?:*.xlsx"
        member = intake.member_file(rel, b"PK")
        assert windows_problems(member.name) == []
        assert member.name == "长阳镇总工会报送表___.xlsx"
        assert member.rel == rel  # messages and the ledger keep the name as written
        assert member.read_bytes() == b"PK"
    finally:
        intake.close()


@pytest.mark.parametrize(
    "member",
    ["😀" * 100 + ".xlsx", "长阳镇总工会" * 30 + "_第一阶段.xlsm", "𠀀" * 70 + ".csv"],
)
def test_a_member_name_too_long_for_the_file_system_is_copied_under_a_short_one(member):
    """Linux allows 255 bytes a name: 64 emoji, or 85 CJK characters, are more."""
    from pathlib import PurePosixPath

    from analysis.materials.intake import Intake

    intake = Intake()
    try:
        rel = f"submissions/长阳镇.zip/{member}"
        copy = intake.member_file(rel, b"PK")
        assert len(copy.name.encode("utf-8")) <= 200
        assert copy.suffix == PurePosixPath(member).suffix  # the type a reader goes by
        assert copy.rel == rel and copy.read_bytes() == b"PK"
    finally:
        intake.close()


def test_a_zip_member_with_a_very_long_name_does_not_stop_the_run(raw):
    from analysis import ingest

    long_name = "😀" * 100 + ".csv"
    (raw / "submissions" / "长.zip").write_bytes(mm.zip_of({long_name: b"a,b\n1,2\n"}))
    result = ingest.run(raw, raw.parent / "out", progress=False, full=True)
    assert f"submissions/长.zip/{long_name}" in set(result.submissions["file"])


@pytest.mark.parametrize(
    ("make", "shown"),
    [
        (lambda: __import__("gzip").compress(b"\x00" * 600), "GZ（.gz、.tar.gz）"),
        (lambda: __import__("bz2").compress(b"\x00" * 600), "BZ2"),
        (lambda: __import__("lzma").compress(b"\x00" * 600), "XZ"),
        (lambda: _tar_of({"长阳镇/报送表.xlsx": b"PK"}), "TAR"),
    ],
)
def test_archives_this_tool_does_not_open_ask_to_be_unpacked(make, shown):
    found = archives.expand(make(), "submissions/材料.tar.gz", LIMITS)
    assert names(found) == []
    assert codes(found) == [("submissions/材料.tar.gz", "archive_unsupported")]
    assert found.issues[0].message.startswith(f"压缩包“submissions/材料.tar.gz”是 {shown} 格式")
    assert "请解压后放入" in found.issues[0].message


def _tar_of(members: dict[str, bytes]) -> bytes:
    import tarfile

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_an_empty_archive_or_one_of_folders_only_is_told(raw):
    """An empty zip, or one holding only __MACOSX: a warning, not nothing at all."""
    from analysis import ingest

    (raw / "submissions" / "长阳镇").mkdir()
    (raw / "submissions" / "长阳镇" / "空.zip").write_bytes(mm.zip_of({}))
    (raw / "submissions" / "长阳镇" / "mac.zip").write_bytes(mm.zip_of({"__MACOSX/._a.jpg": b"x"}))
    (raw / "submissions" / "长阳镇" / "有.zip").write_bytes(mm.zip_of({"a.csv": b"x"}))
    result = ingest.run(raw, raw.parent / "out", progress=False, full=True)
    empty = result.issues[result.issues["code"] == "archive_empty"]
    assert list(empty["file"]) == ["submissions/长阳镇/mac.zip", "submissions/长阳镇/空.zip"]
    assert set(empty["severity"]) == {"warning"}


def test_folder_entries_written_with_backslashes_are_folders_not_empty_files():
    """Windows PowerShell's Compress-Archive and .NET before 4.6.1 write `\\` between names,
    an empty folder as an entry `照片\\`. Such an entry is a folder, not an empty file
    named 照片 (which was read as an empty spreadsheet, an error)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("长阳镇\\照片\\", b"")  # an empty folder
        zf.writestr("长阳镇\\报送表.xlsx", b"a")
    found = archives.expand(buffer.getvalue(), "submissions/材料.zip", LIMITS)
    assert names(found) == ["submissions/材料.zip/长阳镇/报送表.xlsx"]
    assert found.issues == []
