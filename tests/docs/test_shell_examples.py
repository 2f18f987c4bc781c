"""Every shell block in the README and docs runs and succeeds, as a reader would type it.

The ```sh blocks of a page run in order as one bash script (stopping at the first failure) in a scratch folder with
`src/`, `docs/` and `tests/` linked in, so that files the commands write go nowhere else. `ceasefire` and
`.venv/bin/ceasefire` run this interpreter's ceasefire. Lines with `make` (set-up, covered by CI itself)
and `ceasefire serve` (runs until stopped; the web tests cover it) are left out.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
SKIPPED = re.compile(r"^\s*(make\b|(\.venv/bin/)?ceasefire\s+serve\b)")


def blocks() -> list[tuple[str, str]]:
    found = []
    for page in PAGES:
        lines = [
            line
            for block in re.findall(r"```(?:sh|bash)\n(.*?)```", page.read_text(), re.DOTALL)
            for line in block.splitlines()
            if not SKIPPED.match(line)
        ]
        if any(line.strip() and not line.strip().startswith("#") for line in lines):
            found.append((str(page.relative_to(ROOT)), "\n".join(lines)))
    return found


@pytest.mark.parametrize(("page", "script"), blocks())
def test_documented_shell_block_runs(page: str, script: str, tmp_path: Path) -> None:
    for name in ("src", "docs", "tests"):
        (tmp_path / name).symlink_to(ROOT / name)
    prelude = (
        "set -euo pipefail\n"
        f'ceasefire() {{ "{sys.executable}" -m ceasefire "$@"; }}\n'
        "export -f ceasefire\n"
    )
    script = re.sub(r"(?m)(^|\s)\.venv/bin/ceasefire\b", r"\1ceasefire", script)
    result = subprocess.run(
        ["bash", "-c", prelude + script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, f"{page}:\n{script}\n---\n{result.stderr[-3000:]}"
