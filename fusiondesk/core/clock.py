"""Today's date, overridable so classification and tests are deterministic."""

from __future__ import annotations

import os
from datetime import date


def today() -> date:
    """Today, or FUSIONDESK_TODAY (YYYY-MM-DD) when set."""
    override = os.environ.get("FUSIONDESK_TODAY")
    return date.fromisoformat(override) if override else date.today()
