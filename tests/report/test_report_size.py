"""The report of the bundled flagship stays a reasonable size: plotly.js once, lean figures.

Issue 17: ``make demo``'s report was 7.0 MB, 4.8 MB of it plotly.js and 1.8 MB the utility space
(a hover text per frontier point that crosses a red line). Now each set of red lines crossed is
written once per trace, points hidden under another's marker are dropped, and ``--plotly cdn``
leaves plotly.js out of the file.
"""

from __future__ import annotations

import re

from ceasefire.report.compose import compose
from ceasefire.report.html import plotly_cdn_url, plotly_js, render_report
from ceasefire.scenario import bundled_scenarios, load_scenario

FIGURES_BUDGET = 1_000_000
"""Bytes of the report beyond plotly.js: the figures, findings, tables and styles."""


def test_the_flagship_report_is_plotly_once_plus_less_than_a_megabyte() -> None:
    loaded = load_scenario(bundled_scenarios()["russia-ukraine-2023-12"])
    document, notes = compose(loaded, scenario_name="russia-ukraine-2023-12")
    embedded = render_report(loaded, document, notes=notes)
    assert embedded.count(plotly_js()) == 1
    assert len(embedded) - len(plotly_js()) < FIGURES_BUDGET
    linked = render_report(loaded, document, notes=notes, plotly="cdn")
    assert len(linked) < FIGURES_BUDGET
    assert plotly_cdn_url() in linked and "plotly.js v" not in linked
    # No figure carries more than a third of the budget. The utility space and the parallel
    # coordinates carry a hover text per package of the zone, which grows with the zone: 153
    # packages on the flagship's effective utilities (about 250 kB and 212 kB), 108 before its
    # hazards became those of the verified table lhr2008 (184 kB and 156 kB).
    for figure in re.split(r'(?=<div id="fig-)', linked)[1:]:
        assert figure.index("</script>") < FIGURES_BUDGET // 3, figure[:60]
