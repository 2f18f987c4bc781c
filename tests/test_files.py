"""Result files are written all or nothing: a failure midway leaves the old file and no temporary,
and writers of the same file at once leave one of their files whole."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from ceasefire import files
from ceasefire.files import atomic_write, write_bytes, write_text


def test_a_file_is_written_and_replaced(tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    write_text(path, "first\n")
    assert path.read_text(encoding="utf-8") == "first\n"
    write_text(path, "second, longer\n")
    assert path.read_text(encoding="utf-8") == "second, longer\n"
    assert os.listdir(tmp_path) == ["out.json"]


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_a_failure_midway_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    path = tmp_path / "report.html"
    path.write_bytes(b"the old report")
    written: list[str] = []

    def fail(*args: object) -> None:
        written.extend(p for p in os.listdir(tmp_path) if p != "report.html")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, failing, fail)
    with pytest.raises(OSError, match="No space left"):
        write_bytes(path, b"x" * 100_000)
    monkeypatch.undo()
    assert len(written) == 1 and written[0].startswith(".report.html.")  # the temporary existed
    assert path.read_bytes() == b"the old report"
    assert os.listdir(tmp_path) == ["report.html"]


def test_an_interruption_midway_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "table.csv"

    def interrupt(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_text(path, "a,b\n")
    assert os.listdir(tmp_path) == []


def test_concurrent_writers_leave_one_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    contents = [bytes([65 + n]) * (200_000 + 1000 * n) for n in range(8)]
    errors: list[BaseException] = []
    start = threading.Barrier(len(contents))

    def writer(data: bytes) -> None:
        start.wait()
        try:
            for _ in range(10):
                write_bytes(path, data)
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(data,)) for data in contents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert path.read_bytes() in contents
    assert os.listdir(tmp_path) == ["report.html"]


def test_permissions_a_new_file_gets_and_an_old_one_keeps(tmp_path: Path) -> None:
    umask = os.umask(0o027)
    try:
        new = tmp_path / "new.txt"
        write_text(new, "new")
        assert stat.S_IMODE(new.stat().st_mode) == 0o640  # as open(path, "w") would make it
    finally:
        os.umask(umask)
    old = tmp_path / "old.txt"
    old.write_text("old", encoding="utf-8")
    old.chmod(0o600)
    write_text(old, "replaced")
    assert stat.S_IMODE(old.stat().st_mode) == 0o600
    atomic_write(old, b"explicit", 0o644)
    assert stat.S_IMODE(old.stat().st_mode) == 0o644 and old.read_bytes() == b"explicit"
