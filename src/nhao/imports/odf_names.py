"""The names of OpenDocument's spreadsheet XML that the .ods readers look for in
content.xml (ods_errors, ods_merges, hidden_rows), as ElementTree spells them."""

from __future__ import annotations

TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
CALCEXT = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"

SHEET = f"{{{TABLE}}}table"
ROW = f"{{{TABLE}}}table-row"
CELLS = (f"{{{TABLE}}}table-cell", f"{{{TABLE}}}covered-table-cell")
NAME = f"{{{TABLE}}}name"
ROWS_REPEATED = f"{{{TABLE}}}number-rows-repeated"
COLUMNS_REPEATED = f"{{{TABLE}}}number-columns-repeated"
ROWS_SPANNED = f"{{{TABLE}}}number-rows-spanned"
COLUMNS_SPANNED = f"{{{TABLE}}}number-columns-spanned"
VISIBILITY = f"{{{TABLE}}}visibility"
VALUE_TYPES = (f"{{{CALCEXT}}}value-type", f"{{{OFFICE}}}value-type")
