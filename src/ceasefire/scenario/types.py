"""Field types and the base model that every section of a scenario file shares."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Id = Annotated[
    str,
    Field(
        min_length=1,
        max_length=100,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$",
        description="An identifier: letters, digits, '_', '-', '.'; unique in its list.",
    ),
]
MAX_MAGNITUDE = 1e15
"""No number in a scenario is larger than this in absolute value (USD 1,000 trillion, 10^15
people): the models' arithmetic stays far from overflow."""

Finite = Annotated[float, Field(allow_inf_nan=False, ge=-MAX_MAGNITUDE, le=MAX_MAGNITUDE)]


class Strict(BaseModel):
    """Unknown fields are errors (a misspelt field would otherwise be ignored); values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)
