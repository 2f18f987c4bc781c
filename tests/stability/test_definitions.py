"""Stability on random small graph models against the definitions enumerated literally."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.stability.graph import (
    CONCEPTS,
    GraphModel,
    analyse,
    coalition_improvements,
    group_reach,
)
from tests.stability.oracle import sequences_reach, stable


@st.composite
def graph_models(draw: st.DrawFn) -> GraphModel:
    n = draw(st.integers(2, 4))
    m = draw(st.integers(2, 3))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    moves = []
    for _ in range(m):
        move = rng.random((n, n)) < draw(st.sampled_from([0.2, 0.4, 0.6]))
        np.fill_diagonal(move, False)
        moves.append(move)
    # few distinct scores, so that ties are common
    scores = tuple(rng.integers(0, max(2, n - 1), size=n).astype(np.int64) for _ in range(m))
    return GraphModel(tuple(moves), scores)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(graph_models())
def test_every_concept_matches_the_definition(model: GraphModel) -> None:
    result = analyse(model)
    for concept in CONCEPTS:
        for i in range(model.n_dms):
            for s in range(model.n_states):
                assert result.stable[concept][i, s] == stable(model, i, s, concept), (concept, i, s)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(graph_models())
def test_group_reach_is_the_set_of_sequence_ends(model: GraphModel) -> None:
    steps = list(model.moves)
    for s in range(model.n_states):
        assert group_reach(steps, s) == sequences_reach(steps, s)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(graph_models())
def test_concepts_nest(model: GraphModel) -> None:
    """Nash implies SMR implies GMR, and Nash implies SEQ implies GMR [Fang1993]."""
    r = analyse(model).stable
    assert (~r["nash"] | r["smr"]).all() and (~r["smr"] | r["gmr"]).all()
    assert (~r["nash"] | r["seq"]).all() and (~r["seq"] | r["gmr"]).all()


@settings(max_examples=60, deadline=None, derandomize=True)
@given(graph_models())
def test_coalition_improvements_match_the_definition(model: GraphModel) -> None:
    """[Kilgour2001]: a coalition improves on s when a legal sequence of its members' moves
    reaches a state every member strictly prefers; checked with sequences enumerated literally."""
    from itertools import combinations

    found = coalition_improvements(model)
    for s in range(model.n_states):
        expected = [
            c
            for size in range(2, model.n_dms + 1)
            for c in combinations(range(model.n_dms), size)
            if any(
                all(model.score[k][t] > model.score[k][s] for k in c)
                for t in sequences_reach([model.moves[k] for k in c], s)
            )
        ]
        assert found[s] == expected
