"""Other negotiation formats: Genius XML domains (import and export)."""

from ceasefire.interop.genius import (
    GeniusDomain,
    GeniusIssue,
    GeniusProfile,
    LinearEvaluator,
    genius_scenario_text,
    load_genius_folder,
    read_genius_folder,
)
from ceasefire.interop.genius_export import GeniusExport, export_genius, genius_files

__all__ = [
    "GeniusDomain",
    "GeniusExport",
    "GeniusIssue",
    "GeniusProfile",
    "LinearEvaluator",
    "export_genius",
    "genius_files",
    "genius_scenario_text",
    "load_genius_folder",
    "read_genius_folder",
]
