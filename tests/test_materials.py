"""Materials in the ingest: materials.csv, attribution, duplicates, archives' spreadsheets, bad input."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from analysis import ingest
from analysis.materials import detect
from tests.fixtures import make_materials as mm
from tests.test_ingest import act, csv, submission


def put(raw: Path, rel: str, data: bytes) -> Path:
    path = raw / "submissions" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def run(raw: Path) -> Path:
    out = raw.parent / "out"
    ingest.run(raw, out, progress=False)
    return out


def materials(out: Path) -> pd.DataFrame:
    return csv(out, "materials")


def issue_codes(out: Path) -> list[tuple[str, str, str]]:
    issues = csv(out, "issues")
    return list(zip(issues["file"], issues["severity"], issues["code"], strict=True))


CONTRACT = [
    "file",
    "reporting_unit",
    "kind",
    "round",
    "material",
    "taken_date",
    "state",
    "duplicate_of",
]


def test_photos_are_materials_placed_by_folder_and_exif_with_duplicates(raw):
    photo = mm.jpeg(mm.picture(1), taken="2019:06:03 10:00:00")
    put(raw, "长阳镇总工会/活动1.jpg", photo)
    put(raw, "长阳镇总工会/活动1_副本.jpg", photo)  # the same bytes
    put(raw, "长阳镇总工会/活动1_微信.jpg", mm.reencoded(photo))  # resized and recompressed
    put(raw, "长阳镇总工会/第二阶段/活动2.png", mm.png(mm.picture(2)))
    out = run(raw)
    table = materials(out)
    assert list(table.columns[:8]) == CONTRACT
    assert table[CONTRACT].values.tolist() == [
        ["submissions/长阳镇总工会/活动1.jpg", "长阳镇总工会", "town", "r1", "photo", "2019-06-03", "current", ""],
        ["submissions/长阳镇总工会/活动1_副本.jpg", "长阳镇总工会", "town", "r1", "photo", "2019-06-03",
         "duplicate", "submissions/长阳镇总工会/活动1.jpg"],
        ["submissions/长阳镇总工会/活动1_微信.jpg", "长阳镇总工会", "town", "", "photo", "",
         "duplicate", "submissions/长阳镇总工会/活动1.jpg"],
        ["submissions/长阳镇总工会/第二阶段/活动2.png", "长阳镇总工会", "town", "r2", "photo", "",
         "current", ""],
    ]  # fmt: skip
    assert csv(out, "submissions").empty  # photos are no longer rejected submissions
    codes = issue_codes(out)
    assert ("submissions/长阳镇总工会/活动1_微信.jpg", "warning", "material_unplaced") in codes
    assert [c for c in codes if c[2] == "material_duplicate"] == [
        ("submissions/长阳镇总工会/活动1_副本.jpg", "warning", "material_duplicate"),
        ("submissions/长阳镇总工会/活动1_微信.jpg", "warning", "material_duplicate"),
    ]
    assert not [c for c in codes if c[1] == "error"]


def test_alike_photos_taken_on_different_days_are_two_photos(raw):
    """The same hall from the same spot on two days looks alike to the perceptual hash;
    two different capture dates say they are two photos (a copy without EXIF may still
    be a duplicate)."""
    first = mm.jpeg(mm.picture(1), taken="2019:07:15 10:00:00")
    put(raw, "长阳镇总工会/第二阶段/宣讲会.jpg", first)
    put(
        raw,
        "霞云岭乡总工会/第二阶段/宣讲会.jpg",
        mm.jpeg(mm.picture(1), taken="2019:07:16 10:00:00"),
    )
    put(raw, "霞云岭乡总工会/第二阶段/宣讲会_微信.jpg", mm.reencoded(first))  # no EXIF: a copy
    table = materials(run(raw))
    assert table[["file", "taken_date", "state"]].values.tolist() == [
        ["submissions/长阳镇总工会/第二阶段/宣讲会.jpg", "2019-07-15", "current"],
        ["submissions/霞云岭乡总工会/第二阶段/宣讲会.jpg", "2019-07-16", "current"],
        ["submissions/霞云岭乡总工会/第二阶段/宣讲会_微信.jpg", "", "duplicate"],
    ]


def test_summary_placed_by_its_own_text_and_document_by_name(raw):
    put(raw, "收到的材料/总结.docx", mm.docx(
        ["琉璃河镇总工会关于学习宣传市工会十四大精神第一阶段工作的总结", "共开展活动12场次。"],
        created="2019-07-02T09:00:00"))  # fmt: skip
    put(raw, "收到的材料/区教委工会_通知.docx", mm.docx(["关于开展第二阶段学习的通知"]))
    put(
        raw, "收到的材料/说明.docx", mm.docx(["填报单位：北京燕房物流有限公司工会", "第三阶段材料"])
    )
    out = run(raw)
    table = materials(out).set_index("file")
    row = table.loc["submissions/收到的材料/总结.docx"]
    assert (row["reporting_unit"], row["round"], row["material"], row["taken_date"]) == (
        "琉璃河镇总工会",
        "r1",
        "summary",
        "2019-07-02",
    )
    assert (row["unit_from"], row["round_from"]) == ("document", "document")
    notice = table.loc["submissions/收到的材料/区教委工会_通知.docx"]
    assert (notice["reporting_unit"], notice["round"], notice["material"]) == (
        "区教委工会",
        "r2",
        "document",
    )
    assert notice["unit_from"] == "file_name"
    stated = table.loc["submissions/收到的材料/说明.docx"]
    assert (stated["reporting_unit"], stated["kind"], stated["round"]) == (
        "北京燕房物流有限公司工会",
        "direct",
        "r3",
    )


def test_unplaceable_material_is_listed_with_a_warning(raw):
    put(raw, "IMG_0001.jpg", mm.jpeg(mm.picture(3)))
    out = run(raw)
    assert materials(out)[CONTRACT].values.tolist() == [
        ["submissions/IMG_0001.jpg", "", "", "", "photo", "", "current", ""]
    ]
    issues = csv(out, "issues")
    assert issues[["file", "severity", "code"]].values.tolist() == [
        ["submissions/IMG_0001.jpg", "warning", "material_unplaced"]
    ]
    assert "报送单位、报送期次" in issues["message"][0]
    assert "未计入任何单位" in issues["message"][0]


def test_a_material_of_a_known_unit_and_unknown_round_says_it_counts_for_the_unit(raw):
    """Only the round unknown: the photo counts for its unit (in no round), but the
    warning said it was counted for no unit at all."""
    put(raw, "长阳镇/IMG_0001.jpg", mm.jpeg(mm.picture(3)))
    out = run(raw)
    assert materials(out)[CONTRACT].values.tolist() == [
        ["submissions/长阳镇/IMG_0001.jpg", "长阳镇总工会", "town", "", "photo", "", "current", ""]
    ]
    [message] = csv(out, "issues")["message"]
    assert "无法确定报送期次，已计入长阳镇总工会收到的资料，但不计入任何一期" in message
    assert "未计入任何单位" not in message


def test_word_document_named_as_spreadsheet_stays_a_rejected_submission(raw):
    put(raw, "长阳镇总工会总结.xlsx", mm.docx(["总结"]))
    out = run(raw)
    assert materials(out).empty
    subs = csv(out, "submissions")
    assert subs[["file", "state"]].values.tolist() == [
        ["submissions/长阳镇总工会总结.xlsx", "rejected"]
    ]
    assert issue_codes(out) == [("submissions/长阳镇总工会总结.xlsx", "error", "not_a_spreadsheet")]


def test_spreadsheet_in_zip_is_a_submission_named_by_member(raw, tmp_path):
    sheet = submission(tmp_path, "x.xlsx", "长阳镇总工会", [act("长阳镇第一小学工会")]).read_bytes()
    data = mm.zip_of({"长阳镇/第一阶段/报送表.xlsx": sheet, "长阳镇/活动.jpg": mm.jpeg(mm.picture(4))},
                     gbk=True)  # fmt: skip
    put(raw, "r1/报送材料.zip", data)
    out = run(raw)
    subs = csv(out, "submissions")
    assert subs[["file", "reporting_unit", "round", "state", "rows_accepted"]].values.tolist() == [
        [
            "submissions/r1/报送材料.zip/长阳镇/第一阶段/报送表.xlsx",
            "长阳镇总工会",
            "r1",
            "current",
            "1",
        ]
    ]
    rows = csv(out, "rows")
    assert rows[["file", "state", "grassroots_unit"]].values.tolist() == [
        [
            "submissions/r1/报送材料.zip/长阳镇/第一阶段/报送表.xlsx",
            "accepted",
            "长阳镇第一小学工会",
        ]
    ]
    assert materials(out)[["file", "reporting_unit", "round"]].values.tolist() == [
        ["submissions/r1/报送材料.zip/长阳镇/活动.jpg", "长阳镇总工会", "r1"]
    ]
    assert sorted(p.name for p in (raw / "submissions").rglob("*")) == ["r1", "报送材料.zip"]


def test_nested_archive_spreadsheet_path(raw, tmp_path):
    sheet = submission(
        tmp_path, "x.xlsx", "琉璃河镇总工会", [act("琉璃河镇中心小学工会")]
    ).read_bytes()
    put(raw, "外层.zip", mm.zip_of({"内层.zip": mm.zip_of({"报送表.xlsx": sheet})}))
    out = run(raw)
    assert csv(out, "submissions")["file"].tolist() == ["submissions/外层.zip/内层.zip/报送表.xlsx"]


def test_bad_materials_each_one_message_and_the_run_goes_on(raw, tmp_path):
    put(raw, "长阳镇总工会/截断.jpg", mm.truncated_jpeg())
    put(raw, "长阳镇总工会/炸弹.png", mm.bomb_png())
    put(raw, "长阳镇总工会/空.jpg", b"")
    video = raw / "submissions" / "长阳镇总工会" / "第一阶段" / "活动视频.mp4"
    video.parent.mkdir(parents=True)
    with video.open("wb") as fh:  # 500 MB, sparse: only the header holds bytes
        fh.write(b"\0\0\0\x20ftypisom\0\0\x02\0isomiso2avc1mp41")
        fh.truncate(500 * 2**20)
    put(raw, "长阳镇总工会/加密.zip", mm.zip_of({"a.jpg": b"x"}, encrypted=("a.jpg",)))
    put(raw, "长阳镇总工会/slip.zip", mm.zip_slip({"../../x.jpg": mm.jpeg(mm.picture(5))}))
    put(raw, "长阳镇总工会/炸弹.zip", mm.zip_of({"z.jpg": b"\0" * (8 << 20)}))
    three = mm.zip_of({"b.zip": mm.zip_of({"c.zip": mm.zip_of({"d.jpg": b"d"})})})
    put(raw, "长阳镇总工会/三层.zip", three)
    submission(raw, "长阳镇总工会_第一阶段.xlsx", "长阳镇总工会", [act("长阳镇卫生院工会")])
    out = run(raw)
    table = materials(out).set_index("file")
    base = "submissions/长阳镇总工会/"
    assert (
        table.loc[[base + "截断.jpg", base + "炸弹.png", base + "空.jpg"], "state"].tolist()
        == ["rejected"] * 3
    )
    clip = table.loc[base + "第一阶段/活动视频.mp4"]
    assert (clip["material"], clip["state"], clip["round"], clip["sha256"]) == (
        "video",
        "current",
        "r1",
        "",
    )
    assert clip["size_bytes"] == str(500 * 2**20)
    assert sorted(issue_codes(out)) == sorted([
        (base + "截断.jpg", "error", "material_corrupt"),
        (base + "炸弹.png", "error", "material_image_too_large"),
        (base + "空.jpg", "error", "material_empty"),
        (base + "第一阶段/活动视频.mp4", "warning", "material_too_large"),
        (base + "加密.zip", "error", "archive_encrypted"),
        (base + "slip.zip", "error", "archive_member_unsafe"),
        (base + "炸弹.zip/z.jpg", "error", "archive_ratio"),
        (base + "三层.zip/b.zip/c.zip", "error", "archive_nested_too_deep"),
    ])  # fmt: skip
    assert csv(out, "rows")["state"].tolist() == ["accepted"]  # the table still counts
    assert os.path.getsize(video) == 500 * 2**20


def _broken_member_zip(members: dict[str, bytes], broken: str) -> bytes:
    """A zip (stored, not compressed) whose member `broken` fails its CRC check."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    data = bytearray(buffer.getvalue())
    at = data.find(members[broken][-60:-20])  # in its picture data, not the shared tables
    data[at + 3] ^= 0xFF
    return bytes(data)


def test_a_photo_that_cannot_be_unpacked_is_a_rejected_photo_of_its_unit(raw):
    """A damaged or encrypted member is still a material received: listed, rejected, placed,
    with the archive's one error (not a second one)."""
    good, bad = mm.jpeg(mm.picture(1), "2019:06:03 10:00:00"), mm.jpeg(mm.picture(2))
    put(raw, "长阳镇总工会_第一阶段_照片.zip",
        _broken_member_zip({"好.jpg": good, "坏.jpg": bad}, "坏.jpg"))  # fmt: skip
    put(raw, "琉璃河镇/加密.zip", mm.zip_of({"a.jpg": good, "b.jpg": bad}, encrypted=("a.jpg",)))
    out = run(raw)
    table = materials(out)
    assert table[["file", "reporting_unit", "round", "material", "state"]].values.tolist() == [
        ["submissions/琉璃河镇/加密.zip/a.jpg", "琉璃河镇总工会", "", "photo", "rejected"],
        ["submissions/琉璃河镇/加密.zip/b.jpg", "琉璃河镇总工会", "", "photo", "current"],
        ["submissions/长阳镇总工会_第一阶段_照片.zip/坏.jpg", "长阳镇总工会", "r1", "photo", "rejected"],
        ["submissions/长阳镇总工会_第一阶段_照片.zip/好.jpg", "长阳镇总工会", "r1", "photo", "current"],
    ]  # fmt: skip
    codes = [c for c in issue_codes(out) if c[2].startswith(("archive", "material"))]
    assert sorted(codes) == [
        ("submissions/琉璃河镇/加密.zip/a.jpg", "error", "archive_member_encrypted"),
        ("submissions/琉璃河镇/加密.zip/b.jpg", "warning", "material_unplaced"),
        ("submissions/长阳镇总工会_第一阶段_照片.zip/坏.jpg", "error", "archive_member_corrupt"),
    ]


def test_empty_members_of_one_zip_are_each_told_as_what_their_names_say(raw):
    """Two empty members share their (no) bytes: each is still what its own name says."""
    put(raw, "长阳镇总工会/材料.zip", mm.zip_of({"总结.docx": b"", "照片.jpg": b""}))
    out = run(raw)
    table = materials(out).set_index("file")["material"]
    base = "submissions/长阳镇总工会/材料.zip/"
    assert (table[base + "总结.docx"], table[base + "照片.jpg"]) == ("summary", "photo")
    issues = csv(out, "issues").set_index("file")["message"]
    assert "重新发送该阶段性总结" in issues[base + "总结.docx"]
    assert "重新发送该图片" in issues[base + "照片.jpg"]


def test_tables_other_than_materials_do_not_change_when_materials_are_added(raw):
    submission(raw, "长阳镇总工会_第一阶段.xlsx", "长阳镇总工会", [act("长阳镇卫生院工会")])
    before = run(raw)
    snapshot = {n: (before / f"{n}.csv").read_bytes() for n in ("rows", "submissions", "coverage")}
    put(raw, "长阳镇总工会/照片.jpg", mm.jpeg(mm.picture(6), taken="2019:06:10 08:00:00"))
    after = run(raw)
    assert {n: (after / f"{n}.csv").read_bytes() for n in snapshot} == snapshot
    assert len(materials(after)) == 1


@pytest.mark.parametrize(
    ("head", "group", "fmt"),
    [(b"\xff\xd8\xff\xe0", "photo", "jpeg"), (b"\x89PNG\r\n\x1a\n", "photo", "png"),
     (b"GIF89a", "photo", "gif"), (b"RIFF\0\0\0\0WEBPVP8 ", "photo", "webp"),
     (b"\0\0\0\x18ftypheic", "photo", "heif"), (b"\0\0\0\x18ftypmp42", "video", "mp4"),
     (b"\0\0\0\x14ftypqt  ", "video", "mov"), (b"%PDF-1.7", "document", "pdf"),
     (b"7z\xbc\xaf\x27\x1c", "archive", "7z"), (b"Rar!\x1a\x07\x00", "archive", "rar"),
     (b"BM" + b"\0" * 12 + b"\x28" + b"\0" * 3, "photo", "bmp"), (b"hello", "unknown", "")],
)  # fmt: skip
def test_kind_from_first_bytes(head, group, fmt):
    assert detect.identify(head, "") == detect.Kind(group, fmt)


def test_docx_and_spreadsheet_zips_told_apart():
    assert detect.identify(mm.docx(["x"]), ".docx") == detect.Kind("document", "docx")
    assert detect.identify(mm.xlsx([["x"]]), ".zip") == detect.Kind("spreadsheet", "xlsx")
    assert detect.identify(mm.zip_of({"a.jpg": b"x"}), ".zip") == detect.Kind("archive", "zip")


def test_rerun_reads_no_material_again_and_writes_the_same_table(raw, monkeypatch):
    from analysis.materials import table as table_module

    put(raw, "长阳镇总工会/a.jpg", mm.jpeg(mm.picture(7), taken="2019:06:03 10:00:00"))
    put(raw, "长阳镇总工会.zip", mm.zip_of({"第一阶段/b.jpg": mm.jpeg(mm.picture(8))}))
    first = (run(raw) / "materials.csv").read_bytes()
    calls = []
    real = table_module.read_facts
    monkeypatch.setattr(
        table_module, "read_facts", lambda item, limit: calls.append(item.rel) or real(item, limit)
    )
    assert (run(raw) / "materials.csv").read_bytes() == first
    assert calls == []
    put(raw, "长阳镇总工会/c.jpg", mm.jpeg(mm.picture(9)))  # a new photo: only it is read
    run(raw)
    assert calls == ["submissions/长阳镇总工会/c.jpg"]


def test_materials_cache_is_written_only_when_a_run_has_new_facts(raw):
    """A run without photos or documents writes no materials cache, and a re-run whose
    materials are unchanged (a new spreadsheet only) leaves the stored one untouched."""
    submission(raw, "长阳镇总工会-r1.xlsx", "长阳镇总工会", [act("长阳镇卫生院工会", "2019-06-03")])
    out = run(raw)
    assert (out / "materials.csv").exists()
    assert not (out / ".materials-cache").exists()

    put(raw, "长阳镇总工会/a.jpg", mm.jpeg(mm.picture(7), taken="2019:06:03 10:00:00"))
    put(raw, "长阳镇总工会/b.jpg", mm.jpeg(mm.picture(8), taken="2019:06:04 10:00:00"))
    run(raw)
    facts = out / ".materials-cache" / "facts.pkl"
    stored = facts.read_bytes()
    os.utime(facts, ns=(1_000_000_000, 1_000_000_000))  # any later write moves this

    submission(
        raw, "长阳镇总工会-r2.xlsx", "长阳镇总工会", [act("长阳镇中心小学工会", "2019-08-01")]
    )
    run(raw)
    assert facts.stat().st_mtime_ns == 1_000_000_000 and facts.read_bytes() == stored

    (raw / "submissions" / "长阳镇总工会" / "a.jpg").unlink()  # a photo taken out: stored anew
    run(raw)
    assert facts.stat().st_mtime_ns != 1_000_000_000


def test_a_photo_edited_in_place_with_its_size_and_time_kept_is_read_again(raw):
    # The EXIF date rewritten in the file's bytes (the same length), its modification
    # time put back: the re-run must read it again, as a full run does. Taken 3 June
    # (round r1, 5-8..6-30) before, 3 August (r2, 7-1..9-30) after.
    path = put(raw, "长阳镇总工会/a.jpg", mm.jpeg(mm.picture(7), taken="2019:06:03 10:00:00"))
    out = run(raw)
    assert materials(out)[["taken_date", "round"]].values.tolist() == [["2019-06-03", "r1"]]
    stamp = path.stat()
    data = path.read_bytes()
    assert data.count(b"2019:06:03") >= 1
    path.write_bytes(data.replace(b"2019:06:03", b"2019:08:03"))
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert path.stat().st_size == stamp.st_size
    again = materials(run(raw))
    assert again[["taken_date", "round"]].values.tolist() == [["2019-08-03", "r2"]]
    full = raw.parent / "full"
    ingest.run(raw, full, full=True, progress=False)
    assert (out / "materials.csv").read_bytes() == (full / "materials.csv").read_bytes()


@pytest.mark.parametrize(("fmt", "suffix"), [("HEIF", ".heic"), ("WEBP", ".webp"), ("BMP", ".bmp"),
                                             ("GIF", ".gif"), ("PNG", ".png")])  # fmt: skip
def test_every_photo_format_is_a_photo_with_the_same_picture_hash(fmt, suffix):
    from analysis.materials import photos

    picture = mm.picture(11)
    data = mm.encoded(picture, fmt)
    assert detect.identify(data, suffix).group == "photo"
    reference = photos.photo_facts(mm.png(picture)).phash
    assert photos.hash_distance(photos.photo_facts(data).phash, reference) <= photos.HASH_DISTANCE


def test_summary_that_is_a_zip_bomb_is_refused_before_parsing(raw):
    import zipfile as zf_module

    from analysis.materials import documents

    good = mm.docx(["长阳镇总工会第一阶段工作总结"])
    import io

    buffer = io.BytesIO()
    with (
        zf_module.ZipFile(io.BytesIO(good)) as src,
        zf_module.ZipFile(buffer, "w", zf_module.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        dst.writestr("word/media/padding.bin", b"\0" * (16 << 20))  # 16 MiB of zeros: ratio ~1000
    with pytest.raises(documents.DocumentError) as caught:
        documents.document_facts(buffer.getvalue(), "docx")
    assert caught.value.code == "material_bomb"
    put(raw, "长阳镇总工会/第一阶段总结.docx", buffer.getvalue())
    out = run(raw)
    assert materials(out)[["material", "state"]].values.tolist() == [["summary", "rejected"]]
    assert issue_codes(out) == [
        ("submissions/长阳镇总工会/第一阶段总结.docx", "error", "material_bomb")
    ]


def test_word_and_wps_binary_documents_are_materials_without_text(raw):
    from tests.test_readers import compound_file

    put(raw, "长阳镇总工会/第一阶段工作总结.doc", compound_file(["WordDocument"]))
    put(raw, "长阳镇总工会/第一阶段信息.wps", compound_file(["WordDocument", "1Table"]))
    put(raw, "长阳镇总工会/第一阶段表.xls", compound_file(["Workbook"]))  # a spreadsheet stays one
    out = run(raw)
    table = materials(out)
    assert table[["file", "material", "format", "round", "state"]].values.tolist() == [
        ["submissions/长阳镇总工会/第一阶段信息.wps", "document", "wps", "r1", "current"],
        ["submissions/长阳镇总工会/第一阶段工作总结.doc", "summary", "doc", "r1", "current"],
    ]
    assert csv(out, "submissions")["file"].tolist() == ["submissions/长阳镇总工会/第一阶段表.xls"]
    assert detect.identify(compound_file(["WordDocument"]), ".wps") == detect.Kind(
        "document", "wps"
    )


def test_sideways_phone_photo_and_its_upright_wechat_copy_are_one_photo():
    import io

    from PIL import Image, ImageOps

    from analysis.materials import photos

    picture = mm.picture(12, size=(400, 300))
    stored = mm.jpeg(picture, orientation=6)  # a phone's photo: pixels sideways, EXIF says turn
    upright = ImageOps.exif_transpose(Image.open(io.BytesIO(stored)))
    copy = mm.reencoded(
        mm.jpeg(upright.convert("RGB")), scale=0.5
    )  # WeChat: turned, smaller, no EXIF
    a, b = photos.photo_facts(stored), photos.photo_facts(copy)
    assert (round(a.aspect, 2), round(b.aspect, 2)) == (0.75, 0.75)
    assert photos.same_picture((a.phash, a.aspect), (b.phash, b.aspect))


def test_close_hashes_of_different_shapes_are_not_one_photo():
    from analysis.materials import photos

    assert photos.same_picture((0b1011, 1.5), (0b1001, 1.49))
    assert not photos.same_picture((0b1011, 1.5), (0b1011, 0.67))  # landscape vs portrait
    assert not photos.same_picture((0, 1.5), ((1 << 11) - 1, 1.5))  # 11 bits apart


def _without_core_properties(data: bytes) -> bytes:
    """The docx as some non-Word tools write it: no docProps/core.xml."""
    import io
    import re
    import zipfile

    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == "docProps/core.xml":
                continue
            part = source.read(info)
            if info.filename in ("[Content_Types].xml", "_rels/.rels"):
                part = re.sub(rb"<(Override|Relationship)[^>]*core[^>]*/>", b"", part)
            target.writestr(info, part)
    return out.getvalue()


def test_a_document_without_properties_has_no_date_not_todays(raw):
    """python-docx makes up properties dated now for a file without them: never the run's date."""
    put(raw, "长阳镇总工会/第一阶段/情况.docx",
        _without_core_properties(mm.docx(["长阳镇总工会第一阶段工作情况"], created="2019-06-20")))  # fmt: skip
    put(raw, "长阳镇总工会/第一阶段/情况2.docx",
        mm.docx(["长阳镇总工会第一阶段工作情况（续）"], created="2019-06-20"))  # fmt: skip
    table = materials(run(raw))
    assert list(zip(table["file"], table["taken_date"], strict=True)) == [
        ("submissions/长阳镇总工会/第一阶段/情况.docx", ""),
        ("submissions/长阳镇总工会/第一阶段/情况2.docx", "2019-06-20"),
    ]


def test_a_document_whose_properties_title_says_summary_is_a_summary(raw):
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("各位领导：")  # its first line says nothing of 总结
    document.core_properties.title = "长阳镇总工会第一阶段工作总结"
    buffer = io.BytesIO()
    document.save(buffer)
    put(raw, "长阳镇总工会/第一阶段/材料.docx", buffer.getvalue())
    put(raw, "长阳镇总工会/第一阶段/材料2.docx", mm.docx(["各位领导：", "今年以来"]))
    table = materials(run(raw))
    assert list(table["material"]) == ["summary", "document"]


def test_a_summary_written_as_plain_text_is_a_summary_not_a_table(raw):
    text = "长阳镇总工会第一阶段工作总结\n一、切实抓好学习……\n".encode("gb18030")
    put(raw, "长阳镇总工会/第一阶段/第一阶段工作总结.txt", text)
    put(raw, "长阳镇总工会/第一阶段/总结材料.zip", mm.zip_of({"工作总结.txt": text}))
    out = run(raw)
    table = materials(out)
    assert list(zip(table["file"], table["material"], table["state"], strict=True)) == [
        ("submissions/长阳镇总工会/第一阶段/总结材料.zip/工作总结.txt", "summary", "current"),
        ("submissions/长阳镇总工会/第一阶段/第一阶段工作总结.txt", "summary", "duplicate"),
    ]
    assert csv(out, "submissions").empty  # not read as a spreadsheet, no error


def test_a_note_in_plain_text_is_a_document_and_a_table_saved_as_text_is_read(raw):
    """说明.txt beside the workbooks is listed as a document, not refused as a spreadsheet;
    a .txt whose lines split alike into columns is still a table."""
    note = "关于报送材料的说明\n\n本次报送照片12张，已打包。\n联系人：张三，电话：12345678\n"
    put(raw, "长阳镇总工会/第一阶段/说明.txt", note.encode("gb18030"))
    put(raw, "长阳镇总工会/第一阶段/材料.zip", mm.zip_of({"readme.txt": b"photos, 2019"}))
    rows = ["填报单位\t长阳镇总工会", "基层工会名称\t活动日期\t工作类别\t活动形式\t参加人数",
            "长阳镇第一小学\t2019-06-03\t学习\t座谈\t30"]  # fmt: skip
    put(raw, "长阳镇总工会/第一阶段/报送表.txt", "\n".join(rows).encode("utf-8"))
    out = run(raw)
    table = materials(out)
    assert list(zip(table["file"], table["material"], table["state"], strict=True)) == [
        ("submissions/长阳镇总工会/第一阶段/材料.zip/readme.txt", "document", "current"),
        ("submissions/长阳镇总工会/第一阶段/说明.txt", "document", "current"),
    ]
    assert list(table["reporting_unit"]) == ["长阳镇总工会", "长阳镇总工会"]
    submissions = csv(out, "submissions")
    assert list(submissions["file"]) == ["submissions/长阳镇总工会/第一阶段/报送表.txt"]
    assert list(submissions["rows_accepted"]) == ["1"]
    assert not (csv(out, "issues")["severity"] == "error").any()


def test_reads_as_prose_tells_notes_from_tables():
    from analysis.materials.documents import reads_as_prose

    assert reads_as_prose("说明\n照片12张，总结1份。\n".encode())
    assert reads_as_prose("一行, 带逗号\n另一行没有\n".encode())  # one comma in one line only
    assert not reads_as_prose(b"a,b,c\n1,2,3\n")
    assert not reads_as_prose("名称;日期\n长阳镇;2019-06-03\n".encode("gb18030"))
    cut = "说明：照片共十二张".encode()[:-1]  # a multi-byte character cut at the end
    assert reads_as_prose(cut)
    assert not reads_as_prose(b"\xff\xfe\x00\xd8garbage\x81")  # left to the readers


@pytest.mark.parametrize("folder", ["7-9月", "7月至9月", "三季度", "第2阶段"])
def test_a_folder_named_for_the_months_of_a_round_places_photos_and_tables(raw, folder):
    put(raw, f"长阳镇总工会/{folder}/活动照片.jpg", mm.jpeg(mm.picture(3)))
    submission(raw, f"长阳镇总工会/{folder}/报送表.xlsx", "长阳镇总工会",
               [act("长阳镇第一小学", "2019-06-20")])  # fmt: skip
    out = run(raw)
    assert list(materials(out)["round"]) == ["r2"]
    # the folder decides before the dates (June, in r1's window) do
    assert list(csv(out, "submissions")["round"]) == ["r2"]


@pytest.mark.parametrize(
    ("folder", "round_"),
    [("2019.8", "r2"), ("2019-07", "r2"), ("201906", "r1"), ("20191008", "r3"),
     ("2019.6.10活动", "r1"), ("2019-09-30 学习会", "r2"), ("2018.7", ""), ("20191399", "")],
)  # fmt: skip
def test_a_photo_folder_named_for_a_month_or_day_in_figures_places_its_round(raw, folder, round_):
    """Photos sorted into folders by month (2019.8) or by the activity's day (20191008):
    the round holding that month or day; a month of another year, or no real date, none."""
    put(raw, f"长阳镇总工会/{folder}/活动照片.jpg", mm.jpeg(mm.picture(3)))
    assert list(materials(run(raw))["round"].fillna("")) == [round_]


def test_an_issue_number_in_a_photo_name_does_not_override_its_exif_round(raw):
    """“简报第12期” is the 12th issue of a unit's bulletin: not round 2 (“2期”)."""
    put(raw, "长阳镇总工会/长阳镇工会简报第12期配图.jpg",
        mm.jpeg(mm.picture(1), taken="2019:06:12 10:00:00"))  # fmt: skip
    put(
        raw,
        "长阳镇总工会/工会信息第13期配图.jpg",
        mm.jpeg(mm.picture(2), taken="2019:06:13 10:00:00"),
    )
    put(raw, "长阳镇总工会/工作动态第十一期配图.jpg",
        mm.jpeg(mm.picture(3), taken="2019:08:11 10:00:00"))  # fmt: skip
    put(
        raw, "长阳镇总工会/第2阶段活动照片.jpg", mm.jpeg(mm.picture(4), taken="2019:06:14 10:00:00")
    )
    table = materials(run(raw)).set_index("file")
    assert table[["round", "round_from"]].to_dict("index") == {
        "submissions/长阳镇总工会/工会信息第13期配图.jpg": {"round": "r1", "round_from": "exif"},
        "submissions/长阳镇总工会/工作动态第十一期配图.jpg": {"round": "r2", "round_from": "exif"},
        "submissions/长阳镇总工会/第2阶段活动照片.jpg": {"round": "r2", "round_from": "file_name"},
        "submissions/长阳镇总工会/长阳镇工会简报第12期配图.jpg": {
            "round": "r1",
            "round_from": "exif",
        },
    }


def test_a_report_written_as_plain_text_is_a_material_whatever_it_is_called(raw):
    """小结, 情况汇报, 经验材料 … name written reports as 总结 does: never a refused table.

    Only a name saying 总结 makes a `summary` (the contract's definition); the others
    are documents. Their text is read (title, stated totals) in GBK or UTF-8.
    """
    text = "琉璃河镇总工会第一阶段小结\n一、基本情况\n共开展活动3场次，参与职工120人次。\n"
    put(raw, "第一阶段/琉璃河镇总工会第一阶段小结.txt", text.encode("gbk"))
    put(raw, "第一阶段/琉璃河镇总工会学习情况汇报.txt", text.replace("小结", "情况汇报").encode())
    put(raw, "第一阶段/长阳镇总工会材料.zip",
        mm.zip_of({"长阳镇总工会经验材料.txt": text.replace("琉璃河镇", "长阳镇").encode()}))  # fmt: skip
    out = run(raw)
    table = materials(out)
    assert table[["file", "reporting_unit", "round", "material", "state", "title",
                  "stated_activities"]].values.tolist() == [
        ["submissions/第一阶段/琉璃河镇总工会学习情况汇报.txt", "琉璃河镇总工会", "r1", "document",
         "current", "琉璃河镇总工会第一阶段情况汇报", "3"],
        ["submissions/第一阶段/琉璃河镇总工会第一阶段小结.txt", "琉璃河镇总工会", "r1", "document",
         "current", "琉璃河镇总工会第一阶段小结", "3"],
        ["submissions/第一阶段/长阳镇总工会材料.zip/长阳镇总工会经验材料.txt", "长阳镇总工会", "r1",
         "document", "current", "长阳镇总工会第一阶段小结", "3"],
    ]  # fmt: skip
    assert csv(out, "submissions").empty  # not read as spreadsheets, no “use the template”
    assert "no_activity_table" not in {code for _, _, code in issue_codes(out)}


def test_a_table_saved_as_text_stays_a_submission_even_if_its_name_says_summary(raw):
    lines = ["填报单位：长阳镇总工会", "基层工会名称\t活动日期\t工作类别\t活动形式\t参加人数",
             "长阳镇第一小学\t2019-10-20\t切实抓好学习\t讨论会\t30"]  # fmt: skip
    put(raw, "长阳镇总工会/总结阶段报送表.txt", "\n".join(lines).encode("utf-8"))
    out = run(raw)
    assert materials(out).empty
    assert list(csv(out, "submissions")["file"]) == ["submissions/长阳镇总工会/总结阶段报送表.txt"]


def _word(paragraphs: list[tuple[str, str]]) -> bytes:
    """A .docx of (text, style) paragraphs; style "" is a plain paragraph."""
    import io

    import docx

    document = docx.Document()
    for text, style in paragraphs:
        document.add_paragraph(text, style=style or None)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_summary_titled_below_its_document_number_or_attachment_line_is_a_summary(raw):
    body = ("共开展活动35场次，参与职工1200余人次。", "")
    put(raw, "长阳镇总工会/材料A.docx", _word([
        ("房工发〔2019〕12号", ""), ("长阳镇总工会学习宣传市工会十四大精神阶段性工作总结", "Heading 1"),
        body]))  # fmt: skip
    put(raw, "长阳镇总工会/材料B.docx", _word([
        ("附件2", ""), ("长阳镇总工会第一阶段工作总结", "Title"), body]))  # fmt: skip
    put(raw, "长阳镇总工会/材料C.docx", _word([  # not styled: the first line that is no preamble
        ("附件2", ""), ("长阳镇总工会第一阶段工作总结", ""), body]))  # fmt: skip
    put(raw, "长阳镇总工会/材料D.docx", _word([  # a numbered section heading is not the title
        ("长阳镇总工会学习情况", ""), ("一、工作总结", "Heading 1"), body]))  # fmt: skip
    put(raw, "长阳镇总工会/材料E.docx", _word([  # a heading far below the top is not the title
        *[(f"第{n}段", "") for n in range(1, 6)], ("长阳镇总工会第一阶段工作总结", "Heading 1"), body]))  # fmt: skip
    table = materials(run(raw))
    assert table[["material", "title", "round"]].values.tolist() == [
        ["summary", "长阳镇总工会学习宣传市工会十四大精神阶段性工作总结", ""],
        ["summary", "长阳镇总工会第一阶段工作总结", "r1"],
        ["summary", "长阳镇总工会第一阶段工作总结", "r1"],
        ["document", "长阳镇总工会学习情况", ""],
        ["document", "第1段", "r1"],
    ]
    assert table["stated_activities"].tolist() == ["35"] * 5


@pytest.mark.parametrize(
    ("lines", "title"),
    [
        (["房工发〔2019〕12号", "长阳镇总工会工作总结"], "长阳镇总工会工作总结"),
        (["北京市房山区总工会文件", "京工发[2019]3号", "关于……的总结"], "关于……的总结"),
        (["密级：内部", "附件：", "二〇一九年七月一日", "- 1 -", "标题"], "标题"),
        (["附件2"], "附件2"),  # nothing else: the first line all the same
        ([], ""),
    ],
)
def test_a_documents_title_skips_the_lines_official_documents_put_above_it(lines, title):
    from analysis.materials.documents import title_of

    assert title_of(lines) == title


TRUNCATED_PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"  # an attachment cut short


def test_a_damaged_pdf_puts_no_library_log_line_on_the_console(raw):
    import subprocess
    import sys

    put(raw, "第一阶段/长阳镇总工会第一阶段工作总结.pdf", TRUNCATED_PDF)
    out = raw.parent / "out"
    env = dict(os.environ, ANALYSIS_PROCESSES="1")
    proc = subprocess.run([sys.executable, "-m", "analysis", "ingest", "--raw", str(raw),
                           "--out", str(out)], capture_output=True, text=True, env=env)  # fmt: skip
    assert proc.returncode == 0
    assert proc.stderr == ""  # pypdf's “EOF marker not found” used to be here
    assert "无法读取 1 个" in proc.stdout  # our own summary line still says it
    issues = csv(out, "issues")
    assert list(issues["code"]) == ["material_corrupt"]
    assert "长阳镇总工会第一阶段工作总结.pdf" in issues["message"][0]


def test_reading_materials_silences_the_libraries_loggers_even_under_a_logging_setup(
    raw, monkeypatch, capsys, caplog
):
    import logging

    from analysis.materials.detect import Kind
    from analysis.materials.intake import Received
    from analysis.materials.quiet import LIBRARY_LOGGERS
    from analysis.materials.table import read_facts

    for name in LIBRARY_LOGGERS:  # as a fresh process has them, whatever ran before
        logger = logging.getLogger(name)
        monkeypatch.setattr(logger, "handlers", [])
        monkeypatch.setattr(logger, "propagate", True)
    caplog.set_level(logging.DEBUG)  # a handler on the root logger, as a notebook may set up
    item = Received("submissions/x.pdf", Kind("document", "pdf"), len(TRUNCATED_PDF),
                    data=TRUNCATED_PDF)  # fmt: skip
    facts = read_facts(item, 2**20)
    assert facts.error is not None and facts.error[0] == "material_corrupt"
    assert capsys.readouterr().err == ""
    assert not [r for r in caplog.records if r.name.split(".")[0] in LIBRARY_LOGGERS]


def test_photos_in_a_folder_named_for_a_union_count_for_its_roster_parent(raw, small_roster_rows):
    """房山区长阳镇中心小学工会 is 区教委工会's school: its photos, in a folder named for it
    inside 区教委's zip or folder, are 区教委's, though the name mentions 长阳镇."""
    from tests.conftest import write_xlsx

    rows = [*small_roster_rows, [8, "房山区长阳镇中心小学工会", "区教委工会", "系统", 40, 45, "C3"]]
    write_xlsx(raw / "roster" / "名册.xlsx", rows)
    put(raw, "区教委工会.zip", mm.zip_of({"长阳镇中心小学/1.jpg": mm.jpeg(mm.picture(1))}))
    put(raw, "区教委工会/房山区长阳镇中心小学工会/2.jpg", mm.jpeg(mm.picture(2)))
    put(raw, "长阳镇/3.jpg", mm.jpeg(mm.picture(3)))  # a town's folder: the town's
    table = materials(run(raw)).set_index("file")["reporting_unit"]
    assert table.to_dict() == {
        "submissions/区教委工会.zip/长阳镇中心小学/1.jpg": "区教委工会",
        "submissions/区教委工会/房山区长阳镇中心小学工会/2.jpg": "区教委工会",
        "submissions/长阳镇/3.jpg": "长阳镇总工会",
    }


def test_materials_in_a_folder_or_file_named_by_a_units_bare_place_name_are_its(raw):
    """Units label what they send by the place alone (长阳, not 长阳镇总工会; 教委 for
    区教委工会): standing alone or beside what the file is, it names the unit; inside
    another word (北京长阳物流有限公司, 长阳路小学) it names nothing."""
    for k, rel in enumerate([
        "长阳/照片/1.jpg",
        "第二阶段/琉璃河/2.jpg",
        "长阳_第一阶段_合影.jpg",
        "房山区教委工会/3.jpg",
        "教委照片.zip/4.jpg",
        "琉璃河加密照片/8.jpg",
        "北京长阳物流有限公司/5.jpg",
        "长阳路小学/6.jpg",
    ]):  # fmt: skip
        put(raw, rel, mm.jpeg(mm.picture(k)))
    table = materials(run(raw)).set_index("file")
    assert table[["reporting_unit", "round"]].fillna("").to_dict("index") == {
        "submissions/长阳/照片/1.jpg": {"reporting_unit": "长阳镇总工会", "round": ""},
        "submissions/第二阶段/琉璃河/2.jpg": {"reporting_unit": "琉璃河镇总工会", "round": "r2"},
        "submissions/长阳_第一阶段_合影.jpg": {"reporting_unit": "长阳镇总工会", "round": "r1"},
        "submissions/房山区教委工会/3.jpg": {"reporting_unit": "区教委工会", "round": ""},
        "submissions/教委照片.zip/4.jpg": {"reporting_unit": "区教委工会", "round": ""},
        "submissions/琉璃河加密照片/8.jpg": {"reporting_unit": "琉璃河镇总工会", "round": ""},
        "submissions/北京长阳物流有限公司/5.jpg": {"reporting_unit": "", "round": ""},
        "submissions/长阳路小学/6.jpg": {"reporting_unit": "", "round": ""},
    }


def _movie(created: int | None, moov_last: bool = False, brand: bytes = b"isom") -> bytes:
    """An MP4/MOV file: ftyp, a movie header created `created` seconds after 1904-01-01
    UTC (none when None), and a media box before or after it."""
    import struct

    ftyp = b"ftyp" + brand + b"\0\0\x02\0" + brand + b"mp41"
    ftyp = struct.pack(">I", len(ftyp) + 4) + ftyp
    moov = b""
    if created is not None:
        body = b"\0\0\0\0" + struct.pack(">IIII", created, created, 1000, 5000) + bytes(80)
        mvhd = struct.pack(">I", len(body) + 8) + b"mvhd" + body
        moov = struct.pack(">I", len(mvhd) + 8) + b"moov" + mvhd
    mdat = struct.pack(">I", 72) + b"mdat" + bytes(64)
    return ftyp + mdat + moov if moov_last else ftyp + moov + mdat


def test_a_videos_recording_date_is_its_taken_date_and_places_it_in_a_round(raw):
    """An MP4/MOV movie header's creation time (UTC seconds since 1904) is the day the
    video was recorded, in Beijing: like a photo's EXIF date it places the video in a
    round. An unset clock (0, or 2000-01-01) is no date."""
    import datetime as dt

    def seconds(text: str) -> int:
        return int((dt.datetime.fromisoformat(text) - dt.datetime(1904, 1, 1)).total_seconds())

    put(raw, "长阳镇总工会/视频/a.mp4", _movie(seconds("2019-08-15T02:00:00")))
    put(raw, "长阳镇总工会/视频/b.MOV", _movie(seconds("2019-06-30T17:00:00"), True, b"qt  "))
    put(raw, "长阳镇总工会/视频/c.mp4", _movie(0))
    put(raw, "长阳镇总工会/视频/d.mp4", _movie(seconds("2000-01-01T00:00:00")))
    put(raw, "长阳镇总工会/视频/e.mp4", _movie(None))
    table = materials(run(raw)).fillna("")
    assert table[["file", "material", "taken_date", "round"]].values.tolist() == [
        ["submissions/长阳镇总工会/视频/a.mp4", "video", "2019-08-15", "r2"],
        ["submissions/长阳镇总工会/视频/b.MOV", "video", "2019-07-01", "r2"],  # 1 a.m. in Beijing
        ["submissions/长阳镇总工会/视频/c.mp4", "video", "", ""],
        ["submissions/长阳镇总工会/视频/d.mp4", "video", "", ""],
        ["submissions/长阳镇总工会/视频/e.mp4", "video", "", ""],
    ]


def test_a_date_taken_written_in_the_main_exif_directory_is_read():
    """DateTimeOriginal belongs in the Exif sub-IFD; some apps write it in IFD0. Only the
    other dates (DateTime: last change; DateTimeDigitized) are no date taken."""
    import io

    from PIL import Image

    from analysis.materials import photos

    def shot(tags: dict[int, str], sub: dict[int, str]) -> bytes:
        exif = Image.Exif()
        exif.update(tags)
        exif.get_ifd(0x8769).update(sub)
        buffer = io.BytesIO()
        mm.picture(3).save(buffer, "JPEG", exif=exif.tobytes())
        return buffer.getvalue()

    taken = [
        photos.photo_facts(shot(tags, sub)).taken_date
        for tags, sub in (
            ({36867: "2019:06:10 10:00:00"}, {}),
            ({36867: "2019:06:10 10:00:00"}, {36867: "2019:08:01 09:00:00"}),
            ({306: "2019:06:10 10:00:00"}, {36868: "2019:06:10 10:00:00"}),
        )
    ]
    assert [str(t) for t in taken] == ["2019-06-10", "2019-08-01", "None"]


def _summary_pdf(user_password: str | None) -> bytes:
    """A one-page PDF titled as a summary, created 5 July 2019; encrypted (RC4) with an
    owner password and `user_password` when that is not None."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Title": "第一阶段工作总结", "/CreationDate": "D:20190705103000+08'00'"})
    if user_password is not None:
        writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_pdf_restricted_by_an_owner_password_only_is_read_one_asking_a_password_is_not(raw):
    """An owner password (no printing or copying) leaves a PDF open to anyone: it is
    read like any other. Only a PDF that asks for a password to be opened is refused."""
    put(raw, "长阳镇总工会/a.pdf", _summary_pdf(None))
    put(raw, "长阳镇总工会/b.pdf", _summary_pdf(""))
    put(raw, "长阳镇总工会/c.pdf", _summary_pdf("secret"))
    out = run(raw)
    table = materials(out).fillna("")
    assert table[["file", "material", "taken_date", "state"]].values.tolist() == [
        ["submissions/长阳镇总工会/a.pdf", "summary", "2019-07-05", "current"],
        ["submissions/长阳镇总工会/b.pdf", "summary", "2019-07-05", "current"],
        ["submissions/长阳镇总工会/c.pdf", "document", "", "rejected"],
    ]
    assert ("submissions/长阳镇总工会/c.pdf", "error", "material_encrypted") in issue_codes(out)


def test_a_password_protected_word_file_is_told_it_has_a_password_not_that_it_is_damaged(raw):
    """Word and PowerPoint save a password-protected .docx/.pptx as an OLE2 wrapper holding
    an EncryptedPackage: the unit must remove the password, not send the file again."""
    from tests.test_readers import compound_file

    locked = compound_file(["EncryptionInfo", "EncryptedPackage"])
    put(raw, "长阳镇总工会/第一阶段总结.docx", locked)
    put(raw, "长阳镇总工会/材料.zip", mm.zip_of({"第一阶段汇报.pptx": locked + b"\0"}))
    out = run(raw)
    table = materials(out)
    assert table[["file", "material", "state"]].values.tolist() == [
        ["submissions/长阳镇总工会/材料.zip/第一阶段汇报.pptx", "document", "rejected"],
        ["submissions/长阳镇总工会/第一阶段总结.docx", "summary", "rejected"],
    ]
    assert sorted(issue_codes(out)) == [
        ("submissions/长阳镇总工会/材料.zip/第一阶段汇报.pptx", "error", "material_encrypted"),
        ("submissions/长阳镇总工会/第一阶段总结.docx", "error", "material_encrypted"),
    ]


def test_materials_sent_with_one_units_spreadsheet_are_that_units(raw, tmp_path):
    """Photos whose path names no unit, in the folder or archive that holds one unit's
    spreadsheet (in a subfolder of it too), are that unit's, in the spreadsheet's round
    when the photo has none of its own. A folder with two units' spreadsheets, a round's
    folder and the submissions folder itself are every unit's: they place nothing."""
    sheet = submission(tmp_path, "x.xlsx", "琉璃河镇总工会", [act("琉璃河镇中心小学工会")],
                       round_label="第二阶段").read_bytes()  # fmt: skip
    put(raw, "材料.zip", mm.zip_of({"报送表.xlsx": sheet, "照片/1.jpg": mm.jpeg(mm.picture(1))}))
    submission(raw, "新建文件夹/表.xlsx", "长阳镇总工会", [act("长阳镇卫生院工会", "2019-06-03")])
    put(raw, "新建文件夹/照片/2.jpg", mm.jpeg(mm.picture(2), "2019:08:03 10:00:00"))  # EXIF: r2
    submission(raw, "第二阶段/表.xlsx", "长阳镇总工会", [act("长阳镇卫生院工会", "2019-08-03")])
    put(raw, "第二阶段/3.jpg", mm.jpeg(mm.picture(3)))
    submission(raw, "汇总/a.xlsx", "长阳镇总工会", [act("长阳镇卫生院工会")])
    submission(raw, "汇总/b.xlsx", "琉璃河镇总工会", [act("琉璃河镇中心小学工会")])
    put(raw, "汇总/4.jpg", mm.jpeg(mm.picture(4)))
    submission(raw, "表.xlsx", "长阳镇总工会", [act("长阳镇卫生院工会")])
    put(raw, "5.jpg", mm.jpeg(mm.picture(5)))
    table = materials(run(raw)).fillna("")
    assert table[["file", "reporting_unit", "round"]].values.tolist() == [
        ["submissions/5.jpg", "", ""],
        ["submissions/新建文件夹/照片/2.jpg", "长阳镇总工会", "r2"],
        ["submissions/材料.zip/照片/1.jpg", "琉璃河镇总工会", "r2"],
        ["submissions/汇总/4.jpg", "", ""],
        ["submissions/第二阶段/3.jpg", "", "r2"],
    ]


def _ofd(title: str, text: str) -> bytes:
    """An OFD document (GB/T 33190): OFD.xml with its DocInfo, one page holding `text`."""
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    head = (f'<ofd:OFD {ns} DocType="OFD" Version="1.0"><ofd:DocBody><ofd:DocInfo>'
            f"<ofd:Title>{title}</ofd:Title><ofd:CreationDate>2019-07-05</ofd:CreationDate>"
            "</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>")  # fmt: skip
    page = (f'<ofd:Page {ns}><ofd:Content><ofd:Layer><ofd:TextObject ID="1">'
            f"<ofd:TextCode X='0' Y='0'>{text}</ofd:TextCode></ofd:TextObject></ofd:Layer>"
            "</ofd:Content></ofd:Page>")  # fmt: skip
    return mm.zip_of({"OFD.xml": head.encode(), "Doc_0/Document.xml": b"<ofd:Document/>",
                      "Doc_0/Pages/Page_0/Content.xml": page.encode()})  # fmt: skip


def test_an_ofd_document_is_a_document_read_not_an_archive_of_bad_spreadsheets(raw):
    """OFD, the national format of official documents, is a zip of XML parts: one
    document (its title, date and text read), loose or inside an archive; never an
    archive whose XML parts are each a spreadsheet that cannot be read."""
    put(raw, "长阳镇总工会/第一阶段材料.ofd", _ofd("阶段性工作总结", "共开展活动12场次"))
    put(raw, "琉璃河镇.zip", mm.zip_of({"第二阶段简报.ofd": _ofd("简报", "第3期")}))
    out = run(raw)
    table = materials(out).fillna("")
    assert table[["file", "material", "format", "taken_date", "stated_activities"]].values.tolist() == [
        ["submissions/琉璃河镇.zip/第二阶段简报.ofd", "document", "ofd", "2019-07-05", ""],
        ["submissions/长阳镇总工会/第一阶段材料.ofd", "summary", "ofd", "2019-07-05", "12"],
    ]  # fmt: skip
    assert csv(out, "submissions").empty
    assert [c for c in issue_codes(out) if c[1] == "error"] == []


def test_a_cut_off_word_document_is_a_rejected_document_not_a_damaged_archive(raw):
    """A .docx is a zip inside: one cut off in transfer (half its bytes) cannot be opened
    as a zip. It is still the summary its name says, listed and rejected with a
    material_corrupt error, loose or in a zip (where it was taken for a nested archive)."""
    whole = mm.docx(["长阳镇总工会第一阶段工作总结", "共开展活动" + "学习" * 2000 + "。"])
    cut = whole[: len(whole) // 2]
    put(raw, "长阳镇总工会/第一阶段/工作总结.docx", cut)
    put(raw, "琉璃河镇材料.zip", mm.zip_of({"第一阶段/情况.docx": cut}))
    out = run(raw)
    assert materials(out)[CONTRACT].values.tolist() == [
        ["submissions/琉璃河镇材料.zip/第一阶段/情况.docx", "琉璃河镇总工会", "town", "r1",
         "document", "", "rejected", ""],
        ["submissions/长阳镇总工会/第一阶段/工作总结.docx", "长阳镇总工会", "town", "r1",
         "summary", "", "rejected", ""],
    ]  # fmt: skip
    assert issue_codes(out) == [
        ("submissions/琉璃河镇材料.zip/第一阶段/情况.docx", "error", "material_corrupt"),
        ("submissions/长阳镇总工会/第一阶段/工作总结.docx", "error", "material_corrupt"),
    ]
    assert "已损坏或不完整" in csv(out, "issues")["message"][0]


def test_a_documents_own_date_does_not_place_it_in_a_round(raw):
    """Only a photo's capture date says when what it shows happened. A document's own
    date says when it was written: a first-round summary is written after the round
    (created 2019-07-02, in round two's window) and must not be counted for round two;
    with no round in its folder, name or text its round is unknown (a warning says so)."""
    put(raw, "长阳镇总工会/工作总结.docx",
        mm.docx(["各位领导：", "今年以来，我镇认真学习。"], created="2019-07-02T09:00:00"))  # fmt: skip
    put(raw, "长阳镇总工会/合影.jpg", mm.jpeg(mm.picture(1), taken="2019:07:02 10:00:00"))
    out = run(raw)
    assert materials(out)[CONTRACT].values.tolist() == [
        ["submissions/长阳镇总工会/合影.jpg", "长阳镇总工会", "town", "r2", "photo", "2019-07-02",
         "current", ""],
        ["submissions/长阳镇总工会/工作总结.docx", "长阳镇总工会", "town", "", "summary", "2019-07-02",
         "current", ""],
    ]  # fmt: skip
    assert issue_codes(out) == [
        ("submissions/长阳镇总工会/工作总结.docx", "warning", "material_unplaced")
    ]


def _pdf(created: str | None, modified: str | None = None) -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    dates = {"/CreationDate": created, "/ModDate": modified}
    writer.add_metadata({k: v for k, v in dates.items() if v is not None})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "day"),
    [
        # Word and WPS store the time in UTC: 23:30 UTC on 30 June is 07:30 on 1 July in Beijing
        ("晨会.docx", mm.docx(["情况"], created="2019-06-30T23:30:00"), "2019-07-01"),
        ("午后.docx", mm.docx(["情况"], created="2019-06-30T06:00:00"), "2019-06-30"),
        # a PDF writes its zone: UTC (Z), or Beijing's own +08'00' (the date as written)
        ("晨会.pdf", _pdf("D:20190630233000Z"), "2019-07-01"),
        ("晨会2.pdf", _pdf("D:20190701073000+08'00'"), "2019-07-01"),
        ("无时区.pdf", _pdf("D:20190630233000"), "2019-06-30"),
    ],
)
def test_a_documents_own_date_is_the_day_in_beijing_not_in_utc(raw, name, data, day):
    """The analyst and the units are in Beijing (UTC+8): a document written at 07:30 on
    1 July is dated 1 July, though its properties say 23:30 on 30 June in UTC."""
    put(raw, f"长阳镇总工会/第二阶段/{name}", data)
    assert materials(run(raw))["taken_date"].tolist() == [day]


@pytest.mark.parametrize(
    ("created", "modified", "day"),
    [
        # only a modification date: the document's own, as a .docx's (Beijing time)
        (None, "D:20190630233000Z", "2019-07-01"),
        (None, "D:20190628", "2019-06-28"),
        # the creation date first when there is one
        ("D:20190620100000+08'00'", "D:20190702090000+08'00'", "2019-06-20"),
        # an unreadable creation date: the modification date, as for a .docx
        ("unknown", "D:20190705", "2019-07-05"),
        (None, None, ""),  # none: empty, never the file's modification time
    ],
)
def test_a_pdfs_modification_date_is_its_own_date_when_it_has_no_creation_date(
    raw, created, modified, day
):
    """A PDF's /ModDate is the document's own metadata like a .docx's modified date."""
    put(raw, "长阳镇总工会/第二阶段/情况.pdf", _pdf(created, modified))
    assert materials(run(raw))["taken_date"].tolist() == [day]


def test_a_file_or_archive_named_first_for_a_union_counts_for_its_roster_parent(raw):
    """Offices name files for the union they show, then what they are: 房山区实验中学工会
    is 区教委工会's school, so its photo, video and zip count for 区教委工会 (as a folder
    named for it does). A union's name inside a longer name (良乡实验中学 is not the
    roster's 实验中学) names nothing."""
    put(raw, "第二阶段/房山区实验中学工会_活动照片1.jpg", mm.jpeg(mm.picture(1)))
    put(raw, "第二阶段/实验中学宣讲视频.mp4", b"\0\0\0\x20ftypisom\0\0\x02\0isomiso2avc1mp41")
    put(
        raw,
        "第二阶段/房山区实验中学工会报送材料.zip",
        mm.zip_of({"合影.jpg": mm.jpeg(mm.picture(2))}),
    )
    put(raw, "第二阶段/长阳镇卫生院工会-照片.jpg", mm.jpeg(mm.picture(3)))
    put(raw, "第二阶段/良乡实验中学工会照片.jpg", mm.jpeg(mm.picture(4)))
    table = materials(run(raw))
    assert table[["file", "reporting_unit", "kind"]].values.tolist() == [
        ["submissions/第二阶段/实验中学宣讲视频.mp4", "区教委工会", "system"],
        ["submissions/第二阶段/房山区实验中学工会_活动照片1.jpg", "区教委工会", "system"],
        ["submissions/第二阶段/房山区实验中学工会报送材料.zip/合影.jpg", "区教委工会", "system"],
        ["submissions/第二阶段/良乡实验中学工会照片.jpg", "", ""],
        ["submissions/第二阶段/长阳镇卫生院工会-照片.jpg", "长阳镇总工会", "town"],
    ]


def test_a_cut_off_workbook_in_a_zip_is_a_rejected_submission_not_a_damaged_archive(raw):
    """As loose: the readers say the workbook is damaged, and submissions.csv lists it."""
    whole = mm.xlsx([["长阳镇卫生院工会", "2019-06-03", 20]] * 200)
    put(raw, "长阳镇材料.zip", mm.zip_of({"报送表.xlsx": whole[: len(whole) // 2]}))
    out = run(raw)
    assert csv(out, "submissions")[["file", "state"]].values.tolist() == [
        ["submissions/长阳镇材料.zip/报送表.xlsx", "rejected"]
    ]
    assert issue_codes(out) == [("submissions/长阳镇材料.zip/报送表.xlsx", "error", "corrupt")]


@pytest.mark.parametrize(
    ("name", "round_"),
    [("阶段总结2.docx", ""), ("2019年阶段总结3.docx", ""), ("第二阶段总结.docx", "r2"),
     ("第三阶段（总结）.docx", "r3"), ("阶段2总结.docx", "r2")],
)  # fmt: skip
def test_summary_taken_out_of_a_name_does_not_join_what_stood_around_it(raw, name, round_):
    """总结 names a summary, not round three, and is left out when the name is read for
    a round; what stood on either side of it is not thereby joined into a round label
    (阶段总结2 is a stage summary's second copy, never “阶段2”)."""
    put(raw, f"长阳镇总工会/{name}", mm.docx(["各位领导：", "今年以来，我镇认真学习。"]))
    assert materials(run(raw))["round"].tolist() == [round_]
