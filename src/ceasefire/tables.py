"""Result tables: a result document as tidy tables, written as CSV files or one Excel workbook.

Every table is a list of rows with the same columns, one observation per row, readable by pandas
(``pd.read_csv``) and spreadsheets. A package is one row with a column per issue
(``issue.<issue id>``: the option id, or the number of a numeric issue) and a column per party
(``utility.<party id>``); the ``options`` table maps each option id to its label and unit. Each
kind of result has its own tables (:data:`TABLES`); any other document (a newer command's) gets
the generic ones: every list of records in it and its scalar values. Every set of tables ends
with ``provenance`` (version, scenario hash, seed, parameters), so a table file says where its
numbers come from.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from ceasefire.scenario.model import Scenario

Row = dict[str, Any]
Table = list[Row]
Tables = dict[str, Table]
Doc = Mapping[str, Any]


def result_tables(kind: str, document: Doc, scenario: Scenario | None = None) -> Tables:
    """The tidy tables of one result document (``kind`` as in :data:`ceasefire.runs.RUNS`)."""
    make = TABLES.get(kind, _generic)
    tables = {name: rows for name, rows in make(document, scenario).items() if rows}
    if scenario is not None:
        tables.setdefault("options", _options(scenario))
    tables["provenance"] = _provenance(document)
    return tables


def write_csv(tables: Tables, directory: Path) -> list[Path]:
    """One ``NAME.csv`` per table in ``directory`` (created if needed), each written atomically."""
    from ceasefire.files import write_text

    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in tables.items():
        path = directory / f"{name}.csv"
        write_text(path, csv_text(rows))
        written.append(path)
    return written


def csv_text(rows: Table) -> str:
    """A table as CSV text: a header of every column (in order of first appearance), then rows."""
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns(rows), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _cell(value) for key, value in row.items()})
    return buffer.getvalue()


def write_xlsx(tables: Tables, path: Path) -> Path:
    """All tables as the sheets of one workbook; RuntimeError when openpyxl is not installed."""
    try:
        from openpyxl import Workbook
    except ImportError:
        raise RuntimeError(
            "--xlsx needs openpyxl: pip install 'ceasefire[xlsx]' (or use --csv)"
        ) from None
    import io

    from ceasefire.files import write_bytes

    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for name, rows in tables.items():
        sheet = book.create_sheet(_sheet_name(name, used))
        header = columns(rows)
        sheet.append(header)
        for row in rows:
            sheet.append([_xlsx_cell(row.get(key)) for key in header])
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    write_bytes(path, buffer.getvalue())
    return path


def columns(rows: Table) -> list[str]:
    """Every column of a table, in order of first appearance."""
    seen: dict[str, None] = {}
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def _cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _xlsx_cell(value: Any) -> Any:
    value = _cell(value)
    return None if value == "" else value


def _sheet_name(name: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "table"
    candidate, n = base, 1
    while candidate.lower() in used:
        n += 1
        candidate = f"{base[: 31 - len(str(n)) - 1]}_{n}"
    used.add(candidate.lower())
    return candidate


# ---- pieces every kind shares --------------------------------------------------------------------


def package_row(package: Mapping[str, Any], **columns: Any) -> Row:
    """``columns`` then one ``issue.<id>`` column per issue of ``package``."""
    return {**columns, **{f"issue.{issue}": option for issue, option in package.items()}}


def _prefixed(prefix: str, values: Mapping[str, Any] | None) -> Row:
    return {f"{prefix}.{key}": value for key, value in (values or {}).items()}


def _flat(values: Mapping[str, Any], prefix: str = "") -> Row:
    """Nested mappings as ``a.b.c`` columns; lists as JSON text."""
    row: Row = {}
    for key, value in values.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            row.update(_flat(value, f"{name}."))
        else:
            row[name] = value
    return row


def _provenance(document: Doc) -> Table:
    provenance = document.get("provenance") or {}
    return [{"key": key, "value": _cell(value)} for key, value in _flat(provenance).items()]


def _options(scenario: Scenario) -> Table:
    """Every option of every issue with its label (and a numeric issue's grid with its unit)."""
    from ceasefire.scenario.utility import option_labels

    rows: Table = []
    for issue in scenario.issues:
        labels = {o.id: o.label for o in issue.option_list}
        for option in option_labels(issue):
            rows.append(
                {
                    "issue": issue.id,
                    "issue_name": issue.name,
                    "option": option,
                    "label": labels.get(str(option)) or (option if isinstance(option, str) else ""),
                    "unit": issue.unit or "",
                    "status_quo": option == issue.status_quo,
                }
            )
    return rows


def _monthly(month_index: Iterable[int], **series: Any) -> Table:
    """One row per month from equally long series (``None`` series are left out)."""
    shown = {name: values for name, values in series.items() if values is not None}
    return [
        {"month": month, **{name: values[t] for name, values in shown.items()}}
        for t, month in enumerate(month_index)
    ]


def _bands(
    month_index: list[int], by_party: Mapping[str, Mapping[str, list[float]]], **key: str
) -> Table:
    """``{party: {"p5": [...], "p50": [...]}}`` as one row per party and month."""
    rows: Table = []
    for party, quantiles in by_party.items():
        for t, month in enumerate(month_index):
            rows.append(
                {**key, "party": party, "month": month, **{q: v[t] for q, v in quantiles.items()}}
            )
    return rows


# ---- analyze -------------------------------------------------------------------------------------


def _analyze(document: Doc, scenario: Scenario | None) -> Tables:
    status_quo = document.get("status_quo") or {}
    reservation = document.get("reservation") or {}
    names = {p.id: p.name for p in scenario.parties} if scenario else {}
    parties = [
        {
            "party": p["id"],
            "name": names.get(p["id"], p["id"]),
            "role": p.get("role"),
            "veto": p.get("veto"),
            "status_quo_utility": (status_quo.get("utilities") or {}).get(p["id"]),
            "reservation": reservation.get(p["id"]),
        }
        for p in document.get("parties", [])
    ]
    packages: Table = []
    if status_quo.get("package"):
        packages.append(
            package_row(status_quo["package"], set="status_quo", concept="", rank=0)
            | _prefixed("utility", status_quo.get("utilities"))
        )
    for concept, solution in (document.get("solutions") or {}).items():
        packages.append(
            package_row(solution["package"], set="solution", concept=concept, rank=0)
            | _prefixed("utility", solution.get("utilities"))
            | {"ties": solution.get("ties")}
        )
    for name, entries in (
        ("zopa", (document.get("zopa") or {}).get("frontier") or []),
        ("frontier", document.get("frontier") or []),
    ):
        for rank, entry in enumerate(entries, start=1):
            packages.append(
                package_row(entry["package"], set=name, concept="", rank=rank)
                | _prefixed("utility", entry.get("utilities"))
            )
    tables: Tables = {"parties": parties, "packages": packages}
    if scenario is not None:
        tables["contributions"] = _contributions(document, scenario)
    ripeness = document.get("ripeness")
    if ripeness:
        months = ripeness["month_index"]
        tables["ripeness"] = _monthly(months, p_zopa=ripeness.get("p_zopa"))
        tables["no_deal_bands"] = _bands(
            months,
            {
                party: {q: ripeness[f"reservation_{q}"][party] for q in ("p5", "p50", "p95")}
                for party in ripeness.get("reservation_p50", {})
            },
        )
    beliefs = document.get("beliefs")
    if beliefs:
        tables["beliefs"] = _monthly(
            beliefs["month_index"],
            p_zopa_own_beliefs=beliefs.get("p_zopa_own_beliefs"),
            p_agreement_best_offer=beliefs.get("p_agreement_best_offer"),
            belief_gap=beliefs.get("belief_gap"),
        )
    commitment = document.get("commitment")
    if commitment and commitment.get("p_hold"):
        tables["durability"] = [
            {"concept": concept, "month": int(month), "p_hold": p}
            for concept, by_month in commitment["p_hold"].items()
            for month, p in by_month.items()
        ]
    return tables


def _contributions(document: Doc, scenario: Scenario) -> Table:
    """Per chosen package, issue and party: what the issue's outcome adds to the party's utility
    (``w_ik · v_ik(o)``), next to the status quo's."""
    from ceasefire.scenario import utility as su

    issues = {i.id: i for i in scenario.issues}
    status_quo = su.status_quo_package(scenario)
    rows: Table = []
    for concept, solution in (document.get("solutions") or {}).items():
        for issue_id, option in solution["package"].items():
            issue = issues.get(issue_id)
            if issue is None:
                continue
            for party in scenario.parties:
                prefs = scenario.preferences[party.id]
                here = su.issue_utility(prefs, issue, option)
                before = su.issue_utility(prefs, issue, status_quo[issue_id])
                rows.append(
                    {
                        "concept": concept,
                        "issue": issue_id,
                        "option": option,
                        "party": party.id,
                        "contribution": here,
                        "status_quo_contribution": before,
                        "change": here - before,
                    }
                )
    return rows


# ---- the other kinds -----------------------------------------------------------------------------


def _war(document: Doc, _scenario: Scenario | None) -> Tables:
    months = document["month_index"]
    rows: Table = []
    for t, month in enumerate(months):
        row: Row = {"month": month}
        row |= {f"territory.{q}": v[t] for q, v in document["territory"].items()}
        for side, quantiles in document.get("casualties", {}).items():
            row |= {f"casualties.{side}.{q}": v[t] for q, v in quantiles.items()}
        for payer, quantiles in document.get("outlays_usd_bn", {}).items():
            row |= {f"outlays_usd_bn.{payer}.{q}": v[t] for q, v in quantiles.items()}
        row["p_escalation"] = document["p_escalation"][t]
        row |= {f"p_collapse.{side}": v[t] for side, v in document.get("p_collapse", {}).items()}
        rows.append(row)
    return {"months": rows}


def _robust(document: Doc, _scenario: Scenario | None) -> Tables:
    errors = document.get("stderr") or {}
    packages = [
        package_row(entry["package"], rank=rank)
        | {
            "p_acceptable": entry["p_acceptable"],
            "p_acceptable_stderr": error.get("p_acceptable"),
        }
        | _prefixed("p_chosen", entry.get("p_chosen"))
        for rank, (entry, error) in enumerate(
            zip(document.get("packages", []), errors.get("packages", []), strict=False), start=1
        )
    ]
    summary = [
        {
            "samples": document.get("samples"),
            "seed": document.get("seed"),
            "p_zopa": document.get("p_zopa"),
            "p_zopa_stderr": errors.get("p_zopa"),
        }
    ]
    tables: Tables = {"summary": summary, "packages": packages}
    most = document.get("most_robust")
    if most:
        tables["most_robust"] = [
            package_row(most["package"])
            | {
                "p_acceptable": most["p_acceptable"],
                "p_acceptable_stderr": errors.get("most_robust"),
                "proven_best": most.get("proven_best"),
            }
            | _prefixed("expected_utility", most.get("expected_utilities"))
        ]
    return tables


def _sensitivity(document: Doc, _scenario: Scenario | None) -> Tables:
    base = document.get("base") or {}
    tables: Tables = {
        "outputs": [
            {"output": name, "meaning": meaning, "base": base.get(name)}
            for name, meaning in (document.get("outputs") or {}).items()
        ],
        "inputs": [dict(i) for i in document.get("inputs", [])],
    }
    for method in ("tornado", "sobol"):
        by_output = document.get(method) or {}
        tables[method] = [
            {"output": output, **row} for output, rows in by_output.items() for row in rows
        ]
    return tables


def _negotiate(document: Doc, _scenario: Scenario | None) -> Tables:
    transcript = [
        package_row(
            turn["package"], round=turn["round"], month=turn.get("month"), proposer=turn["proposer"]
        )
        | _prefixed("utility", turn.get("utilities"))
        | _prefixed("reservation", turn.get("reservation"))
        | _prefixed("response", turn.get("responses"))
        | {"agreed": turn.get("agreed")}
        for turn in document.get("transcript", [])
    ]
    tables: Tables = {"transcript": transcript}
    agreement = document.get("agreement")
    if agreement:
        tables["agreement"] = [
            package_row(
                agreement["package"], round=agreement["round"], month=agreement.get("month")
            )
            | _prefixed("utility", agreement.get("utilities"))
            | _prefixed("gain", document.get("gains"))
        ]
    return tables


def _tournament(document: Doc, _scenario: Scenario | None) -> Tables:
    return {
        "ranking": [_flat(row) for row in document.get("ranking", [])],
        "assignments": [
            _prefixed("strategy", row["assignment"])
            | {k: v for k, v in row.items() if k not in ("assignment", "mean_gains")}
            | _prefixed("mean_gain", row.get("mean_gains"))
            for row in document.get("assignments", [])
        ],
    }


def _variants(document: Doc, _scenario: Scenario | None) -> Tables:
    from ceasefire.variants import differences

    base = document["baseline"]
    rows = [{"variant": 0, "changes": "", **base["headline"]}]
    for index, variant in enumerate(document["variants"], start=1):
        changes = ", ".join(f"{p}={v:g}" for p, v in variant["changes"].items())
        rows.append({"variant": index, "changes": changes, **variant["headline"]})
    return {"headline": rows, "differences": differences(document)}


def _generic(document: Doc, _scenario: Scenario | None) -> Tables:
    """Any result: every list of records (``name``, or ``a.b`` when nested) and a ``summary`` of
    the scalar values."""
    tables: Tables = {}
    summary: Row = {}

    def walk(node: Mapping[str, Any], prefix: str) -> None:
        for key, value in node.items():
            name = f"{prefix}{key}"
            if key == "provenance":
                continue
            if isinstance(value, Mapping):
                walk(value, f"{name}.")
            elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
                tables[re.sub(r"[^A-Za-z0-9_.-]", "_", name)] = [_flat(v) for v in value]
            else:
                summary[name] = value

    walk(document, "")
    return {"summary": [summary], **tables} if summary else tables


TABLES: dict[str, Callable[[Doc, Scenario | None], Tables]] = {
    "analyze": _analyze,
    "war": _war,
    "robust": _robust,
    "sensitivity": _sensitivity,
    "negotiate": _negotiate,
    "tournament": _tournament,
    "variants": _variants,
}
"""The tables of each kind of result; others get the generic ones."""


__all__ = [
    "TABLES",
    "Table",
    "Tables",
    "columns",
    "csv_text",
    "result_tables",
    "write_csv",
    "write_xlsx",
]
