"""The web app runs ``explain``: the document is the command's, the findings say what binds."""

from __future__ import annotations

from fastapi.testclient import TestClient

from ceasefire.runs import run
from ceasefire.study import read_scenario
from tests.web.api import run_to_end, scenario_id


def test_an_explain_run(client: TestClient) -> None:
    toy = scenario_id(client, "toy-border")
    assert "explain" in [a["name"] for a in client.get(f"/api/scenarios/{toy}/analyses").json()]
    done = run_to_end(client, scenario_id=toy, analysis="explain")
    assert done["status"] == "done", done
    result = client.get(f"/api/runs/{done['id']}/result").json()
    expected = run("explain", read_scenario("toy-border")).document
    assert result["binding_party"] == expected["binding_party"]
    assert result["break_even"] == expected["break_even"]
    findings = client.get(f"/api/runs/{done['id']}/figures").json()["findings"]
    text = " ".join(findings)
    assert "Holds under" in text
    assert "The binding party is South" in text and "measured scale-free" in text
    assert "What binds most: South's value of no deal" in text
