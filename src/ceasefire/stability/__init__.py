"""Stability analysis by the Graph Model for Conflict Resolution [Fang1993; KilgourHipel2005]."""

from ceasefire.stability.graph import CONCEPTS, GraphModel, Stability, analyse

__all__ = ["CONCEPTS", "GraphModel", "Stability", "analyse"]
