"""SQLAlchemy 2.0 typed models of the portfolio.

Every schema change is an Alembic migration (see `migrations/`); these classes
describe the head revision. List fields are stored as `;`-joined text so the
portfolio table can sort and filter them in SQL without joins.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from fusiondesk.core.terms import PersonStatus, PlanStatus, TeamRole


class Base(DeclarativeBase):
    """The one declarative base of the portfolio schema."""


class App(Base):
    """A citizen-built app or automation, with its computed classification cached."""

    __tablename__ = "app"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    app_id: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    platform: Mapped[str | None] = mapped_column(String(100), index=True)
    kind: Mapped[str | None] = mapped_column(String(30), index=True)  # the table filters by it
    licence: Mapped[str | None] = mapped_column(String(100))
    environment: Mapped[str | None] = mapped_column(String(100))
    environment_type: Mapped[str | None] = mapped_column(String(20))
    lifecycle: Mapped[str | None] = mapped_column(String(20), index=True)
    department: Mapped[str | None] = mapped_column(String(100), index=True)
    scope: Mapped[str | None] = mapped_column(String(20))
    users: Mapped[int | None] = mapped_column(Integer)
    hours_saved_per_month: Mapped[int | None] = mapped_column(Integer)
    # the value ledger (0014)
    minutes_saved_per_run: Mapped[int | None] = mapped_column(Integer)
    runs_per_month: Mapped[int | None] = mapped_column(Integer)
    prodev_estimate_hours: Mapped[int | None] = mapped_column(Integer)
    licence_cost_per_month: Mapped[int | None] = mapped_column(Integer)
    it_backlog_item: Mapped[str | None] = mapped_column(String(200))
    data_sensitivity: Mapped[str | None] = mapped_column(String(20))
    data_categories: Mapped[str | None] = mapped_column(String(200))
    compliance: Mapped[str | None] = mapped_column(String(200))
    criticality: Mapped[str | None] = mapped_column(String(20))
    calc_complexity: Mapped[str | None] = mapped_column(String(20))
    custom_code: Mapped[bool | None] = mapped_column(Boolean)
    support: Mapped[str | None] = mapped_column(String(10))
    dr_plan: Mapped[bool | None] = mapped_column(Boolean)
    doc_functional: Mapped[bool | None] = mapped_column(Boolean)
    doc_data_sources: Mapped[bool | None] = mapped_column(Boolean)
    doc_logic: Mapped[bool | None] = mapped_column(Boolean)
    created: Mapped[date | None] = mapped_column(Date)
    last_modified: Mapped[date | None] = mapped_column(Date)
    last_used: Mapped[date | None] = mapped_column(Date)
    approved_tier: Mapped[int | None] = mapped_column(Integer)
    last_review: Mapped[date | None] = mapped_column(Date)
    users_at_last_review: Mapped[int | None] = mapped_column(Integer)
    requested_on: Mapped[date | None] = mapped_column(Date)
    deployed_on: Mapped[date | None] = mapped_column(Date)
    deployed_by: Mapped[str | None] = mapped_column(String(320))  # an e-mail or a name (0013)
    notes: Mapped[str | None] = mapped_column(Text)
    # Denormalised for sorting and searching the big table in SQL: kept in step by
    # the services whenever ownership changes. Unbounded (0009): they join other rows.
    owner_summary: Mapped[str | None] = mapped_column(Text)
    integration_summary: Mapped[str | None] = mapped_column(Text)
    # Classification cache: written by the services on every change and policy change;
    # what lists sort, filter and count by (reasons are shown classified afresh: 0017).
    tier: Mapped[int | None] = mapped_column(Integer, index=True)
    possible_tier: Mapped[int | None] = mapped_column(Integer)
    flags: Mapped[str | None] = mapped_column(Text)
    drift: Mapped[bool | None] = mapped_column(Boolean)
    policy_version: Mapped[int | None] = mapped_column(Integer)
    # Optimistic concurrency: the services update a row only `WHERE version = ?` the
    # editor saw, so an edit made on a stale copy is refused, never merged.
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    owners: Mapped[list[Ownership]] = relationship(
        back_populates="app", cascade="all, delete-orphan", passive_deletes=True
    )
    integrations: Mapped[list[IntegrationLink]] = relationship(
        back_populates="app", cascade="all, delete-orphan", passive_deletes=True,
        order_by="IntegrationLink.position",
    )


class Person(Base):
    """Someone who builds, owns, supports or reviews apps; keyed by e-mail.

    An owner a platform export gives only by display name is a person without an
    e-mail until the directory (or the lead) fills it in.
    """

    __tablename__ = "person"
    __table_args__ = (
        CheckConstraint("email IS NOT NULL OR name IS NOT NULL", name="ck_person_identified"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    department: Mapped[str | None] = mapped_column(String(100))
    role: Mapped[str | None] = mapped_column(String(30))
    certification: Mapped[str | None] = mapped_column(String(20))
    certified_platforms: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(10), default=PersonStatus.ACTIVE)
    leave_date: Mapped[date | None] = mapped_column(Date)
    manager_email: Mapped[str | None] = mapped_column(String(320))
    capacity: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    ownerships: Mapped[list[Ownership]] = relationship(back_populates="person")


class Team(Base):
    """A team that owns apps as a whole: orphaned only when none of its members is active."""

    __tablename__ = "team"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    department: Mapped[str | None] = mapped_column(String(100))


class TeamMember(Base):
    """A person in a team, with their role in it (lead | member); once per team (0012)."""

    __tablename__ = "team_member"
    __table_args__ = (
        UniqueConstraint("team_id", "person_id", name="uq_team_member"),
        CheckConstraint("role IN ('lead', 'member')", name="ck_team_member_role"),
        Index("ix_team_member_person", "person_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20), default=TeamRole.MEMBER)


class Ownership(Base):
    """An owner of an app in a role: exactly one of a person or a team."""

    __tablename__ = "ownership"
    __table_args__ = (
        CheckConstraint(
            "(person_id IS NULL) <> (team_id IS NULL)", name="ck_ownership_one_owner"
        ),
        CheckConstraint(
            "role IN ('primary', 'co_owner', 'business_owner', 'prodev_partner')",
            name="ck_ownership_role",
        ),
        Index("ix_ownership_app", "app_id"),
        Index("ix_ownership_person", "person_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    app_id: Mapped[int] = mapped_column(ForeignKey("app.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))

    app: Mapped[App] = relationship(back_populates="owners")
    person: Mapped[Person | None] = relationship(back_populates="ownerships")
    team: Mapped[Team | None] = relationship()


class IntegrationLink(Base):
    """A system an app connects to, with direction and what the record says of it."""

    __tablename__ = "integration"
    __table_args__ = (Index("ix_integration_app", "app_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    app_id: Mapped[int] = mapped_column(ForeignKey("app.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    system: Mapped[str] = mapped_column(String(200))
    direction: Mapped[str | None] = mapped_column(String(20))
    approved: Mapped[bool | None] = mapped_column(Boolean)
    external_api: Mapped[bool | None] = mapped_column(Boolean)
    enterprise: Mapped[bool | None] = mapped_column(Boolean)
    asynchronous: Mapped[bool] = mapped_column(Boolean, default=False)

    app: Mapped[App] = relationship(back_populates="integrations")


class Review(Base):
    """A milestone or periodic review of an app."""

    __tablename__ = "review"
    __table_args__ = (Index("ix_review_app", "app_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    app_id: Mapped[int] = mapped_column(ForeignKey("app.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(40))
    requested: Mapped[date | None] = mapped_column(Date)
    due: Mapped[date | None] = mapped_column(Date)
    reviewer_email: Mapped[str | None] = mapped_column(String(320))
    outcome: Mapped[str | None] = mapped_column(String(40))
    notes: Mapped[str | None] = mapped_column(Text)
    completed: Mapped[date | None] = mapped_column(Date)


class ChangeLogEntry(Base):
    """One changed field, appended in the same transaction as the change; never updated."""

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_entity", "entity", "entity_key"),
                      Index("ix_change_log_change", "change_id", "id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    who: Mapped[str] = mapped_column(String(200))
    entity: Mapped[str] = mapped_column(String(20))
    entity_key: Mapped[str] = mapped_column(String(320))
    field: Mapped[str] = mapped_column(String(60))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20))  # edit | bulk_edit | undo | import | rule | ...
    source_detail: Mapped[str | None] = mapped_column(String(500))
    change_id: Mapped[str | None] = mapped_column(String(32))  # one per transaction (0011)


class PolicyRecord(Base):
    """Each version of the governance policy the portfolio has had; the newest is in force."""

    __tablename__ = "policy"

    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    body: Mapped[str] = mapped_column(Text)  # JSON of the policy's dict form
    changed_at: Mapped[datetime] = mapped_column(DateTime)
    changed_by: Mapped[str] = mapped_column(String(200))


class Setting(Base):
    """Portfolio-level key/value facts (last audit, last automatic backup, ...)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str | None] = mapped_column(Text)


class HandoverPlanRecord(Base):
    """A leaver's handover plan: one item per app they own; its status follows the items'."""

    __tablename__ = "handover_plan"
    __table_args__ = (
        CheckConstraint("status IN ('planned', 'in_progress', 'done')",
                        name="ck_handover_plan_status"),
        Index("ix_handover_plan_person", "person_email"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_email: Mapped[str] = mapped_column(String(320))
    leave_date: Mapped[date | None] = mapped_column(Date)
    created: Mapped[datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(20), default=PlanStatus.PLANNED)

    items: Mapped[list[HandoverItemRecord]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", passive_deletes=True,
        order_by="HandoverItemRecord.id",
    )


class HandoverItemRecord(Base):
    """What happens to one app in a handover plan, and how far it has got."""

    __tablename__ = "handover_item"
    __table_args__ = (
        CheckConstraint("status IN ('planned', 'in_progress', 'done')",
                        name="ck_handover_item_status"),
        Index("ix_handover_item_plan", "plan_id"),
        Index("ix_handover_item_app", "app_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("handover_plan.id", ondelete="CASCADE"))
    app_id: Mapped[int] = mapped_column(ForeignKey("app.id", ondelete="CASCADE"))
    triage: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(30))
    covered_by: Mapped[str | None] = mapped_column(String(320))
    successor_email: Mapped[str | None] = mapped_column(String(320))
    status: Mapped[str] = mapped_column(String(20), default=PlanStatus.PLANNED)
    due: Mapped[date | None] = mapped_column(Date)
    checklist: Mapped[str] = mapped_column(Text, default="{}")  # JSON {item: done}
    role: Mapped[str | None] = mapped_column(String(20))  # the leaver's role the successor takes
    accepted_on: Mapped[date | None] = mapped_column(Date)
    # JSON: the why of triage and action, ranked candidates, why nobody could be proposed.
    detail: Mapped[str | None] = mapped_column(Text)

    plan: Mapped[HandoverPlanRecord] = relationship(back_populates="items")


class PersonCertification(Base):
    """One dated certification of a person on one platform (0016).

    The person's own `certification` column stays what was imported or entered; these
    records, when a person has any, decide what counts per platform (core.certification).
    """

    __tablename__ = "person_certification"
    __table_args__ = (Index("ix_person_certification_person", "person_id"),
                      CheckConstraint("level IN ('trained', 'certified')",
                                      name="ck_person_certification_level"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(20))
    obtained: Mapped[date | None] = mapped_column(Date)
    expires: Mapped[date | None] = mapped_column(Date)
    name: Mapped[str | None] = mapped_column(String(200))  # the exam or course, e.g. PL-100
class EscalationCase(Base):
    """The escalation path of one app made a record (0015): recognised from drift or a
    warning sign, partnered with a pro-dev, a decision on what to rebuild, closed with a lesson."""

    __tablename__ = "escalation_case"
    __table_args__ = (
        CheckConstraint("stage IN ('recognised', 'partnered', 'decided', 'closed')",
                        name="ck_escalation_stage"),
        Index("ix_escalation_app", "app_id"),
        Index("ix_escalation_stage", "stage"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    app_id: Mapped[int] = mapped_column(ForeignKey("app.id", ondelete="CASCADE"))
    trigger: Mapped[str] = mapped_column(String(30))  # "drift" or the warning sign's name
    reason: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(320))  # who runs the case
    stage: Mapped[str] = mapped_column(String(20))
    partner_email: Mapped[str | None] = mapped_column(String(320))
    rebuild: Mapped[str | None] = mapped_column(Text)  # what is rebuilt, or "keep as is"
    outcome: Mapped[str | None] = mapped_column(Text)
    lesson: Mapped[str | None] = mapped_column(Text)
    policy_change: Mapped[str | None] = mapped_column(String(32))  # a change_log.change_id
    recognised_on: Mapped[date] = mapped_column(Date)
    partnered_on: Mapped[date | None] = mapped_column(Date)
    decided_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)


class DuplicateDecision(Base):
    """What the lead decided of one group of likely duplicates (0015); it holds while the
    group has exactly these members (`group_key`)."""

    __tablename__ = "duplicate_decision"
    __table_args__ = (
        CheckConstraint("decision IN ('keep', 'merge', 'retire')", name="ck_duplicate_decision"),
        Index("ix_duplicate_group", "group_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_key: Mapped[str] = mapped_column(String(16))
    members: Mapped[str] = mapped_column(Text)  # the app_ids, sorted, joined by "; "
    decision: Mapped[str] = mapped_column(String(10))
    who: Mapped[str] = mapped_column(String(200))
    decided_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    score: Mapped[float | None] = mapped_column(Float)
