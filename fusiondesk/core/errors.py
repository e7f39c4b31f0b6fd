"""Errors a user can meet when opening or changing a portfolio, in plain words."""

from __future__ import annotations


class PortfolioError(Exception):
    """Something about the portfolio file or database that the user must act on."""


class PortfolioLocked(PortfolioError):
    """Another FusionDesk (or program) holds the portfolio's write lock."""


class PortfolioCorrupt(PortfolioError):
    """The integrity check failed; the newest backup can be restored."""

    def __init__(self, message: str, newest_backup=None):
        super().__init__(message)
        self.newest_backup = newest_backup


class StaleEdit(PortfolioError):
    """An edit was made on a copy that someone else changed meanwhile."""

    def __init__(self, message: str, conflicts: list[tuple[str, object, object]]):
        super().__init__(message)
        self.conflicts = conflicts  # (field, their value, your value)


class NotFound(PortfolioError):
    """The app, person or backup named does not exist."""


class FileNotWritten(PortfolioError):
    """A file could not be written (disk full, permission, no such folder); the old one is intact."""


class NotAllowed(PortfolioError):
    """The user's role on a shared portfolio does not allow this change."""
