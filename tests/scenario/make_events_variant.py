"""Write ``russia-ukraine-2023-12-events.yaml``: the flagship with what happened after its as_of.

A *hindsight* variant of the bundled ``russia-ukraine-2023-12``: the same file, with another id and
title, without the ``record:`` section (so ``backtest`` never scores it: a backtest reads nothing
after as_of) and with an ``events:`` section of two dated, sourced changes that no one knew on
21 December 2023:

- Putin's terms of 14 June 2024: Russia will cease fire only once Ukraine withdraws from the whole
  of the four oblasts and officially renounces NATO (red lines from that date);
- the change of US administration on 20 January 2025: ``preferences.united_states`` replaced by
  the positions the new administration stated at NATO on 12 February 2025.

Usage: ``.venv/bin/python -m tests.scenario.make_events_variant`` (from the repository root);
tests/scenario/test_events_variant.py checks that the bundled file is what this writes.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "src/ceasefire/scenario/bundled"
FLAGSHIP = BUNDLED / "russia-ukraine-2023-12.yaml"
OUT = BUNDLED / "russia-ukraine-2023-12-events.yaml"

HEADER = """\
# HINDSIGHT VARIANT of russia-ukraine-2023-12, written by tests/scenario/make_events_variant.py
# (do not edit by hand: edit the flagship or the generator, then rerun it). Everything is the
# flagship's, except the id and title, no `record:` section (this variant is never backtested: a
# backtest may read nothing after as_of), and an `events:` section at the end with two changes
# that no one knew on 21 December 2023: Putin's terms of 14 June 2024 and the US administration
# of 20 January 2025. Analyses month by month (ripeness) apply them from their dates; analyses
# as of 21 December 2023 are those of the flagship. See docs/explanation/russia-ukraine-scenario.md,
# "Dated events".
#
"""

SOURCE = """\
  - {id: HEGSETH25, title: "US Defense Secretary Hegseth at NATO (Ukraine Defense Contact Group), 12 Feb 2025: pre-2014 borders 'an unrealistic objective'; NATO membership not 'a realistic outcome of a negotiated settlement'; guarantees by European and non-European troops in a non-NATO mission without Article 5; no US troops in Ukraine (Army Times, AP)", url: "https://www.armytimes.com/news/pentagon-congress/2025/02/12/hegseth-calls-nato-membership-for-ukraine-unrealistic/", date: "2025-02-12", reliability: P}
  - {id: HEGSETH25_B, title: "Antiwar.com: Hegseth's remarks at the Ukraine Defense Contact Group, with the quotations on guarantees, peacekeepers outside NATO and Article 5, and oversight of the line of contact", url: "https://news.antiwar.com/2025/02/12/hegseth-says-no-nato-membership-for-ukraine-return-to-pre-204-borders-unrealistic", date: "2025-02-12", reliability: S}
"""

# The United States' 2023 entry, with the values the 2025 statements change (the rest as in 2023).
US_CHANGES = {
    "      line_of_control: [[0, 100], [18, 40], [22.5, 0]]": (
        "      line_of_control: [[0, 100], [4.5, 95], [18, 60], [22.5, 20]]"
    ),
    "      alliance_status: {nato_path_open: 100, no_membership_informal: 70, "
    "permanent_neutrality_guaranteed: 45, constitutional_renunciation_nato_codifies: 15}": (
        "      alliance_status: {nato_path_open: 40, no_membership_informal: 90, "
        "permanent_neutrality_guaranteed: 80, constitutional_renunciation_nato_codifies: 60}"
    ),
    "      security_guarantees: {art5_like_us_nato_europe_snapback: {dist: choice, "
    "alternatives: [30, 50, 70]}, guarantee_treaty_p5_plus: 40, "
    "bilateral_compacts_arms_training: 100, guarantee_with_russian_veto: 20, none: 10}": (
        "      security_guarantees: {art5_like_us_nato_europe_snapback: 10, "
        "guarantee_treaty_p5_plus: 40, bilateral_compacts_arms_training: 100, "
        "guarantee_with_russian_veto: 20, none: 30}"
    ),
    "      foreign_forces: {multinational_reassurance_force: 60, no_restrictions: 100, "
    "no_bases_exercises_with_guarantor_consent: 45, no_third_country_presence: 15}": (
        "      foreign_forces: {multinational_reassurance_force: 90, no_restrictions: 100, "
        "no_bases_exercises_with_guarantor_consent: 60, no_third_country_presence: 30}"
    ),
}
US_BASIS = {
    "line_of_control": (
        "{sources: [HEGSETH25], assumption: \"Returning to the pre-2014 borders is 'an "
        "unrealistic objective'; the loss of value beyond the current line is halved (40 → 60 at "
        '18, 0 → 20 at 22.5); Crimea-only control nearly as good as full borders."}'
    ),
    "alliance_status": (
        "{sources: [HEGSETH25], assumption: \"NATO membership is not 'a realistic outcome of a "
        "negotiated settlement': the NATO path falls below every form of non-membership; the "
        'ranking among those forms is assumed."}'
    ),
    "security_guarantees": (
        '{sources: [HEGSETH25, HEGSETH25_B], assumption: "Guarantees by European and non-European '
        "troops in a non-NATO mission, not covered by Article 5: an Article-5-like guarantee "
        'involving the US is worth little (10); no guarantee at all is less costly than in 2023."}'
    ),
    "foreign_forces": (
        '{sources: [HEGSETH25, HEGSETH25_B], assumption: "A non-NATO European-led force without US '
        "troops is what Washington asks for (90); restrictions on foreign presence cost it less "
        'than in 2023."}'
    ),
}

EVENTS = """
# ==================================================================================================
# HINDSIGHT: dated changes after as_of (2023-12-21). Not known on that date; see the header.
events:
  - id: putin_terms_2024
    date: 2024-06-14
    kind: red_line
    what: >-
      Putin: Russia will cease fire and negotiate as soon as Ukraine begins to withdraw from the
      whole of the Donetsk, Luhansk, Zaporizhzhia and Kherson oblasts and officially renounces
      NATO. Modelled: lines of control short of the four oblasts with Crimea (22.5) and any
      alignment short of a renunciation by treaty cross Russia's red lines from that date.
    sources: [RU_JUN24]
    red_lines:
      russia:
        line_of_control: {below: 22.5}
        alliance_status: [nato_path_open, no_membership_informal]
  - id: us_administration_2025
    date: 2025-01-20
    kind: preferences
    what: >-
      A new US administration takes office; on 12 February 2025 its Defense Secretary states at
      NATO that the pre-2014 borders are unrealistic, that NATO membership is not a realistic
      outcome, and that guarantees are Europe's, with no US troops and no Article 5. Modelled:
      the United States' values of the line, alignment, guarantees and foreign forces change;
      its weights, other values and red lines are those of 2023 (no source states them anew).
    sources: [HEGSETH25, HEGSETH25_B]
    preferences:
      united_states:
"""


def us_entry(flagship: str) -> str:
    """The flagship's ``preferences.united_states`` entry with the 2025 changes, indented for an
    event's ``preferences.united_states``."""
    lines = flagship.splitlines()
    start = lines.index("  united_states:") + 1
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("  # ----"))
    body = "\n".join(lines[start:end])
    for old, new in US_CHANGES.items():
        assert old in body, old
        body = body.replace(old, new)
    out = []
    for line in body.splitlines():
        key = line.strip().split(":", 1)[0]
        basis = line.startswith(f"      {key}: {{") and ("sources" in line or "assumption" in line)
        if key in US_BASIS and basis:  # the basis line, not the values line
            line = f"      {key}: {US_BASIS[key]}"
        out.append(line)
    body = "\n".join(out)
    return "\n".join("    " + line if line else line for line in body.splitlines()) + "\n"


def variant_text(flagship: str) -> str:
    text = flagship
    text = text.replace("id: russia-ukraine-2023-12\n", "id: russia-ukraine-2023-12-events\n", 1)
    text = text.replace(
        "title: Russia–Ukraine cease-fire terms as of 21 December 2023\n",
        "title: Russia–Ukraine cease-fire terms as of 21 December 2023, with the events of "
        "2024-25 (hindsight variant)\n",
        1,
    )
    head, rest = text.split("\nrecord:\n", 1)
    head = head.rstrip().rsplit("\n# ====", 1)[0]  # the record's comment block goes with it
    proposals = rest[rest.index("\nproposals:\n") :]
    sources_at = head.index("  # --- figures: territory, casualties, money ---")
    head = head[:sources_at] + SOURCE + head[sources_at:]
    return HEADER + head.rstrip() + "\n" + proposals.rstrip() + "\n" + EVENTS + us_entry(flagship)


def main() -> None:
    OUT.write_text(variant_text(FLAGSHIP.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main()
