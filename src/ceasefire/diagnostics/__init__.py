"""Why the answer is what it is: margins, binding constraints, break-even values, assumptions.

Modules: :mod:`~ceasefire.diagnostics.scale_free` (scale-free margins and the binding party),
:mod:`~ceasefire.diagnostics.margins` (each party's margin and the issues that make it),
:mod:`~ceasefire.diagnostics.constraints` (each red line and value of no deal lifted alone),
:mod:`~ceasefire.diagnostics.break_even` (where each input opens or closes the zone),
:mod:`~ceasefire.diagnostics.assumptions` (under which assumptions a headline holds) and
:mod:`~ceasefire.diagnostics.explanation` (all of it: ``ceasefire explain``). Nothing is imported
here, so that the war model can use the scale-free measure without loading the rest.
"""
