"""The red-line-free problem: every package meets its reservation values, only red lines exclude."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings

from ceasefire.bargaining import BargainingProblem
from ceasefire.bargaining.slack import no_reservation, red_line_free
from tests.strategies import bargaining_problems


@settings(max_examples=60, deadline=None)
@given(problem=bargaining_problems(max_packages=3000))
def test_only_red_lines_exclude_packages(problem: BargainingProblem) -> None:
    packages = np.array(
        list(itertools.product(*(range(len(o)) for o in problem.options))), dtype=np.intp
    )
    floor = no_reservation(problem)
    veto = problem.veto_indices
    lowest = problem.utilities(packages)[:, veto].min(axis=0)
    assert (floor[veto] <= lowest + 1e-12).all()  # no package falls below it
    assert np.isnan(np.delete(floor, veto)).all()
    crossing = np.zeros(len(packages), dtype=bool)
    for k, banned in enumerate(problem.forbidden):
        crossing |= banned[packages[:, k]]
    np.testing.assert_array_equal(red_line_free(problem).acceptable(packages), ~crossing)
