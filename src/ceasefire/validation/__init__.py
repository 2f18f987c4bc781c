"""Scoring forecasts against what happened: percentiles and proper scores of predictive samples."""

from ceasefire.validation.scores import (
    ForecastScore,
    crps,
    crps_normal,
    naive_forecast,
    percentile,
    score_forecast,
    skill_score,
)

__all__ = [
    "ForecastScore",
    "crps",
    "crps_normal",
    "naive_forecast",
    "percentile",
    "score_forecast",
    "skill_score",
]
