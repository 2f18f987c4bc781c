"""Plain-language findings: what the numbers of a result document say, in sentences.

Each finding is computed from the document alone, so that the report says nothing that the JSON does
not back. Sentences name parties and issues as the scenario does.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from ceasefire.report.figures import (
    OUTPUT_WORDS,
    Doc,
    _finite,
    _option,
    chosen_packages,
    concept_title,
    frontier_entries,
    has_negotiation,
    has_robustness,
    issue_names,
    negotiation_section,
    party_names,
    reservation_series,
    section,
    tornado_output,
    tornado_rows,
    veto_parties,
    war_series,
    zopa_entries,
)
from ceasefire.scenario import Scenario
from ceasefire.scenario.labels import input_label, option_text


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def findings(doc: Doc, scenario: Scenario | None = None) -> list[str]:
    """The findings of a (merged) result document, most important first."""
    result: list[str] = []
    names = party_names(doc, scenario)
    if "zopa" in doc:
        result.append(_zopa_today(doc, names, issue_names(scenario)))
        closed = _closed_by(doc, names, issue_names(scenario))
        if closed:
            result.append(closed)
    holds = (doc.get("assumptions") or {}).get("holds_under")
    if holds:
        result.append(f"These findings are statements about the model, not the world. {holds}")
    ripe = _ripeness(doc, names)
    if ripe:
        result.append(ripe)
    result.extend(_solutions(doc, names, scenario))
    from ceasefire.report.durability import durability_finding

    result.extend(_explanation(doc, names, issue_names(scenario)))
    for sentence in (
        durability_finding(doc, names, issue_names(scenario), scenario),
        _war(doc, names),
        _robustness(doc),
        _sensitivity(doc, scenario),
        _negotiation(doc, names),
    ):
        if sentence:
            result.append(sentence)
    return result


def _closed_by(doc: Doc, names: Mapping[str, str], issues: Mapping[str, str]) -> str | None:
    """Why there is no zone: which red line or value of no deal, of which party, closes it."""
    closed = doc.get("closed_by")
    if not isinstance(closed, Mapping):
        return None
    text = f"Why: {closed.get('reason')}." if closed.get("reason") else ""
    rows = closed.get("constraints") or []
    if not rows:
        return (
            text + " No single red line or value of no deal, lifted alone, opens a zone "
            "(ceasefire explain ranks what binds)."
        ).strip()
    items = [closing_constraint(c, names, issues) for c in rows]
    return (text + f" Lifting any one of these alone opens a zone: {'; '.join(items)}.").strip()


def closing_constraint(
    c: Mapping[str, Any], names: Mapping[str, str], issues: Mapping[str, str]
) -> str:
    """One constraint that closes the zone, in words, with the parties' and issues' names."""
    who = names.get(c["party"], c["party"])
    if c["kind"] == "red_line":
        excluded = _join([_option(x) for x in c.get("excluded") or []])
        issue = issues.get(c["issue"], c["issue"])
        return f"{who}'s red line on {issue} (it excludes {excluded})"
    return f"{who}'s value of no deal ({c['value']:.1f})"


def _explanation(doc: Doc, names: Mapping[str, str], issues: Mapping[str, str]) -> list[str]:
    """What ``ceasefire explain`` found: the binding party (and by which measure), what binds most,
    and the issues that make each veto party's margin at the Nash package."""
    block = section(doc, "explain", "binding_party", "constraints")
    if not block:
        return []
    out = []
    if "zopa" not in doc and "holds_under" in (block.get("assumptions") or {}):
        out.append(
            f"These findings are statements about the model, not the world. "
            f"{block['assumptions']['holds_under']}"
        )
    zone = block.get("zone") or {}
    if "zopa" not in doc:
        if zone.get("exists"):
            out.append(
                f"A zone of possible agreement exists: {zone.get('packages', 0):,} "
                "Pareto-optimal acceptable packages."
            )
        else:
            out.append(f"No zone of possible agreement: {zone.get('reason')}.")
            rows = zone.get("closed_by") or []
            if rows:
                items = [closing_constraint(c, names, issues) for c in rows]
                out.append(f"Lifting any one of these alone opens a zone: {'; '.join(items)}.")
    binding = block.get("binding_party") or {}
    party = binding.get("party")
    if party:
        shares = binding.get("shares") or {}
        share = shares.get(party)
        at = f" ({share:.0%} of its range from no deal to its ideal)" if share is not None else ""
        out.append(
            f"The binding party is {names.get(party, party)}{at}, measured scale-free: the veto "
            "party with the smallest share of its own range at the package that maximises the "
            "smallest share, a measure that rescaling a party's utilities does not change."
        )
    binds = [c for c in block.get("constraints") or [] if c.get("binds")]
    if binds:
        top = []
        for c in binds[:3]:
            what = closing_constraint(c, names, issues)
            added = c.get("packages_added", 0)
            effect = (
                "opens the zone"
                if c.get("opens_zone")
                else f"adds {added:,} packages to the zone"
                if added > 0
                else "moves the Nash package"
            )
            top.append(f"{what}: lifting it {effect}")
        out.append(f"What binds most: {'; '.join(top)}.")
    nash = next((e for e in block.get("packages") or [] if "nash" in e.get("labels", [])), None)
    if nash:
        parts = []
        for party_id in block.get("veto_parties") or []:
            entry: Mapping[str, Any] = (nash.get("parties") or {}).get(party_id) or {}
            largest: list[tuple[str, Any]] = sorted(
                (entry.get("issues") or {}).items(), key=lambda kv: -abs(kv[1]["points"])
            )[:2]
            if entry.get("margin") is None or not largest:
                continue
            made = _join([f"{issues.get(k, k)} {v['points']:+.1f}" for k, v in largest])
            parts.append(f"{names.get(party_id, party_id)} {entry['margin']:+.1f} ({made})")
        if parts:
            out.append(
                "At the Nash package each party's margin over its value of no deal, and the "
                f"issues that move it most against the status quo: {'; '.join(parts)}."
            )
    return out


def _zopa_today(doc: Doc, names: Mapping[str, str], issues: Mapping[str, str]) -> str:
    veto = veto_parties(doc)
    who = _join([names.get(p, p) for p in veto])
    everyone = "both" if len(veto) == 2 else f"all {len(veto)} parties that must agree"
    reservation = doc.get("reservation") or {}
    zopa = doc["zopa"]
    if zopa.get("exists"):
        entries = zopa_entries(doc)
        count = zopa.get("frontier_size", len(entries))
        margins = []
        for party in veto:
            r = _finite(reservation.get(party))
            best = max((e["utilities"][party] for e in entries), default=None)
            if r is not None and best is not None:
                margins.append(f"{names.get(party, party)} up to {best - r:+.1f}")
        text = (
            f"Today {count:,} Pareto-optimal package{'s' if count != 1 else ''} "
            f"{'are' if count != 1 else 'is'} acceptable to {everyone} ({who}): each gives every "
            "party that must agree at least its value of no deal."
        )
        if margins:
            text += f" Gains over the value of no deal: {_join(margins)} points."
        return text
    text = f"No package is acceptable to {everyone} ({who}) today."
    nearest = _nearest_miss(doc, veto, reservation)
    if nearest:
        short = [
            f"{names.get(p, p)} {gap:.1f} points below its value of no deal"
            for p, gap in nearest.items()
            if gap > 1e-9
        ]
        if short:
            text += f" The closest Pareto-optimal package (red lines aside) leaves {_join(short)}."
    return text


def _nearest_miss(
    doc: Doc, veto: Sequence[str], reservation: Mapping[str, Any]
) -> dict[str, float] | None:
    """The frontier point with the least total shortfall below the reservation values."""
    best: dict[str, float] | None = None
    best_total = math.inf
    for entry in frontier_entries(doc):
        gaps = {}
        for party in veto:
            r = _finite(reservation.get(party))
            gaps[party] = max(0.0, r - entry["utilities"][party]) if r is not None else 0.0
        total = sum(gaps.values())
        if total < best_total:
            best, best_total = gaps, total
    return best


def _ripeness(doc: Doc, names: Mapping[str, str]) -> str | None:
    block = doc.get("ripeness")
    if not isinstance(block, Mapping) or not block.get("p_zopa"):
        return None
    p = list(block["p_zopa"])
    months = list(block.get("month_index") or range(len(p)))
    first = block.get("first_ripe_month")
    binding = block.get("binding_party")
    who = names.get(binding, binding) if binding else None
    if first is None:
        peak = max(range(len(p)), key=lambda i: p[i])
        return (
            "Under the war model the probability that some package is acceptable to all never "
            f"reaches one half within {len(p)} months (at most {p[peak]:.0%}, in month "
            f"{months[peak]})."
        )
    index = months.index(first) if first in months else None
    chance = f" (probability {p[index]:.0%})" if index is not None else ""
    if first == months[0]:
        text = (
            "Under the war model a zone of possible agreement is likely from the start: more "
            f"likely than not already in month {first}{chance}"
        )
        if who:
            text += f"; the party that binds most often{_measure(block)}: {who}"
        return text + "."
    text = (
        "Under the war model a zone of possible agreement opens with probability above one half "
        f"in month {first}{chance}"
    )
    if who:
        value = _reservation_at(doc, str(binding), index)
        falls = f"falls to {value:.1f} (median)" if value is not None else "falls far enough"
        text += (
            f", when {who}'s value of fighting on — the last to give way{_measure(block)} — {falls}"
        )
    return text + "."


def _measure(block: Mapping[str, Any]) -> str:
    """Which binding measure the ripeness block uses, in a few words."""
    if block.get("binding_measure") == "scale-free":
        return " (scale-free: smallest share of its own range from no deal to ideal)"
    return ""


def _reservation_at(doc: Doc, party: str, index: int | None) -> float | None:
    if index is None:
        return None
    median = reservation_series(doc).get(party, {}).get("p50")
    if median is not None and index < len(median):
        return _finite(median[index])
    return None


def _solutions(doc: Doc, names: Mapping[str, str], scenario: Scenario | None) -> list[str]:
    chosen = chosen_packages(doc)
    if not chosen:
        return []
    groups: dict[str, list[str]] = {}
    for concept, solution in chosen.items():
        groups.setdefault(repr(sorted(solution["package"].items())), []).append(concept)
    status_quo = (doc.get("status_quo") or {}).get("package") or {}
    reservation = doc.get("reservation") or {}
    veto = veto_parties(doc)
    issues = {i.id: i for i in scenario.issues} if scenario is not None else {}

    def issue_name(issue_id: str) -> str:
        issue = issues.get(issue_id)
        return issue.name if issue is not None else issue_id

    def option(issue_id: str, value: Any) -> str:
        issue = issues.get(issue_id)
        return option_text(issue, value) if issue is not None else _option(value)

    sentences = []
    if len(groups) == 1:
        sentences.append(
            f"All {len(chosen)} solution concepts pick the same package."
            if len(chosen) > 1
            else "One solution concept picks a package."
        )
    else:
        sentences.append(f"The solution concepts pick {len(groups)} different packages.")
    for concepts in groups.values():
        solution = chosen[concepts[0]]
        package = solution["package"]
        changes = [
            f"{issue_name(k)} ({option(k, status_quo.get(k))} → {option(k, v)})"
            for k, v in package.items()
            if status_quo and status_quo.get(k) != v
        ]
        label = _join([concept_title(c) for c in concepts])
        label = label[:1].upper() + label[1:]
        what = f"changes {_join(changes)}" if changes else "keeps the status quo on every issue"
        gains = []
        for party in veto:
            u = solution["utilities"][party]
            r = _finite(reservation.get(party))
            gain = f" ({u - r:+.1f} over its value of no deal)" if r is not None else ""
            gains.append(f"{names.get(party, party)} {u:.1f}{gain}")
        sentences.append(f"{label}: the package {what}; it gives {_join(gains)}.")
    return sentences


def _war(doc: Doc, names: Mapping[str, str]) -> str | None:
    series = war_series(doc)
    if series is None:
        return None
    parts = []
    end = series.months[-1] if series.months else None
    if series.territory is not None:
        median = series.territory["p50"]
        parts.append(
            f"the median of “{series.territory_label}” moves from {median[0]:.1f} to {median[-1]:.1f}"
        )
    for side, q in series.casualties.items():
        parts.append(
            f"{names.get(side, side)} loses {q['p50'][-1]:,.0f} killed and wounded (median)"
        )
    if series.escalation:
        parts.append(f"the chance of catastrophic escalation reaches {series.escalation[-1]:.1%}")
    if not parts:
        return None
    return f"If the war goes on for {end} months, {_join(parts)}."


def _robustness(doc: Doc) -> str | None:
    if not has_robustness(doc):
        return None
    robust = section(doc, "robust", "p_zopa", "most_robust")
    samples = robust.get("samples")
    text = ""
    p_zopa = _finite(robust.get("p_zopa"))
    if p_zopa is not None:
        over = f" of {samples:,} samples" if isinstance(samples, int) else " of samples"
        text = f"With the uncertain inputs drawn at random, some deal exists in {p_zopa:.0%}{over}."
    most = robust.get("most_robust")
    if isinstance(most, Mapping) and _finite(most.get("p_acceptable")) is not None:
        text += (
            f" The most robust package is acceptable to all in {most['p_acceptable']:.0%} of them."
        )
    return text.strip() or None


def _sensitivity(doc: Doc, scenario: Scenario | None) -> str | None:
    rows = tornado_rows(doc)
    if not rows:
        return None
    output = tornado_output(doc) or "the answer"
    rows = sorted(rows, key=lambda r: -abs(r["high"] - r["low"]))
    top = [f"“{input_label(r['input'], scenario)}”" for r in rows[:3]]
    what = OUTPUT_WORDS.get(output, output.replace("_", " "))
    return f"The inputs that move {what} most: {_join(top)}."


def _negotiation(doc: Doc, names: Mapping[str, str]) -> str | None:
    if not has_negotiation(doc):
        return None
    doc = negotiation_section(doc)
    strategies = doc.get("strategies") or {}
    played = sorted(set(strategies.values()))
    how = f" ({_join(played)})" if played else ""
    agreement = doc.get("agreement")
    if not isinstance(agreement, Mapping):
        return (
            f"The simulated talks{how} broke down: no package was accepted by every party that "
            f"must agree within {doc.get('rounds')} rounds."
        )
    month = agreement.get("month")
    when = f"round {agreement['round']}" + (f" (month {month})" if month is not None else "")
    gains = [
        f"{names.get(p, p)} {g:+.1f}"
        for p, g in (doc.get("gains") or {}).items()
        if p in (doc.get("veto_parties") or []) and _finite(g) is not None
    ]
    text = f"The simulated talks{how} reach agreement in {when}"
    if gains:
        text += f"; gains over the value of no deal: {_join(gains)}"
    distance = _finite(doc.get("distance_to_nash"))
    if distance is not None:
        text += f"; {distance:.1f} points from the Nash package"
    return text + "."
