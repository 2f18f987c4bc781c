"""ceasefire."""
