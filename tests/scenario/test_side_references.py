"""Every field of the ``war:`` section that names one of the two sides reports a party that is not
one with the same message, at the file, line, column and field of the offending entry."""

from __future__ import annotations

import pytest

from ceasefire.scenario import ScenarioError, parse_scenario
from tests.war.campaign import campaign_text

OUTCOME_OF_A_NON_SIDE = """  outcomes:
    broker:
      terms: {neutrality: demilitarised, territory: 35}
      basis: {assumption: "Invented."}
"""


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        (
            "gains_for: east",
            "gains_for: ally",
            "war.yaml:113:16: war.front.gains_for: 'ally' is not one of the two sides",
        ),
        (
            "to: west",
            "to: broker",
            "war.yaml:127:11: war.aid[0].to: 'broker' is not one of the two sides",
        ),
        (
            "nuclear_side: east",
            "nuclear_side: west2",
            "war.yaml:134:19: war.escalation.nuclear_side: 'west2' is not one of the two sides",
        ),
        (
            "attacker: east",
            "attacker: broker",
            "war.yaml:145:15: war.campaign.attacker: 'broker' is not one of the two sides",
        ),
        (
            "casualties_of: [west]",
            "casualties_of: [west, ally]",
            "war.yaml:185:29: war.costs.ally.casualties_of[1]: 'ally' is not one of the two sides",
        ),
        (
            "  costs:\n",
            OUTCOME_OF_A_NON_SIDE + "  costs:\n",
            "war.yaml:164:5: war.outcomes.broker: 'broker' is not one of the two sides",
        ),
    ],
    ids=["gains_for", "aid.to", "nuclear_side", "attacker", "casualties_of", "outcomes"],
)
def test_a_party_that_is_not_a_side_is_reported_at_its_place(
    old: str, new: str, error: str
) -> None:
    text = campaign_text()
    assert old in text, old
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text.replace(old, new, 1), "war.yaml")
    assert str(caught.value) == error
