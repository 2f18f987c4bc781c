"""No script from a scenario file runs in a page: escaping, safe links, figure text and headers.

``data/hostile.yaml`` puts script in every free-text field (title, description, party names,
issue names, option labels, units, source titles, notes and URLs, YAML comments). Each page that
shows it, and the offline HTML report, must contain no element, attribute or link that a browser
would run. The browser tests (``test_browser.py``) check the same with Chromium.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.report.compose import compose
from ceasefire.report.html import render_report, template_script
from ceasefire.scenario import bundled_scenarios, load_scenario
from ceasefire.web.limits import CONTENT_SECURITY_POLICY

HOSTILE = Path(__file__).parent / "data" / "hostile.yaml"
HTMX = {"HX-Request": "true"}
RUNNABLE_ELEMENTS = {"img", "svg", "iframe", "object", "embed", "frame", "math", "base"}
TAGS_IN_TEXT = re.compile(r"<\s*(img|script|svg|iframe|a\s)", re.IGNORECASE)


class Markup(HTMLParser):
    """What in a page a browser could run: event handlers, scripts, javascript: links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.handlers: list[str] = []
        self.scripts: list[dict[str, str | None]] = []
        self.links: list[str] = []
        self.elements: list[str] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.handlers += [f"{tag}.{name}" for name, _ in attrs if name.startswith("on")]
        if tag == "script":
            self.scripts.append(values)
            self._in_script = True
        if tag in RUNNABLE_ELEMENTS:
            self.elements.append(tag)
        for name in ("href", "src", "action", "formaction", "data"):
            value = (values.get(name) or "").strip().lower()
            if value and not value.startswith(("/", "#", "http://", "https://")):
                self.links.append(f"{tag}.{name}={value}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.script_text.append(data)


def markup(html: str) -> Markup:
    parser = Markup()
    parser.feed(html)
    parser.close()
    return parser


def assert_nothing_runs(html: str) -> Markup:
    found = markup(html)
    assert found.handlers == []
    assert found.links == []
    assert found.elements == []
    for script in found.scripts:  # only the app's own files, or JSON data that never runs
        assert (script.get("src") or "").startswith("/static/") or script.get(
            "type"
        ) == "application/json", script
    return found


def upload_hostile(client: TestClient) -> int:
    response = client.post(
        "/api/scenarios",
        content=HOSTILE.read_bytes(),
        headers={"content-type": "application/yaml"},
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def run_hostile(client: TestClient, scenario_id: int) -> int:
    response = client.post("/api/runs", json={"scenario_id": scenario_id})
    assert response.status_code == 202, response.text
    assert client.app.state.runner.wait_idle(120)  # type: ignore[attr-defined]
    run: dict[str, Any] = client.get(f"/api/runs/{response.json()['id']}").json()
    assert run["status"] == "done", run
    return int(run["id"])


def test_no_page_runs_script_from_a_hostile_scenario(client: TestClient) -> None:
    scenario_id = upload_hostile(client)
    run_id = run_hostile(client, scenario_id)
    text = HOSTILE.read_text(encoding="utf-8")
    pages = {
        "index": client.get("/"),
        "scenario": client.get(f"/scenarios/{scenario_id}"),
        "run": client.get(f"/runs/{run_id}"),
        "check valid": client.post("/ui/check", data={"text": text}, headers=HTMX),
        # An invalid file is shown line by line, its comments included.
        "check invalid": client.post(
            "/ui/check",
            data={"text": text.replace("schema_version: 1", "schema_version: 9")},
            headers=HTMX,
        ),
    }
    for name, page in pages.items():
        assert page.status_code in (200, 422), name
        assert page.headers["content-type"].startswith("text/html"), name
        assert_nothing_runs(page.text)
        assert "<img src=x" not in page.text, name
    # The payloads are shown, as text.
    assert "&lt;img src=x onerror=alert(&#39;title&#39;)&gt;" in pages["scenario"].text
    assert "&lt;script&gt;alert(&#39;comment2&#39;)" in pages["check invalid"].text
    # The source URL that is not a web address stays text; the page links nowhere it could run.
    assert "javascript:alert(&#39;source-url&#39;)" in pages["scenario"].text
    assert 'href="javascript' not in pages["scenario"].text.lower()


def test_figure_text_is_escaped_for_plotly(client: TestClient) -> None:
    """Plotly reads ``<a href>``, ``<b>`` and the like in figure text as markup."""
    run_id = run_hostile(client, upload_hostile(client))
    document = client.get(f"/api/runs/{run_id}/figures").json()
    strings: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            strings.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(document["figures"])
    assert any("&lt;img src=x" in s for s in strings)  # the party names are there, escaped
    assert [s for s in strings if TAGS_IN_TEXT.search(s)] == []


def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert "'unsafe-eval'" not in CONTENT_SECURITY_POLICY
    assert "script-src 'self';" in CONTENT_SECURITY_POLICY + ";"  # no inline script anywhere
    for url in ("/", "/api/scenarios", "/static/app.js", "/static/htmx.min.js", "/nowhere"):
        response = client.get(url)
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY, url
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert response.headers["x-frame-options"] == "DENY", url
        assert response.headers["x-content-type-options"] == "nosniff", url
    refused = client.get("/", headers={"host": "elsewhere.example"})
    assert refused.status_code == 400 and refused.headers["x-frame-options"] == "DENY"


def test_pages_have_no_inline_script(client: TestClient) -> None:
    toy = next(s for s in client.get("/api/scenarios").json() if s["name"] == "toy-border")
    run_id = run_hostile(client, toy["id"])
    for url in ("/", f"/scenarios/{toy['id']}", f"/runs/{run_id}"):
        found = markup(client.get(url).text)
        executable = [s for s in found.scripts if s.get("type") != "application/json"]
        assert all((s.get("src") or "").startswith("/static/") for s in executable), url


def test_the_report_of_a_hostile_scenario_runs_only_its_own_scripts(tmp_path: Path) -> None:
    loaded = load_scenario(HOSTILE)
    document, notes = compose(loaded)
    html = render_report(loaded, document, notes=notes)
    found = markup(html)
    assert found.handlers == []
    assert found.links == []
    assert found.elements == []
    # plotly.js once, the figures' shared layout template, then one drawing call per figure: no
    # script element came from the file.
    figures = html.count('class="plotly-graph-div"')
    assert figures >= 2
    assert len(found.scripts) == 2 + figures
    assert all(not script.get("src") for script in found.scripts)
    assert found.script_text[1].strip() == template_script()
    for text in found.script_text[2:]:  # figure text, escaped for plotly inside the JSON
        decoded = text.replace("\\u003c", "<").replace("\\u003e", ">")
        assert "&lt;img src=x" in decoded or "Plotly.newPlot" in decoded
        assert TAGS_IN_TEXT.search(decoded) is None
    assert "&lt;img src=x onerror=alert(&#39;title&#39;)&gt;" in html
    assert "javascript:alert(&#39;source-url&#39;)" in html  # shown as text, not a link


@settings(max_examples=40)
@given(
    title=st.text(min_size=1, max_size=40),
    label=st.text(max_size=40),
    url=st.text(max_size=40)
    | st.sampled_from(["javascript:alert(1)", " https://x.org/", "data:,x"]),
)
def test_any_text_in_a_scenario_shows_as_text(title: str, label: str, url: str) -> None:
    """Whatever a scenario's free text holds, the scenario page shows it and runs none of it."""
    from ceasefire.web.store import ScenarioRow
    from ceasefire.web.templating import page_templates as _templates

    loaded = load_scenario(bundled_scenarios()["toy-border"])
    scenario = loaded.scenario
    issue = scenario.issues[0]
    options = [*issue.option_list[:-1], issue.option_list[-1].model_copy(update={"label": label})]
    source = scenario.sources[0].model_copy(update={"url": url, "note": label})
    changed = scenario.model_copy(
        update={
            "title": title,
            "issues": [issue.model_copy(update={"options": options}), *scenario.issues[1:]],
            "sources": [source],
        }
    )
    row = ScenarioRow(1, "toy", 1, title, "uploaded", None, loaded.text, "0" * 64, "now")
    page = (
        _templates()
        .env.get_template("scenario.html.j2")
        .render(
            row=row,
            scenario=changed,
            versions=[row],
            analyses=[],
            all_analyses=[],
            runs=[],
            protocols=[],
            strategies=[],
        )
    )
    assert_nothing_runs(page)
    shown = html.unescape(page)
    assert title in shown and url in shown and label in shown  # the label as a source note
