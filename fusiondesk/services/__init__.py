"""Use cases: (session, arguments) -> result and what changed. No Qt."""
