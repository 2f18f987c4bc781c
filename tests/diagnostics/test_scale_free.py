"""The scale-free margin and binding party: fast algorithm against the oracle, and invariance
under rescaling a party's utilities (which the margin in points lacks)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.bargaining import BargainingProblem
from ceasefire.bargaining.slack import best_slack
from ceasefire.diagnostics.margins import Baseline
from ceasefire.diagnostics.scale_free import best_share, best_share_bruteforce, ideal, shares
from ceasefire.war.ripeness import ripeness


@st.composite
def point_sets(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    d = draw(st.integers(2, 4))
    m = draw(st.integers(1, 30))
    q = draw(st.integers(1, 12))
    ints = st.integers(0, 100)
    points = np.array(
        draw(st.lists(st.lists(ints, min_size=d, max_size=d), min_size=m, max_size=m))
    )
    res = np.array(draw(st.lists(st.lists(ints, min_size=d, max_size=d), min_size=q, max_size=q)))
    top = points.max(axis=0) + np.array(draw(st.lists(st.integers(0, 20), min_size=d, max_size=d)))
    return points.astype(float), res.astype(float), top.astype(float)


@settings(max_examples=150, deadline=None)
@given(point_sets())
def test_best_share_equals_the_oracle(data: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    points, reservations, top = data
    value, binding = best_share(points, reservations, top)
    oracle, who = best_share_bruteforce(points, reservations, top)
    finite = np.isfinite(oracle)
    assert np.allclose(value[finite], oracle[finite], atol=1e-9)
    assert (value[~finite] < -1e3).all()  # a party whose range is empty: no share at all
    for q in np.flatnonzero(finite):
        assert int(binding[q]) in who[q]


@settings(max_examples=150, deadline=None)
@given(point_sets(), st.data())
def test_rescaling_one_party_changes_no_share_and_no_binding_party(
    data: tuple[np.ndarray, np.ndarray, np.ndarray], more: st.DataObject
) -> None:
    points, reservations, top = data
    j = more.draw(st.integers(0, points.shape[1] - 1))
    scale = 2.0 ** more.draw(st.integers(-6, 6))  # exact in binary floating point
    shift = float(more.draw(st.integers(-50, 50)))
    moved = [a.copy() for a in (points, reservations, top)]
    for a in moved:
        a[..., j] = a[..., j] * scale + shift
    before, _ = best_share(points, reservations, top)
    after, binding_after = best_share(*moved)
    finite = np.isfinite(before) & (before > -1e3)
    assert np.allclose(before[finite], after[finite], atol=1e-9)
    _, who = best_share_bruteforce(points, reservations, top)
    for q in np.flatnonzero(finite):
        assert int(binding_after[q]) in who[q]


def test_the_margin_in_points_is_not_scale_free_but_the_share_is() -> None:
    # Two parties, one package each way: doubling a's scale moves the points measure, not ours.
    points = np.array([[60.0, 30.0], [30.0, 60.0], [45.0, 45.0]])
    r = np.array([[40.0, 20.0]])
    top = np.array([100.0, 100.0])
    _, old = best_slack(points, r)
    _, new = best_share(points, r, top)
    doubled = points * np.array([2.0, 1.0])
    _, old2 = best_slack(doubled, r * np.array([2.0, 1.0]))
    _, new2 = best_share(doubled, r * np.array([2.0, 1.0]), top * np.array([2.0, 1.0]))
    assert old[0] != old2[0]
    assert new[0] == new2[0]


def test_ripeness_binding_shares_do_not_move_when_a_party_is_rescaled() -> None:
    rng = np.random.default_rng(3)
    points = rng.uniform(0, 80, size=(40, 3))
    reservations = rng.uniform(0, 60, size=(4, 3, 50))
    top = np.full(3, 100.0)
    base = ripeness(points, reservations, ["a", "b", "c"], ideal=top)
    factor = np.array([3.0, 1.0, 0.5])
    scaled = ripeness(
        points * factor, reservations * factor[None, :, None], ["a", "b", "c"], ideal=top * factor
    )
    assert np.array_equal(base.binding_share, scaled.binding_share)
    assert base.binding_party == scaled.binding_party
    assert np.array_equal(base.p_zopa, scaled.p_zopa)
    assert base.to_dict()["binding_measure"] == "scale-free"


def test_shares_of_a_problem_are_those_of_its_ideal() -> None:
    problem = BargainingProblem(
        parties=("a", "b"),
        veto=(True, True),
        issues=("x", "y"),
        options=(("p", "q"), ("s", "t")),
        contributions=(np.array([[10.0, 0.0], [0.0, 20.0]]), np.array([[30.0, 5.0], [0.0, 40.0]])),
        forbidden=(np.zeros(2, bool), np.zeros(2, bool)),
        reservation=np.array([10.0, 20.0]),
    )
    assert ideal(problem).tolist() == [40.0, 60.0]
    base = Baseline(problem, np.zeros((2, 2)), problem.reservation, ideal(problem))
    u = base.utility(np.array([0, 0]))
    assert np.allclose(shares(u, problem.reservation, ideal(problem)), [1.0, (5 - 20) / 40])
