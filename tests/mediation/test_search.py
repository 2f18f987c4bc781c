"""The cheapest offer and the best offer within a budget agree with brute force."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ceasefire.bargaining import BargainingProblem
from ceasefire.mediation.bruteforce import acceptable_with, best_nash_product, cheapest_cost
from ceasefire.mediation.offers import OfferSpace
from ceasefire.mediation.search import best_offer_nash, cheapest_offer
from ceasefire.scenario.side_payments import SidePayment


def random_case(seed: int) -> tuple[BargainingProblem, OfferSpace]:
    """A veto-only problem with a hard reservation and 1-3 side payments of 2-4 levels."""
    rng = np.random.default_rng(seed)
    d = int(rng.integers(2, 4))
    sizes = rng.integers(2, 5, size=int(rng.integers(1, 4)))
    tables = [rng.uniform(0, 30, size=(int(n), d)).round(int(rng.integers(0, 3))) for n in sizes]
    forbidden = [rng.random(int(n)) < 0.2 for n in sizes]
    for f in forbidden:
        f[rng.integers(len(f))] = False
    best = sum(t.max(axis=0) for t in tables)
    reservation = best * rng.uniform(0.6, 1.1, size=d)
    problem = BargainingProblem.from_arrays(tables, forbidden=forbidden, reservation=reservation)
    parties = problem.parties
    payments = []
    for m in range(int(rng.integers(1, 4))):
        n = int(rng.integers(2, 5))
        cost = np.concatenate([[0.0], np.sort(rng.uniform(1, 50, size=n - 1)).round(1)])
        value = {}
        for party in parties:
            if rng.random() < 0.7:
                value[party] = [0.0, *np.sort(rng.uniform(0, 15, size=n - 1)).round(1).tolist()]
        payer = str(rng.choice(["us", "eu"]))
        if rng.random() < 0.3:
            value[parties[0]] = [0.0, *(-rng.uniform(0, 3, size=n - 1)).round(1).tolist()]
        payments.append(
            SidePayment(
                id=f"m{m}", name=f"M{m}", offered_by=payer, levels=list(range(n)),
                cost=cost.tolist(), value=value,
            )
        )  # fmt: skip
    costs = tuple(np.array(p.cost) for p in payments)
    gains = tuple(
        np.column_stack([np.array(p.value.get(q, [0.0] * len(p.levels))) for q in parties])
        for p in payments
    )
    return problem, OfferSpace(tuple(payments), parties, costs, gains)


@given(seed=st.integers(0, 2**32 - 1))
def test_search_and_integer_programme_find_the_least_cost(seed: int) -> None:
    problem, space = random_case(seed)
    cost, winners = cheapest_cost(problem, space)
    search = cheapest_offer(problem, space, "search")
    milp = cheapest_offer(problem, space, "milp")
    if cost is None:
        assert search is None and milp is None
        return
    assert search is not None and milp is not None
    assert search.cost == pytest.approx(cost, abs=1e-9)
    assert search.offer in winners
    assert milp.cost == pytest.approx(cost, abs=1e-6)
    assert acceptable_with(problem, space, milp.offer).any()


@given(seed=st.integers(0, 2**32 - 1), share=st.floats(0.0, 1.0))
def test_best_offer_within_a_budget_maximises_the_nash_product(seed: int, share: float) -> None:
    problem, space = random_case(seed)
    budget = share * float(space.cost(space.all_offers()).max())
    expected = best_nash_product(problem, space, budget)
    found = best_offer_nash(problem, space, budget)
    if expected is None:
        assert found is None
        return
    assert found is not None
    choice, product = found
    assert choice.cost <= budget + 1e-9
    assert product == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_a_bigger_budget_never_lowers_the_nash_product() -> None:
    problem, space = random_case(7)
    top = float(space.cost(space.all_offers()).max())
    products = []
    for budget in np.linspace(0, top, 9):
        found = best_offer_nash(problem, space, float(budget))
        products.append(0.0 if found is None else found[1])
    assert products == sorted(products)
