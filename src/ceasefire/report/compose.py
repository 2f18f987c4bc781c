"""Gather every result a report shows into one document: analyze at its top level, others by name.

Every part comes from the registry of runs (:mod:`ceasefire.runs`), so the report shows the
numbers its commands print for the same seed: the war model (when the scenario has a ``war:``
section) under ``"war"``, robustness (when an input is uncertain) under ``"robust"``. A part that
fails never sinks the report: its failure becomes a note the report prints.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ceasefire.defaults import MONTE_CARLO_SAMPLES, SEED
from ceasefire.runs import Progress, fraction, run
from ceasefire.scenario import LoadedScenario

Say = Callable[[str], None]


def compose(
    loaded: LoadedScenario,
    *,
    samples: int | None = None,
    seed: int | None = None,
    progress: Say | None = None,
    sensitivity: bool = False,
) -> tuple[dict[str, Any], list[str]]:
    """The merged document of every result that applies, and notes on the parts left out.

    With ``sensitivity``, the one-at-a-time sensitivity analysis too (slower).
    """
    say = progress or (lambda _: None)
    say("analysing the bargaining problem")
    notes: list[str] = []
    try:
        document = analyze_document(loaded, samples=samples, seed=seed)
    except ValueError as error:
        notes.append(f"The bargaining analysis could not be run: {error}")
        document = _bare_document(loaded, seed)
    if "zopa" in document:
        say("explaining the answer")
        part = _optional(lambda: explain_document(loaded, samples, seed), notes, "explanation")
        if part is not None:
            document["explain"] = part
    if loaded.scenario.war is not None:
        say("simulating the war")
        part = _optional(lambda: war_document(loaded, samples, seed), notes, "war model")
        if part is not None:
            document["war"] = part
    if has_uncertain_inputs(loaded):
        say("drawing the uncertain inputs")
        part = _optional(
            lambda: robust_document(loaded, samples or MONTE_CARLO_SAMPLES, seed or SEED),
            notes,
            "robustness analysis",
        )
        if part is not None:
            document["robust"] = part
            if getattr(loaded.scenario, "commitment", None) is not None:
                notes.append(
                    "The robustness analysis values packages as if they were enforced forever: "
                    "it does not yet count the chance that a deal breaks down (the scenario's "
                    "commitment: section), which the zone of agreement and the solutions above do."
                )
    if sensitivity:
        say("one input at a time")
        part = _optional(lambda: sensitivity_document(loaded, seed), notes, "sensitivity analysis")
        if part is not None:
            document["sensitivity"] = part
    return document, notes


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


# The report's parts with a progress fraction in [0, 1]; the web app calls them too.

DEFAULT_ROBUST_SAMPLES = MONTE_CARLO_SAMPLES


def _progress(report: Callable[[float], None] | None) -> Progress | None:
    return None if report is None else fraction(report)


def analyze_document(
    loaded: LoadedScenario, *, samples: int | None = None, seed: int | None = None
) -> dict[str, Any]:
    """The ``ceasefire analyze --json`` document."""
    return run("analyze", loaded, samples=samples, seed=seed).document


def explain_document(
    loaded: LoadedScenario,
    samples: int | None,
    seed: int | None,
    progress: Callable[[float], None] | None = None,
    *,
    break_even: bool = False,
) -> dict[str, Any]:
    """``ceasefire explain --json`` (margins, what binds, the binding party; break-even values
    only when asked: they rerun the model for every input)."""
    return run(
        "explain",
        loaded,
        samples=samples,
        seed=seed,
        break_even=break_even,
        progress=_progress(progress),
    ).document


def war_document(
    loaded: LoadedScenario,
    samples: int | None,
    seed: int | None,
    progress: Callable[[float], None] | None = None,
) -> dict[str, Any] | None:
    """The ``ceasefire war --json`` document over the scenario's horizon (None without a war)."""
    if loaded.scenario.war is None:
        return None
    return run(
        "war",
        loaded,
        samples=samples or MONTE_CARLO_SAMPLES,
        seed=SEED if seed is None else seed,
        progress=_progress(progress),
    ).document


def robust_document(
    loaded: LoadedScenario,
    samples: int,
    seed: int,
    progress: Callable[[float], None] | None = None,
) -> dict[str, Any]:
    """The ``ceasefire robust --json`` document (serial), with the status quo for labels."""
    from ceasefire.scenario import utility as su

    document = run(
        "robust", loaded, samples=samples, seed=seed, progress=_progress(progress)
    ).document
    document.setdefault("status_quo", {"package": su.status_quo_package(loaded.scenario)})
    return document


def sensitivity_document(
    loaded: LoadedScenario,
    seed: int | None,
    progress: Callable[[float], None] | None = None,
) -> dict[str, Any]:
    """One-at-a-time sensitivity (``ceasefire sensitivity --json``), serial."""
    return run(
        "sensitivity", loaded, seed=SEED if seed is None else seed, progress=_progress(progress)
    ).document


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
