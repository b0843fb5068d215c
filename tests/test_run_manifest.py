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
