"""The generated per-table row converter agrees with the per-cell converters on any input:
the same values for good rows, a refusal for exactly the same bad ones."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from growthdesk.sync import format as fmt
from growthdesk.sync.rows import CellError, converters, row_converter

GOOD = {"str": "文本", "int": "12", "float": "95.5", "bool": "1", "date": "2025-09-01",
        "datetime": "2025-09-01T08:00:00.000000"}
cells = st.one_of(st.sampled_from(["", "2025-02-30", "2025-09-01", "2025-09-01T08:00:00.000000", "0", "1", "X",
                                   "2025-09-01T08:00:00.000000+08", "2025-13-01T25:00:00.000000", "１２",
                                   "2025-09-01 08:00:00.000000", "nan", "1e400", "-3", "M", "junior", "a" * 70]),
                  st.text(max_size=30))


def _per_cell(spec, raw, row):
    try:
        return [c(v) for c, v in zip(converters(spec, raw), row)]
    except CellError:
        return "refused"


def _whole_row(spec, raw, row):
    try:
        return row_converter(spec, raw)(row)
    except CellError:
        return "refused"


@pytest.mark.parametrize("raw", [True, False])
@pytest.mark.parametrize("table", [s.name for s in fmt.SPECS])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_row_converter_matches_the_cell_converters(table, raw, data):
    spec = fmt.SPEC_BY_NAME[table]
    row = []
    for col in spec.columns:
        base = next(iter(sorted(col.enum))) if col.enum else GOOD[col.kind]
        row.append(data.draw(st.one_of(st.just(base), cells), label=col.name))
    whole = _whole_row(spec, raw, row)
    assert (whole if whole == "refused" else list(whole)) == _per_cell(spec, raw, row)
