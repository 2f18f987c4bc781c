"""The zone of possible agreement and the reasons given when it is empty."""

from __future__ import annotations

import json

import numpy as np

from ceasefire.bargaining import BargainingProblem, zone_of_agreement

# Two issues: a border (north, middle, south) and troop ceilings (low, high).
TABLES = [[[0, 50, 10], [35, 30, 20], [70, 0, 30]], [[0, 50, 0], [30, 0, 5]]]


def test_zopa_holds_the_pareto_optimal_acceptable_packages() -> None:
    problem = BargainingProblem.from_arrays(
        TABLES, veto=[True, True, False], reservation=[40, 40, np.nan]
    )
    # Veto utilities: (0,50)+(0,50)=(0,100) (0,50)+(30,0)=(30,50) (35,30)+(0,50)=(35,80)
    # (35,30)+(30,0)=(65,30) (70,0)+(0,50)=(70,50) (70,0)+(30,0)=(100,0).
    # Acceptable (both >= 40): (35,80) fails party 0; (70,50) is the only one.
    zopa = problem.zopa()
    assert zopa.exists and zopa.reason is None
    np.testing.assert_array_equal(zopa.frontier.points, [[70, 50]])
    assert problem.package_dict(zopa.frontier.packages[0]) == {"i0": "o2", "i1": "o0"}
    np.testing.assert_array_equal(zopa.frontier.utilities, [[70, 50, 30]])
    data = zopa.to_dict(problem)
    assert data["exists"] is True and data["reason"] is None
    assert data["reservation"] == {"p0": 40.0, "p1": 40.0, "p2": None}
    assert data["frontier"][0]["utilities"] == {"p0": 70.0, "p1": 50.0, "p2": 30.0}
    json.dumps(data)


def test_empty_zopa_names_the_issue_that_red_lines_block() -> None:
    problem = BargainingProblem.from_arrays(
        TABLES,
        veto=[True, True, False],
        reservation=[0, 0, np.nan],
        forbidden=[[False, False, False], [True, True]],
    )
    zopa = problem.zopa()
    assert not zopa.exists
    assert zopa.reason is not None and "'i1'" in zopa.reason and "red line" in zopa.reason


def test_empty_zopa_names_the_party_that_cannot_reach_its_reservation_value() -> None:
    problem = BargainingProblem.from_arrays(
        TABLES,
        veto=[True, True, False],
        reservation=[0, 90, np.nan],
        forbidden=[[True, False, False], [False, False]],
    )
    # Without 'north' (0,50) party 1 gets at most 30 + 50 = 80 < 90.
    zopa = problem.zopa()
    assert not zopa.exists
    assert zopa.reason is not None and "'p1'" in zopa.reason and "80" in zopa.reason
    assert "'p0'" not in zopa.reason
    assert zopa.to_dict(problem)["frontier"] == []


def test_empty_zopa_when_reservations_conflict() -> None:
    problem = BargainingProblem.from_arrays(
        TABLES, veto=[True, True, False], reservation=[75, 75, np.nan]
    )
    # Each can reach 100 alone; the best sum of the two is 135 < 150.
    zopa = problem.zopa()
    assert not zopa.exists
    assert zopa.reason is not None and "at once" in zopa.reason


def test_zone_of_agreement_reuses_a_given_frontier() -> None:
    problem = BargainingProblem.from_arrays(TABLES, veto=[True, True, False], reservation=[0, 0, 0])
    frontier = problem.frontier(acceptable_only=True)
    assert zone_of_agreement(problem, frontier=frontier).frontier is frontier
    assert problem.zopa() is problem.zopa()  # memoised on the immutable problem
