"""Who may do what on a shared portfolio: three database roles a server enforces.

- reader: sees everything, changes nothing;
- editor: edits apps, people, reviews and handovers, imports; adds to the change log;
- admin: an editor who may also change the policy and grant these roles to others.

The server refuses what a role lacks (privileges, not only the window's good manners), and
the change log stays append-only for all three (no role may change or delete its rows).
On a SQLite file there are no roles: whoever can write the file may do everything.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Engine

from fusiondesk.db.models import Base

READER, EDITOR, ADMIN = "fusiondesk_reader", "fusiondesk_editor", "fusiondesk_admin"
ROLE_NAMES = {READER: "reader", EDITOR: "editor", ADMIN: "admin"}
_APPEND_ONLY = {"change_log"}
_ADMIN_ONLY = {"policy"}  # a policy change re-tiers the whole portfolio
_SCHEMA_ONLY = {"alembic_version"}


def set_up_roles(engine: Engine) -> None:
    """Create the three roles (when missing) and grant each what it may do, in one transaction.

    Run by the portfolio's owner or a server administrator (it needs CREATEROLE); running
    it again brings the grants up to date after a migration added a table.
    """
    tables = [t.name for t in Base.metadata.sorted_tables if t.name not in _SCHEMA_ONLY]
    with engine.begin() as connection:
        for role in (READER, EDITOR, ADMIN):
            exists = connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role})
            if exists.first() is None:
                connection.execute(text(f"CREATE ROLE {role} NOLOGIN"))
        connection.execute(text(f"GRANT {READER} TO {EDITOR}"))
        connection.execute(text(f"GRANT {EDITOR} TO {ADMIN}"))
        # Admins grant these roles to people: that is what "role grants" means here.
        connection.execute(text(f"GRANT {READER}, {EDITOR} TO {ADMIN} WITH ADMIN OPTION"))
        connection.execute(text(f"GRANT USAGE ON SCHEMA public TO {READER}"))
        connection.execute(text(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {READER}"))
        connection.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {EDITOR}"))
        for table in tables:
            if table in _APPEND_ONLY:
                connection.execute(text(f"GRANT INSERT ON {table} TO {EDITOR}"))
            elif table in _ADMIN_ONLY:
                connection.execute(text(f"GRANT INSERT, UPDATE, DELETE ON {table} TO {ADMIN}"))
            else:
                connection.execute(text(f"GRANT INSERT, UPDATE, DELETE ON {table} TO {EDITOR}"))


def role_of(connection) -> str | None:
    """The strongest FusionDesk role the session's user holds: "admin", "editor", "reader",
    or None when the roles were never set up or the user owns the schema (no restriction)."""
    found = connection.execute(text(
        "SELECT r.rolname, pg_has_role(session_user, r.oid, 'MEMBER') FROM pg_roles r "
        "WHERE r.rolname IN (:reader, :editor, :admin)"),
        {"reader": READER, "editor": EDITOR, "admin": ADMIN}).all()
    owner = connection.execute(text(
        "SELECT tableowner = session_user FROM pg_tables WHERE tablename = 'app' "
        "AND schemaname = current_schema()")).scalar()
    if not found or owner:
        return None
    held = {name for name, member in found if member}
    for role in (ADMIN, EDITOR, READER):
        if role in held:
            return ROLE_NAMES[role]
    return "none"


def grant(connection, user: str, role: str) -> None:
    """Give a database user one of the three roles (an admin's right), taking back the others."""
    wanted = {name: role_name for role_name, name in ROLE_NAMES.items()}.get(role)
    if wanted is None:
        raise ValueError(f"'{role}' is not a role; choose reader, editor or admin.")
    quoted = connection.dialect.identifier_preparer.quote(user)
    held = connection.execute(text(
        "SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid "
        "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = :user"), {"user": user}).scalars()
    for other in set(held) & {READER, EDITOR, ADMIN} - {wanted}:
        connection.execute(text(f"REVOKE {other} FROM {quoted}"))
    connection.execute(text(f"GRANT {wanted} TO {quoted}"))
