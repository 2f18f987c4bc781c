"""Write ``russia-ukraine-2023-12-uncertain.yaml``: the bundled scenario with uncertain preferences.

The benchmark variant of ``russia-ukraine-2023-12`` used by ``benchmarks/scale.py``: eight weights
(four each for Ukraine and Russia) and four values (one per veto party) become distributions whose
means or modes are the bundled numbers. The bundled file's own discrete readings of preferences
(``{dist: choice, alternatives: [...]}``, evenly spaced) become uniform distributions over the same
range and with the same mean, so the variant has only continuous preference uncertainty. The ranges
are not findings; every changed number cites the source ``BENCH_VARIANT``. Each replaced number is
found by its key in the party's section, whatever the bundled file now says there (a number or a
distribution), so the script follows edits of the bundled file. Usage:
``python benchmarks/scenarios/make_variant.py`` (from the repository root).
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "src/ceasefire/scenario/bundled/russia-ukraine-2023-12.yaml"
OUT = Path(__file__).with_name("russia-ukraine-2023-12-uncertain.yaml")

WEIGHTS = {
    "ukraine": {
        "line_of_control: 0.22": "{dist: uniform, low: 0.16, high: 0.28}",
        "crimea_sevastopol: 0.06": "{dist: uniform, low: 0.03, high: 0.09}",
        "alliance_status: 0.08": "{dist: triangular, low: 0.04, mode: 0.08, high: 0.12}",
        "security_guarantees: 0.14": "{dist: uniform, low: 0.10, high: 0.18}",
    },
    "russia": {
        "line_of_control: 0.28": "{dist: uniform, low: 0.20, high: 0.36}",
        "recognition_form: 0.10": "{dist: uniform, low: 0.06, high: 0.14}",
        "alliance_status: 0.15": "{dist: triangular, low: 0.09, mode: 0.15, high: 0.21}",
        "ua_force_ceiling: 0.07": "{dist: uniform, low: 0.04, high: 0.10}",
    },
}
VALUES = [  # (party, issue whose basis cites the variant, "option: number", distribution)
    ("russia", "znpp", "no_attacks_only: 90", "{dist: triangular, low: 70, mode: 90, high: 100}"),
    (
        "ukraine",
        "alliance_status",
        "permanent_neutrality_guaranteed: 40",
        "{dist: uniform, low: 25, high: 55}",
    ),
    (
        "united_states",
        "security_guarantees",
        "bilateral_compacts_arms_training: 100",
        "{dist: uniform, low: 80, high: 100}",
    ),
    (
        "european_union",
        "eu_membership",
        "guarantors_support_accession: 100",
        "{dist: uniform, low: 80, high: 100}",
    ),
]
HEADER = """\
# BENCHMARK VARIANT of the bundled russia-ukraine-2023-12 scenario, for timing only (benchmarks/).
# Eight weights (four each for Ukraine and Russia) and four values (one per veto party) are
# distributions around the bundled numbers, whose point values they keep as their means or modes;
# the bundled file's discrete readings of preferences (choice) are uniform over the same range.
# The ranges are not findings: they exist to exercise continuous preference uncertainty.
# Everything else is the bundled scenario. Regenerate: benchmarks/scenarios/make_variant.py
#
"""
SOURCE = (
    '  - {id: BENCH_VARIANT, title: "Benchmark variant: uncertainty ranges set for timing, not for '
    'analysis", note: "Ranges around the bundled numbers, chosen only to exercise continuous '
    'preference uncertainty (benchmarks/)."}\n'
)


def _party(text: str, party: str) -> int:
    return text.index(f"\n  {party}:\n    weights:")


VALUE = r"(\{[^{}]*\}|[-0-9.eE+]+)"
"""A number, or a one-line flow mapping such as a distribution."""

CHOICE = re.compile(r"\{dist: choice, alternatives: \[([^\]]*)\]\}")


def _replace_after(text: str, start: int, old: str, new: str) -> str:
    """Replace, after ``start``, the value of the first key ``old`` names (``"key: number"``; the
    number is the bundled point value or the mean of what the bundled file now has there)."""
    key = old.split(":")[0]
    match = re.compile(rf"(?<![a-z_]){re.escape(key)}: {VALUE}").search(text, start)
    if match is None:
        raise ValueError(f"no {key!r} after offset {start} in {BUNDLED}")
    return text[: match.start()] + new + text[match.end() :]


def _uniform(match: re.Match[str]) -> str:
    """An evenly spaced discrete reading as a uniform distribution with its range and mean."""
    values = [float(v) for v in match.group(1).split(",")]
    steps = {round(b - a, 9) for a, b in itertools.pairwise(values)}
    if len(steps) != 1:
        raise ValueError(f"{match.group(0)}: not evenly spaced, no uniform with the same mean")
    return f"{{dist: uniform, low: {min(values):g}, high: {max(values):g}}}"


def _continuous(text: str) -> str:
    """The preferences with every discrete reading made continuous and cited (benchmark only)."""
    start = text.index("\npreferences:\n")
    end = re.compile(r"\n[a-z_]+:").search(text, start + 1)
    stop = end.start() if end else len(text)
    cites = []
    party = section = ""
    lines = text[start:stop].split("\n")
    for i, line in enumerate(lines):
        if m := re.fullmatch(r"  ([a-z_]+):", line):
            party = m.group(1)
        elif m := re.fullmatch(r"    ([a-z_]+):.*", line):
            section = m.group(1)
        if CHOICE.search(line):
            key = "weights" if section == "weights" else line.split(":")[0].strip()
            cites.append((party, key))
            lines[i] = CHOICE.sub(_uniform, line)
    text = text[:start] + "\n".join(lines) + text[stop:]
    for party, key in dict.fromkeys(cites):
        text = _cite(text, party, key)
    return text


def _cite(text: str, party: str, key: str) -> str:
    """Add BENCH_VARIANT to the sources of ``party``'s basis entry ``key``."""
    basis = text.index("\n    basis:\n", _party(text, party))
    j = text.index(f"\n      {key}: {{", basis) + 1
    end = text.index("\n", j)
    line = text[j:end]
    if "BENCH_VARIANT" in line:
        return text
    if "sources: [" in line:
        line = line.replace("sources: [", "sources: [BENCH_VARIANT, ", 1)
    else:
        line = line.replace(f"{key}: {{", f"{key}: {{sources: [BENCH_VARIANT], ", 1)
    return text[:j] + line + text[end:]


def variant() -> str:
    text = _continuous(BUNDLED.read_text(encoding="utf-8"))
    for party, changes in WEIGHTS.items():
        for old, dist in changes.items():
            name = old.split(":")[0]
            text = _replace_after(text, _party(text, party), old, f"{name}: {dist}")
        text = _cite(text, party, "weights")
    for party, key, old, dist in VALUES:
        name = old.split(":")[0]
        text = _replace_after(text, _party(text, party), old, f"{name}: {dist}")
        text = _cite(text, party, key)
    text = text.replace("id: russia-ukraine-2023-12\n", "id: russia-ukraine-2023-12-uncertain\n", 1)
    text = text.replace(
        "title: Russia–Ukraine cease-fire terms as of 21 December 2023\n",
        "title: Russia–Ukraine cease-fire terms as of 21 December 2023 (benchmark variant, "
        "uncertain preferences)\n",
        1,
    )
    text = text.replace("\nsources:\n", "\nsources:\n" + SOURCE, 1)
    return HEADER + text


if __name__ == "__main__":
    OUT.write_text(variant(), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
