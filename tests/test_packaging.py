"""The built wheel carries what an installed ceasefire needs: bundled scenarios, typing marker, entry point."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("ceasefire-*.whl")
    return zipfile.ZipFile(path)


def test_wheel_ships_the_bundled_scenarios(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    bundled = {p.name for p in (ROOT / "src/ceasefire/scenario/bundled").glob("*.yaml")}
    assert bundled
    assert {f"ceasefire/scenario/bundled/{name}" for name in bundled} <= names
    assert "ceasefire/py.typed" in names


def test_wheel_declares_the_console_script(wheel: zipfile.ZipFile) -> None:
    entry_points = next(n for n in wheel.namelist() if n.endswith("entry_points.txt"))
    assert "ceasefire = ceasefire.cli:main" in wheel.read(entry_points).decode()
