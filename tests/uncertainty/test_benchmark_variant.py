"""The benchmark variant of the bundled scenario (benchmarks/scenarios/) is a valid scenario with
the continuous preference uncertainty the scale benchmark needs."""

from __future__ import annotations

from pathlib import Path

from ceasefire.scenario import load_scenario
from ceasefire.uncertainty.inputs import input_space

VARIANT = (
    Path(__file__).parents[2] / "benchmarks" / "scenarios" / "russia-ukraine-2023-12-uncertain.yaml"
)


def test_the_variant_has_uncertain_weights_and_values_across_the_veto_parties() -> None:
    loaded = load_scenario(VARIANT)
    space = input_space(loaded.scenario)
    uncertain = [i for i in space.inputs if i.uncertain]
    weights = [i for i in uncertain if i.kind == "weight"]
    values = [i for i in uncertain if i.kind == "value"]
    assert len(weights) >= 8 and len(values) >= 4
    assert {i.party for i in values} == set(space.parties)
    assert not space.discrete_preferences  # continuous: one frontier per sample
    # Every changed number cites the benchmark variant as its source.
    cited = {
        party: [
            key
            for key, basis in (loaded.scenario.preferences[party].basis or {}).items()
            if "BENCH_VARIANT" in (getattr(basis, "sources", None) or [])
        ]
        for party in space.parties
    }
    assert "weights" in cited["ukraine"] and "weights" in cited["russia"]
    for inp in values:
        issue = inp.path.split(".")[3]
        assert issue in cited[inp.party], inp.path


def test_the_variant_is_what_the_script_writes_from_the_bundled_scenario() -> None:
    """``benchmarks/scenarios/make_variant.py`` runs on the current bundled scenario and the
    committed variant is its output (rerun the script after editing the bundled file)."""
    import importlib.util

    script = VARIANT.with_name("make_variant.py")
    spec = importlib.util.spec_from_file_location("make_variant", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.variant() == VARIANT.read_text(encoding="utf-8")
