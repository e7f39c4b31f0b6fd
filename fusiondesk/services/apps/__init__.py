"""Apps: editing them one at a time or in bulk, the portfolio table and its export."""
