"""Bueno de Mesquita's expected-utility forecasting model, as specified by [Scholz2011]."""

from ceasefire.forecast.expected_utility import Forecast, Options, forecast

__all__ = ["Forecast", "Options", "forecast"]
