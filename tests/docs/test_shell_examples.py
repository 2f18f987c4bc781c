"""Every `ceasefire` command shown in the README and docs runs and succeeds.

Commands are taken from ```sh blocks, lines starting with `.venv/bin/ceasefire` or `ceasefire`. They
run in a scratch folder (with `src/` and `docs/` linked in) so that files they write go nowhere else.
`ceasefire serve` runs until stopped and is not run here (the web tests cover it).
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
NOT_RUN = {"serve"}


def commands() -> list[tuple[str, str]]:
    found = []
    for page in PAGES:
        for block in re.findall(r"```(?:sh|bash|console)\n(.*?)```", page.read_text(), re.DOTALL):
            for line in block.splitlines():
                line = line.split(" #", 1)[0].strip()
                match = re.match(r"^(?:\.venv/bin/)?ceasefire\s+(.*)$", line)
                if match and match.group(1).split()[0] not in NOT_RUN:
                    found.append((str(page.relative_to(ROOT)), match.group(1)))
    return found


@pytest.mark.parametrize(("page", "arguments"), commands())
def test_documented_command_runs(page: str, arguments: str, tmp_path: Path) -> None:
    for name in ("src", "docs", "tests"):
        (tmp_path / name).symlink_to(ROOT / name)
    result = subprocess.run(
        [sys.executable, "-m", "ceasefire", *shlex.split(arguments)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"{page}: ceasefire {arguments}\n{result.stderr[-2000:]}"
