"""Solution concepts on hand-worked examples, and Nash's own example [Nash1950]."""

from __future__ import annotations

import numpy as np
import pytest

from ceasefire.bargaining import SOLUTION_CONCEPTS, BargainingProblem, solve_all
from ceasefire.bargaining.bruteforce import brute_force_solution
from ceasefire.bargaining.solutions import solve

# One issue whose options are the candidate agreements; reservation values (10, 20), so the
# gains are the utilities minus (10, 20). A third party without a veto never matters.
#
#   option  utilities     gains        sum   product  min   min(g1/20, g2/10)
#   a       (30, 21)      (20, 1)      21    20       1     min(1.00, 0.10) = 0.10
#   b       (25, 24.6)    (15, 4.6)    19.6  69       4.6   min(0.75, 0.46) = 0.46
#   c       (22, 25.5)    (12, 5.5)    17.5  66       5.5   min(0.60, 0.55) = 0.55
#   d       (18, 28)      (8, 8)       16    64       8     min(0.40, 0.80) = 0.40
#   e       (12, 30)      (2, 10)      12    20       2     min(0.10, 1.00) = 0.10
#   f       (17, 27)      (7, 7)       dominated by d
#   g       (60, 19)      Party 2 below its reservation value: not acceptable
#
# The ideal gains are (20, 10) (options a and e). Each concept picks a different option.
HAND = BargainingProblem.from_arrays(
    [
        [
            [30, 21, 50],
            [25, 24.6, 0],
            [22, 25.5, 10],
            [18, 28, 99],
            [12, 30, 1],
            [17, 27, 100],
            [60, 19, 100],
        ]
    ],
    veto=[True, True, False],
    reservation=[10, 20, np.nan],
    options=[["a", "b", "c", "d", "e", "f", "g"]],
)


@pytest.mark.parametrize(
    ("concept", "label", "value"),
    [
        ("utilitarian", "a", 21.0),
        ("nash", "b", 69.0),
        ("kalai_smorodinsky", "c", 0.55),
        ("egalitarian", "d", 8.0),
    ],
)
def test_hand_worked_example(concept: str, label: str, value: float) -> None:
    solution = HAND.solve(concept)
    assert solution.package is not None
    assert HAND.package_dict(solution.package) == {"i0": label}
    assert solution.value == pytest.approx(value, abs=1e-9)
    assert solution.ties == 0
    assert solution.tied_packages == ()
    assert solution.reason is None
    oracle = brute_force_solution(HAND, concept)
    assert oracle.value == pytest.approx(value, abs=1e-9)


def test_ties_are_counted_not_broken() -> None:
    """Split 4 units: every split has the same total gain, two splits are equally fair."""
    # Options: (4,0) (3,1) (2,2) (1,3) (0,4); a second issue with two equal options doubles every
    # package, so ties count packages, not utility vectors.
    problem = BargainingProblem.from_arrays(
        [[[4 - x, x] for x in range(5)], [[0, 0], [0, 0]]], reservation=[0, 0]
    )
    utilitarian = problem.solve("utilitarian")
    assert utilitarian.value == pytest.approx(4.0)
    assert utilitarian.ties == 5 * 2 - 1
    assert len(utilitarian.tied_packages) == 9
    nash = problem.solve("nash")
    assert nash.value == pytest.approx(4.0)
    assert nash.ties == 1  # (2, 2) reached by two packages
    assert problem.package_dict(nash.package)["i0"] == "o2"
    # Gains (1, 3) and (3, 1) are not tied with (2, 2) for the egalitarian or K-S solutions.
    assert problem.solve("egalitarian").ties == 1
    assert problem.solve("kalai_smorodinsky").ties == 1


def test_representative_of_a_tie_is_the_largest_total_gain() -> None:
    # Egalitarian ties between gains (2, 2) and (2, 5): min gain 2 both; (2, 5) has the larger total.
    problem = BargainingProblem.from_arrays([[[2, 2], [2, 5], [0, 9]]], reservation=[0, 0])
    solution = problem.solve("egalitarian")
    # (2, 2) is dominated by (2, 5), so it is neither the solution nor a tie.
    assert problem.package_dict(solution.package) == {"i0": "o1"}
    assert solution.ties == 0


def test_no_zopa_gives_reason() -> None:
    problem = HAND.with_reservation([61, 31, np.nan])
    for name, solution in solve_all(problem).items():
        assert solution.concept == name
        assert solution.package is None and solution.utilities is None and solution.value is None
        assert solution.reason and "reservation value" in solution.reason
        assert solution.to_dict(problem)["package"] is None


def test_kalai_smorodinsky_ignores_parties_without_possible_gain() -> None:
    # Party 2's best acceptable gain is 0: only party 1's ratio counts.
    problem = BargainingProblem.from_arrays([[[5, 0], [8, 0], [3, 0]]], reservation=[0, 0])
    solution = problem.solve("kalai_smorodinsky")
    assert problem.package_dict(solution.package) == {"i0": "o1"}
    assert solution.value == pytest.approx(1.0)


# Nash's example [Nash1950]: Bill and Jack barter goods without money. Utilities of each
# good to Bill and to Jack, as printed in the paper; without a trade each keeps his own goods.
NASH_GOODS = {
    # good: (owner, utility to Bill, utility to Jack)
    "book": ("bill", 2, 4),
    "whip": ("bill", 2, 2),
    "ball": ("bill", 2, 1),
    "bat": ("bill", 2, 2),
    "box": ("bill", 4, 1),
    "pen": ("jack", 10, 1),
    "toy": ("jack", 4, 1),
    "knife": ("jack", 6, 2),
    "hat": ("jack", 2, 2),
}


def nash_barter() -> BargainingProblem:
    goods = list(NASH_GOODS)
    # Each good is an issue: who ends up with it. Bill's utility counts the goods he holds.
    tables = [[[bill, 0], [0, jack]] for _, bill, jack in NASH_GOODS.values()]
    keep = {"bill": 0, "jack": 1}
    status_quo = np.array([[keep[owner] for owner, _, _ in NASH_GOODS.values()]])
    problem = BargainingProblem.from_arrays(
        tables,
        parties=["bill", "jack"],
        issues=goods,
        options=[["bill", "jack"]] * len(goods),
    )
    return problem.with_reservation(problem.utilities(status_quo)[0])


def test_nash_1950_barter_example() -> None:
    """Nash's solution: Bill gives Jack book, whip, ball and bat; Jack gives Bill pen, toy and
    knife. It is also the only pure trade with the largest product of gains (12 * 5 = 60)."""
    problem = nash_barter()
    np.testing.assert_allclose(problem.reservation, [12, 6])  # 2+2+2+2+4 and 1+1+2+2
    solution = problem.solve("nash")
    assert solution.package is not None
    assert problem.package_dict(solution.package) == {
        "book": "jack",
        "whip": "jack",
        "ball": "jack",
        "bat": "jack",
        "box": "bill",
        "pen": "bill",
        "toy": "bill",
        "knife": "bill",
        "hat": "jack",
    }
    np.testing.assert_allclose(solution.utilities, [24, 11])
    assert solution.value == pytest.approx(60.0)
    assert solution.ties == 0


def test_nash_barter_utilitarian_by_hand() -> None:
    """Each good to whoever values it more gives the largest total gain, 18 (36 - 12 - 6). Whip,
    bat and hat are worth 2 to both; Jack must get at least one of them to gain (book alone gives
    him 4 < 6), so 7 of the 8 ways to share them are acceptable: 1 solution and 6 ties."""
    problem = nash_barter()
    solution = problem.solve("utilitarian")
    assert solution.value == pytest.approx(18.0)
    assert solution.ties == 6


@pytest.mark.parametrize("concept", sorted(SOLUTION_CONCEPTS))
def test_nash_barter_matches_brute_force(concept: str) -> None:
    problem = nash_barter()
    solution = solve(problem, concept)
    oracle = brute_force_solution(problem, concept)
    assert solution.value == pytest.approx(oracle.value, rel=1e-12)
    assert solution.ties == oracle.ties
    assert tuple(int(o) for o in solution.package) in oracle.optimal


def test_registry_metadata() -> None:
    assert set(SOLUTION_CONCEPTS) == {"nash", "kalai_smorodinsky", "egalitarian", "utilitarian"}
    for name, concept in SOLUTION_CONCEPTS.items():
        assert concept.name == name
        assert concept.title and concept.description and concept.bibkey
        assert callable(concept.function)


def test_solution_to_dict_is_json_ready() -> None:
    import json

    solution = HAND.solve("nash")
    data = solution.to_dict(HAND)
    assert data["package"] == {"i0": "b"}
    assert data["utilities"] == {"p0": 25.0, "p1": 24.6, "p2": 0.0}
    assert data["bibkey"] == "Nash1950"
    assert data["ties"] == 0 and data["tied_packages"] == []
    json.dumps(data)
