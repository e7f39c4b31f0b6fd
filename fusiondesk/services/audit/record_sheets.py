"""The audit workbook's Reviews, Ownership and Citizen developers sheets, written beside the apps
(with the review throughput and abandonment figures, counted there too).

These three read tables of their own and nothing the Apps sheet counts, and at 100,000 apps
they took 10 of the export's 35 CPU seconds (221,000 reviews, 230,000 ownerships, 25,000
developers); the Apps and Findings sheets (every app's facts read, classified and written)
take most of the rest on one core. So on a big portfolio a second, spawned process reads
them and writes their rows (sheets.rowstream) to files in a scratch folder while this one
writes the apps, and the package takes the files in when it is saved. The sheets keep their
places among the tabs: their header rows are written here, in order, as before.

The second process reads the portfolio as committed, which is what the export reads: both
callers (the CLI and the GUI) export from a reading session (`Portfolio.reading`), which
holds no changes of its own. Below `PARALLEL_FROM` apps it would cost more to start than it
saves, so a small portfolio's sheets are written here, by the same functions.
"""

from __future__ import annotations

import tempfile
from concurrent.futures import Future
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import NamedTuple

from fusiondesk.core.measures import Abandonment, is_overdue_review
from fusiondesk.core.review_throughput import ReviewStats
from fusiondesk.db.store import Session
from fusiondesk.db.store import audit as store
from fusiondesk.db.store.driver import database_url, separate_session
from fusiondesk.services.audit.developers_sheet import COLUMNS as DEVELOPER_COLUMNS
from fusiondesk.services.audit.developers_sheet import SHEET as DEVELOPERS_SHEET
from fusiondesk.services.audit.developers_sheet import write_developer_rows
from fusiondesk.services.audit.teams_sheet import team_standings
from fusiondesk.services.classification.parallel import second_process
from fusiondesk.services.classification.reclassify import PARALLEL_FROM
from fusiondesk.services.handover.abandonment import portfolio_abandonment
from fusiondesk.services.people.teams import list_teams
from fusiondesk.services.reviews.stats import portfolio_review_stats
from fusiondesk.sheets.rowstream import RowFile, RowStream, StyleNumbers
from fusiondesk.sheets.writer import SheetWriter, StreamedWorkbook

REVIEWS_SHEET, OWNERSHIP_SHEET = "Reviews", "Ownership"
REVIEW_COLUMNS = (
    ("app_id", 38), ("name", 34), ("type", 22), ("requested", 12), ("due", 12),
    ("reviewer", 30), ("outcome", 22), ("completed", 12), ("overdue", 10), ("notes", 50))
OWNERSHIP_COLUMNS = (
    ("app_id", 38), ("name", 34), ("role", 16), ("owner", 32), ("kind", 8), ("status", 10),
    ("leave_date", 12))


def write_reviews(session: Session, today: date, rows) -> int:
    """Every review into `rows` (anything with `append`); how many are overdue."""
    overdue = 0
    for row in store.review_sheet_rows(session):
        app_id, name, kind, requested, due, reviewer, outcome, completed, notes = row
        late = is_overdue_review(due, completed, today)
        overdue += late
        rows.append((app_id, name, kind, requested, due, reviewer, outcome, completed,
                     "yes" if late else "no", notes))
    return overdue


def write_ownership(session: Session, standings: dict[str, str], rows) -> None:
    """Each app's owners; a person's status, or a team's standing (a team is only as active
    as its members: an orphaned team is no active owner)."""
    for row in store.ownership_sheet_rows(session):
        app_id, name, role, email, team, status, leave_date = row
        rows.append((app_id, name, role, email or team, "person" if email else "team",
                     status if email else standings.get(team, ""), leave_date))


class Figures(NamedTuple):
    """The review queue's throughput and the abandonment rate, counted in the second process."""

    throughput: ReviewStats
    abandonment: Abandonment


def count_apart(url: str, today: date) -> Figures:
    """In the second process, first (the sheets want them soon): the two portfolio figures."""
    with separate_session(url) as session:
        return Figures(portfolio_review_stats(session, today), portfolio_abandonment(session))


class Written(NamedTuple):
    """What the second process wrote: each sheet's rows, and the overdue reviews."""

    rows: dict[str, RowFile]
    overdue: int


def write_apart(url: str, folder: Path, styles: StyleNumbers, today: date) -> Written:
    """In the second process: the three sheets' rows, each in a file of `folder`."""
    with separate_session(url) as session:
        reviews = RowStream(len(REVIEW_COLUMNS), styles, keep_in=folder)
        overdue = write_reviews(session, today, reviews)
        ownership = RowStream(len(OWNERSHIP_COLUMNS), styles, keep_in=folder)
        write_ownership(session, team_standings(list_teams(session)), ownership)
        developers = RowStream(len(DEVELOPER_COLUMNS), styles, keep_in=folder)
        write_developer_rows(session, today, developers)
    return Written({REVIEWS_SHEET: reviews.kept(), OWNERSHIP_SHEET: ownership.kept(),
                    DEVELOPERS_SHEET: developers.kept()}, overdue)


class RecordSheets:
    """The three sheets, each added at its place among the tabs; on a big portfolio their
    rows come from the second process, started as soon as the workbook's styles are numbered."""

    def __init__(self, session: Session, workbook: StreamedWorkbook, today: date, apps: int):
        self.session, self.workbook, self.today = session, workbook, today
        self.overdue = 0
        self._writers: dict[str, SheetWriter] = {}
        self._cleanup = ExitStack()
        self._apart: Future | None = None
        self._figures: Future | None = None
        if apps >= PARALLEL_FROM:
            folder = Path(self._cleanup.enter_context(
                tempfile.TemporaryDirectory(prefix="fusiondesk-audit-")))
            self._pool = self._cleanup.enter_context(second_process())
            url = database_url(session)
            self._figures = self._pool.submit(count_apart, url, today)
            self._apart = self._pool.submit(write_apart, url, folder, workbook.style_numbers(), today)

    def __enter__(self) -> RecordSheets:
        return self

    def __exit__(self, *_exc) -> None:
        # The package has copied the rows by now, or the export failed: either way the
        # scratch folder goes. After a failure here the second process may still be
        # writing into it, so it is waited for first (its queued work cancelled): removing
        # the folder under it fails with "Directory not empty" and hides the real error.
        if self._apart is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        self._cleanup.close()

    def add_reviews(self) -> None:
        """The Reviews sheet: every review, by app then due day."""
        sheet = self._add(REVIEWS_SHEET, REVIEW_COLUMNS, None)
        if self._apart is None:
            self.overdue = write_reviews(self.session, self.today, sheet)

    def review_throughput(self) -> ReviewStats:
        """The review queue's throughput, as `reviews --stats` counts it."""
        if self._figures is None:
            return portfolio_review_stats(self.session, self.today)
        return self._figures.result().throughput

    def abandonment(self) -> Abandonment:
        """Departed builders' apps without an active owner (DOMAIN's abandonment rate)."""
        if self._figures is None:
            return portfolio_abandonment(self.session)
        return self._figures.result().abandonment

    def add_ownership(self, standings: dict[str, str]) -> None:
        """The Ownership sheet: every owner of every app."""
        sheet = self._add(OWNERSHIP_SHEET, OWNERSHIP_COLUMNS, None)
        if self._apart is None:
            write_ownership(self.session, standings, sheet)

    def add_developers(self) -> None:
        """The Citizen developers sheet."""
        sheet = self._add(DEVELOPERS_SHEET, DEVELOPER_COLUMNS, "A:A")
        if self._apart is None:
            write_developer_rows(self.session, self.today, sheet)

    def finish(self) -> int:
        """Every sheet's rows in place and filters on; how many reviews are overdue."""
        if self._apart is not None:
            written = self._apart.result()  # an error there is raised here
            # Idle by now, it exits at once; let go unwaited, its pool's exit handler could
            # race the interpreter's own at the end of a CLI command ("Bad file descriptor").
            self._pool.shutdown(wait=True)
            self.overdue = written.overdue
            for title, rows in written.rows.items():
                self._writers[title].take_rows(rows)
        for sheet in self._writers.values():
            sheet.finish()
        return self.overdue

    def _add(self, title: str, columns, repeat_columns: str | None) -> SheetWriter:
        sheet = SheetWriter(self.workbook, title, list(columns), repeat_columns=repeat_columns)
        self._writers[title] = sheet
        return sheet
