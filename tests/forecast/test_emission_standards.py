"""The EC emission standards case of [BuenoDeMesquita1994], as replicated by [Scholz2011].

What is checked, and against what:

- round 0 (the inputs of [Scholz2011] Table 1): the median is the Condorcet winner found by
  brute force over all pairwise votes (7 years) and the weighted mean is ``sum c s x / sum c s``
  (5.003 / 0.677 = 7.3900 years), both recomputed here by hand-written loops;
- rounds 1-10: every actor's position, the median and the mean agree, to 1e-6, with the
  independent public replication [McKibbenSanders2014], whose author reports that it reproduces
  the published rounds;
- rounds 1-8 against Table 2 (p. 28) of the conference version of the paper [ScholzICAART2011],
  which prints the median and the mean to one decimal (tests/data/bdm/scholz2011_table2.csv; the
  journal version's table was not seen): 15 of the 16 values agree to the printed precision; the
  median of round 2 does not (9.9 printed, 9.611 here, in [McKibbenSanders2014] and in
  [Masad2014], both of which follow the authors' own code), so the whole-table test is a strict
  xfail with that diagnosis, and a passing test shows why no median of the round-2 positions can
  print as 9.9.
"""

from __future__ import annotations

import csv

import numpy as np
import pytest

from ceasefire.forecast.document import forecast_document
from ceasefire.forecast.inputs import read_actors_csv
from tests.forecast import DATA
from tests.forecast.oracle import condorcet_winners

CASE = DATA / "emission_standards_bdm1994.csv"


def test_round_zero_median_and_weighted_mean() -> None:
    table = read_actors_csv(CASE)
    document = forecast_document(table, rounds=0)
    weight = table.capability * table.salience
    assert condorcet_winners(table.position, weight) == [7.0]
    assert document["median"] == [7.0]
    mean = sum(w * x for w, x in zip(weight, table.position, strict=True)) / sum(weight)
    assert mean == pytest.approx(5.003 / 0.677, abs=1e-12)
    assert document["mean"][0] == pytest.approx(mean, abs=1e-12)


def test_rounds_one_to_ten_agree_with_the_public_replication() -> None:
    with (DATA / "emission_standards_mckibbensanders2014_rounds.csv").open(
        encoding="utf-8"
    ) as handle:
        expected = list(csv.DictReader(handle))
    document = forecast_document(read_actors_csv(CASE), rounds=10)
    assert len(expected) == 11 == len(document["positions"])
    for k, row in enumerate(expected):
        for actor, position in document["positions"][k].items():
            assert position == pytest.approx(float(row[actor]), abs=1e-6), (k, actor)
        assert document["median"][k] == pytest.approx(float(row["median"]), abs=1e-6)
        assert document["mean"][k] == pytest.approx(float(row["mean"]), abs=1e-6)


def test_round_four_belgium_compromises_with_the_netherlands() -> None:
    """The move [McKibbenSanders2014] singles out in the authors' offer rule (round 4, to 4.8 years)."""
    document = forecast_document(read_actors_csv(CASE), rounds=4)
    belgium = [m for m in document["moves"][3] if m["actor"] == "Belgium"]
    assert belgium[0]["kind"] == "compromise" and belgium[0]["towards"] == "Netherlands"
    assert belgium[0]["position"] == pytest.approx(4.801, abs=1e-3)


def published_table_2() -> list[dict[str, float]]:
    """[ScholzICAART2011] Table 2 (p. 28): rounds 1-8, median and mean, printed to one decimal."""
    with (DATA / "scholz2011_table2.csv").open(encoding="utf-8") as handle:
        return [{k: float(v) for k, v in row.items()} for row in csv.DictReader(handle)]


def as_printed(value: float, printed: float) -> bool:
    """Does ``value`` print as ``printed`` to one decimal? The table does not say whether it rounds
    or truncates (its values fit neither rule alone), so either is accepted."""
    return printed - 0.05 - 1e-9 <= value < printed + 0.1


def mismatches(document: dict[str, list[float]]) -> list[tuple[int, str, float, float]]:
    return [
        (int(row["round"]), stat, round(document[stat][int(row["round"])], 3), row[stat])
        for row in published_table_2()
        for stat in ("median", "mean")
        if not as_printed(document[stat][int(row["round"])], row[stat])
    ]


def test_published_table_2_agrees_except_the_median_of_round_2() -> None:
    document = forecast_document(read_actors_csv(CASE), rounds=8)
    assert [int(r["round"]) for r in published_table_2()] == list(range(1, 9))
    assert mismatches(document) == [(2, "median", 9.611, 9.9)]


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="[ScholzICAART2011] Table 2 prints a median of 9.9 for round 2 (and its text says the "
    "median was 9.9 at the end of rounds 2-5). After round 2 the actors' positions here are 4, 7, "
    "8.416, 9.611 and 10: none prints as 9.9, rounded or truncated, so no median of them can (the "
    "median is the weighted Condorcet winner among them, 9.611); Belgium reaches 9.962 (printed "
    "9.9) only in round 3. The replications [McKibbenSanders2014] and [Masad2014], which follow "
    "the authors' own code, print 9.611 too. The other 15 values agree; they mix rounding and "
    "truncation, so the table was not printed by one rule. The round-2 entry looks one round "
    "early; the journal version's table, which might correct it, was not seen.",
)
def test_published_table_2_series() -> None:
    document = forecast_document(read_actors_csv(CASE), rounds=8)
    assert mismatches(document) == []


def test_the_textual_variants_change_the_path_but_not_round_zero() -> None:
    """The options nest the default: round 0 is the same, and the defaults are the documented
    ones (a run with them spelled out is identical)."""
    from ceasefire.forecast import Options

    table = read_actors_csv(CASE)
    default = forecast_document(table, rounds=5)
    spelled = forecast_document(
        table,
        rounds=5,
        options=Options(
            q=1.0, t=1.0, probability="all_pairs", perspective="receiver", choice="by_kind"
        ),
    )
    assert default["positions"] == spelled["positions"]
    textual = forecast_document(
        table, rounds=5, options=Options(probability="pair", choice="least_move")
    )
    assert textual["positions"][0] == default["positions"][0]
    assert np.isfinite(textual["mean"]).all()


def test_no_median_of_the_round_2_positions_prints_as_9_9() -> None:
    """Why the round-2 value of Table 2 cannot be reproduced by any way of taking the median: the
    median is one of the actors' positions (the Condorcet winner among them, [ScholzICAART2011]
    eq. 28 and appendix step 3), and none of the round-2 positions prints as 9.9. The weight at or
    below 9.611 is 0.341 of 0.677, more than half, so 9.611 is the median. The first position that
    prints as 9.9 (Belgium's 9.962) appears in round 3."""
    table = read_actors_csv(CASE)
    document = forecast_document(table, rounds=8)
    positions = [np.array(list(row.values())) for row in document["positions"]]
    assert sorted(set(np.round(positions[2], 3))) == [4.0, 7.0, 8.416, 9.611, 10.0]
    assert not any(as_printed(float(x), 9.9) for x in positions[2])
    weight = table.capability * table.salience
    assert weight[positions[2] <= 9.611 + 1e-3].sum() == pytest.approx(0.341)
    assert weight.sum() == pytest.approx(0.677)
    assert document["median"][2] == pytest.approx(9.611, abs=1e-3)
    first = next(
        k for k, row in enumerate(positions) if any(as_printed(float(x), 9.9) for x in row)
    )
    assert first == 3 and document["median"][3] == pytest.approx(9.962, abs=1e-3)
