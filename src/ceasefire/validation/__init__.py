"""Validation: the model held against what really happened (``ceasefire backtest``)."""
