"""Reading spreadsheets and CSV files: file kinds, header detection, column
mapping and cell values. No database here; services/household_import.py uses it."""
