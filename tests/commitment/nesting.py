"""What ``analyze --json`` printed before the commitment layer existed, to check it nests the old
model. ``python -m tests.commitment.nesting SRC`` rewrites ``tests/data/commitment/golden.json``
from the code in ``SRC`` (the ``src`` folder of a checkout without the commitment layer); do so
whenever a deliberate change to another layer changes these outputs."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests/data/commitment/golden.json"
GENIUS = ROOT / "tests/data/genius/Laptop"
BUNDLED = ROOT / "src/ceasefire/scenario/bundled"

SAMPLED = ["--samples", "200", "--seed", "3"]

# Top-level scenario sections that came after the reference code: its parser does not know them,
# and each is switched off by leaving it out.
LATER_SECTIONS = {"beliefs", "learning", "private", "proposals", "events", "contested"}

# Top-level keys of ``analyze --json`` added after the reference code (new reporting, not new
# numbers): the comparison leaves them out. Add a key here only for an addition that leaves every
# existing key unchanged.
ADDED_SINCE: set[str] = {"assumptions", "closed_by"}
CHANGED_SINCE = {
    "ripeness": ("binding_party", "binding_share", "binding_measure", "binding_measure_text")
}
"""Keys whose meaning changed deliberately: the binding party is now measured scale-free."""
CASES: dict[str, list[str]] = {
    "toy-border": ["toy-border.yaml"],
    "russia-ukraine-2023-12": ["russia-ukraine-2023-12.yaml", *SAMPLED],
    "russia-ukraine-2022-03": ["russia-ukraine-2022-03.yaml", *SAMPLED],
    "korea-1951": ["korea-1951.yaml", *SAMPLED],
    "iran-iraq-1982": ["iran-iraq-1982.yaml", *SAMPLED],
    "genius-laptop": [],
}


def without_commitment(text: str) -> str:
    """The scenario text without its top-level ``commitment:`` block and the comment before it."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.startswith("commitment:")), None)
    if start is None:
        return text
    end = next(
        (i for i in range(start + 1, len(lines)) if lines[i].strip() and not lines[i][0].isspace()),
        len(lines),
    )
    head = start
    while head > 0 and lines[head - 1].startswith("#"):
        head -= 1
    if end == len(lines):  # the last section: the blank lines before it go too
        while head > 0 and not lines[head - 1].strip():
            head -= 1
    return "".join(lines[:head] + lines[end:])


def inputs(folder: Path) -> dict[str, list[str]]:
    """Command-line arguments for each case, with commitment-free scenario files in ``folder``."""
    result = {}
    for name, args in CASES.items():
        if not args:
            result[name] = [str(GENIUS)]
            continue
        path = folder / args[0]
        # Later sections came after the layer too: without them the reference code reads the file.
        text = without_sections(
            without_commitment((BUNDLED / args[0]).read_text(encoding="utf-8")), LATER_SECTIONS
        )
        path.write_text(text)
        result[name] = [str(path), *args[1:]]
    return result


def without_sections(text: str, names: set[str]) -> str:
    """The scenario text without the named top-level sections."""
    out: list[str] = []
    skipping = False
    for line in text.splitlines(keepends=True):
        if line[:1].strip() and not line.startswith("#"):
            skipping = line.split(":")[0] in names
        if not skipping:
            out.append(line)
    return "".join(out)


def digest(output: str) -> str:
    """sha256 of the printed document, without the keys in :data:`ADDED_SINCE`."""
    document = json.loads(output)
    kept = {k: v for k, v in document.items() if k not in ADDED_SINCE}
    for key, inner in CHANGED_SINCE.items():
        if isinstance(kept.get(key), dict):
            kept[key] = {k: v for k, v in kept[key].items() if k not in inner}
    return hashlib.sha256(json.dumps(kept, sort_keys=True).encode("utf-8")).hexdigest()


def main(src: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        golden = {}
        for name, args in inputs(Path(tmp)).items():
            out = subprocess.run(
                [sys.executable, "-m", "ceasefire", "analyze", "--json", *args],
                env={"PYTHONPATH": src, "PATH": "/usr/bin:/bin"},
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            golden[name] = digest(out)
    GOLDEN.write_text(json.dumps(golden, indent=2) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
