"""The quarterly audit and its workbook."""
