"""Ids for an imported scenario, made from Genius file, issue and value names."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

_SYMBOLS = {"+": " plus ", "%": " pct ", "&": " and ", "<": " lt ", ">": " gt ", "=": " eq "}


def slug_of(text: str) -> str:
    """An id (``[A-Za-z0-9][A-Za-z0-9_.-]*``) that reads like ``text``, or '' if none does."""
    for symbol, word in _SYMBOLS.items():
        text = text.replace(symbol, word)
    text = re.sub(r"(?<![0-9])\.|\.(?![0-9])", " ", text)  # keep decimal points only
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^A-Za-z0-9_.\-]+", "_", ascii_text.strip().lower())
    slug = re.sub(r"^[^A-Za-z0-9]+", "", slug).rstrip("_.-")
    return slug[:90].rstrip("_.-")


def without_common_prefix(stems: Sequence[str]) -> list[str]:
    """Drop the words all names share at their start (``ampo_vs_city_ampo_space`` and
    ``ampo_vs_city_city_space`` become ``ampo_space`` and ``city_space``)."""
    slugs = [slug_of(stem) for stem in stems]
    common = slugs[0]
    for slug in slugs[1:]:
        same = [a == b for a, b in zip(common, slug, strict=False)] + [False]
        common = common[: same.index(False)]
    cut = max((common.rfind(sep) for sep in "_-."), default=-1) + 1
    rest = [slug[cut:] for slug in slugs]
    if cut and all(r[:1].isalnum() for r in rest):
        return rest
    return list(stems)


def unique_ids(names: Iterable[str], fallback: str) -> list[str]:
    """Deterministic unique ids for ``names`` in order (a suffix ``-2``, ``-3`` ... on clashes)."""
    ids: list[str] = []
    used: set[str] = set()
    for position, name in enumerate(names, start=1):
        base = slug_of(name) or f"{fallback}{position}"
        candidate, n = base, 1
        while candidate in used:
            n += 1
            candidate = f"{base}-{n}"
        used.add(candidate)
        ids.append(candidate)
    return ids
