"""Mediation: what patrons and mediators could add to open or widen the zone of agreement.

The side payments of a scenario (``side_payments:``, :mod:`ceasefire.scenario.side_payments`) are
offers outside the package space: :mod:`~ceasefire.mediation.offers` turns them into gains and
costs, :mod:`~ceasefire.mediation.search` finds the cheapest offer that opens a zone of agreement
or the best within a budget, :mod:`~ceasefire.mediation.probability` does both when inputs are
uncertain, and :func:`~ceasefire.mediation.mediate.mediate` puts it together for a scenario.
"""
