"""The run's fingerprint hands the sha256 it took of each input to the ingest that follows."""

from __future__ import annotations

import os

from analysis import ingest, run_manifest

ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"  # sha256("abc")


def test_fingerprint_remembers_each_file_sha256_while_it_is_unchanged(tmp_path):
    raw = tmp_path / "raw"
    (raw / "submissions").mkdir(parents=True)
    path = raw / "submissions" / "a.csv"
    path.write_bytes(b"abc")
    assert run_manifest.fingerprint(raw, tmp_path / "out", None) is not None
    assert run_manifest.known_sha256(path) == ABC
    assert ingest._hash_or_error(path) == ABC
    path.write_bytes(b"abcd")  # another size: read again
    assert run_manifest.known_sha256(path) is None
    assert ingest._hash_or_error(path) == (
        "88d4266fd4e6338d13b845fcf289579d209c897823b9217da3e161936f031589"  # sha256("abcd")
    )
    run_manifest.fingerprint(raw, tmp_path / "out", None)
    assert run_manifest.known_sha256(path) == ingest._hash_or_error(path)
    stamp = path.stat()
    path.write_bytes(b"abce")  # the same size, a later modification time
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 1_000_000))
    assert run_manifest.known_sha256(path) is None
    assert run_manifest.known_sha256(tmp_path / "never-seen.csv") is None


def _tables(out) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.suffix == ".csv"}


def test_touching_the_older_of_two_rosters_makes_it_the_one_read(tmp_path):
    # Two roster files: the newest is read. Saving the older one again (same bytes, a
    # later modification time) makes it the roster, so the re-run may not stand on the
    # last run's tables: it must equal a full run. Members of 长阳镇总工会's one union:
    # 40 in a.xlsx, 80 in b.xlsx; its coverage line says which roster was read.
    from tests.conftest import write_xlsx
    from tests.test_ingest import act, submission

    raw = tmp_path / "raw"
    header = ["序号", "基层工会名称", "上级工会", "类别", "会员人数"]
    write_xlsx(
        raw / "roster" / "a.xlsx", [header, [1, "长阳镇第一小学工会", "长阳镇总工会", "乡镇", 40]]
    )
    write_xlsx(
        raw / "roster" / "b.xlsx", [header, [1, "长阳镇第一小学工会", "长阳镇总工会", "乡镇", 80]]
    )
    submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳镇第一小学工会")], "2019-06-28")
    older = os.stat(raw / "roster" / "a.xlsx").st_mtime_ns
    os.utime(raw / "roster" / "b.xlsx", ns=(older + 10**9, older + 10**9))  # b is newest
    out = tmp_path / "out"
    first = ingest.run(raw, out, progress=False)
    assert first.coverage["coverage"]["members_total"].max() == 80
    os.utime(raw / "roster" / "a.xlsx", ns=(older + 2 * 10**9, older + 2 * 10**9))  # now a is
    again = ingest.run(raw, out, progress=False)
    assert again.coverage["coverage"]["members_total"].max() == 40
    ingest.run(raw, tmp_path / "full", full=True, progress=False)
    assert _tables(out) == _tables(tmp_path / "full")


def test_touching_the_older_alias_table_makes_it_the_one_read(tmp_path):
    # aliases.csv maps 一小 to the school; aliases.xlsx (older) maps nothing it is used
    # for. Saving aliases.xlsx again makes it the table read: the row is unresolved.
    from tests.conftest import write_xlsx
    from tests.test_ingest import act, submission

    raw = tmp_path / "raw"
    header = ["序号", "基层工会名称", "上级工会", "类别", "会员人数"]
    write_xlsx(
        raw / "roster" / "a.xlsx", [header, [1, "长阳镇第一小学工会", "长阳镇总工会", "乡镇", 40]]
    )
    submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("一小")], "2019-06-28")
    write_xlsx(raw / "aliases.xlsx", [["报送名称", "名册名称"], ["其他", "长阳镇第一小学工会"]])
    (raw / "aliases.csv").write_text("报送名称,名册名称\n一小,长阳镇第一小学工会\n", "utf-8")
    older = os.stat(raw / "aliases.xlsx").st_mtime_ns
    os.utime(raw / "aliases.csv", ns=(older + 10**9, older + 10**9))
    out = tmp_path / "out"
    assert ingest.run(raw, out, progress=False).count("rows", "accepted") == 1
    os.utime(raw / "aliases.xlsx", ns=(older + 2 * 10**9, older + 2 * 10**9))
    assert ingest.run(raw, out, progress=False).count("rows", "accepted") == 0
    ingest.run(raw, tmp_path / "full", full=True, progress=False)
    assert _tables(out) == _tables(tmp_path / "full")


def test_a_cache_folder_that_is_a_file_or_a_record_that_is_a_folder_does_not_stop_the_run(
    tmp_path,
):
    # OUT/.cache is the run's own: when it became a file, or its run.json a folder, the
    # record cannot be removed before the tables are rewritten, but it cannot stand for
    # them either. The run goes on (status 0) and writes what a full run writes.
    import shutil

    from analysis import cli
    from tests.conftest import write_xlsx
    from tests.test_ingest import act, submission

    raw = tmp_path / "raw"
    header = ["序号", "基层工会名称", "上级工会", "类别", "会员人数"]
    write_xlsx(
        raw / "roster" / "名册.xlsx",
        [header, [1, "长阳镇第一小学工会", "长阳镇总工会", "乡镇", 40]],
    )
    submission(raw, "长阳镇.xlsx", "长阳镇总工会", [act("长阳镇第一小学工会")], "2019-06-28")
    ingest.run(raw, tmp_path / "full", full=True, progress=False)
    for damage in ("cache is a file", "record is a folder"):
        out = tmp_path / damage
        ingest.run(raw, out, progress=False)
        if damage == "cache is a file":
            shutil.rmtree(out / ".cache")
            (out / ".cache").write_text("x", encoding="utf-8")
        else:
            (out / ".cache" / "run.json").unlink()
            (out / ".cache" / "run.json").mkdir()
        (out / "coverage.csv").unlink()  # so that the run cannot take the unchanged way
        assert cli.main(["ingest", "--raw", str(raw), "--out", str(out), "--quiet"]) == 0
        assert _tables(out) == _tables(tmp_path / "full")
