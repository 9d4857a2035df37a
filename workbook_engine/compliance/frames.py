"""Records (lists of dicts read from the workbooks) as pandas frames, and back to plain values."""
from __future__ import annotations

import datetime as dt
import operator
from typing import Any

import numpy as np
import pandas as pd

from workbook_engine.compliance.frequencies import Days, date_of


def record_frame(records: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    """Only the named columns, built column by column (much cheaper than from_records on wide dicts)."""
    if not records:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    if len(columns) > 1:
        try:  # records from validation carry every field: one pass with itemgetter, one object block
            rows = list(map(operator.itemgetter(*columns), records))
        except KeyError:
            rows = [tuple(r.get(c) for c in columns) for r in records]
        block = np.empty((len(rows), len(columns)), dtype=object)
        block[:] = rows  # (a list inside a row stays one cell: the target's shape is fixed)
        return pd.DataFrame(block, columns=columns, dtype=object, copy=False)
    return pd.DataFrame({columns[0]: pd.Series([r.get(columns[0]) for r in records], dtype=object)})


def day_numbers(values: pd.Series) -> Days:
    """Day numbers of the dates (-1 where there is none). Dates repeat (a class's talks fall on a few dozen
    days), so each distinct value is converted once and spread with a hash look-up."""
    distinct = pd.unique(values.to_numpy(dtype=object))
    days = np.fromiter((v.toordinal() if isinstance(v, dt.date) else -1 for v in distinct), dtype=np.int64,
                       count=len(distinct))
    found: Days = days[pd.Index(distinct).get_indexer(values)] if len(values) else days
    return found


def plain(v: Any) -> Any:
    """pandas' missing values (NaN, NA) back to None, so report.json stays valid JSON."""
    return None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else v


def iso_days(values: pd.Series) -> list[str | None]:
    """Day numbers (NaN where none) as ISO dates."""
    return [None if v is None or v != v else date_of(int(v)).isoformat() for v in values]
