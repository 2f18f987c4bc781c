"""Save the ``--json`` document of every command, or compare two saved sets (for refactors).

    python scripts/json_documents.py save DIR      # every command on the bundled scenarios and
                                                   # a Genius domain, small samples, fixed seeds
    python scripts/json_documents.py compare A B   # byte for byte, then by top-level field

Run ``save`` before a change and after it, then ``compare``: a refactor must leave every document
as it was. Commands that fail (``war`` on a scenario without a ``war:`` section) save nothing.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

SCENARIOS = (
    "russia-ukraine-2023-12",
    "russia-ukraine-2022-03",
    "korea-1951",
    "iran-iraq-1982",
    "toy-border",
    "tests/data/genius/Laptop",
)
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
    "divide": ["divide"],
    "forecast": ["forecast", "--rounds", "4"],
    "backtest": ["backtest", *SAMPLES, "--no-progress"],
}
# Commands whose input is a file of their own, not a scenario: (label, arguments).
OWN_INPUTS: tuple[tuple[str, list[str]], ...] = (
    ("divide-bob_carol", ["divide", "tests/data/fair_division/bob_carol.csv"]),
    ("forecast-emissions", ["forecast", "tests/data/bdm/emission_standards_bdm1994.csv"]),
    ("forecast-china", ["forecast", "tests/data/bdm/china_democratization_bdm2002.csv"]),
    ("stability-elmira", ["stability", "tests/data/stability/elmira.yaml"]),
    ("stability-cuba", ["stability", "tests/data/stability/cuban_missile_crisis.yaml"]),
    ("stability-once", ["stability", "tests/data/stability/chicken.yaml", "--sanctions", "once"]),
    (
        "stability-toy-border",
        ["stability", "toy-border", "--control", "border=north", "--control", "troops=south"],
    ),
    ("stability-schema", ["stability", "--schema"]),
    ("backtest-all", ["backtest", "--all", *SAMPLES, "--no-progress"]),
    ("analyze-default-2000-1", ["analyze", "--samples", "2000", "--seed", "1"]),
)
# Text outputs (not JSON) that must not change either: (file name, arguments).
TEXTS: tuple[tuple[str, list[str]], ...] = (
    ("schema.txt", ["schema"]),
    *(
        (f"import-genius-{domain}.yaml", ["import-genius", f"tests/data/genius/{domain}"])
        for domain in (
            "AMPOvsCity",
            "Laptop",
            "anac2010-EnglandZimbabwe",
            "anac2010-ItexvsCypress",
            "anac2010-Travel",
            "anac2011-Amsterdam",
            "anac2011-Car",
            "anac2011-Energy",
            "anac2013-DefensiveCharms",
            "anac2013-Wholesaler",
        )
    ),
)
EXPORTS = ("toy-border", "russia-ukraine-2023-12", "tests/data/genius/Laptop")


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
    for label, options in OWN_INPUTS:
        args = [sys.executable, "-m", "ceasefire", *options, "--json"]
        if options[-1] == "--schema":
            args.pop()
        result = subprocess.run(args, capture_output=True, text=True, check=False)
        print(f"{label}: exit {result.returncode}", flush=True)
        if result.returncode == 0:
            (folder / f"{label}.json").write_text(result.stdout, encoding="utf-8")
    for name, options in TEXTS:
        args = [sys.executable, "-m", "ceasefire", *options]
        result = subprocess.run(args, capture_output=True, text=True, check=False)
        print(f"{name}: exit {result.returncode}", flush=True)
        (folder / name).write_text(f"exit {result.returncode}\n{result.stdout}", encoding="utf-8")
    for scenario in EXPORTS:
        target = folder / f"export-genius-{Path(scenario).name}"
        args = [sys.executable, "-m", "ceasefire", "export-genius", scenario, str(target)]
        result = subprocess.run(args, capture_output=True, text=True, check=False)
        print(f"export-genius {scenario}: exit {result.returncode}", flush=True)
        for written in sorted(target.glob("*")) if target.is_dir() else ():
            copy = folder / f"{target.name}-{written.name}.txt"
            copy.write_bytes(written.read_bytes())


def _placed(text: str) -> str:
    """The text with the folder the package runs from (which a bundled scenario's path names)
    replaced by one placeholder, so that two checkouts compare equal."""
    return re.sub(r"[^\s\"']*/src/ceasefire/", "<ceasefire>/", text)


def compare(before: Path, after: Path) -> int:
    names = sorted(
        {p.name for p in before.glob("*.*") if p.is_file()}
        | {p.name for p in after.glob("*.*") if p.is_file()}
    )
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
        if _placed(a.read_text()) == _placed(b.read_text()):
            print(f"identical {name} (but for where the package is installed)")
            continue
        different += 1
        if not name.endswith(".json"):
            print(f"DIFFERENT {name}")
            continue
        old, new = json.loads(a.read_text()), json.loads(b.read_text())
        if not isinstance(old, dict) or not isinstance(new, dict):
            print(f"DIFFERENT {name}")
            continue
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
