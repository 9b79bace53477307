"""Write an extract the way its contract describes it, for a source Upstream holds itself (the
front door's provisional people): the contract's columns in its order, its delimiter and its
encoding, so ingest reads it as it reads an agency's. Pure: text in, text out.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from upstream.errors import InputError
from upstream.insight.contract import Contract


def extract_csv(contract: Contract, rows: Iterable[tuple[str, ...]]) -> str:
    """The extract's text: a header of the contract's columns, then one line per row, in the
    order given (the same rows give the same text, so ingest imports it once)."""
    if contract.format != "csv":
        raise InputError("only a CSV extract can be written", where=contract.path)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=contract.delimiter, lineterminator="\n")
    writer.writerow(contract.column_names)
    width = len(contract.columns)
    for row in rows:
        if len(row) != width:
            raise InputError(f"a row has {len(row)} fields, not {width}", where=contract.path)
        writer.writerow(row)
    return buffer.getvalue()
