"""The recognition list: who delivered what value, as text a CoE lead pastes into a newsletter.

Markdown that also reads as plain text: a heading, one bullet per developer (most hours
saved first), and a closing line on where the hours come from and what is unknown.
"""

from __future__ import annotations

from datetime import date

from fusiondesk.core.certification import quarter_bounds
from fusiondesk.core.errors import PortfolioError
from fusiondesk.db.store import Session
from fusiondesk.services.developers.records import (
    BuiltApp,
    DeveloperRecord,
    developer_records,
    hours_saved,
)

MAX_NAMED_APPS = 3  # a bullet names this many apps, then "and n more"


class BadQuarter(PortfolioError):
    """A quarter not written YYYY-Qn."""


def period(quarter: str | None) -> tuple[date | None, date | None]:
    """The days a quarter covers (both None: all time); a malformed quarter is refused."""
    if quarter is None:
        return None, None
    bounds = quarter_bounds(quarter)
    if bounds is None:
        raise BadQuarter(f"'{quarter}' is not a quarter: write it as YYYY-Qn, e.g. 2026-Q3.")
    return bounds


def recognition_entries(records: list[DeveloperRecord], quarter: str | None
                        ) -> list[tuple[DeveloperRecord, list[BuiltApp]]]:
    """Each developer who delivered in the period with what they delivered, most hours first."""
    first, last = period(quarter)
    entries = [(r, r.delivered(first, last)) for r in records]
    entries = [(r, apps) for r, apps in entries if apps]
    entries.sort(key=lambda e: (-hours_saved(e[1])[0], -len(e[1]), (e[0].name or e[0].key).lower()))
    return entries


def recognition_text(session: Session, quarter: str | None = None) -> str:
    """The recognition list for a quarter (all time when None), ready to paste."""
    return format_recognition(recognition_entries(developer_records(session), quarter), quarter)


def format_recognition(entries: list[tuple[DeveloperRecord, list[BuiltApp]]],
                       quarter: str | None) -> str:
    """The list as Markdown text."""
    when = f"in {quarter.strip().upper()}" if quarter else "so far"
    lines = [f"## Our citizen developers: solutions delivered {when}", ""]
    if not entries:
        return "\n".join([*lines, f"No solutions were delivered {when}."]) + "\n"
    unknown = 0
    for record, apps in entries:
        lines.append(_bullet(record, apps))
        unknown += hours_saved(apps)[1]
    apps_total = sum(len(apps) for _r, apps in entries)
    hours_total = sum(hours_saved(apps)[0] for _r, apps in entries)
    saved = (f"about {hours_total:,} hours saved a year" if hours_total
             else "hours saved not yet estimated")
    lines += ["", f"Together: {_count(apps_total, 'solution')} from "
                  f"{_count(len(entries), 'developer')}, {saved}."]
    note = "Hours saved are each app's own estimate (hours saved per month × 12)"
    if unknown:
        note += f"; {_count(unknown, 'app')} without an estimate are not counted"
    return "\n".join([*lines, note + "."]) + "\n"


def _bullet(record: DeveloperRecord, apps: list[BuiltApp]) -> str:
    who = f"**{record.name or record.key}**" + (f" ({record.department})" if record.department else "")
    names = ", ".join(a.name for a in apps[:MAX_NAMED_APPS])
    if len(apps) > MAX_NAMED_APPS:
        names += f" and {len(apps) - MAX_NAMED_APPS} more"
    hours, unknown = hours_saved(apps)
    value = f"about {hours:,} hours saved a year" if hours else "hours saved not yet estimated"
    if hours and unknown:
        value += f" (and {unknown} not yet estimated)"
    return f"- {who}: {_count(len(apps), 'solution')} delivered ({names}); {value}"


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")
