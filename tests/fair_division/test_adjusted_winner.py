"""Adjusted Winner [BramsTaylor1996]: the authors' worked example, and its guarantees on random input.

The guarantees (equitable, envy-free, efficient, at most one item split) are checked against an
independent oracle: linear programmes over all fractional allocations (scipy's HiGHS), not the
procedure's own reasoning.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from ceasefire.fair_division import adjusted_winner
from ceasefire.fair_division.adjusted_winner import is_efficient, properties
from ceasefire.fair_division.inputs import read_points_csv
from tests.fair_division import DATA


def test_bob_and_carol_published_division() -> None:
    """Brams & Taylor's divorce example ([BramsTaylor1999]; as on the authors' Adjusted Winner site).

    Published: Bob gets the home, "other" and the tied investments (50 points), then 1/6 of the
    retirement account; Carol keeps the summer cottage and 5/6 of the retirement account; each
    gets 56 2/3 of its own points. Reproduced exactly (no deviation).
    """
    table = read_points_csv(DATA / "bob_carol.csv")
    division = adjusted_winner(table.items, table.points, table.parties)
    share = dict(zip(division.items, division.share, strict=True))  # fraction to Carol
    assert division.parties == ("Carol", "Bob")
    assert division.ties == ("Investments",)
    assert division.initial_totals == (65.0, 50.0)
    assert division.split == "Retirement Account"
    assert share["Retirement Account"] == pytest.approx(5 / 6, abs=1e-12)
    assert share["Summer Cottage"] == 1.0
    assert share["Home"] == share["Other"] == share["Investments"] == 0.0
    carol, bob = division.totals
    assert carol == pytest.approx(170 / 3, abs=1e-12)
    assert bob == pytest.approx(170 / 3, abs=1e-12)


def test_textbook_example_with_a_split_from_the_richer_side() -> None:
    """COMAP's *For All Practical Purposes* applet example [COMAP2013]: John keeps A and D and 1/7
    of C, Mary gets B, E and 6/7 of C; each gets 62 6/7 points. Reproduced exactly."""
    points = np.array([[30, 20], [15, 25], [20, 15], [30, 15], [5, 25]], dtype=float)
    division = adjusted_winner(list("ABCDE"), points, ("John", "Mary"))
    assert division.split == "C"
    assert division.share.tolist()[:2] == [1.0, 0.0]
    assert division.share[2] == pytest.approx(1 / 7, abs=1e-12)
    assert division.totals == pytest.approx((440 / 7, 440 / 7), abs=1e-12)


@st.composite
def point_tables(draw: st.DrawFn) -> np.ndarray:
    """Two columns of non-negative points summing to 100; integer points make ties common."""
    n = draw(st.integers(1, 8))
    columns = []
    for _ in range(2):
        if draw(st.booleans()):
            cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=n - 1, max_size=n - 1)))
            columns.append(np.diff([0, *cuts, 100]).astype(float))
        else:
            raw = np.array(draw(st.lists(st.floats(0.01, 1.0), min_size=n, max_size=n)))
            columns.append(100.0 * raw / raw.sum())
    return np.column_stack(columns)


def best_common_value(points: np.ndarray) -> float:
    """Oracle: the largest t such that some allocation gives both parties at least t (an LP)."""
    n = len(points)
    # variables: s_1..s_n (share to the first party), t; maximise t
    c = np.zeros(n + 1)
    c[-1] = -1.0
    a_ub = np.vstack(
        [np.append(-points[:, 0], 1.0), np.append(points[:, 1], 1.0)]
    )  # t - a.s <= 0 ; t + b.s <= sum(b)
    b_ub = np.array([0.0, points[:, 1].sum()])
    result = linprog(c, A_ub=a_ub, b_ub=b_ub, bounds=[(0, 1)] * n + [(None, None)])
    assert result.status == 0
    return float(-result.fun)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(point_tables())
def test_equitable_envy_free_efficient_one_split(points: np.ndarray) -> None:
    items = [f"item{i}" for i in range(len(points))]
    division = adjusted_winner(items, points)
    checks = properties(division, tolerance=1e-7)
    assert checks == {"envy_free": True, "equitable": True, "at_most_one_split": True}
    assert is_efficient(division)
    # Equitable and efficient means the common value is the best any allocation can give both.
    assert division.totals[0] == pytest.approx(best_common_value(points), abs=1e-6)
    # Transfers only flow from the leader: what the other held after the winner phase stays whole.
    a0, b0 = (
        points[:, 0] @ (np.array(division.initial) == 0),
        points[:, 1] @ (np.array(division.initial) == 1),
    )
    trailing = 0 if a0 < b0 else 1
    held = np.array(division.initial) == trailing
    assert np.all(division.share[held] == (1.0 if trailing == 0 else 0.0))


def test_an_inefficient_allocation_is_caught_by_the_oracle() -> None:
    """The efficiency check can fail: giving each party the item it values less is dominated."""
    points = np.array([[70, 30], [30, 70]], dtype=float)
    division = adjusted_winner(["x", "y"], points)
    bad = type(division)(**{**division.__dict__, "share": np.array([0.0, 1.0])})
    assert is_efficient(division) and not is_efficient(bad)


def test_no_adjustment_when_the_winner_phase_is_equitable() -> None:
    division = adjusted_winner(["x", "y"], np.array([[60, 40], [40, 60]], dtype=float))
    assert division.split is None and division.transfers == ()
    assert division.totals == (60.0, 60.0)


def test_all_ties_are_shared_equally_in_value() -> None:
    division = adjusted_winner(["x", "y"], np.array([[50, 50], [50, 50]], dtype=float))
    assert division.totals == pytest.approx((50.0, 50.0))


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ([[60, 50], [30, 50]], "A's points sum to 90"),
        ([[110, 50], [-10, 50]], ">= 0"),
        ([[np.nan, 50], [100, 50]], "finite"),
    ],
)
def test_bad_points_are_refused(points: list[list[float]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        adjusted_winner(["x", "y"], np.array(points, dtype=float))
