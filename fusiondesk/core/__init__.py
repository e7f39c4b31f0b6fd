"""The pure domain: facts, policy, tiers, flags, handover, reviews. No Qt, no SQL."""
