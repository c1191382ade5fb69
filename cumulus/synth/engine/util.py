"""Small vectorised helpers shared by the engine's modules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

EPOCH = dt.date(1970, 1, 1)
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def day_number(day: dt.date) -> int:
    return (day - EPOCH).days


def to_date(days: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(days))


def dates(days: npt.ArrayLike, mask: npt.ArrayLike | None = None) -> pa.Array:
    """Day numbers as an Arrow date32 array; ``mask`` True means null."""
    values = np.asarray(days, dtype=np.int32)
    return pa.array(values, type=pa.date32(), mask=None if mask is None else np.asarray(mask))


def sigmoid(x: FloatArray) -> FloatArray:
    return np.asarray(1.0 / (1.0 + np.exp(-x)), dtype=np.float64)


def choice_by_weights(
    rng: np.random.Generator, weights: Mapping[str, float], size: int
) -> npt.NDArray[np.str_]:
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=np.float64)
    return np.asarray(rng.choice(np.array(keys), size=size, p=p / p.sum()))


def inverse_cdf(
    rng: np.random.Generator, quantiles: Sequence[float], values: Sequence[float], size: int
) -> FloatArray:
    """Draw from a distribution given by points of its inverse CDF, linearly interpolated."""
    return np.interp(rng.random(size), np.asarray(quantiles), np.asarray(values))


def working_days_to_calendar(start_days: IntArray, working_days: IntArray) -> IntArray:
    """Add working days (Monday to Friday; bank holidays are ignored here) to day numbers."""
    return np.asarray(
        np.busday_offset(start_days.astype("datetime64[D]"), working_days, roll="forward").astype(
            np.int64
        )
    )


def month_starts(start: dt.date, months: int) -> IntArray:
    """Day numbers of the first day of each month from ``start``'s month on."""
    first = np.datetime64(f"{start.year:04d}-{start.month:02d}", "M")
    return np.asarray((first + np.arange(months + 1)).astype("datetime64[D]").astype(np.int64))


def as_table(columns: Mapping[str, Any], schema: pa.Schema) -> pa.Table:
    """Build a table in schema order, casting each column to its declared type."""
    arrays = []
    for name in schema.names:
        value = columns[name]
        field_type = schema.field(name).type
        if isinstance(value, pa.Array | pa.ChunkedArray):
            arrays.append(value.cast(field_type) if value.type != field_type else value)
        else:
            arrays.append(pa.array(value, type=field_type))
    return pa.Table.from_arrays(arrays, schema=schema)


def merged_parameters(
    section: str, defaults: Mapping[str, Any], params: Mapping[str, Any]
) -> dict[str, Any]:
    """``defaults`` with ``params[section]`` laid over them (one level deep for mappings);
    an unknown key is an error, so a typo in parameters.toml fails loudly."""
    overrides: Mapping[str, Any] = params.get(section) or {}
    unknown = sorted(set(overrides) - set(defaults))
    if unknown:
        raise ValueError(f"unknown {section} parameters: {', '.join(unknown)}")
    merged = dict(defaults)
    for name, value in overrides.items():
        default = defaults[name]
        if isinstance(default, Mapping) and isinstance(value, Mapping):
            merged[name] = {**default, **value}
        else:
            merged[name] = value
    return merged
