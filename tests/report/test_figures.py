"""The figures show what the result documents say: every point, line and marker checked against them."""

from __future__ import annotations

import html
import itertools
from typing import Any

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from ceasefire.analysis import analyze
from ceasefire.report import figures as f
from ceasefire.scenario import LoadedScenario


def trace(figure: Any, name: str) -> Any:
    matches = [t for t in figure.data if t.name == name]
    assert len(matches) == 1, [t.name for t in figure.data]
    return matches[0]


# ---- the 2-D staircase and the ZOPA region, against brute force --------------------------------

points_2d = st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12)), min_size=0, max_size=25)


@given(points_2d)
def test_staircase_is_the_set_of_undominated_points(points: list[tuple[int, int]]) -> None:
    undominated = {
        p for p in points if not any(q[0] >= p[0] and q[1] >= p[1] and q != p for q in points)
    }
    steps = f.staircase(points)
    assert set(steps) == undominated
    assert steps == sorted(steps)  # by first coordinate ascending, so second descending
    assert all(a[1] > b[1] for a, b in itertools.pairwise(steps))


@given(points_2d, st.tuples(st.integers(0, 12), st.integers(0, 12)))
def test_zopa_region_is_what_some_acceptable_point_dominates(
    points: list[tuple[int, int]], corner: tuple[int, int]
) -> None:
    """Area by the shoelace formula == unit cells between the corner and some acceptable point."""
    outline = f.zopa_polygon([(float(x), float(y)) for x, y in points], corner)
    rx, ry = corner
    cells = sum(
        1
        for i, j in itertools.product(range(rx, 13), range(ry, 13))
        if any(x >= i + 1 and y >= j + 1 for x, y in points if x >= rx and y >= ry)
    )
    if not outline:
        assert cells == 0
        assert not any(x >= rx and y >= ry for x, y in points)
        return
    xs = np.array([p[0] for p in outline])
    ys = np.array([p[1] for p in outline])
    area = 0.5 * abs(np.dot(xs, np.roll(ys, -1)) - np.dot(ys, np.roll(xs, -1)))
    assert area == cells
    assert outline[0] == (rx, ry)


# ---- the utility space ----------------------------------------------------------------------


def test_utility_space_shows_every_frontier_point_and_each_solution(
    toy: LoadedScenario, toy_doc: dict[str, Any]
) -> None:
    figure = f.utility_space(toy_doc, toy.scenario)
    frontier = [trace(figure, "Pareto frontier")]
    # one trace per set of red lines crossed, one legend entry for them all
    crossing = [t for t in figure.data if t.name == "crosses a red line (not acceptable)"]
    assert sum(bool(t.showlegend) for t in crossing) == 1
    # every frontier point is drawn once: crossing North's red line (the northern line) or not
    for drawn, crosses in ((frontier, False), (crossing, True)):
        assert sorted(p for t in drawn for p in zip(t.x, t.y, strict=True)) == sorted(
            (round(e["utilities"]["north"], 2), round(e["utilities"]["south"], 2))
            for e in toy_doc["frontier"]
            if (e["package"]["border"] == "north_line") == crosses
        )
    zopa = trace(figure, "acceptable (ZOPA frontier)")
    assert len(zopa.x) == len(toy_doc["zopa"]["frontier"])
    for concept, solution in toy_doc["solutions"].items():
        marker = trace(figure, f.concept_title(concept))
        assert (marker.x[0], marker.y[0]) == (
            solution["utilities"]["north"],
            solution["utilities"]["south"],
        )
        # hover shows the package: every issue it changes, with its option's label (issue 17,
        # defect 6: labels, never ids, wherever a person reads)
        options = f.option_names(toy.scenario)
        for issue, option in solution["package"].items():
            if option != toy_doc["status_quo"]["package"][issue]:
                assert (
                    f"{toy.scenario.issue(issue).name}: {options(issue, option)}"
                    in (marker.text[0])
                )
        assert "_line" not in marker.text[0]
    assert "Border line: middle line" in trace(figure, "status quo").text[0]
    status_quo = trace(figure, "status quo")
    assert (status_quo.x[0], status_quo.y[0]) == (65.0, 30.0)


def test_reservation_values_are_lines_and_bound_the_shaded_zone(
    toy_doc: dict[str, Any],
) -> None:
    figure = f.utility_space(toy_doc)
    shapes = figure.layout.shapes
    vertical = [s for s in shapes if s.x0 == s.x1]
    horizontal = [s for s in shapes if s.y0 == s.y1]
    assert [s.x0 for s in vertical] == [toy_doc["reservation"]["north"]]
    assert [s.y0 for s in horizontal] == [toy_doc["reservation"]["south"]]
    zone = trace(figure, "zone of possible agreement")
    assert zone.fill == "toself"
    assert min(zone.x) == toy_doc["reservation"]["north"]
    assert min(zone.y) == toy_doc["reservation"]["south"]
    best = toy_doc["zopa"]["frontier"]
    assert max(zone.x) == max(e["utilities"]["north"] for e in best)
    assert max(zone.y) == max(e["utilities"]["south"] for e in best)


def test_no_zopa_draws_no_zone(no_zopa_doc: dict[str, Any]) -> None:
    figure = f.utility_space(no_zopa_doc)
    names = [t.name for t in figure.data]
    assert "zone of possible agreement" not in names
    assert "acceptable (ZOPA frontier)" not in names
    assert not any(t.name == "Nash bargaining solution" for t in figure.data)


def test_more_than_two_parties_get_parallel_coordinates(
    three: LoadedScenario, three_doc: dict[str, Any]
) -> None:
    chosen = f.figures_for(three_doc, three.scenario)
    assert list(chosen)[:3] == ["utility_space", "utility_parallel", "issue_comparison"]
    parallel = chosen["utility_parallel"][1].data[0]
    # Figure text is plotly markup: a name is escaped there, and plotly shows it as typed.
    assert [html.unescape(d.label).split(" (")[0] for d in parallel.dimensions] == [
        "Alpha",
        "Beta",
        "Gamma <patron>",
    ]
    n_frontier = len(three_doc["frontier"])
    n_zopa = len(three_doc["zopa"]["frontier"])
    colours = list(parallel.line.color)
    assert colours.count(0) == n_frontier and colours.count(1) == n_zopa
    assert colours.count(3) == 1  # the status quo
    assert list(parallel.dimensions[1].values[:n_frontier]) == [
        e["utilities"]["b"] for e in three_doc["frontier"]
    ]


def test_two_parties_get_no_parallel_coordinates(toy_doc: dict[str, Any]) -> None:
    assert "utility_parallel" not in f.figures_for(toy_doc)


# ---- per-issue comparison -------------------------------------------------------------------


def test_issue_comparison_marks_changes_and_their_worth(three: LoadedScenario) -> None:
    analysis = analyze(three)
    doc = analysis.to_dict()
    heatmap = f.issue_comparison(doc, three.scenario).data[0]
    status_quo = doc["status_quo"]["package"]
    concepts = list(doc["solutions"])
    assert list(heatmap.x) == ["status quo", *(f.concept_title(c, short=True) for c in concepts)]
    for row, issue in enumerate(status_quo):
        assert heatmap.z[row][0] == 0
        for column, concept in enumerate(concepts, start=1):
            package = doc["solutions"][concept]["package"]
            changed = package[issue] != status_quo[issue]
            assert heatmap.z[row][column] == (1 if changed else 0)
            if changed:
                deltas = analysis.issue_deltas(package)[issue]
                for party in ("a", "b", "c"):
                    name = f.plotly_text(three.scenario.party(party).name)  # shown as typed
                    assert f"{name}: {deltas[party]:+.1f} points" in heatmap.customdata[row][column]


# ---- war, ripeness, robustness, sensitivity: from documents of the documented shapes -----------


def war_doc(months: int = 12, seed: int = 3) -> dict[str, Any]:
    rng = np.random.default_rng(seed)

    def fan(base: float, growth: float) -> dict[str, list[float]]:
        median = base + growth * np.arange(months)
        spread = np.abs(rng.normal(1.0, 0.2, months)) * np.arange(1, months + 1)
        return {
            "p5": list(median - 2 * spread),
            "p25": list(median - spread),
            "p50": list(median),
            "p75": list(median + spread),
            "p95": list(median + 2 * spread),
        }

    return {
        "month_index": list(range(months)),
        "quantiles": {
            "territory": fan(18.0, 0.05),
            "casualties": {"north": fan(1000, 900), "south": fan(800, 700)},
            "escalation": {"cumulative": list(np.linspace(0, 0.05, months))},
        },
    }


def test_war_fans_draw_median_and_bands_per_series() -> None:
    doc = war_doc()
    figure = f.war_fans({"war": doc})
    medians = {t.name: t for t in figure.data if t.mode == "lines" and t.fill is None}
    assert list(medians["territory"].y) == doc["quantiles"]["territory"]["p50"]
    assert list(medians["north"].y) == doc["quantiles"]["casualties"]["north"]["p50"]
    assert list(medians["escalation"].y) == doc["quantiles"]["escalation"]["cumulative"]
    bands = [t for t in figure.data if t.fill == "toself"]
    assert len(bands) == 2 * 3  # 5–95% and 25–75% for territory and each side
    outer = bands[0]
    q = doc["quantiles"]["territory"]
    assert list(outer.y) == q["p95"] + q["p5"][::-1]


def test_ripeness_marks_the_first_ripe_month() -> None:
    doc = {
        "ripeness": {
            "month_index": list(range(8)),
            "p_zopa": [0.0, 0.05, 0.2, 0.35, 0.55, 0.7, 0.8, 0.9],
            "first_ripe_month": 4,
            "binding_party": "north",
        }
    }
    figure = f.ripeness(doc)
    line = trace(figure, "P(ZOPA)")
    assert list(line.y) == doc["ripeness"]["p_zopa"]
    assert any(s.x0 == 4 and s.x1 == 4 for s in figure.layout.shapes)


def test_ripeness_shows_the_room_for_a_deal_as_a_band_not_a_flat_line() -> None:
    """At a probability of 100% every month the line says nothing more; the band of the best
    package's margin over the tightest value of no deal shows how ripe (issue 17)."""
    slack = {"p5": [2.0, 3.0, 5.0], "p50": [6.0, 7.5, 9.0], "p95": [10.0, 12.0, 14.0]}
    doc = {
        "ripeness": {
            "month_index": [0, 1, 2],
            "p_zopa": [1.0, 1.0, 1.0],
            "first_ripe_month": 0,
            "slack": slack,
        }
    }
    figure = f.ripeness(doc)
    band = trace(figure, "room for a deal 5–95%")
    assert list(band.y) == [*slack["p95"], *slack["p5"][::-1]] and band.fill == "toself"
    assert list(trace(figure, "room for a deal").y) == slack["p50"]
    assert figure.layout.yaxis.title.text == "utility points"
    assert list(trace(figure, "P(ZOPA)").y) == [1.0, 1.0, 1.0]
    no_package = {"ripeness": {**doc["ripeness"], "slack": {k: [None] * 3 for k in slack}}}
    assert not any(t.name == "room for a deal" for t in f.ripeness(no_package).data)


def test_ripeness_draws_each_veto_partys_value_of_no_deal_by_month() -> None:
    doc = {
        "parties": [
            {"id": "east", "role": "belligerent", "veto": True},
            {"id": "west", "role": "belligerent", "veto": True},
            {"id": "broker", "role": "mediator", "veto": False},
        ],
        "ripeness": {
            "month_index": [0, 1, 2],
            "p_zopa": [0.2, 0.6, 0.9],
            "first_ripe_month": 1,
            "binding_party": "west",
            "reservation_p50": {"east": [30, 31, 32], "west": [58, 55, 50], "broker": [1, 2, 3]},
        },
        "reservation_quantiles": {
            "east": {"p5": 25.0, "p50": 30.0, "p95": 40.0},
            "west": {"p5": 43.0, "p50": 58.0, "p95": 65.0},
        },
    }
    assert f.reservation_series(doc) == {
        "east": {"p50": [30, 31, 32]},
        "west": {"p50": [58, 55, 50]},
    }
    figure = f.ripeness(doc)
    west = trace(figure, "west")
    assert list(west.y) == [58, 55, 50]
    bar = trace(figure, "west 5–95% (month 0)")
    assert (bar.y[0], bar.error_y.array[0], bar.error_y.arrayminus[0]) == (58.0, 7.0, 15.0)
    assert not any(t.name == "broker" for t in figure.data)


def test_robustness_reads_stderr_lists_and_adds_an_unpicked_most_robust_package() -> None:
    doc = {
        "p_zopa": 0.9,
        "samples": 400,
        "packages": [
            {"package": {"x": "a"}, "p_acceptable": 0.5, "p_chosen": {"nash": 1.0}},
            {"package": {"x": "b"}, "p_acceptable": 0.2, "p_chosen": {"nash": 0.0}},
        ],
        "most_robust": {"package": {"x": "c"}, "p_acceptable": 0.7},
        "stderr": {
            "p_zopa": 0.015,
            "packages": [{"p_acceptable": 0.025}, {"p_acceptable": 0.02}],
            "most_robust": 0.023,
        },
    }
    rows = f.robustness_rows(doc)
    assert [(r["package"]["x"], r["stderr"], r["most_robust"]) for r in rows] == [
        ("b", 0.02, False),
        ("a", 0.025, False),
        ("c", 0.023, True),
    ]


def test_robustness_bars_sorted_with_the_most_robust_highlighted() -> None:
    packages = [
        {"package": {"border": "south_line", "troops": 0.0}, "p_acceptable": 0.8, "stderr": 0.01},
        {"package": {"border": "middle_line", "troops": 0.0}, "p_acceptable": 0.3, "stderr": 0.02},
        {"package": {"border": "south_line", "troops": 25.0}, "p_acceptable": 0.6, "stderr": 0.015},
    ]
    doc = {
        "p_zopa": 0.85,
        "packages": packages,
        "most_robust": {"package": packages[0]["package"], "p_acceptable": 0.8},
        "samples": 1000,
    }
    assert "robustness" in f.figures_for(doc)
    bars = f.robustness_bars(doc).data[0]
    assert list(bars.x) == [0.3, 0.6, 0.8]
    assert bars.marker.color[-1] == f.ZOPA and set(bars.marker.color[:-1]) == {f.FRONTIER}
    assert list(bars.error_x.array) == [1.96 * 0.02, 1.96 * 0.015, 1.96 * 0.01]


def test_robustness_labels_wrap_in_option_labels_never_cut_and_text_is_readable(
    toy: LoadedScenario,
) -> None:
    """Issue 17, defect 7: labels were cut at 60 characters and the bar text shrank to 7 px."""
    long = {f"issue_{k}": "an_option_with_a_rather_long_identifier" for k in range(6)}
    doc = {
        "p_zopa": 0.5,
        "packages": [{"package": long, "p_acceptable": 0.4, "stderr": 0.01}],
        "most_robust": {"package": long, "p_acceptable": 0.4},
    }
    bars = f.robustness_bars(doc).data[0]
    label = bars.y[0]
    assert "…" not in label and label.count("an_option_with_a_rather_long_identifier") == 6
    assert all(len(line) <= 52 for line in label.split("<br>"))
    assert bars.textposition == "none"
    figure = f.robustness_bars(
        {
            "p_zopa": 0.5,
            "status_quo": {"package": {"border": "middle_line", "troops": 100.0}},
            "packages": [{"package": {"border": "south_line", "troops": 0.0}, "p_acceptable": 0.4}],
            "most_robust": {
                "package": {"border": "south_line", "troops": 0.0},
                "p_acceptable": 0.4,
            },
        },
        toy.scenario,
    )
    assert "Border line: The southern ridge" in figure.data[0].y[0]
    assert figure.layout.yaxis.tickfont.size >= 12


def test_tornado_names_inputs_in_words_and_its_axis_has_a_unit(toy: LoadedScenario) -> None:
    doc = {
        "tornado": {
            "zopa_margin": [{"input": "preferences.south.reservation", "low": 1, "high": 9}]
        },
        "base": {"zopa_margin": 5.0},
        "outputs": {"zopa_margin": "largest m: every veto party gets its reservation value + m"},
    }
    figure = f.sensitivity_tornado(doc, toy.scenario)
    assert list(figure.data[0].y) == ["South: value of no deal"]
    assert figure.layout.xaxis.title.text.endswith("(utility points)")


def test_tornado_puts_the_widest_swing_on_top() -> None:
    doc = {
        "output": "P(ZOPA)",
        "base": 0.5,
        "tornado": [
            {"input": "preferences.north.weights.border", "low": 0.4, "high": 0.55},
            {"input": "preferences.south.reservation", "low": 0.1, "high": 0.9},
            {"input": "preferences.north.no_deal.cost", "low": 0.45, "high": 0.5},
        ],
    }
    figure = f.sensitivity_tornado(doc)
    low = figure.data[0]
    assert list(low.y)[-1] == "preferences.south.reservation"  # plotly draws the last bar on top
    assert low.y[0] == "preferences.north.no_deal.cost"
    high = figure.data[1]
    assert low.base == high.base == 0.5
    assert np.allclose(low.x, [0.45 - 0.5, 0.4 - 0.5, 0.1 - 0.5])
    assert np.allclose(high.x, [0.5 - 0.5, 0.55 - 0.5, 0.9 - 0.5])


def test_figures_for_picks_only_what_a_document_supports(toy_doc: dict[str, Any]) -> None:
    assert list(f.figures_for(toy_doc)) == ["utility_space", "issue_comparison"]
    merged = {**toy_doc, "war": war_doc()}
    assert "war_fans" in f.figures_for(merged)
    # analyze's own "packages" count is not a robustness result
    assert "robustness" not in f.figures_for({**toy_doc, "packages": 15})


def test_negotiation_path_follows_the_transcript(toy: LoadedScenario) -> None:
    from ceasefire.runs import run

    doc = run("negotiate", toy, seed=0).document
    assert list(f.figures_for(doc)) == ["negotiation"]
    figure = f.negotiation_path(doc, toy.scenario)
    for proposer in ("north", "south"):
        offers = trace(figure, f"offers by {toy.scenario.party(proposer).name}")
        turns = [t for t in doc["transcript"] if t["proposer"] == proposer]
        assert list(offers.x) == [t["utilities"]["north"] for t in turns]
        assert list(offers.y) == [t["utilities"]["south"] for t in turns]
    agreement = doc["agreement"]
    ring = trace(figure, f"agreement (round {agreement['round']})")
    assert (ring.x[0], ring.y[0]) == (
        agreement["utilities"]["north"],
        agreement["utilities"]["south"],
    )


def test_war_fans_from_the_war_model() -> None:
    from ceasefire.runs import run
    from ceasefire.scenario import load_scenario

    from .conftest import DATA

    loaded = load_scenario(DATA / "border-war.yaml")
    doc = run("war", loaded, samples=500, seed=11).document
    again = run("war", loaded, samples=500, seed=11).document
    assert doc == again  # one seed, one answer
    figure = f.war_fans({"war": doc}, loaded.scenario)
    medians = {t.name: t for t in figure.data if t.mode == "lines" and t.fill is None}
    assert list(medians["territory"].y) == doc["territory"]["p50"]
    assert list(medians["East"].y) == doc["casualties"]["east"]["p50"]
    assert list(medians["escalation"].y) == doc["p_escalation"]
    # A war figure's title says what the war does, not the name of the deal's issue (issue 17, 6).
    assert figure.layout.annotations[0].text == (
        "where the front runs, on the scale of “Share of West's land held by East” (%)"
    )
    q = doc["casualties"]["west"]
    assert all(a <= b <= c for a, b, c in zip(q["p5"], q["p50"], q["p95"], strict=True))


def test_a_war_scenario_report_has_fans_and_ripeness_from_analyze() -> None:
    from ceasefire.report.compose import compose
    from ceasefire.scenario import load_scenario

    from .conftest import DATA

    loaded = load_scenario(DATA / "border-war.yaml")
    doc, notes = compose(loaded, samples=400, seed=5)
    assert notes == []
    names = list(f.figures_for(doc, loaded.scenario))
    assert names == [
        "utility_space",
        "utility_parallel",
        "issue_comparison",
        "war_fans",
        "ripeness",
    ]
    figure = f.ripeness(doc, loaded.scenario)
    assert list(trace(figure, "P(ZOPA)").y) == doc["ripeness"]["p_zopa"]
    veto = [p["id"] for p in doc["parties"] if p["veto"]]
    assert set(f.reservation_series(doc)) == set(veto)
    assert doc["war"]["provenance"]["seed"] == 5
    assert doc["war"]["provenance"]["parameters"]["samples"] == 400


def test_uncertain_inputs_bring_robustness_into_the_report() -> None:
    from ceasefire.report.compose import compose
    from ceasefire.report.findings import findings
    from ceasefire.scenario import load_scenario

    from .conftest import DATA

    loaded = load_scenario(DATA / "toy-uncertain.yaml")
    doc, notes = compose(loaded, samples=2000, seed=4)
    assert notes == []
    robust = doc["robust"]
    assert [i["path"] for i in robust["uncertain_inputs"]] == ["preferences.south.reservation"]
    # South's value of no deal ~ uniform(30, 60); the only acceptable package gives South 50,
    # so it is acceptable when the draw is at most 50: 2/3 of the time.
    assert abs(robust["p_zopa"] - 2 / 3) < 4 * robust["stderr"]["p_zopa"]
    assert "robustness" in f.figures_for(doc, loaded.scenario)
    bars = f.robustness_bars(doc, loaded.scenario).data[0]
    assert list(bars.x) == [r["p_acceptable"] for r in f.robustness_rows(doc)]
    assert any("some deal exists in" in sentence for sentence in findings(doc, loaded.scenario))
    static, _ = compose(load_scenario(DATA / "three-party.yaml"))
    assert "robust" not in static  # nothing uncertain, nothing to sample


def test_issue_comparison_with_an_uncertain_weight() -> None:
    """Hover deltas use the mean of an uncertain weight (the point value every static analysis uses)."""
    from ceasefire.analysis import analyze
    from ceasefire.scenario import bundled_scenarios, parse_scenario

    text = (
        bundled_scenarios()["toy-border"]
        .read_text()
        .replace(
            "weights: {border: 0.7, troops: 0.3}",
            "weights: {border: {dist: uniform, low: 0.6, high: 0.8}, troops: 0.3}",
        )
    )
    loaded = parse_scenario(text)
    figure = f.issue_comparison(analyze(loaded).to_dict(), loaded.scenario)
    hover = " ".join(str(h) for trace in figure.data for row in trace.customdata or [] for h in row)
    assert "North: +35.0 points" in hover  # 0.7 * (100 - 50)


def test_every_figure_writes_axis_numbers_one_way(toy: LoadedScenario) -> None:
    """Issue 17, defect 6: ``13,000`` on an axis, as in the tables, never plotly's ``13k``."""
    for name, (_, figure) in f.figures_for(war_doc(), toy.scenario).items():
        axes = [figure.layout[key] for key in figure.layout if key.startswith(("xaxis", "yaxis"))]
        assert axes, name
        for axis in axes:
            assert axis.exponentformat == "none" and axis.separatethousands, name
