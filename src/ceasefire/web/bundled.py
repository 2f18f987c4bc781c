"""The bundled scenarios, stored on start so that every page can list and run them."""

from __future__ import annotations

from functools import lru_cache

from ceasefire.scenario import ScenarioError, bundled_scenarios, parse_scenario
from ceasefire.web.store import Store


def seed_bundled(store: Store) -> None:
    """Store each bundled scenario (a new version when its file changed)."""
    for path in bundled_scenarios().values():
        text = path.read_text(encoding="utf-8")
        identity = _bundled_identity(text, path.name)
        if identity is None:
            continue  # a broken bundled file is reported by `ceasefire validate`, not here
        name, title, sha256 = identity
        store.add_scenario(name=name, title=title, text=text, sha256=sha256, origin="bundled")


@lru_cache(maxsize=32)
def _bundled_identity(text: str, filename: str) -> tuple[str, str, str] | None:
    """(id, title, sha256) of a bundled scenario text; parsed once per process."""
    try:
        loaded = parse_scenario(text, filename)
    except ScenarioError:
        return None
    return loaded.scenario.id, loaded.scenario.title, loaded.sha256
