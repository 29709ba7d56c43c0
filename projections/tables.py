"""The read-model tables. All but `member_profiles` are rebuilt from events."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
)

metadata = MetaData()

categories = Table(
    "rm_categories",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("slug", String(60), nullable=False, unique=True),
    Column("name", String(120), nullable=False),
    Column("description", Text, nullable=False),
)

proposals = Table(
    "rm_proposals",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("title", String(140), nullable=False),
    Column("description", Text, nullable=False),
    Column("category_id", Uuid, nullable=False, index=True),
    Column("author_id", Uuid, nullable=False),
    Column("status", String(20), nullable=False, index=True),
    Column("status_answer", Text, nullable=False),
    Column("votes", Integer, nullable=False),
    Column("comments", Integer, nullable=False),
    Column("hot", Float, nullable=False, index=True),
    Column("created_at", DateTime, nullable=False, index=True),
    Column("updated_at", DateTime, nullable=False),
    # The board's sorts, alone and under a status filter (most ideas are open, so a
    # filter on status alone would still sort nearly every row).
    Index("rm_proposals_top", "votes", "created_at"),
    Index("rm_proposals_status_hot", "status", "hot"),
    Index("rm_proposals_status_top", "status", "votes", "created_at"),
    Index("rm_proposals_status_new", "status", "created_at"),
    Index("rm_proposals_category_hot", "category_id", "hot"),
)

votes = Table(
    "rm_votes",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("proposal_id", Uuid, nullable=False),
    Column("member_id", Uuid, nullable=False),
    Column("is_active", Boolean, nullable=False),
    Column("cast_at", DateTime, nullable=False),
    Index("rm_votes_member", "member_id", "proposal_id"),
)

comments = Table(
    "rm_comments",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("proposal_id", Uuid, nullable=False),
    Column("author_id", Uuid, nullable=False),
    Column("text", Text, nullable=False),
    Column("posted_at", DateTime, nullable=False),
    Column("edited_at", DateTime, nullable=True),
    Index("rm_comments_thread", "proposal_id", "posted_at"),
)

# The latest clustering run's themes: a suggestion, replaced whole by each new run.
themes = Table(
    "rm_themes",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("run_id", Uuid, nullable=False),
    Column("label", String(200), nullable=False),
    Column("terms", Text, nullable=False),
    Column("representatives", Text, nullable=False),
)

theme_members = Table(
    "rm_theme_members",
    metadata,
    Column("proposal_id", Uuid, primary_key=True),
    Column("theme_id", Uuid, nullable=False, index=True),
)

# The audit trail: one row per event that concerns an idea, keyed by log position.
history = Table(
    "rm_history",
    metadata,
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("proposal_id", Uuid, nullable=False, index=True),
    Column("kind", String(30), nullable=False),
    Column("actor_id", Uuid, nullable=False),
    Column("at", DateTime, nullable=False),
    Column("detail", Text, nullable=False),
)

# Where each projection has got to in the event log, written in the same
# transaction as its rows: that is what makes a projection exactly-once.
tracking = Table(
    "rm_tracking",
    metadata,
    Column("projection", String(60), primary_key=True),
    Column("position", Integer, nullable=False),
)

# Not a projection: names are personal data and stay out of the immutable event
# log (events refer to member ids). Rebuilding read models leaves this table alone.
member_profiles = Table(
    "member_profiles",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("display_name", String(120), nullable=False),
)

PROJECTED_TABLES = (categories, proposals, votes, comments, history, themes, theme_members)

# Not a projection: rate-limit counters shared by every worker process, one row per
# (limit, subject) holding the current fixed window. Rebuilds leave it alone.
rate_limits = Table(
    "rate_limits",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("resets_at", BigInteger, nullable=False, index=True),  # seconds since the epoch
    Column("hits", Integer, nullable=False),
)
