"""Ownership handover: planning it when builders leave, storing and exporting the plans."""
