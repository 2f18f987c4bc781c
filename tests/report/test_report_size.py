"""The report of the bundled flagship stays a reasonable size: plotly.js once, lean figures.

Issue 17: ``make demo``'s report was 7.0 MB, 4.8 MB of it plotly.js and 1.8 MB the utility space
(a hover text per frontier point that crosses a red line). Now each set of red lines crossed is
written once per trace, points hidden under another's marker are dropped, and ``--plotly cdn``
leaves plotly.js out of the file. The layout template the figures share (some 8 kB) is written once
in the page rather than once per figure: the report without plotly.js went from 516 kB to 468 kB
(589 kB once the flagship's zone grew from 108 to 153 packages on the verified hazard table).
"""

from __future__ import annotations

import re

from plotly.io.json import to_json_plotly

from ceasefire.report.compose import compose
from ceasefire.report.html import plotly_cdn_url, plotly_js, render_report, shared_template
from ceasefire.scenario import bundled_scenarios, load_scenario

FIGURES_BUDGET = 700_000
"""Bytes of the report beyond plotly.js: the figures, findings, tables and styles."""
FIGURE_BUDGET = 300_000
"""Bytes of one figure's ``<div>`` and drawing call. The utility space and the parallel coordinates
carry a hover text per package of the zone, which grows with the zone: 153 packages on the
flagship's effective utilities (242 kB and 204 kB), 108 before its hazards became those of the
verified table lhr2008 (184 kB and 156 kB)."""


def test_the_flagship_report_is_plotly_once_plus_lean_figures() -> None:
    loaded = load_scenario(bundled_scenarios()["russia-ukraine-2023-12"])
    document, notes = compose(loaded, scenario_name="russia-ukraine-2023-12")
    embedded = render_report(loaded, document, notes=notes)
    assert embedded.count(plotly_js()) == 1
    assert len(embedded) - len(plotly_js()) < FIGURES_BUDGET
    linked = render_report(loaded, document, notes=notes, plotly="cdn")
    assert len(linked) < FIGURES_BUDGET
    assert plotly_cdn_url() in linked and "plotly.js v" not in linked
    figures = re.split(r'(?=<div id="fig-)', linked)[1:]
    assert len(figures) >= 5
    for figure in figures:
        assert figure.index("</script>") < FIGURE_BUDGET, figure[:60]
    # The layout template is written once, for every figure; no figure repeats it.
    assert linked.count(to_json_plotly(shared_template())) == 1
    assert '"template":' not in linked
