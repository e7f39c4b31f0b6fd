"""A training-records export as certifications: who, which platform, which exam, when, until when.

What a lead really has: the LMS's or Microsoft Learn's completion export, a vendor's
certification report, or a register kept by hand — one row per person and certification,
headed "Employee Email", "Platform"/"Product", "Exam"/"Certification", "Date
Achieved"/"Completion Date", "Expiry"/"Valid Until", sometimes a "Status" or "Level". The
columns are found with the same header matching as the inventories (sheets.mapping),
dates read as the inventories' dates are (either order, Excel serials).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fusiondesk.core.fields import DATE, TEXT, Field
from fusiondesk.sheets.cells import CellIssue, cell_text
from fusiondesk.sheets.dates import DMY, settled_order
from fusiondesk.sheets.mapping import refuse_an_inventory, suggest_mapping
from fusiondesk.sheets.problems import SheetError
from fusiondesk.sheets.reader import RawTable
from fusiondesk.sheets.values import converter_for

TRAINING_RECORD_FIELDS: tuple[Field, ...] = (
    Field("email", TEXT, "Email", headers=(
        "e mail", "email address", "employee email", "learner email", "user email", "work email",
        "upn", "user principal name", "mail", "person email", "candidate email")),
    Field("person", TEXT, "Person", headers=(
        "name", "full name", "display name", "employee", "employee name", "learner",
        "learner name", "user", "user name", "candidate", "candidate name")),
    Field("platform", TEXT, "Platform", headers=(
        "product", "technology", "platform name", "tool", "vendor platform", "skill", "area")),
    Field("exam", TEXT, "Exam", headers=(
        "certification", "certification name", "certificate", "credential", "exam code",
        "exam name", "course", "course name", "training", "training name", "badge",
        "learning path", "module")),
    Field("level", TEXT, "Level", headers=(
        "status", "certification level", "result", "completion status", "type",
        "credential type", "training status")),
    Field("obtained", DATE, "Obtained", headers=(
        "date", "date achieved", "achieved", "achieved on", "completion date", "completed",
        "completed on", "date obtained", "issued", "issue date", "issued on", "passed on",
        "exam date", "certified on", "awarded", "award date")),
    Field("expires", DATE, "Expires", headers=(
        "expiry", "expiry date", "expiration", "expiration date", "expires on", "valid until",
        "valid to", "renewal date", "renew by", "good through")),
)

# What a status or level cell says, read as a level; None: not (yet) a qualification.
_LEVEL_WORDS = {
    "certified": "certified", "passed": "certified", "pass": "certified", "active": "certified",
    "achieved": "certified", "awarded": "certified", "valid": "certified",
    "certification": "certified", "exam": "certified",
    "trained": "trained", "completed": "trained", "complete": "trained", "attended": "trained",
    "training": "trained", "course": "trained", "done": "trained",
    "in progress": None, "enrolled": None, "failed": None, "not started": None,
    "registered": None, "scheduled": None, "expired": "certified",  # expiry decides, not the word
}


@dataclass(frozen=True, slots=True)
class TrainingRecord:
    """One row read: who (e-mail or name), the certification, and the sheet row it came from."""

    row: int
    email: str | None
    person: str | None
    platform: str
    level: str
    exam: str | None
    obtained: date | None
    expires: date | None


@dataclass
class TrainingRead:
    """What a training-records sheet held: the records, the rows skipped and why."""

    records: list[TrainingRecord]
    skipped: list[tuple[int, str]]  # (sheet row, why)
    columns: dict[str, str]  # header -> field it was read as
    source: str = ""  # the file (and sheet) read, for messages


def training_columns(table: RawTable) -> dict[str, str]:
    """{header: field} for the columns of a training-records sheet; SheetError when unusable."""
    refuse_an_inventory(table.source, table.headers, "a list of training records",
                        "import certifications from a list with Person, Platform and Level "
                        "columns or the learning platform's completion report")
    found = {s.header: s.field for s in suggest_mapping(table.headers, TRAINING_RECORD_FIELDS)
             if s.field}
    fields = set(found.values())
    if not fields & {"email", "person"}:
        raise SheetError(f"{table.source}: no column names the person (an e-mail or a name "
                         "column such as 'Employee Email'); add one and import again.")
    if "platform" not in fields and "exam" not in fields:
        raise SheetError(f"{table.source}: no column names the platform or the certification "
                         "(e.g. 'Platform' or 'Exam'); add one and import again.")
    return found


def read_training_records(table: RawTable) -> TrainingRead:
    """The certifications on a training-records sheet."""
    columns = training_columns(table)
    position = {field: table.headers.index(header) for header, field in columns.items()}
    convert = {f.name: _converter(f, table, position) for f in TRAINING_RECORD_FIELDS
               if f.name in position}
    records, skipped = [], []
    for row, values in table.rows:
        cells = {name: _value(convert[name], values, position[name]) for name in convert}
        problem = next((v.message for v in cells.values() if isinstance(v, CellIssue)
                        and v.value is None), None)
        record = None if problem else _record(row, cells)
        if isinstance(record, TrainingRecord):
            records.append(record)
        else:
            skipped.append((row, problem or record))
    return TrainingRead(records, skipped, columns, table.source)


def _converter(field: Field, table: RawTable, position: dict[str, int]):
    if field.kind != DATE:
        return converter_for(field)
    column = [values[position[field.name]] for _row, values in table.rows
              if position[field.name] < len(values)]
    order = settled_order(column)
    return converter_for(field, date_order=order or DMY, date1904=table.date1904,
                         order_settled=order is not None)


def _value(convert, values: tuple, at: int) -> object:
    value = convert(values[at]) if at < len(values) else None
    if isinstance(value, CellIssue) and value.value is not None:
        return value.value  # a warning (an ambiguous date read one way): keep the value
    return value


def _record(row: int, cells: dict[str, object]) -> TrainingRecord | str:
    email = _text(cells.get("email"))
    person = _text(cells.get("person"))
    exam = _text(cells.get("exam"))
    platform = _text(cells.get("platform")) or platform_of_exam(exam)
    if not (email or person):
        return "names nobody (no e-mail or name)"
    if not platform:
        return f"names no platform{f' (and the exam {exam} is not one FusionDesk knows)' if exam else ''}"
    level = _level(_text(cells.get("level")), exam)
    if level is None:
        return f"is not a qualification yet (status '{_text(cells.get('level'))}')"
    return TrainingRecord(row, email.lower() if email else None, person, platform, level, exam,
                          cells.get("obtained"), cells.get("expires"))


def _text(value: object) -> str | None:
    text = " ".join(cell_text(value).split()) if value is not None else ""
    return text or None


def _level(status: str | None, exam: str | None) -> str | None:
    if status:
        key = status.casefold()
        if key in _LEVEL_WORDS:
            return _LEVEL_WORDS[key]
        for word, level in _LEVEL_WORDS.items():
            if word in key:
                return level
    # No status: an exam code or a named certification is a certification, a course training.
    if exam and (platform_of_exam(exam) or "certif" in exam.casefold()):
        return "certified"
    return "trained"


# Vendor exam codes as training exports write them, and the platform each certifies.
_EXAM_PREFIXES = (("pl-", "Power Apps"), ("pl ", "Power Apps"), ("mb-", "Power Apps"),
                  ("csa", "ServiceNow"), ("cad", "ServiceNow"), ("uipath", "UiPath"),
                  ("mendix", "Mendix"), ("outsystems", "OutSystems"), ("appian", "Appian"),
                  ("salesforce", "Salesforce"), ("zapier", "Zapier"), ("kissflow", "Kissflow"),
                  ("power automate", "Power Automate"), ("power apps", "Power Apps"),
                  ("servicenow", "ServiceNow"))
_AUTOMATE_EXAMS = ("pl-500",)  # Power Automate RPA developer


def platform_of_exam(exam: str | None) -> str | None:
    """The platform an exam or certification name is about, e.g. 'PL-100' → 'Power Apps'."""
    if not exam:
        return None
    key = exam.casefold().strip()
    if key.startswith(_AUTOMATE_EXAMS):
        return "Power Automate"
    for prefix, platform in _EXAM_PREFIXES:
        if key.startswith(prefix) or f" {prefix}" in f" {key}":
            return platform
    return None
