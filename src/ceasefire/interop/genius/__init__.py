"""Genius XML domains: read a domain folder into a scenario, and write a scenario back out.

Genius [Genius2014] describes a negotiation domain in one XML file (its issues and their values,
root element ``negotiation_template``) and each party's preferences in a *utility space* file (root
``utility_space``): a weight per issue, an ``evaluation`` per discrete value, optionally a
``reservation`` value and a ``discount_factor``. The ANAC competition domains use this format
[Baarslag2012]. The semantics implemented here are Genius's own:

* a discrete value's utility is its evaluation divided by the largest evaluation of that issue in
  that profile; integer and real issues use a linear evaluator clamped to [0, 1]
  (integer issues: ``offset + slope * (x - lowerbound)``; real issues: ``parameter0 + parameter1 *
  x``);
* a package's utility is the weighted sum of its values, with the weights as given;
* the reservation value is on that 0..1 scale (0 when the file gives none);
* discount factors are read and kept; the static analysis ignores them.

ceasefire's 0..100 scale is 100 times Genius's. Files are parsed into exact fractions
(:class:`GeniusDomain`), so the Genius utility of a package can be computed exactly
(:meth:`GeniusDomain.utility`); floats appear only in the scenario built from it.

Conventions of the imported scenario (documented in ``docs/how-to/import-genius.md``): one party per
profile (role belligerent, veto), ids made from the file, issue and value names; weights that do not
sum to 1 within 1e-6 are divided by their sum (the description records the original sum); the status
quo of every issue is its first value, because Genius's disagreement outcome is not a package: only
the reservation values say what no deal is worth.

One module per concept: :mod:`.xml_tree` (a small XML tree with positions, parsed safely),
:mod:`.domain` (the exact domain model), :mod:`.elements` (positioned problems and the parts of a
utility space), :mod:`.domain_file` and :mod:`.profiles` (the two kinds of file),
:mod:`.reading` (a folder into a domain), :mod:`.ids` (ids from names) and :mod:`.conversion` (a
domain into a scenario). The export is :mod:`ceasefire.interop.genius_export`.
"""

from ceasefire.interop.genius.conversion import (
    AS_OF,
    WEIGHT_TOLERANCE,
    genius_scenario_text,
    load_genius_folder,
    scenario_document,
)
from ceasefire.interop.genius.domain import (
    DEFAULT_REAL_STEPS,
    MAX_INTEGER_VALUES,
    GeniusDomain,
    GeniusIssue,
    GeniusProfile,
    IssueKind,
    LinearEvaluator,
    Outcome,
)
from ceasefire.interop.genius.reading import MAX_BYTES, read_genius_folder

__all__ = [
    "AS_OF",
    "DEFAULT_REAL_STEPS",
    "MAX_BYTES",
    "MAX_INTEGER_VALUES",
    "WEIGHT_TOLERANCE",
    "GeniusDomain",
    "GeniusIssue",
    "GeniusProfile",
    "IssueKind",
    "LinearEvaluator",
    "Outcome",
    "genius_scenario_text",
    "load_genius_folder",
    "read_genius_folder",
    "scenario_document",
]
