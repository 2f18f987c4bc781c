"""Fair division between two parties: Brams & Taylor's Adjusted Winner [BramsTaylor1996]."""

from ceasefire.fair_division.adjusted_winner import Division, adjusted_winner

__all__ = ["Division", "adjusted_winner"]
