"""Aggregates and their events: pure, no I/O, only `eventsourcing.domain` and the stdlib."""
