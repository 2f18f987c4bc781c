"""Gather every result a report shows into one document: analyze at its top level, others by name.

Each layer that is installed and applies to the scenario adds its part: the war model (when the
scenario has a ``war:`` section) under ``"war"``, robustness under ``"robust"``. A layer that fails
never sinks the report: its failure becomes a note the report prints.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

from ceasefire.scenario import LoadedScenario

Progress = Callable[[str], None]


def _accepts(function: Callable[..., Any], name: str) -> bool:
    try:
        return name in inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False


def _options(function: Callable[..., Any], **candidates: Any) -> dict[str, Any]:
    """The keyword arguments that ``function`` takes, of those given and not None."""
    return {k: v for k, v in candidates.items() if v is not None and _accepts(function, k)}


def analyze_document(
    loaded: LoadedScenario, *, samples: int | None = None, seed: int | None = None
) -> dict[str, Any]:
    """The ``ceasefire analyze --json`` document (with the war model's options when it takes them)."""
    from ceasefire.analysis import analyze

    analysis = analyze(loaded, **_options(analyze, samples=samples, seed=seed))
    document: dict[str, Any] = analysis.to_dict()
    return document


def compose(
    loaded: LoadedScenario,
    *,
    samples: int | None = None,
    seed: int | None = None,
    progress: Progress | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """The merged document of every result that applies, and notes on the parts left out."""
    say = progress or (lambda _: None)
    say("analysing the bargaining problem")
    notes: list[str] = []
    try:
        document = analyze_document(loaded, samples=samples, seed=seed)
    except (ValueError, ImportError) as error:
        notes.append(f"The bargaining analysis could not be run: {error}")
        document = _bare_document(loaded, seed)
    if getattr(loaded.scenario, "war", None) is not None:
        say("simulating the war")
        part = _optional(war_document, loaded, samples, seed, notes, "war model")
        if part is not None:
            document["war"] = part
    if has_uncertain_inputs(loaded):
        say("drawing the uncertain inputs")
        part = _optional(
            lambda lo, n, s: robust_document(lo, n or DEFAULT_ROBUST_SAMPLES, s or 0),
            loaded,
            samples,
            seed,
            notes,
            "robustness analysis",
        )
        if part is not None:
            document["robust"] = part
    return document, notes


def has_uncertain_inputs(loaded: LoadedScenario) -> bool:
    """Whether any weight, value, reservation or cost of the scenario is a distribution."""
    try:
        from ceasefire.uncertainty.inputs import input_space
    except ImportError:
        return False
    return any(i.uncertain for i in input_space(loaded.scenario).inputs)


DEFAULT_ROBUST_SAMPLES = 10_000  # as `ceasefire robust`
DEFAULT_WAR_SAMPLES = 10_000  # as `ceasefire war`, so that the numbers agree for one seed


def _bare_document(loaded: LoadedScenario, seed: int | None) -> dict[str, Any]:
    """What every report shows even without a bargaining analysis: who the parties are."""
    from ceasefire.provenance import Provenance

    scenario = loaded.scenario
    return {
        "provenance": Provenance(scenario_sha256=loaded.sha256, seed=seed).to_dict(),
        "scenario": {"id": scenario.id, "as_of": scenario.as_of.isoformat()},
        "parties": [{"id": p.id, "role": p.role, "veto": p.has_veto} for p in scenario.parties],
    }


def war_document(
    loaded: LoadedScenario,
    samples: int | None,
    seed: int | None,
    progress: Callable[[float], None] | None = None,
) -> dict[str, Any] | None:
    """Monthly quantiles of the war going on, over the scenario's horizon (None without a war).

    The document of ``ceasefire war --json`` (:func:`ceasefire.war.document.war_document`).
    """
    war = getattr(loaded.scenario, "war", None)
    if war is None:
        return None
    from ceasefire.war.document import war_document as build

    months = max(int(war.horizon_months), 1)
    return build(
        loaded,
        samples=samples or DEFAULT_WAR_SAMPLES,
        seed=0 if seed is None else seed,
        progress=None if progress is None else (lambda done: progress(done / months)),
    )


def robust_document(
    loaded: LoadedScenario,
    samples: int,
    seed: int,
    progress: Callable[[float], None] | None = None,
) -> dict[str, Any]:
    """The ``ceasefire robust --json`` document (serial), with the status quo for labels."""
    from ceasefire.scenario import utility as su
    from ceasefire.uncertainty.robustness import robust

    def stage(done: int, total: int, _: str) -> None:
        if progress is not None and total:
            progress(done / total)

    document: dict[str, Any] = robust(loaded, samples, seed, progress=stage).to_dict()
    document.setdefault("status_quo", {"package": su.status_quo_package(loaded.scenario)})
    return document


def sensitivity_document(
    loaded: LoadedScenario,
    seed: int | None,
    progress: Callable[[float], None] | None = None,
) -> dict[str, Any]:
    """One-at-a-time sensitivity (``ceasefire sensitivity --method oat --json``), serial."""
    from ceasefire.uncertainty.sensitivity import sensitivity

    def stage(done: int, total: int, _: str) -> None:
        if progress is not None and total:
            progress(done / total)

    result = sensitivity(loaded, "oat", seed=0 if seed is None else seed, progress=stage)
    document: dict[str, Any] = result.to_dict()
    return document


KINDS = {
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
    build: Callable[[LoadedScenario, int | None, int | None], dict[str, Any] | None],
    loaded: LoadedScenario,
    samples: int | None,
    seed: int | None,
    notes: list[str],
    what: str,
) -> dict[str, Any] | None:
    try:
        return build(loaded, samples, seed)
    except Exception as error:  # a failed extra must not sink the whole report
        notes.append(f"The {what} could not be run: {error}")
        return None
