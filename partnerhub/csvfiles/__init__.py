"""Every CSV file the product reads or writes goes through here (SPEC §4): one reader
(``reading.read_table``: encodings, delimiters, shape, one size/row policy) and one
writer (``writing``: spreadsheet-safe cells, UTF-8 with BOM, download headers)."""
