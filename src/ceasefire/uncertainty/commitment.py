"""Deals that may not hold, in the samples: the effective utilities of ``robust``, ``sensitivity``,
``score``, ``explain`` and ``mediate``.

With a ``commitment:`` section ``ceasefire analyze`` judges a package ``x`` on its *effective*
utilities [Powell2006] [Fortna2003]

    E_i(x) = p(x) U_i(x) + (1 - p(x)) V_i(x)

(:mod:`ceasefire.bargaining.effective`, :mod:`ceasefire.commitment`): acceptable when it crosses
no red line, every veto party gets ``E_i(x) >= r_i`` and, when deals must be self-enforcing,
``U_i(x) >= V_i(x)``. The commands that sample the uncertain inputs judge every sample the same
way:

- ``U_i``: the sample's own nominal utilities (its drawn weights and values), with every doubtful
  clause at its expected value (``q`` times the option's value plus ``1 - q`` times the status
  quo's, sample by sample, :func:`ceasefire.commitment.durability.with_compliance`);
- ``r_i``: the sample's own value of no deal (drawn, or the war model's month-0 value);
- ``p(x)`` and ``V_i(x)``: at the point values ``analyze`` uses: the hazard model at its numbers'
  means, and the renewed war's values as ``analyze`` computes them (with a war model, the medians
  over the war samples the command takes its values of no deal from, with the same seed:
  ``analyze``'s default 10,000 for ``robust`` and ``mediate``, ``score``'s ``--samples``, 1,000
  by default for ``sensitivity`` (``--war-samples``) and ``explain`` (``--samples``); without one,
  the point value of no deal plus the stated shift). They are *not* drawn per sample. Why:
  ``p`` and ``V`` depend only on a few group issues, and with them fixed every sample that
  shares a utility table shares one exact effective frontier
  (:meth:`~ceasefire.bargaining.effective.EffectiveProblem.frontier`), which each sample filters
  at its own reservation values, as the nominal samples share theirs. Drawing ``V`` per sample
  (the renewed war rerun on each sample's war parameters) would give every sample its own
  frontier: one effective frontier per sample, each the merge of the groups' mapped
  frontiers (about 0.1 s of CPU each on the flagship's size), where the shared way builds one per
  distinct utility table: for 1,000 samples of the flagship scenario about 100 s of CPU against
  7 s for the whole run (estimated from the measured cost of one frontier). The spread of
  ``p`` over its uncertain numbers is what ``analyze`` reports as ``p_hold_range``.

So a sample's answer is the answer ``analyze`` would give with that sample's preferences and
values of no deal, under the analyst's war model: every side knowing the war's parameters. The
parties' own beliefs (``beliefs:``, ``learning:``, ``private:``), which ``analyze`` reports beside
its zone, are not sampled.

Without a ``commitment:`` section nothing here applies and every sample is judged on nominal
utilities, as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ceasefire.bargaining import BargainingProblem
from ceasefire.bargaining.effective import EffectiveProblem, effective_units
from ceasefire.bargaining.problem import TOLERANCE_UNITS, quantize
from ceasefire.commitment.durability import ComplianceTerm, compliance_terms, with_compliance
from ceasefire.uncertainty.inputs import InputSpace

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
IndexArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]

BASIS = (
    "effective utilities, as in `analyze` (deals may break down): each sample's own utilities "
    "and values of no deal, with the chance a deal holds and the values of the war that follows "
    "a breakdown at analyze's point values"
)
"""How the samples value packages with a ``commitment:`` section."""

WAR_VIEW = (
    "under the analyst's war model, every side knowing the war's parameters (the parties' own "
    "beliefs, learning and private information are not sampled)"
)
"""What the samples assume about the war when the scenario has one."""


@dataclass(frozen=True, eq=False)
class SampleCommitment:
    """What the samples share of ``analyze``'s effective problem (veto parties only)."""

    group_issues: tuple[int, ...]
    hold: FloatArray
    """``(G,)`` the probability that a deal of each group holds over the horizon."""
    renewed: FloatArray
    """``(G, d)`` each veto party's value of the war that follows a breakdown."""
    self_enforcing: bool
    terms: tuple[ComplianceTerm, ...]

    def effective(self, problem: BargainingProblem) -> EffectiveProblem:
        """The effective problem of one sample's (veto-only, compliance-adjusted) problem."""
        return EffectiveProblem(
            problem, self.group_issues, self.hold, self.renewed, self.self_enforcing
        )

    def group_of(self, packages: IndexArray, options: Sequence[int]) -> IndexArray:
        """The group of each package (``(m, K)`` option indices; ``options``: options per issue)."""
        if not self.group_issues:
            return np.zeros(packages.shape[0], dtype=np.intp)
        columns = tuple(packages[:, k] for k in self.group_issues)
        shape = tuple(int(options[k]) for k in self.group_issues)
        return np.asarray(np.ravel_multi_index(columns, shape), dtype=np.intp)

    def judge(self, nominal: IntArray, group: IndexArray) -> tuple[IntArray, BoolArray]:
        """Effective units ``(m, d)`` of packages with nominal units ``nominal`` ``(m, d)`` in
        groups ``group`` ``(m,)`` (:func:`~ceasefire.bargaining.effective.effective_units`),
        and whether each package is self-enforcing for each party (all True when deals need not
        be)."""
        renewed = quantize(self.renewed)[group]
        value = effective_units(nominal, self.hold[group], renewed)
        if not self.self_enforcing:
            return value, np.ones(value.shape, dtype=bool)
        return value, np.asarray(nominal >= renewed - TOLERANCE_UNITS)

    def accepts(self, nominal: IntArray, group: IndexArray, floor: IntArray) -> BoolArray:
        """``(P, S, d)``: does each veto party accept each package in each sample, red lines
        aside? ``nominal``: ``(P, S, d)`` nominal units; ``group``: ``(P,)`` each package's
        group; ``floor``: ``(S, d)`` reservation units minus the tolerance."""
        m, s, d = nominal.shape
        value, enforced = self.judge(nominal.reshape(m * s, d), np.repeat(group, s))
        ok: BoolArray = (value >= np.tile(floor, (m, 1))) & enforced
        return ok.reshape(m, s, d)

    def digest(self) -> bytes:
        """The numbers that make two effective problems of the same table equal."""
        parts = [
            np.asarray(self.group_issues, dtype=np.int64).tobytes(),
            self.hold.tobytes(),
            self.renewed.tobytes(),
            bytes([self.self_enforcing]),
        ]
        return b"".join(parts)


def compliance(space: InputSpace) -> tuple[ComplianceTerm, ...]:
    """The doubtful clauses that change the samples' utilities (none without ``commitment:``)."""
    scenario = space.scenario
    if scenario is None or scenario.commitment is None:
        return ()
    if "compliance" not in space.memo:
        space.memo["compliance"] = compliance_terms(scenario)
    terms: tuple[ComplianceTerm, ...] = space.memo["compliance"]
    return terms


def comply(space: InputSpace, contributions: tuple[FloatArray, ...]) -> tuple[FloatArray, ...]:
    """The samples' contribution tables ``(S, n_options, d)`` with doubtful clauses at their
    expected values (unchanged without ``commitment:``)."""
    terms = compliance(space)
    return with_compliance(contributions, terms) if terms else contributions


def sample_commitment(space: InputSpace) -> SampleCommitment | None:
    """``analyze``'s chance that a deal holds and renewed-war values for ``space``'s scenario
    (with a war model: over ``space.war_samples`` war samples from ``space.seed``), computed
    once per space and kept with it; None without a ``commitment:`` section."""
    scenario = space.scenario
    if scenario is None or scenario.commitment is None:
        return None
    if "commitment" not in space.memo:
        from ceasefire.bargaining.from_scenario import build_problem
        from ceasefire.commitment import durability
        from ceasefire.scenario import utility as su

        reservations = None
        if scenario.war is None:
            reservation = su.reservation_values(scenario)
        else:
            from ceasefire.war import reservation_values

            reservations = reservation_values(scenario, samples=space.war_samples, seed=space.seed)
            reservation = reservations.medians(0)
        nominal = build_problem(scenario, reservation)
        effective = durability(
            scenario, reservation, reservations, seed=space.seed, nominal=nominal
        ).effective
        veto = nominal.veto_indices
        space.memo["commitment"] = SampleCommitment(
            group_issues=effective.group_issues,
            hold=effective.hold,
            renewed=np.ascontiguousarray(effective.renewed[:, veto]),
            self_enforcing=effective.self_enforcing,
            terms=compliance(space),
        )
    result: SampleCommitment = space.memo["commitment"]
    return result


def assumption(space_or_scenario: object) -> str | None:
    """One sentence for outputs that sample: how packages are valued (None without
    ``commitment:``, where the outputs stay as they were)."""
    scenario = getattr(space_or_scenario, "scenario", space_or_scenario)
    commitment = getattr(scenario, "commitment", None)
    if commitment is None:
        return None
    war = getattr(scenario, "war", None) is not None
    text = "Packages are judged on " + BASIS
    text += "; " + WAR_VIEW if war else ""
    return text + "."


__all__ = [
    "BASIS",
    "WAR_VIEW",
    "SampleCommitment",
    "assumption",
    "compliance",
    "comply",
    "sample_commitment",
]
