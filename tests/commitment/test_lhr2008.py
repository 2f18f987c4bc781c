"""The ``lhr2008`` table of default hazard ratios against its source [LoHashimotoReiter2008].

- Always: each ratio is ``exp(coefficient x levels)`` of the coefficient printed in Table 1, Model 5
  (pp. 730-731, transcribed into ``tests/data/commitment/lhr2008_table1.csv``), for the strongest
  coded form of the mechanism against none, and the table says which levels it used.
- With the authors' replication file (not shipped: it is the authors' data; set
  ``CEASEFIRE_LHR2008_DTA`` to its path and ``pip install -e '.[replication]'``, see
  docs/explanation/commitment.md, "Defaults"): the Cox
  models 1 and 5 refitted with lifelines (Efron ties, the paper's episode-split data and its
  ``x * ln(t)`` terms as given in the file) give every printed coefficient and the log
  pseudo-likelihood to the printed precision. The robust standard errors are not recomputed.
"""

from __future__ import annotations

import csv
import math
import os
from decimal import Decimal
from pathlib import Path

import pytest

from ceasefire.scenario.commitment import default_table

DATA = Path(__file__).resolve().parents[1] / "data" / "commitment" / "lhr2008_table1.csv"

# mechanism -> (the replication file's variable, levels from none to the strongest coded form;
# a negative number of levels reverses the contrast: battle consistency 1 -> 0 is 'inconsistent')
CONTRASTS = {
    "dmz": ("dmz", 2),
    "peacekeeping": ("pk", 2),
    "third_party_guarantee": ("ext_inv", 2),
    "joint_commission": ("disp_res", 2),
    "specificity": ("detail", 3),
    "formal_agreement": ("formal", 4),
    "imposed_settlement": ("thirdpartycfire", 1),
    "inconsistent_battle_record": ("battletide", -1),
}
MODEL1 = ["archigosFIRC", "archigosFIRClnt", "capchange", "battletide", "thirdpartycfire", "index"]
MODEL5 = [
    "archigosFIRC",
    "archigosFIRClnt",
    "capchange",
    "battletide",
    "thirdpartycfire",
    "formal",
    "withdraw",
    "dmz",
    "ac",
    "pk",
    "ext_inv",
    "internal",
    "detail",
    "info",
    "disp_res",
]
CONTROLS = [
    "onedem5",
    "twodem5",
    "twodem5lnt",
    "tie",
    "lndeaths",
    "cfhist",
    "stakes",
    "contiguity",
    "contiguitylnt",
]


def published(model: str) -> dict[str, str]:
    """The printed coefficients of one model (as printed, to keep their precision)."""
    with DATA.open(encoding="utf-8") as handle:
        return {row["variable"]: row[model] for row in csv.DictReader(handle) if row[model]}


def test_each_ratio_is_the_published_coefficient_over_the_coded_range() -> None:
    table = default_table("lhr2008")
    coefficients = published("model5")
    assert set(table.mechanisms) == set(CONTRASTS) == set(default_table("fortna2003").mechanisms)
    for name, (variable, levels) in CONTRASTS.items():
        mechanism = table.mechanisms[name]
        expected = math.exp(float(coefficients[variable]) * levels)
        assert mechanism.ratio == pytest.approx(expected, abs=5e-4), name
        assert mechanism.verified and mechanism.source == "LoHashimotoReiter2008"
        assert "Table 1, Model 5" in (mechanism.pages or "")
        # The printed coefficient is quoted in the table's reference, the level count in its note.
        assert coefficients[variable].lstrip("-") in (mechanism.pages or ""), name
        assert f"exp({abs(levels)} x" in mechanism.note or levels in (1, -1), name


def test_the_directions_are_the_papers_not_the_fortna2003_assumptions() -> None:
    """The two tables agree on the direction of five mechanisms and disagree on two: formal
    agreement (no effect here) and peacekeeping (the wrong sign, not significant)."""
    lhr = default_table("lhr2008").mechanisms
    fortna = default_table("fortna2003").mechanisms
    same = {n for n in lhr if (lhr[n].ratio < 1) == (fortna[n].ratio < 1)}
    assert same == set(lhr) - {"peacekeeping", "formal_agreement"}


def decimals(printed: str) -> int:
    exponent = Decimal(printed).as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


@pytest.mark.parametrize(
    ("model", "covariates"), [("model1", MODEL1 + CONTROLS), ("model5", MODEL5 + CONTROLS)]
)
def test_the_replication_file_reproduces_table_1(model: str, covariates: list[str]) -> None:
    path = os.environ.get("CEASEFIRE_LHR2008_DTA")
    if not path or not Path(path).is_file():
        pytest.skip("set CEASEFIRE_LHR2008_DTA to the authors' replication file to refit Table 1")
    pd = pytest.importorskip("pandas")
    lifelines = pytest.importorskip("lifelines")
    data = pd.read_stata(path, convert_categoricals=False)
    rows = data[["id", "_t0", "_t", "_d", *covariates]].dropna()
    assert len(rows) == 6368 and rows["id"].nunique() == 186  # the table's note
    fitter = lifelines.CoxTimeVaryingFitter()
    fitter.fit(rows, id_col="id", start_col="_t0", stop_col="_t", event_col="_d")
    printed = published(model)
    for variable in covariates:
        tolerance = 0.5 * 10.0 ** -decimals(printed[variable]) + 1e-9
        assert fitter.params_[variable] == pytest.approx(float(printed[variable]), abs=tolerance)
    likelihood = printed["log_pseudo_likelihood"]
    tolerance = 0.5 * 10.0 ** -decimals(likelihood) + 1e-9
    assert fitter.log_likelihood_ == pytest.approx(float(likelihood), abs=tolerance)
