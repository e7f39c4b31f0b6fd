"""The dashboard's numbers: each chart's bars and the filter behind each bar."""
