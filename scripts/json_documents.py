"""Save the ``--json`` document of every command, or compare two saved sets (for refactors).

    python scripts/json_documents.py save DIR      # every command on the bundled scenarios and
                                                   # a Genius domain, small samples, fixed seeds
    python scripts/json_documents.py compare A B   # byte for byte, then by top-level field

Run ``save`` before a change and after it, then ``compare``: a refactor must leave every document
as it was. Commands that fail (``war`` on a scenario without a ``war:`` section) save nothing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCENARIOS = ("russia-ukraine-2023-12", "toy-border", "tests/data/genius/Laptop")
SAMPLES = ["--samples", "200", "--seed", "3"]
COMMANDS: dict[str, list[str]] = {
    "analyze": ["analyze", *SAMPLES],
    "war": ["war", "--months", "12", *SAMPLES, "--no-progress"],
    "robust": ["robust", *SAMPLES, "--no-progress"],
    "sens-oat": ["sensitivity", "--war-samples", "100", "--seed", "3", "--no-progress"],
    "sens-sobol": [
        "sensitivity",
        "--method",
        "sobol",
        "--samples",
        "8",
        "--war-samples",
        "100",
        "--seed",
        "3",
        "--no-progress",
    ],
    "mediate": ["mediate", *SAMPLES, "--no-progress"],
    "mediate-b": ["mediate", *SAMPLES, "--budget", "5", "--no-progress"],
    "negotiate": ["negotiate", "--seed", "3"],
    "negotiate-st": ["negotiate", "--seed", "3", "--protocol", "single-text"],
    "tournament": ["tournament", "--runs", "2", "--seed", "3", "--no-progress"],
}


def save(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for scenario in SCENARIOS:
        name = Path(scenario).name
        for label, (command, *options) in COMMANDS.items():
            args = [sys.executable, "-m", "ceasefire", command, scenario, *options, "--json"]
            result = subprocess.run(args, capture_output=True, text=True, check=False)
            print(f"{label} {name}: exit {result.returncode}", flush=True)
            if result.returncode == 0:
                (folder / f"{label}-{name}.json").write_text(result.stdout, encoding="utf-8")
    args = [
        sys.executable,
        "-m",
        "ceasefire",
        "analyze",
        "--samples",
        "2000",
        "--seed",
        "1",
        "--json",
    ]
    result = subprocess.run(args, capture_output=True, text=True, check=True)
    (folder / "analyze-default-2000-1.json").write_text(result.stdout, encoding="utf-8")


def compare(before: Path, after: Path) -> int:
    names = sorted({p.name for p in before.glob("*.json")} | {p.name for p in after.glob("*.json")})
    different = 0
    for name in names:
        a, b = before / name, after / name
        if not (a.exists() and b.exists()):
            print(f"only in {'before' if a.exists() else 'after'}: {name}")
            different += 1
            continue
        if a.read_bytes() == b.read_bytes():
            print(f"identical {name}")
            continue
        different += 1
        old, new = json.loads(a.read_text()), json.loads(b.read_text())
        fields = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
        print(f"DIFFERENT {name}: top-level fields {fields}")
    print(f"{len(names) - different} identical, {different} different")
    return 1 if different else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "save":
        save(Path(sys.argv[2]))
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        sys.exit(compare(Path(sys.argv[2]), Path(sys.argv[3])))
    else:
        sys.exit(__doc__)
