"""Hypothesis strategies and random scenarios shared by the test suite, and scenario text edits.

Hypothesis draws the structure (sizes, kinds, probabilities) and one seed; the numbers themselves come
from ``numpy.random.default_rng(seed)``, so every example is reproducible from what Hypothesis prints.

- :func:`bargaining_problems`: random bargaining problems (arrays);
- :func:`random_scenario`: random scenarios with uncertain inputs (red lines with ``p``,
  distributions);
- :func:`edited` and :func:`parse_edited`: a scenario text with some snippets replaced (each must
  be there), parsed and validated like a file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
from hypothesis import strategies as st

from ceasefire.bargaining import BargainingProblem
from ceasefire.scenario import LoadedScenario, Scenario, bundled_scenarios, parse_scenario
from ceasefire.scenario.model import Scenario as ScenarioModel


def edited(text: str, *replacements: tuple[str, str], count: int = 1) -> str:
    """``text`` with each ``old`` replaced by ``new`` (the first ``count`` times; -1: all);
    every ``old`` must occur, so that a test never silently edits nothing."""
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, count)
    return text


def parse_edited(
    text: str, *replacements: tuple[str, str], count: int = 1, name: str = "<scenario>"
) -> LoadedScenario:
    """:func:`edited`, then parsed and validated as a scenario file."""
    return parse_scenario(edited(text, *replacements, count=count), name)


CONTRIBUTION_KINDS = ("integer", "decimal", "jitter", "float", "zero_sum")
"""How contribution tables are drawn:

- ``integer``: small integers 0..3, so ties and duplicate utility vectors are common;
- ``decimal``: multiples of 0.1, whose float sums differ from their exact sums (0.1 + 0.2 != 0.3);
- ``jitter``: small integers moved by multiples of 4e-10, so that sums differ by less than the
  1e-9 tolerance: exactly non-dominated points that are eps-dominated, reservation values met
  only within tolerance;
- ``float``: weights times values on 0..100, as in a scenario (ties only from copied options);
- ``zero_sum``: the veto parties' contributions add up to the same total for every option of an
  issue, so every package is Pareto-optimal.
"""


def _contribution_table(
    rng: np.random.Generator, kind: str, n_options: int, n_parties: int, weights: np.ndarray
) -> np.ndarray:
    if kind == "integer":
        table = rng.integers(0, 4, size=(n_options, n_parties)).astype(float)
    elif kind == "decimal":
        table = rng.integers(0, 30, size=(n_options, n_parties)) / 10
    elif kind == "jitter":
        table = rng.integers(0, 4, size=(n_options, n_parties)) + 4e-10 * rng.integers(
            -2, 3, size=(n_options, n_parties)
        )
    elif kind == "float":
        table = weights[None, :] * rng.uniform(0, 100, size=(n_options, n_parties))
    else:
        # Split a fixed total (an integer) among the parties for every option.
        total = int(rng.integers(0, 7))
        cuts = np.sort(rng.integers(0, total + 1, size=(n_options, n_parties - 1)), axis=1)
        edges = np.hstack([np.zeros((n_options, 1)), cuts, np.full((n_options, 1), total)])
        table = np.diff(edges, axis=1)
    if n_options > 1 and rng.random() < 0.3:
        table[rng.integers(n_options)] = table[rng.integers(n_options)]  # a tied option
    return table


@st.composite
def bargaining_problems(
    draw: st.DrawFn,
    *,
    veto_parties: tuple[int, int] = (2, 3),
    extra_parties: tuple[int, int] = (0, 1),
    max_issues: int = 6,
    max_options: int = 6,
    max_packages: int = 10**5,
    kinds: tuple[str, ...] = CONTRIBUTION_KINDS,
    red_lines: bool = True,
    reservations: bool = True,
) -> BargainingProblem:
    """Random bargaining problems.

    ``veto_parties`` and ``extra_parties`` (without veto) are inclusive ranges; the package count
    stays at most ``max_packages``. With ``red_lines`` some options are forbidden; with
    ``reservations`` the veto parties' reservation values fall anywhere between their worst and best
    utility (sometimes on an integer, to hit ties with integer utilities exactly), and a party without
    a veto may have none (NaN).
    """
    n_veto = draw(st.integers(*veto_parties), label="veto parties")
    n_extra = draw(st.integers(*extra_parties), label="other parties")
    n_parties = n_veto + n_extra
    n_issues = draw(st.integers(1, max_issues), label="issues")
    sizes: list[int] = []
    total = 1
    for _ in range(n_issues):
        largest = min(max_options, max_packages // total)
        if largest < 1:
            break
        sizes.append(draw(st.integers(1, largest), label="options"))
        total *= sizes[-1]
    kind = draw(st.sampled_from(kinds), label="kind")
    forbid_rate = draw(st.sampled_from((0.0, 0.15, 0.4)) if red_lines else st.just(0.0))
    reservation_mode = draw(
        st.sampled_from(("none", "between", "integer")) if reservations else st.just("none")
    )
    seed = draw(st.integers(0, 2**32 - 1), label="seed")
    rng = np.random.default_rng(seed)

    weights = rng.dirichlet(np.ones(len(sizes)), size=n_parties).T  # (issues, parties)
    tables = [
        _contribution_table(rng, kind, size, n_veto, weights[k, :n_veto])
        for k, size in enumerate(sizes)
    ]
    # Parties without a veto get their own columns, never part of a zero-sum split.
    tables = [
        np.hstack([t, weights[k, n_veto:][None, :] * rng.uniform(0, 100, (t.shape[0], n_extra))])
        for k, t in enumerate(tables)
    ]
    # Veto parties are not always the first columns.
    order = rng.permutation(n_parties)
    tables = [t[:, order] for t in tables]
    veto = np.array([True] * n_veto + [False] * n_extra)[order]

    forbidden = [rng.random(size) < forbid_rate for size in sizes]
    low = np.sum([t.min(axis=0) for t in tables], axis=0)
    high = np.sum([t.max(axis=0) for t in tables], axis=0)
    if reservation_mode == "none":
        reservation = low - 1.0
    else:
        reservation = low + rng.uniform(0.0, 0.8, n_parties) * (high - low)
        if reservation_mode == "integer":
            reservation = np.round(reservation)
    reservation = np.where(veto | (rng.random(n_parties) < 0.5), reservation, np.nan)
    return BargainingProblem.from_arrays(
        tables, veto=veto.tolist(), reservation=reservation, forbidden=forbidden
    )


# ---- random scenarios with uncertain inputs --------------------------------------------------


def toy_text() -> str:
    return bundled_scenarios()["toy-border"].read_text()


def toy(edits: dict[str, str]) -> Scenario:
    """The bundled toy border dispute with every ``old`` text replaced by ``new``."""
    return parse_edited(toy_text(), *edits.items(), count=-1, name="toy.yaml").scenario


def _number(rng: np.random.Generator, point: float, low: float, high: float, kind: str) -> Any:
    """A plain number, or a distribution around it of the given kind."""
    if kind == "fixed":
        return point
    if kind == "choice":
        alternatives = sorted({round(float(x), 1) for x in rng.uniform(low, high, size=2)})
        alternatives.append(round(point, 1))
        return {"dist": "choice", "alternatives": alternatives}
    width = float(rng.uniform(0.5, 8.0))
    if kind == "uniform":
        return {"dist": "uniform", "low": point - width, "high": point + width}
    return {"dist": "normal", "mean": point, "sd": width / 2}


def random_scenario(
    rng: np.random.Generator,
    *,
    kinds: tuple[str, ...] = ("fixed", "choice", "uniform", "normal"),
    uncertain_preferences: bool = True,
) -> ScenarioModel:
    """A scenario of 2 or 3 belligerents, 2 or 3 issues of 2 to 4 options (one may be numeric),
    red lines (some with ``p``) and costs of no deal, some of them uncertain. With
    ``uncertain_preferences`` False, only costs and red lines are uncertain (and ``choice``)."""
    n_parties = int(rng.integers(2, 4))
    n_issues = int(rng.integers(2, 4))
    parties = [{"id": f"p{i}", "name": f"P{i}", "role": "belligerent"} for i in range(n_parties)]
    issues: list[dict[str, Any]] = []
    for k in range(n_issues):
        n_opt = int(rng.integers(2, 5))
        if k == 0 and rng.random() < 0.4:
            grid = sorted({float(x) for x in rng.choice(np.arange(0, 11), n_opt, replace=False)})
            issues.append(
                {
                    "id": f"i{k}",
                    "name": f"I{k}",
                    "kind": "numeric",
                    "range": [0, 10],
                    "grid": grid,
                    "status_quo": float(rng.choice(grid)),
                }
            )
        else:
            options = [f"o{j}" for j in range(n_opt)]
            issues.append(
                {"id": f"i{k}", "name": f"I{k}", "options": options, "status_quo": options[0]}
            )
    preference_kinds = kinds if uncertain_preferences else ("fixed", "choice")
    preferences: dict[str, Any] = {}
    for party in parties:
        raw = rng.dirichlet(np.ones(n_issues))
        weights = [round(float(w), 3) for w in raw]
        weights[-1] = round(1.0 - sum(weights[:-1]), 3)
        while weights[-1] < 0:
            weights = [1.0 / n_issues] * n_issues
        w_spec: dict[str, Any] = {}
        for issue, w in zip(issues, weights, strict=True):
            kind = str(rng.choice(preference_kinds)) if rng.random() < 0.3 else "fixed"
            if kind in ("uniform", "normal"):
                width = min(w, 0.1)
                w_spec[issue["id"]] = {"dist": "uniform", "low": w - width, "high": w + width}
            elif kind == "choice":
                # Symmetric, so that the means still sum to 1.
                w_spec[issue["id"]] = {"dist": "choice", "alternatives": [w * 0.5, w * 1.5]}
            else:
                w_spec[issue["id"]] = w
        values: dict[str, Any] = {}
        for issue in issues:
            if issue.get("kind") == "numeric":
                ys = [float(rng.integers(0, 101)) for _ in range(2)]
                kind = str(rng.choice(preference_kinds)) if rng.random() < 0.3 else "fixed"
                y1 = _number(rng, ys[1], 0, 100, kind)
                if kind in ("uniform", "normal"):
                    y1 = {
                        "dist": "uniform",
                        "low": max(0.0, ys[1] - 5),
                        "high": min(100.0, ys[1] + 5),
                    }
                values[issue["id"]] = [[0, ys[0]], [10, y1]]
            else:
                table: dict[str, Any] = {}
                for option in issue["options"]:
                    v = float(rng.integers(0, 101))
                    kind = str(rng.choice(preference_kinds)) if rng.random() < 0.2 else "fixed"
                    if kind in ("uniform", "normal"):
                        table[option] = {
                            "dist": "uniform",
                            "low": max(0.0, v - 5),
                            "high": min(100.0, v + 5),
                        }
                    elif kind == "choice":
                        table[option] = {"dist": "choice", "alternatives": [v, float(100 - v)]}
                    else:
                        table[option] = v
                values[issue["id"]] = table
        red_lines: dict[str, Any] = {}
        if rng.random() < 0.7:
            issue = issues[int(rng.integers(n_issues))]
            if issue.get("kind") == "numeric":
                bound: dict[str, Any] = {"above": float(rng.choice(issue["grid"]))}
                if rng.random() < 0.6:
                    bound["p"] = round(float(rng.uniform(0.2, 0.95)), 2)
                if bound["above"] < max(issue["grid"]):
                    red_lines[issue["id"]] = bound
            else:
                crossed = [issue["options"][-1]]
                if rng.random() < 0.6:
                    red_lines[issue["id"]] = {
                        "options": crossed,
                        "p": round(float(rng.uniform(0.2, 0.95)), 2),
                    }
                else:
                    red_lines[issue["id"]] = crossed
        cost_point = round(float(rng.uniform(-5, 25)), 1)
        cost_kind = str(rng.choice(kinds))
        preferences[party["id"]] = {
            "weights": w_spec,
            "values": values,
            "red_lines": red_lines,
            "no_deal": {"cost": _number(rng, cost_point, -10, 30, cost_kind)},
        }
    data = {
        "schema_version": 1,
        "id": "random",
        "title": "A random scenario",
        "as_of": "2024-01-01",
        "parties": parties,
        "issues": issues,
        "preferences": preferences,
    }
    return ScenarioModel.model_validate(data)


seeds = st.integers(0, 2**32 - 1)


# ---- hostile scenario files (the fuzz test) ------------------------------------------------------

_KEY_VALUE = re.compile(r"^(?P<head>\s*(?:- )?[A-Za-z0-9_.\-]+:[ ]+)(?P<value>\S.*)$")
_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w.])")

ODD_NUMBERS = (
    "0",
    "-0",
    "-1",
    "1e308",
    "-1e308",
    "1e999",
    ".inf",
    "-.inf",
    ".nan",
    "1e-300",
    "5e-324",
    "18446744073709551616",
    "1e15",
    "1.0000000001e15",
    "1e16",
    "-1e16",
    "0x7fffffff",
    "0o777",
    "1_000_000",
    "9" * 400,
)
"""Numbers at and beyond every limit: huge, tiny, infinite, not a number, other notations."""

ODD_VALUES = (
    "[]",
    "{}",
    "null",
    "~",
    "''",
    '"text"',
    "true",
    "no",
    "[1, [2, [3]]]",
    "{a: 1}",
    "!!binary aGVsbG8=",
    "!!set {a, b}",
    "!!timestamp 2024-01-01",
    "!!python/object:os.system",
    "!custom value",
    "!!str 12",
    "!!float 1",
    "*undefined",
    "&anchor 5",
    "2024-13-45",
    '"\\u0000"',
    '"\\x07"',
    "|\n  block",
    ">-\n  folded",
    "'it''s'",
)
"""Values of the wrong type: collections, null, booleans, tags, aliases, dates, escapes."""


def _lines(draw: st.DrawFn, text: str) -> tuple[list[str], int]:
    lines = text.split("\n")
    return lines, draw(st.integers(0, max(0, len(lines) - 1)), label="line")


def _deep(draw: st.DrawFn) -> str:
    depth = draw(st.sampled_from((5, 99, 101, 2_000, 40_000)), label="depth")
    if draw(st.booleans(), label="flow mapping"):
        return "{a: " * depth + "1" + "}" * depth
    return "[" * depth + "]" * depth


def _value(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(("number", "value", "text", "deep", "float")), label="kind")
    if kind == "number":
        return draw(st.sampled_from(ODD_NUMBERS))
    if kind == "value":
        return draw(st.sampled_from(ODD_VALUES))
    if kind == "deep":
        return _deep(draw)
    if kind == "float":
        return repr(draw(st.floats(allow_nan=True, allow_infinity=True)))
    text = draw(st.text(max_size=20), label="text")
    return json.dumps(text) if draw(st.booleans()) else text


def _mutate(draw: st.DrawFn, text: str) -> str:
    lines, i = _lines(draw, text)
    kind = draw(
        st.sampled_from(
            (
                "delete",
                "value",
                "number",
                "duplicate",
                "swap",
                "indent",
                "insert",
                "alias",
                "characters",
                "truncate",
            )
        ),
        label="mutation",
    )
    if kind == "delete":  # a deleted key (or list entry)
        del lines[i]
    elif kind == "value":  # a value of the wrong type, size or kind
        match = _KEY_VALUE.match(lines[i])
        if match is not None:
            lines[i] = match["head"] + _value(draw)
    elif kind == "number":  # one number replaced by an odd one
        numbers = list(_NUMBER.finditer(lines[i]))
        if numbers:
            hit = numbers[draw(st.integers(0, len(numbers) - 1))]
            odd = draw(st.sampled_from(ODD_NUMBERS))
            lines[i] = lines[i][: hit.start()] + odd + lines[i][hit.end() :]
    elif kind == "duplicate":  # a duplicate key
        lines.insert(i, lines[i])
    elif kind == "swap":
        j = draw(st.integers(0, len(lines) - 1))
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "indent":
        shift = draw(st.sampled_from((-2, -1, 1, 2, 4)))
        lines[i] = lines[i][-shift:] if shift < 0 else " " * shift + lines[i]
    elif kind == "insert":  # a line of its own: a key, a directive, a document marker, a tag
        extra = draw(
            st.sampled_from(
                (
                    "extra: 1",
                    "%YAML 9.9",
                    "%YAML 1.1",
                    "%TAG ! tag:example.com,2000:",
                    "---",
                    "...",
                    "? complex key",
                    "<<: {a: 1}",
                    "- item",
                    "\t",
                    "key: " + "x" * 10_000,
                )
            )
        )
        lines.insert(i, extra)
    elif kind == "alias":  # an anchor on one value, aliases to it elsewhere
        match = _KEY_VALUE.match(lines[i])
        if match is not None:
            lines[i] = match["head"] + "&a " + match["value"]
            for _ in range(draw(st.integers(1, 3))):
                j, target = draw(st.integers(0, len(lines) - 1)), None
                target = _KEY_VALUE.match(lines[j])
                if target is not None:
                    lines[j] = target["head"] + "*a"
    elif kind == "characters":  # unicode and control characters anywhere
        chars = draw(
            st.text(
                alphabet=st.sampled_from(
                    [
                        "\x00",
                        "\x07",
                        "\x1b",
                        "\x7f",
                        "\x85",
                        "\u2028",
                        "\ufeff",
                        "\ud7ff",
                        "\U0001f525",
                        "é",
                        "\u202e",
                        ":",
                        "#",
                        "&",
                        "*",
                        "!",
                        "%",
                        "@",
                        "`",
                        "'",
                        '"',
                        "{",
                        "[",
                        "]",
                        "}",
                        "\\",
                        "\r",
                    ]
                ),
                min_size=1,
                max_size=4,
            )
        )
        column = draw(st.integers(0, len(lines[i])))
        lines[i] = lines[i][:column] + chars + lines[i][column:]
    else:  # a file cut short
        del lines[i + 1 :]
    return "\n".join(lines)


@st.composite
def hostile_scenario_files(draw: st.DrawFn, scenarios: Mapping[str, str]) -> bytes | str:
    """A bundled scenario's YAML text (``scenarios``: name -> text) after 1-3 mutations, as text
    or encoded: UTF-8 with or without a BOM, UTF-16, Latin-1, or a few bytes broken."""
    name = draw(st.sampled_from(sorted(scenarios)), label="scenario")
    text = scenarios[name]
    for _ in range(draw(st.integers(1, 3), label="mutations")):
        text = _mutate(draw, text)
    encoding = draw(
        st.sampled_from(("str", "utf-8", "utf-8-sig", "utf-16", "utf-32", "latin-1", "broken")),
        label="encoding",
    )
    if encoding == "str":
        return text
    if encoding == "broken":
        raw = bytearray(text.encode("utf-8", "surrogatepass"))
        if raw:
            raw[draw(st.integers(0, len(raw) - 1))] = draw(st.integers(0x80, 0xFF))
        return bytes(raw)
    return text.encode(encoding, "surrogatepass" if encoding.startswith("utf") else "replace")
