"""Gather every result a report shows into one document: analyze at its top level, others by name.

Every part comes from the registry of runs (:mod:`ceasefire.runs`), so the report shows the
numbers its commands print for the same seed: the war model (when the scenario has a ``war:``
section) under ``"war"``, robustness (when an input is uncertain) under ``"robust"``. A part that
fails never sinks the report: its failure becomes a note the report prints.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ceasefire.defaults import MONTE_CARLO_SAMPLES, SEED
from ceasefire.runs import Progress, run
from ceasefire.scenario import LoadedScenario, Scenario


def compose(
    loaded: LoadedScenario,
    *,
    samples: int | None = None,
    seed: int | None = None,
    progress: Progress | None = None,
    sensitivity: bool = False,
    scenario_name: str | None = None,
    changes: Mapping[str, float] | None = None,
    added: Sequence[str] = (),
) -> tuple[dict[str, Any], list[str]]:
    """The merged document of every result that applies, and notes on the parts left out.

    With ``sensitivity``, the one-at-a-time sensitivity analysis too (slower). The document's
    ``rerun`` is the command that reproduces every number (:func:`rerun_command`): the scenario as
    ``scenario_name`` (default: its bundled id or its file), with the what-if ``changes`` made to
    it and the results ``added`` to the report.
    ``samples`` and ``seed`` (None: each run's default) go to every part that draws at random;
    ``progress(done, total, stage)`` is told as each part starts. With ``sensitivity``, the
    one-at-a-time sensitivity analysis too (slower).
    """
    scenario = loaded.scenario
    uncertain = has_uncertain_inputs(loaded)
    stages = [
        "analysing the bargaining problem",
        "explaining the answer",
        *(["simulating the war"] if scenario.war is not None else []),
        *(["drawing the uncertain inputs"] if uncertain else []),
        *(["one input at a time"] if sensitivity else []),
    ]

    def start(stage: str) -> None:
        if progress is not None:
            progress(stages.index(stage), len(stages), stage)

    start(stages[0])
    notes: list[str] = []
    try:
        document = run("analyze", loaded, samples=samples, seed=seed).document
    except ValueError as error:
        notes.append(f"The bargaining analysis could not be run: {error}")
        document = _bare_document(loaded, seed)
    if "zopa" in document:
        start("explaining the answer")
        part = _optional(
            lambda: run("explain", loaded, samples=samples, seed=seed, break_even=False).document,
            notes,
            "explanation",
        )
        if part is not None:
            document["explain"] = part
    if scenario.war is not None:
        start("simulating the war")
        part = _optional(
            lambda: run("war", loaded, samples=samples, seed=seed).document, notes, "war model"
        )
        if part is not None:
            document["war"] = part
    if uncertain:
        start("drawing the uncertain inputs")
        part = _optional(
            lambda: with_status_quo(
                run("robust", loaded, samples=samples, seed=seed).document, scenario
            ),
            notes,
            "robustness analysis",
        )
        if part is not None:
            document["robust"] = part
            if part.get("assumptions"):  # with a commitment: section
                notes.append(f"The robustness analysis: {part['assumptions']}")
    if sensitivity:
        start("one input at a time")
        part = _optional(
            lambda: run("sensitivity", loaded, seed=seed).document, notes, "sensitivity analysis"
        )
        if part is not None:
            document["sensitivity"] = part
    document["rerun"] = rerun_command(
        scenario_name or scenario_reference(loaded),
        samples=samples,
        seed=seed,
        sensitivity=sensitivity,
        changes=changes,
        added=added,
    )
    return document, notes


def scenario_reference(loaded: LoadedScenario) -> str:
    """How a command names ``loaded``: its bundled id, else its file."""
    from pathlib import Path

    from ceasefire.scenario import bundled_scenarios

    bundled = bundled_scenarios().get(loaded.scenario.id)
    if bundled is not None and Path(loaded.path) == Path(bundled):
        return loaded.scenario.id
    return loaded.path


def rerun_command(
    scenario: str,
    *,
    samples: int | None,
    seed: int | None,
    sensitivity: bool = False,
    changes: Mapping[str, float] | None = None,
    added: Sequence[str] = (),
) -> str:
    """The ``ceasefire report`` command that gives the same numbers: every option that changes
    one, with the defaults it ran with written out (so a later default cannot change them)."""
    import shlex

    words = ["ceasefire", "report", scenario]
    words += [
        "--samples",
        str(samples or MONTE_CARLO_SAMPLES),
        "--seed",
        str(SEED if seed is None else seed),
    ]
    for path, value in (changes or {}).items():
        words += ["--set", f"{path}={value:g}"]
    if sensitivity:
        words.append("--sensitivity")
    for name in added:
        words += ["--add", name]
    return shlex.join(words)


def with_status_quo(document: dict[str, Any], scenario: Scenario) -> dict[str, Any]:
    """A robustness document with the scenario's status quo, which labels its packages."""
    from ceasefire.scenario import utility as su

    document.setdefault("status_quo", {"package": su.status_quo_package(scenario)})
    return document


def has_uncertain_inputs(loaded: LoadedScenario) -> bool:
    """Whether any weight, value, reservation or cost of the scenario is a distribution."""
    from ceasefire.uncertainty.inputs import input_space

    return any(i.uncertain for i in input_space(loaded.scenario).inputs)


def _bare_document(loaded: LoadedScenario, seed: int | None) -> dict[str, Any]:
    """What every report shows even without a bargaining analysis: who the parties are."""
    from ceasefire.provenance import Provenance

    scenario = loaded.scenario
    return {
        "provenance": Provenance(scenario_sha256=loaded.sha256, seed=seed).to_dict(),
        "scenario": {"id": scenario.id, "as_of": scenario.as_of.isoformat()},
        "parties": [{"id": p.id, "role": p.role, "veto": p.has_veto} for p in scenario.parties],
    }


KINDS = {
    "explain": ("binding_party", "constraints"),
    "sensitivity": ("tornado",),
    "robust": ("p_zopa", "most_robust"),
    "negotiate": ("transcript", "agreement"),
    "war": ("territory", "casualties"),
}


def kind_of(document: Any, kinds: Mapping[str, tuple[str, ...]] = KINDS) -> str | None:
    """Which command wrote a result document, by its fields (None if none of ``kinds``)."""
    if not isinstance(document, dict):
        return None
    for kind, fields in kinds.items():
        if all(field in document for field in fields):
            return kind
    return None


def merge(
    document: dict[str, Any], extra: dict[str, Any], loaded: LoadedScenario, name: str
) -> None:
    """Add another command's result to a report document; ValueError if it does not belong."""
    from ceasefire.report.method_figures import METHOD_KINDS

    method = kind_of(extra, METHOD_KINDS)
    if method is not None:  # divide, forecast, stability: may come from their own input files
        document[method] = extra
        return
    kind = kind_of(extra)
    if kind is None:
        raise ValueError(
            f"{name}: not a result of war, robust, sensitivity, negotiate, divide, forecast or "
            "stability --json"
        )
    sha = (extra.get("provenance") or {}).get("scenario_sha256")
    if sha is not None and sha != loaded.sha256:
        raise ValueError(f"{name}: computed on another scenario text (sha256 {sha[:12]}…)")
    if kind == "negotiate":
        document["negotiate"] = extra
    else:
        document[kind] = extra


def _optional(
    build: Callable[[], dict[str, Any] | None], notes: list[str], what: str
) -> dict[str, Any] | None:
    try:
        return build()
    except Exception as error:  # a failed extra must not sink the whole report
        notes.append(f"The {what} could not be run: {error}")
        return None
