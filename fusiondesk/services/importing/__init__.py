"""Importing inventories: read, map, match, plan, then write in one transaction."""
