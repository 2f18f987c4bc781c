"""BargainingProblem: validation, utilities, package labels, quantisation."""

from __future__ import annotations

import numpy as np
import pytest

from ceasefire.bargaining import BargainingProblem, dequantize, quantize


def make(**overrides: object) -> BargainingProblem:
    fields: dict[str, object] = {
        "parties": ("a", "b"),
        "veto": (True, True),
        "issues": ("border", "troops"),
        "options": (("north", "south"), (0.0, 50.0, 100.0)),
        "contributions": (np.array([[10, 0], [0, 20]]), np.array([[0, 30], [15, 15], [30, 0]])),
        "forbidden": (np.array([False, True]), np.zeros(3, dtype=bool)),
        "reservation": np.array([5.0, 5.0]),
    }
    fields.update(overrides)
    return BargainingProblem(**fields)  # type: ignore[arg-type]


def test_utilities_and_labels() -> None:
    problem = make()
    assert problem.package_count() == 6
    np.testing.assert_allclose(problem.utilities([[0, 1], [1, 2]]), [[25, 15], [30, 20]])
    assert problem.package_dict([1, 2]) == {"border": "south", "troops": 100.0}
    assert problem.acceptable([[0, 1], [1, 2]]).tolist() == [True, False]  # south is forbidden


def test_arrays_are_read_only_copies() -> None:
    table = np.array([[10.0, 0.0], [0.0, 20.0]])
    problem = make(contributions=(table, np.zeros((3, 2))))
    table[0, 0] = 99
    assert problem.contributions[0][0, 0] == 10
    with pytest.raises(ValueError):
        problem.contributions[0][0, 0] = 1


def test_with_reservation_keeps_everything_else() -> None:
    problem = make()
    other = problem.with_reservation([1.0, 2.0])
    np.testing.assert_array_equal(other.reservation, [1, 2])
    assert other.options == problem.options and other.issues == problem.issues
    np.testing.assert_array_equal(problem.reservation, [5, 5])


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"parties": ("a", "a")}, "unique"),
        ({"veto": (False, False)}, "veto"),
        ({"veto": (True,)}, "veto"),
        ({"contributions": (np.zeros((2, 3)), np.zeros((3, 2)))}, "shape"),
        ({"contributions": (np.array([[np.nan, 0], [0, 0]]), np.zeros((3, 2)))}, "finite"),
        ({"forbidden": (np.zeros(3, dtype=bool), np.zeros(3, dtype=bool))}, "forbidden"),
        ({"reservation": np.array([np.nan, 0.0])}, "finite reservation"),
        ({"reservation": np.array([0.0])}, "reservation"),
        ({"options": (("north",), (0.0, 50.0, 100.0))}, "shape"),
        ({"contributions": (np.full((2, 2), 1e7), np.zeros((3, 2)))}, "too large"),
    ],
)
def test_invalid_problems_are_rejected(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make(**overrides)


def test_nan_reservation_allowed_without_veto() -> None:
    problem = make(veto=(True, False), reservation=np.array([1.0, np.nan]))
    assert problem.veto_indices.tolist() == [0]


def test_quantize_round_trip_and_exactness() -> None:
    assert quantize(0.1) + quantize(0.2) == quantize(0.3)
    assert quantize([1e-12, 4e-13, 6e-13]).tolist() == [1, 0, 1]
    np.testing.assert_allclose(dequantize(quantize([12.345, -3.5])), [12.345, -3.5], atol=1e-12)
