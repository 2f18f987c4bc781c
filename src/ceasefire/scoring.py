"""Score real proposals: what each party gets, who accepts, what blocks, and the smallest fix.

For each proposal of a scenario's ``proposals:`` section (or of a file given with ``ceasefire
score --proposals FILE``):

- the *package*: the options the proposal gives; an issue it leaves open is scored at its status
  quo (the state of that issue if the proposal is signed and says nothing about it), as the
  ``record:`` section scores an agreement that settled only some issues;
- each party's *utility* of it, its *margin* over its value of no deal, whether it *accepts*
  (no red line of its own crossed, margin at least zero within 1e-9, and with a ``commitment:``
  section the deal self-enforcing for it) and ``p_accepts``, the share of the samples of the
  uncertain inputs in which it accepts (the robust analysis' samples:
  :mod:`ceasefire.uncertainty.sampling`, same seed, same blocks). With a ``commitment:`` section
  utilities are *effective* (:mod:`ceasefire.bargaining.effective`): the deal may break, and in
  the samples the chance that it holds and the renewed war's values stay at their point values;
- the clauses that *block* it: for every veto party that rejects it, the options that cross its
  red lines and the issues on which it gives up utility against the status quo, largest first;
- the *minimal edit* (:mod:`ceasefire.bargaining.minimal_edit`): the fewest issues to change so
  that every veto party accepts, then the least loss to the proposer, as a mediator revises a
  single negotiating text [Fisher1981, Raiffa1982].

Acceptance is the zone of possible agreement's test, one party at a time [Raiffa1982]: party
``i`` accepts package ``x`` when ``U_i(x) >= r_i`` and ``x`` crosses none of its red lines, with
``U_i`` the additive utility [Keeney1976] (effective ``E_i = p U_i + (1 - p) V_i`` under a
``commitment:`` section [Powell2006, Fortna2003]).

A proposal dated after the scenario's ``as_of`` is scored with the preferences the scenario states
as of that date, and its entry says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ceasefire.bargaining import BargainingProblem
from ceasefire.bargaining.effective import EffectiveProblem
from ceasefire.bargaining.from_scenario import build_problem
from ceasefire.bargaining.minimal_edit import (
    MinimalEdit,
    SearchTooLarge,
    minimal_edit,
    package_indices,
)
from ceasefire.bargaining.problem import TOLERANCE, TOLERANCE_UNITS, dequantize, quantize
from ceasefire.defaults import MONTE_CARLO_SAMPLES, SEED
from ceasefire.provenance import Provenance
from ceasefire.scenario import LoadedScenario, Scenario
from ceasefire.scenario import utility as su
from ceasefire.scenario.proposals import Proposal, sources_of
from ceasefire.uncertainty.commitment import assumption

if TYPE_CHECKING:
    from ceasefire.war import Reservations

IndexArray = npt.NDArray[np.intp]

MAX_EDIT_SUBSETS = 100_000
"""At most this many sets of changed issues are searched for a minimal edit (2^16 is every set
of 16 issues; a larger domain whose edit needs many changes gets a note instead)."""

OPEN_ISSUES_RULE = "status quo"
"""How an issue a proposal leaves open is scored."""

OPEN_NOTE = "open issues scored at their status quo: "
"""How the note listing a proposal's open issues begins (``ceasefire score`` names them)."""


@dataclass(frozen=True)
class PartyScore:
    """One party's view of one proposal."""

    utility: float
    margin: float | None
    """``utility - value of no deal`` (None for a party without a value of no deal)."""
    accepts: bool | None
    p_accepts: float | None
    """Share of the samples in which it accepts (veto parties only)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "utility": round(self.utility, 12),
            "margin": None if self.margin is None else round(self.margin, 12),
            "accepts": self.accepts,
            "p_accepts": self.p_accepts,
        }


@dataclass(frozen=True)
class ProposalScore:
    """The score of one proposal."""

    proposal: Proposal
    package: dict[str, su.OptionLabel]
    open_issues: tuple[str, ...]
    parties: dict[str, PartyScore]
    accepted: bool
    p_accepted: float
    blocking: tuple[dict[str, Any], ...]
    minimal_edit: MinimalEdit | None
    notes: tuple[str, ...]
    sources: tuple[dict[str, str | None], ...]
    after_as_of: bool

    def to_dict(self, as_of: dt.date) -> dict[str, Any]:
        p = self.proposal
        return {
            "id": p.id,
            "name": p.name,
            "date": p.date.isoformat(),
            "proposer": p.proposer,
            "scored_as_of": as_of.isoformat(),
            "after_as_of": self.after_as_of,
            "package": dict(self.package),
            "unspecified": list(self.open_issues),
            "unmapped": list(p.unmapped),
            "parties": {party: score.to_dict() for party, score in self.parties.items()},
            "accepted": self.accepted,
            "p_accepted": self.p_accepted,
            "blocking": [dict(b) for b in self.blocking],
            "minimal_edit": None if self.minimal_edit is None else self.minimal_edit.to_dict(),
            "notes": list(self.notes),
            "sources": [dict(s) for s in self.sources],
        }


@dataclass(frozen=True)
class Scores:
    """The scores of a scenario's proposals, with provenance."""

    loaded: LoadedScenario
    proposals: tuple[ProposalScore, ...]
    samples: int
    seed: int
    effective: bool
    provenance: Provenance = field(repr=False)

    @property
    def scenario(self) -> Scenario:
        return self.loaded.scenario

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of ``ceasefire score --json``: ``{"proposals": [...], "provenance"}``."""
        as_of = self.scenario.as_of
        return {
            "proposals": [p.to_dict(as_of) for p in self.proposals],
            "provenance": self.provenance.to_dict(),
        }


# ---- the driver ---------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Setting:
    """What every proposal of one scenario is scored against."""

    problem: BargainingProblem
    effective: EffectiveProblem | None
    reservation: dict[str, float]


def score(
    loaded: LoadedScenario,
    *,
    proposal: str | None = None,
    proposals: Sequence[Proposal] | None = None,
    samples: int = MONTE_CARLO_SAMPLES,
    seed: int = SEED,
) -> Scores:
    """Score the proposals of ``loaded`` (or ``proposals``, checked against it beforehand by
    :func:`ceasefire.scenario.load.load_proposals`); ``proposal``: only the one with this id.

    ``samples`` Monte Carlo samples from ``seed`` give ``p_accepts`` and, with a war model, the
    values of no deal (their medians, as in ``ceasefire analyze --samples N --seed S``). Raises
    ValueError when there is no proposal to score or ``proposal`` names none.
    """
    scenario = loaded.scenario
    chosen = list(scenario.proposals if proposals is None else proposals)
    if not chosen:
        raise ValueError(
            f"scenario '{scenario.id}' has no proposals: add a 'proposals:' section or give a "
            "file of proposals (--proposals FILE)"
        )
    if proposal is not None:
        chosen = [p for p in chosen if p.id == proposal]
        if not chosen:
            known = ", ".join(p.id for p in (proposals or scenario.proposals))
            raise ValueError(f"no proposal '{proposal}' (proposals: {known})")
    if samples < 1:
        raise ValueError("samples must be at least 1")
    setting = bargaining_setting(loaded, samples, seed)
    packages = [_complete(scenario, p) for p in chosen]
    indices = np.array(
        [package_indices(setting.problem, package) for package, _, _ in packages], dtype=np.intp
    ).reshape(len(chosen), setting.problem.n_issues)
    p_party, p_all = accept_shares(scenario, setting, indices, samples, seed)
    scored = tuple(
        _score_one(
            scenario, setting, p, package, open_issues, notes, indices[j], p_party[j], p_all[j]
        )
        for j, (p, (package, open_issues, notes)) in enumerate(zip(chosen, packages, strict=True))
    )
    return Scores(
        loaded=loaded,
        proposals=scored,
        samples=samples,
        seed=seed,
        effective=setting.effective is not None,
        provenance=Provenance(
            scenario_sha256=loaded.sha256,
            seed=seed,
            parameters={
                "samples": samples,
                "proposal": proposal,
                "scenario": scenario.id,
                "as_of": scenario.as_of.isoformat(),
                "open_issues": OPEN_ISSUES_RULE,
                "utilities": "effective" if setting.effective is not None else "nominal",
                "reservation": "war model, month-0 medians"
                if scenario.war is not None
                else "scenario",
                # With a commitment: section only (documents without one are as they were):
                # what the samples behind p_accepts assume.
                **({"p_accepts": sampled} if (sampled := assumption(scenario)) else {}),
            },
        ),
    )


def bargaining_setting(loaded: LoadedScenario, samples: int, seed: int) -> _Setting:
    """The problem a scenario's packages are judged on, as ``ceasefire analyze`` builds it: the
    nominal problem at the values of no deal (with a war model, the medians of ``samples``
    month-0 values from ``seed``) and, with a ``commitment:`` section, the effective problem."""
    scenario = loaded.scenario
    reservations: Reservations | None = None
    if scenario.war is None:
        reservation = su.reservation_values(scenario)
    else:
        from ceasefire.scenario.load import scenario_problem
        from ceasefire.war import reservation_values
        from ceasefire.war.batna import ValuesOutOfRange

        try:
            reservations = reservation_values(scenario, samples=samples, seed=seed)
        except ValuesOutOfRange as error:
            raise scenario_problem(loaded, error.loc, error.message) from None
        reservation = reservations.medians(0)
    problem = build_problem(scenario, reservation)
    effective = None
    if scenario.commitment is not None:
        from ceasefire.commitment import durability

        effective = durability(
            scenario, reservation, reservations, seed=seed, nominal=problem
        ).effective
    return _Setting(problem, effective, reservation)


def _complete(
    scenario: Scenario, proposal: Proposal
) -> tuple[dict[str, su.OptionLabel], tuple[str, ...], list[str]]:
    """The proposal's package with its open issues at their status quo, the open issues, notes."""
    package: dict[str, su.OptionLabel] = {}
    open_issues = []
    notes = []
    for issue in scenario.issues:
        if issue.id in proposal.package:
            value = proposal.package[issue.id]
            package[issue.id] = value if isinstance(value, str) else float(value)
            continue
        open_issues.append(issue.id)
        if isinstance(issue.status_quo, str):
            package[issue.id] = issue.status_quo
            continue
        grid = np.array(issue.grid or [], dtype=float)
        nearest = float(grid[int(np.argmin(np.abs(grid - issue.status_quo)))])
        package[issue.id] = nearest
        if nearest != issue.status_quo:
            notes.append(
                f"'{issue.id}' is open; its status quo {issue.status_quo:g} is not a grid value: "
                f"scored at the nearest, {nearest:g}"
            )
    if open_issues:
        notes.append(OPEN_NOTE + ", ".join(open_issues))
    if proposal.date > scenario.as_of:
        notes.append(
            f"dated {proposal.date.isoformat()}, after the scenario's as_of "
            f"({scenario.as_of.isoformat()}): scored with the preferences as of "
            f"{scenario.as_of.isoformat()}"
        )
    return package, tuple(open_issues), notes


def _score_one(
    scenario: Scenario,
    setting: _Setting,
    proposal: Proposal,
    package: dict[str, su.OptionLabel],
    open_issues: tuple[str, ...],
    notes: list[str],
    x: IndexArray,
    p_party: dict[str, float],
    p_all: float,
) -> ProposalScore:
    problem = setting.problem
    effective = setting.effective
    nominal = problem.utility_units(x[None, :])[0]
    if effective is None:
        units = nominal
        renewed = None
        adjusted = nominal
    else:
        units = effective.effective_units(x[None, :])[0]
        group = int(effective.group_of(x[None, :])[0])
        renewed = effective.renewed_units[group]
        adjusted = effective.problem.utility_units(x[None, :])[0]
    parties: dict[str, PartyScore] = {}
    blocking: list[dict[str, Any]] = []
    status_quo = su.status_quo_package(scenario)
    for i, party in enumerate(scenario.parties):
        prefs = scenario.preferences[party.id]
        utility = float(dequantize(units[i]))
        r = setting.reservation.get(party.id, float("nan"))
        margin = None if not np.isfinite(r) else utility - r
        crossed = [
            (issue, package[issue.id])
            for k, issue in enumerate(scenario.issues)
            if su.crosses_red_line(prefs, issue)[int(x[k])]
        ]
        enforced = renewed is None or int(adjusted[i]) >= int(renewed[i]) - TOLERANCE_UNITS
        self_enforcing = not (effective is not None and effective.self_enforcing) or enforced
        accepts = (
            None
            if margin is None
            else bool(
                int(units[i]) >= int(quantize(r)) - TOLERANCE_UNITS
                and not crossed
                and self_enforcing
            )
        )
        parties[party.id] = PartyScore(
            utility=utility,
            margin=margin,
            accepts=accepts,
            p_accepts=p_party.get(party.id),
        )
        if not party.has_veto or accepts:
            continue
        for issue, option in crossed:
            blocking.append(
                {"party": party.id, "issue": issue.id, "option": option, "reason": "red_line"}
            )
        if margin is not None and margin < -TOLERANCE:
            costs = []
            for issue in scenario.issues:
                loss = su.issue_utility(prefs, issue, package[issue.id]) - su.issue_utility(
                    prefs, issue, status_quo[issue.id]
                )
                if loss < -TOLERANCE:
                    costs.append((loss, issue.id))
            for loss, issue_id in sorted(costs):
                blocking.append(
                    {
                        "party": party.id,
                        "issue": issue_id,
                        "option": package[issue_id],
                        "reason": "cost",
                        "points": round(loss, 9),
                    }
                )
        if not self_enforcing:
            blocking.append(
                {"party": party.id, "issue": None, "option": None, "reason": "not_self_enforcing"}
            )
    accepted = bool(
        (
            effective.acceptable(x[None, :])
            if effective is not None
            else problem.acceptable(x[None, :])
        )[0]
    )
    target = effective if effective is not None else problem
    try:
        edit = minimal_edit(
            target, package, proposer=proposal.proposer, max_subsets=MAX_EDIT_SUBSETS
        )
    except SearchTooLarge as error:
        edit = None
        notes = [*notes, f"minimal edit not found: {error}"]
    else:
        if edit is None:
            notes = [
                *notes,
                "no package is acceptable to every veto party: no edit makes this proposal "
                "acceptable",
            ]
    return ProposalScore(
        proposal=proposal,
        package=package,
        open_issues=open_issues,
        parties=parties,
        accepted=accepted,
        p_accepted=p_all,
        blocking=tuple(blocking),
        minimal_edit=edit,
        notes=tuple(notes),
        sources=tuple(sources_of(scenario, proposal)),
        after_as_of=proposal.date > scenario.as_of,
    )


# ---- acceptance under uncertainty ---------------------------------------------------------------


def accept_shares(
    scenario: Scenario, setting: _Setting, packages: IndexArray, samples: int, seed: int
) -> tuple[list[dict[str, float]], list[float]]:
    """Per package: the share of samples in which each veto party accepts it, and in which all do.

    The samples are those of ``ceasefire robust`` with the same ``samples`` and ``seed``
    (:func:`~ceasefire.uncertainty.sampling.blocks`), drawn block by block.
    """
    from ceasefire.uncertainty.commitment import sample_commitment
    from ceasefire.uncertainty.inputs import input_space
    from ceasefire.uncertainty.sampling import blocks, draw_block, realise
    from ceasefire.uncertainty.solve import onehot

    space = input_space(scenario, seed=seed, war_samples=samples)
    veto = setting.problem.veto_indices
    d = veto.shape[0]
    m = packages.shape[0]
    indicator = onehot(space, packages)
    # With a commitment: section, analyze's chance of holding and renewed-war values (the same
    # seed and war samples as ``setting``); each sample's utilities carry its own compliance.
    commitment = sample_commitment(space)
    if commitment is not None:
        group = commitment.group_of(packages, [len(o) for o in space.options])
    counts = np.zeros((m, d), dtype=np.int64)
    together = np.zeros(m, dtype=np.int64)
    red_lines = [
        (column, k, crossed, space.parties.index(space.inputs[column].party))
        for column, k, crossed in space.red_lines
    ]
    for block in blocks(samples, seed):
        theta, war = draw_block(space, block)
        draws = realise(space, theta, war)
        units = draws.units()  # (S, O, d) exact integers in float64
        s, o, _ = units.shape
        nominal = np.rint(indicator @ units.transpose(1, 0, 2).reshape(o, s * d)).astype(np.int64)
        nominal = nominal.reshape(m, s, d)
        floor = draws.reservation_units() - TOLERANCE_UNITS  # (S, d)
        if commitment is None:
            ok = nominal >= floor[None, :, :]
        else:
            ok = commitment.accepts(nominal, group, floor)
        for column, k, crossed, i in red_lines:
            holds = theta[:, column] >= 0.5
            ok[:, :, i] &= ~(crossed[packages[:, k]][:, None] & holds[None, :])
        counts += ok.sum(axis=1)
        together += ok.all(axis=2).sum(axis=1)
    names = [setting.problem.parties[i] for i in veto]
    per_party = [
        {name: float(counts[j, c] / samples) for c, name in enumerate(names)} for j in range(m)
    ]
    return per_party, [float(t / samples) for t in together]


__all__ = [
    "OPEN_ISSUES_RULE",
    "OPEN_NOTE",
    "PartyScore",
    "ProposalScore",
    "Scores",
    "accept_shares",
    "score",
]
