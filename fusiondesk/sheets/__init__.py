"""Spreadsheets in and out: reading, column and value mapping, workbook writing."""
