"""Ripeness: the best-slack kernel against brute force, and against the bargaining core's ZOPA."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.bargaining import TOLERANCE, BargainingProblem
from ceasefire.bargaining.bruteforce import all_packages
from ceasefire.bargaining.slack import best_slack, best_slack_bruteforce, red_line_free_points
from ceasefire.war.ripeness import ripeness


def check_against_oracle(points: np.ndarray, queries: np.ndarray) -> None:
    slack, binding = best_slack(points, queries)
    oracle_slack, _ = best_slack_bruteforce(points, queries)
    np.testing.assert_allclose(slack, oracle_slack, rtol=0, atol=1e-9)
    # The binding party is the smallest gap at *a* best point (ties may pick either).
    gaps = points[None, :, :] - queries[:, None, :]
    worst = gaps.min(axis=2)
    for q in range(queries.shape[0]):
        best_points = np.flatnonzero(worst[q] >= slack[q] - 1e-9)
        assert any(abs(gaps[q, p, binding[q]] - slack[q]) <= 1e-9 for p in best_points), (
            q,
            binding[q],
        )


@given(
    d=st.integers(1, 4),
    m=st.integers(1, 40),
    q=st.integers(1, 1200),
    integer=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_best_slack_matches_brute_force(d: int, m: int, q: int, integer: bool, seed: int) -> None:
    rng = np.random.default_rng(seed)
    if integer:  # many ties
        points = rng.integers(0, 5, size=(m, d)).astype(float)
        queries = rng.integers(-1, 6, size=(q, d)).astype(float)
    else:
        points = rng.uniform(0, 100, size=(m, d))
        queries = rng.normal(50, 20, size=(q, d))
    check_against_oracle(points, queries[: min(q, 300)])


def test_chunks_with_many_queries_match_brute_force() -> None:
    rng = np.random.default_rng(5)
    points = rng.uniform(0, 100, size=(300, 4))
    queries = rng.normal(60, 5, size=(2000, 4))
    slack, _ = best_slack(points, queries)
    oracle, _ = best_slack_bruteforce(points, queries[::10])
    np.testing.assert_allclose(slack[::10], oracle, atol=1e-9)


def small_problem(seed: int, n_parties: int) -> BargainingProblem:
    rng = np.random.default_rng(seed)
    n_issues = int(rng.integers(1, 4))
    tables = [
        rng.integers(0, 8, size=(int(rng.integers(2, 5)), n_parties)) * 1.5 for _ in range(n_issues)
    ]
    forbidden = [rng.random(t.shape[0]) < 0.2 for t in tables]
    for f in forbidden:
        f[int(rng.integers(f.size))] = False  # at least one allowed option per issue
    veto = [True] * n_parties
    if n_parties > 2:
        veto[-1] = False
    return BargainingProblem.from_arrays(tables, forbidden=forbidden, veto=veto)


@settings(max_examples=40)
@given(seed=st.integers(0, 2**32 - 1), n_parties=st.integers(2, 4))
def test_ripeness_agrees_with_the_bargaining_zopa(seed: int, n_parties: int) -> None:
    """A sampled reservation vector is 'ripe' exactly when the bargaining core finds a ZOPA, and
    the best slack is the brute-force maximum over every red-line-free package."""
    problem = small_problem(seed, n_parties)
    points = red_line_free_points(problem)
    veto = problem.veto_indices
    rng = np.random.default_rng(seed + 1)
    packages = all_packages(problem)
    allowed = np.ones(len(packages), dtype=bool)
    for k, banned in enumerate(problem.forbidden):
        allowed &= ~banned[packages[:, k]]
    utilities = problem.utilities(packages[allowed])[:, veto]
    for _ in range(12):
        reservation = np.zeros(problem.n_parties)
        reservation[veto] = rng.integers(0, 12, size=len(veto)) * 0.75
        slack, _ = best_slack(points, reservation[veto][None, :])
        expected = (utilities - reservation[veto]).min(axis=1).max()
        assert slack[0] == pytest.approx(expected, abs=1e-9)
        exists = bool(problem.with_reservation(reservation).zopa().exists)
        assert (slack[0] >= -TOLERANCE) == exists


def test_ripeness_summary() -> None:
    # One frontier point (60, 40); party 0's reservation falls by 2 a month from 66.
    points = np.array([[60.0, 40.0], [50.0, 45.0]])
    months, n = 6, 200
    rng = np.random.default_rng(0)
    res = np.empty((months, 2, n))
    for t in range(months):
        res[t, 0] = 66 - 2 * t + rng.normal(0, 0.5, n)
        res[t, 1] = 35.0
    result = ripeness(points, res, ["a", "b"])
    assert result.p_zopa[0] == 0 and result.p_zopa[-1] == 1
    assert result.first_ripe_month == 3  # 66 - 6 = 60: half the samples at or below 60
    assert result.binding_party == "a"
    document = result.to_dict()
    assert document["month_index"] == list(range(months))
    assert document["first_ripe_month"] == 3
    assert set(document["binding_share"]) == {"a", "b"}


def test_never_ripe_gives_null() -> None:
    points = np.array([[10.0, 10.0]])
    res = np.full((3, 2, 5), 50.0)
    result = ripeness(points, res, ["a", "b"])
    assert result.first_ripe_month is None and result.to_dict()["first_ripe_month"] is None
