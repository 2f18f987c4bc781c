"""Hypothesis strategies shared by the test suite.

Hypothesis draws the structure (sizes, kinds, probabilities) and one seed; the numbers themselves come
from ``numpy.random.default_rng(seed)``, so every example is reproducible from what Hypothesis prints.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from ceasefire.bargaining import BargainingProblem

CONTRIBUTION_KINDS = ("integer", "decimal", "jitter", "float", "zero_sum")
"""How contribution tables are drawn:

- ``integer``: small integers 0..3, so ties and duplicate utility vectors are common;
- ``decimal``: multiples of 0.1, whose float sums differ from their exact sums (0.1 + 0.2 != 0.3);
- ``jitter``: small integers moved by multiples of 4e-10, so that sums differ by less than the
  1e-9 tolerance: exactly non-dominated points that are eps-dominated, reservation values met
  only within tolerance;
- ``float``: weights times values on 0..100, as in a scenario (ties only from copied options);
- ``zero_sum``: the veto parties' contributions add up to the same total for every option of an
  issue, so every package is Pareto-optimal.
"""


def _contribution_table(
    rng: np.random.Generator, kind: str, n_options: int, n_parties: int, weights: np.ndarray
) -> np.ndarray:
    if kind == "integer":
        table = rng.integers(0, 4, size=(n_options, n_parties)).astype(float)
    elif kind == "decimal":
        table = rng.integers(0, 30, size=(n_options, n_parties)) / 10
    elif kind == "jitter":
        table = rng.integers(0, 4, size=(n_options, n_parties)) + 4e-10 * rng.integers(
            -2, 3, size=(n_options, n_parties)
        )
    elif kind == "float":
        table = weights[None, :] * rng.uniform(0, 100, size=(n_options, n_parties))
    else:
        # Split a fixed total (an integer) among the parties for every option.
        total = int(rng.integers(0, 7))
        cuts = np.sort(rng.integers(0, total + 1, size=(n_options, n_parties - 1)), axis=1)
        edges = np.hstack([np.zeros((n_options, 1)), cuts, np.full((n_options, 1), total)])
        table = np.diff(edges, axis=1)
    if n_options > 1 and rng.random() < 0.3:
        table[rng.integers(n_options)] = table[rng.integers(n_options)]  # a tied option
    return table


@st.composite
def bargaining_problems(
    draw: st.DrawFn,
    *,
    veto_parties: tuple[int, int] = (2, 3),
    extra_parties: tuple[int, int] = (0, 1),
    max_issues: int = 6,
    max_options: int = 6,
    max_packages: int = 10**5,
    kinds: tuple[str, ...] = CONTRIBUTION_KINDS,
    red_lines: bool = True,
    reservations: bool = True,
) -> BargainingProblem:
    """Random bargaining problems.

    ``veto_parties`` and ``extra_parties`` (without veto) are inclusive ranges; the package count
    stays at most ``max_packages``. With ``red_lines`` some options are forbidden; with
    ``reservations`` the veto parties' reservation values fall anywhere between their worst and best
    utility (sometimes on an integer, to hit ties with integer utilities exactly), and a party without
    a veto may have none (NaN).
    """
    n_veto = draw(st.integers(*veto_parties), label="veto parties")
    n_extra = draw(st.integers(*extra_parties), label="other parties")
    n_parties = n_veto + n_extra
    n_issues = draw(st.integers(1, max_issues), label="issues")
    sizes: list[int] = []
    total = 1
    for _ in range(n_issues):
        largest = min(max_options, max_packages // total)
        if largest < 1:
            break
        sizes.append(draw(st.integers(1, largest), label="options"))
        total *= sizes[-1]
    kind = draw(st.sampled_from(kinds), label="kind")
    forbid_rate = draw(st.sampled_from((0.0, 0.15, 0.4)) if red_lines else st.just(0.0))
    reservation_mode = draw(
        st.sampled_from(("none", "between", "integer")) if reservations else st.just("none")
    )
    seed = draw(st.integers(0, 2**32 - 1), label="seed")
    rng = np.random.default_rng(seed)

    weights = rng.dirichlet(np.ones(len(sizes)), size=n_parties).T  # (issues, parties)
    tables = [
        _contribution_table(rng, kind, size, n_veto, weights[k, :n_veto])
        for k, size in enumerate(sizes)
    ]
    # Parties without a veto get their own columns, never part of a zero-sum split.
    tables = [
        np.hstack([t, weights[k, n_veto:][None, :] * rng.uniform(0, 100, (t.shape[0], n_extra))])
        for k, t in enumerate(tables)
    ]
    # Veto parties are not always the first columns.
    order = rng.permutation(n_parties)
    tables = [t[:, order] for t in tables]
    veto = np.array([True] * n_veto + [False] * n_extra)[order]

    forbidden = [rng.random(size) < forbid_rate for size in sizes]
    low = np.sum([t.min(axis=0) for t in tables], axis=0)
    high = np.sum([t.max(axis=0) for t in tables], axis=0)
    if reservation_mode == "none":
        reservation = low - 1.0
    else:
        reservation = low + rng.uniform(0.0, 0.8, n_parties) * (high - low)
        if reservation_mode == "integer":
            reservation = np.round(reservation)
    reservation = np.where(veto | (rng.random(n_parties) < 0.5), reservation, np.nan)
    return BargainingProblem.from_arrays(
        tables, veto=veto.tolist(), reservation=reservation, forbidden=forbidden
    )
