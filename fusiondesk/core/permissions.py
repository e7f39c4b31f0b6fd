"""What each role on a shared portfolio may do, so the window offers only that.

The server enforces the same rules with privileges (db/roles.py); this copy lets the
window grey out what would be refused instead of failing after the user tried.
"""

from __future__ import annotations

EDIT = "edit"  # apps, people, reviews, handovers, imports
POLICY = "policy"  # re-tiers the whole portfolio


def may(role: str | None, action: str) -> bool:
    """True when `role` ("reader", "editor", "admin"; None: a file or a server without
    FusionDesk roles, where whoever may write may do everything) allows `action`."""
    if role is None:
        return True
    if action == POLICY:
        return role == "admin"
    return role in ("editor", "admin")


def read_only_note(account: str, role: str | None) -> str | None:
    """What the status bar says when the account may not edit here (None when it may)."""
    if may(role, EDIT):
        return None
    held = f"a {role}" if role and role != "none" else "without a FusionDesk role"
    return (f"Read-only: the account {account} is {held} on this server. "
            "Ask a FusionDesk admin for the editor role to make changes.")
