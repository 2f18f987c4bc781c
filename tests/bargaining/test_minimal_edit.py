"""The minimal edit of a package: the exact search on the issue structure against enumeration."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ceasefire.bargaining import BargainingProblem
from ceasefire.bargaining.effective import EffectiveProblem
from ceasefire.bargaining.minimal_edit import (
    TOTAL,
    MinimalEdit,
    SearchTooLarge,
    brute_force_minimal_edit,
    minimal_edit,
    package_indices,
)
from ceasefire.bargaining.problem import TOLERANCE
from tests.bargaining.test_effective import effective_problems
from tests.bargaining.test_oracle import small_problems


def _start(problem: BargainingProblem, seed: int) -> dict[str, object]:
    rng = np.random.default_rng(seed)
    return {
        issue: options[int(rng.integers(len(options)))]
        for issue, options in zip(problem.issues, problem.options, strict=True)
    }


def _proposer(problem: BargainingProblem, pick: int) -> str | None:
    return None if pick == 0 else problem.parties[(pick - 1) % problem.n_parties]


def _agree(fast: MinimalEdit | None, oracle: MinimalEdit | None, accept: object) -> None:
    assert (fast is None) == (oracle is None)
    if fast is None or oracle is None:
        return
    assert fast.issues_changed == oracle.issues_changed
    assert abs(fast.loss - oracle.loss) <= 1e-9 + TOLERANCE * abs(oracle.loss)
    assert fast.objective == oracle.objective
    # The edit is acceptable and changes exactly the issues it names.
    assert accept(fast.package)  # type: ignore[operator]
    assert set(fast.changes) == {
        issue for issue in fast.original if fast.original[issue] != fast.package[issue]
    }


@given(small_problems, st.integers(0, 2**32 - 1), st.integers(0, 4))
def test_minimal_edit_equals_brute_force(problem: BargainingProblem, seed: int, pick: int) -> None:
    package = _start(problem, seed)
    proposer = _proposer(problem, pick)
    fast = minimal_edit(problem, package, proposer=proposer)
    oracle = brute_force_minimal_edit(problem, package, proposer=proposer)

    def accept(p: dict[str, object]) -> bool:
        return bool(problem.acceptable(package_indices(problem, p)[None, :])[0])

    _agree(fast, oracle, accept)


@given(effective_problems(), st.integers(0, 2**32 - 1), st.integers(0, 4))
def test_minimal_edit_of_deals_that_may_not_hold(
    eff: EffectiveProblem, seed: int, pick: int
) -> None:
    package = _start(eff.problem, seed)
    proposer = _proposer(eff.problem, pick)
    fast = minimal_edit(eff, package, proposer=proposer)
    oracle = brute_force_minimal_edit(eff, package, proposer=proposer)

    def accept(p: dict[str, object]) -> bool:
        return bool(eff.acceptable(package_indices(eff.problem, p)[None, :])[0])

    _agree(fast, oracle, accept)


def test_an_acceptable_package_needs_no_edit() -> None:
    problem = BargainingProblem.from_arrays(
        [[[10.0, 0.0], [0.0, 10.0]], [[5.0, 5.0], [0.0, 0.0]]], reservation=[4.0, 4.0]
    )
    edit = minimal_edit(problem, {"i0": "o0", "i1": "o0"})
    assert edit is not None and edit.issues_changed == 0 and edit.loss == 0
    assert edit.objective == TOTAL


def test_a_red_line_forces_a_change_and_the_proposer_keeps_the_most() -> None:
    # Issue 0: option o0 crosses a red line. Issue 1: o1 is better for p0, o2 for p1.
    problem = BargainingProblem.from_arrays(
        [
            [[10.0, 0.0], [4.0, 4.0], [0.0, 10.0]],
            [[5.0, 5.0], [6.0, 1.0], [1.0, 6.0]],
        ],
        reservation=[2.0, 2.0],
        forbidden=[[True, False, False], [False, False, False]],
    )
    edit = minimal_edit(problem, {"i0": "o0", "i1": "o0"}, proposer="p0")
    assert edit is not None
    assert edit.changes == {"i0": ("o0", "o1")}
    assert edit.loss == pytest.approx(6.0)
    edit = minimal_edit(problem, {"i0": "o0", "i1": "o0"}, proposer="p1")
    assert edit is not None and edit.changes == {"i0": ("o0", "o2")}
    assert edit.to_dict()["changes"] == {"i0": {"from": "o0", "to": "o2"}}


def test_no_acceptable_package_gives_none() -> None:
    problem = BargainingProblem.from_arrays([[[1.0, 1.0], [2.0, 0.0]]], reservation=[5.0, 5.0])
    assert minimal_edit(problem, {"i0": "o0"}) is None
    assert brute_force_minimal_edit(problem, {"i0": "o0"}) is None


def test_packages_are_named_by_ids() -> None:
    problem = BargainingProblem.from_arrays([[[1.0, 1.0], [2.0, 0.0]]])
    with pytest.raises(ValueError, match="not an option of 'i0'"):
        minimal_edit(problem, {"i0": "o9"})
    with pytest.raises(ValueError, match="unknown issue"):
        minimal_edit(problem, {"i0": "o0", "x": "o0"})
    with pytest.raises(ValueError, match="unknown party"):
        minimal_edit(problem, {"i0": "o0"}, proposer="nobody")


def test_the_search_stops_at_its_limit_and_says_so() -> None:
    # Four issues; party p1 needs all four changed from o0 to o1.
    tables = [[[1.0, 0.0], [0.0, 1.0]]] * 4
    problem = BargainingProblem.from_arrays(tables, reservation=[0.0, 4.0])
    package = {f"i{k}": "o0" for k in range(4)}
    edit = minimal_edit(problem, package)
    assert edit is not None and edit.issues_changed == 4
    with pytest.raises(SearchTooLarge, match="fewer than 2 issues"):
        minimal_edit(problem, package, max_subsets=10)
