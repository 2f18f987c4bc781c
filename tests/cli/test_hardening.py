"""The command line never crashes: odd file names, odd output targets, odd option values.

Each test here failed before its fix: emoji codes in error locations, markup in user text, --out
replacing a symbolic link or a device with a file, a full disk on stdout, out-of-range options and
unexpected exceptions ending in a traceback.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ceasefire.cli import app, main
from ceasefire.cli.common import console, error_console
from ceasefire.scenario import ScenarioError, parse_scenario
from tests.scenario.test_limits import out_of_scale_flagship

runner = CliRunner()


def run(*args: str, stdout: int | None = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    """Run the real console entry point, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "ceasefire", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        timeout=120,
    )


def test_error_locations_and_file_names_are_printed_as_they_are(
    tmp_path: Path, toy_text: str
) -> None:
    # rich turned ":100:" into an emoji and "war:fire:.yaml" into "war🔥.yaml".
    padding = "".join(f"# {i}\n" for i in range(97))
    text = padding + toy_text.replace("title: ", "titel: ", 1)
    path = tmp_path / "war:fire:[bold]x[red].yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, str(path))
    expected = [str(p) for p in caught.value.problems]
    assert any(":100:" in e for e in expected), expected
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == expected


def test_consoles_read_neither_markup_nor_emoji_codes() -> None:
    for terminal in (console, error_console):
        with terminal.capture() as captured:
            terminal.print("a:100:b [red]c[/red] :fire: :thumbs_up:")
        assert captured.get() == "a:100:b [red]c[/red] :fire: :thumbs_up:\n"


def test_out_writes_through_a_symbolic_link(tmp_path: Path) -> None:
    target = tmp_path / "result.json"
    link = tmp_path / "link.json"
    link.symlink_to(target)
    result = runner.invoke(app, ["analyze", "--max-frontier", "5", "--out", str(link)])
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text().startswith("{")


def device(path: Path, minor: int) -> Path:
    """A character device node like /dev/null (minor 3) or /dev/full (minor 7), made in a
    temporary folder: a regression must never replace the machine's own devices."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except PermissionError:
        pytest.skip("creating a device node needs root")
    return path


def test_out_into_a_device_reports_its_error_and_keeps_the_device(tmp_path: Path) -> None:
    full = device(tmp_path / "full", 7)
    result = runner.invoke(app, ["analyze", "--max-frontier", "5", "--out", str(full)])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"{full}: cannot write: No space left on device"
    assert stat.S_ISCHR(full.lstat().st_mode)  # not replaced by a regular file
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full"]


def test_out_into_a_null_device_and_a_directory(tmp_path: Path) -> None:
    null = device(tmp_path / "null", 3)
    result = runner.invoke(app, ["analyze", "--max-frontier", "5", "--out", str(null)])
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(null.lstat().st_mode)
    folder = tmp_path / "folder"
    folder.mkdir()
    result = runner.invoke(app, ["analyze", "--max-frontier", "5", "--out", str(folder)])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"{folder}: cannot write: is a directory"
    assert folder.is_dir()


def test_a_full_disk_on_stdout_is_one_line_and_exit_1() -> None:
    with open("/dev/full", "w") as full:
        result = run("analyze", "--json", stdout=full.fileno())
    assert result.returncode == 1
    assert result.stderr == "ceasefire: cannot write the output: No space left on device\n"


@pytest.mark.parametrize(
    "args",
    [
        ["war", "russia-ukraine-2023-12", "--aid-scale", "inf", "--samples", "10"],
        ["war", "russia-ukraine-2023-12", "--aid-scale", "nan", "--samples", "10"],
        ["robust", "toy-border", "--scheduler", "x", "--samples", "10"],
    ],
    ids=["aid-scale-inf", "aid-scale-nan", "scheduler-x"],
)
def test_bad_option_values_are_usage_errors(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, (result.output, result.exception)
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


def test_an_unexpected_exception_is_one_line_and_exit_3(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], toy_path: Path
) -> None:
    def broken(path: object) -> None:
        raise ValueError("something\nthat should not happen")

    monkeypatch.setattr("ceasefire.study.read_scenario", broken)
    monkeypatch.setattr(sys, "argv", ["ceasefire", "validate", str(toy_path)])
    monkeypatch.delenv("CEASEFIRE_DEBUG", raising=False)
    with pytest.raises(SystemExit) as caught:
        main()
    assert caught.value.code == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "ValueError: something that should not happen" in err
    # With CEASEFIRE_DEBUG the exception itself propagates.
    monkeypatch.setenv("CEASEFIRE_DEBUG", "1")
    with pytest.raises(ValueError, match="something"):
        main()


def test_values_of_no_deal_out_of_range_are_located_in_every_command(tmp_path: Path) -> None:
    text = out_of_scale_flagship()
    path = tmp_path / "big.yaml"
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    costs = lines.index("  costs:")  # the war section's costs block
    line = next(i for i, x in enumerate(lines, 1) if x.strip() == "ukraine:" and i > costs)
    expected = f"{path}:{line}:5: war.costs.ukraine: the war model puts ukraine's value of no deal"
    result = runner.invoke(app, ["analyze", str(path), "--samples", "20"])
    assert result.exit_code == 1
    assert result.stderr.startswith(expected), result.stderr
    for command in (["robust", "--samples", "20"], ["negotiate"]):
        ran = run(command[0], str(path), *command[1:])
        assert ran.returncode == 1, ran.stderr
        assert ran.stderr.startswith(expected), ran.stderr
