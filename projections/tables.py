"""The read-model tables. All but `member_profiles` are rebuilt from events."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
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
    Column("category_id", Uuid, nullable=False),
    Column("author_id", Uuid, nullable=False),
    Column("status", String(20), nullable=False, index=True),
    Column("status_answer", Text, nullable=False),
    Column("votes", Integer, nullable=False),
    Column("comments", Integer, nullable=False),
    Column("hot", Float, nullable=False, index=True),
    Column("created_at", DateTime, nullable=False, index=True),
    Column("updated_at", DateTime, nullable=False),
    # The board's sorts, alone and under a status or a category filter (most ideas
    # are open, so a filter on status alone would still sort nearly every row; a busy
    # category holds a third of them: top and new sorted 3,400 rows, 6 ms).
    Index("rm_proposals_top", "votes", "created_at"),
    Index("rm_proposals_status_hot", "status", "hot"),
    Index("rm_proposals_status_top", "status", "votes", "created_at"),
    Index("rm_proposals_status_new", "status", "created_at"),
    Index("rm_proposals_category_hot", "category_id", "hot"),
    Index("rm_proposals_category_top", "category_id", "votes", "created_at"),
    Index("rm_proposals_category_new", "category_id", "created_at"),
    # Counts the board's pages under both filters (15 ms over the status index).
    Index("rm_proposals_category_status", "category_id", "status"),
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

# The comments that propose something, in the latest run's themes.
theme_comments = Table(
    "rm_theme_comments",
    metadata,
    Column("comment_id", Uuid, primary_key=True),
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

# Which version of each projection's code built the tables beside it (see
# projections/versions.py): a release that changes one rebuilds it in the background.
schema_versions = Table(
    "rm_schema_versions",
    metadata,
    Column("projection", String(60), primary_key=True),
    Column("version", String(400), nullable=False),
)

# Not a projection: names are personal data and stay out of the immutable event
# log (events refer to member ids). Rebuilding read models leaves this table alone.
member_profiles = Table(
    "member_profiles",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("display_name", String(120), nullable=False),
)

BOARD_TABLES: tuple[Table, ...] = (
    categories, proposals, votes, comments, history, themes, theme_members, theme_comments)

# ---- Triage: owners' and admins' decisions (projections/triage.py) ----

# One row per idea merged into another. `root_id` is the idea its votes and comments
# finally count on (a canonical idea may itself be merged later).
merges = Table(
    "rm_merges",
    metadata,
    Column("duplicate_id", Uuid, primary_key=True),
    Column("canonical_id", Uuid, nullable=False, index=True),
    Column("root_id", Uuid, nullable=False, index=True),
    Column("merged_by", Uuid, nullable=False),
    Column("merged_at", DateTime, nullable=False),
    Column("reason", Text, nullable=False),
)

# One row per reported or hidden idea or comment; its reports are in rm_reports.
moderation = Table(
    "rm_moderation",
    metadata,
    Column("target_id", Uuid, primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("proposal_id", Uuid, nullable=False),
    Column("author_id", Uuid, nullable=False),
    Column("hidden", Boolean, nullable=False, index=True),
    # Reports after this log position are still waiting for a decision.
    Column("decided_position", Integer, nullable=False),
    Column("decided_by", Uuid, nullable=True),
    Column("decided_at", DateTime, nullable=True),
    Column("reason", Text, nullable=False),
)

reports = Table(
    "rm_reports",
    metadata,
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("target_id", Uuid, nullable=False, index=True),
    Column("reporter_id", Uuid, nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", DateTime, nullable=False),
)

theme_decisions = Table(
    "rm_theme_decisions",
    metadata,
    Column("theme_id", Uuid, primary_key=True),
    Column("label", String(200), nullable=True),  # set: wins over the model's label
    Column("confirmed", Boolean, nullable=False),
    Column("decided_by", Uuid, nullable=True),
    Column("decided_at", DateTime, nullable=True),
)

# The latest human decision about an idea's theme; theme_id NULL = moved out of any.
theme_pins = Table(
    "rm_theme_pins",
    metadata,
    Column("proposal_id", Uuid, primary_key=True),
    Column("theme_id", Uuid, nullable=True),
    Column("pinned_by", Uuid, nullable=False),
    Column("position", Integer, nullable=False),
)

# Which comment a history row quotes, so hiding the comment also hides the quote.
history_subjects = Table(
    "rm_history_subjects",
    metadata,
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("subject_id", Uuid, nullable=False, index=True),
)

# Counting a merge tree's voters reads votes by idea (projections/merges.py).
Index("rm_votes_idea", votes.c.proposal_id, votes.c.member_id)

BOARD_TABLES += (merges, moderation, reports, theme_decisions, theme_pins, history_subjects)

# Members as the event log tells it: standing and roles (rebuilt from events).
members = Table(
    "rm_members",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("issuer", String(200), nullable=False),
    Column("status", String(20), nullable=False),  # active | disabled | forgotten
    Column("registered_at", DateTime, nullable=False),
)

member_roles = Table(
    "rm_member_roles",
    metadata,
    Column("id", Uuid, primary_key=True),  # derived from (member, role, category)
    Column("member_id", Uuid, nullable=False, index=True),
    Column("role", String(20), nullable=False),
    Column("category_id", Uuid, nullable=True),  # owners own categories
    Column("granted_by", Uuid, nullable=False),
    Column("granted_at", DateTime, nullable=False),
)

MEMBER_TABLES: tuple[Table, ...] = (members, member_roles)

# Not projections either: a local account's e-mail and password hash, and the
# server-side sessions (only a SHA-256 of each session token is stored).
member_accounts = Table(
    "member_accounts",
    metadata,
    Column("member_id", Uuid, primary_key=True),
    Column("email", String(320), nullable=False, unique=True),  # lower-cased
    Column("password_hash", String(200), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

member_sessions = Table(
    "member_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("member_id", Uuid, nullable=False, index=True),
    Column("created_at", DateTime, nullable=False),
    Column("last_seen_at", DateTime, nullable=False),
)

# Not a projection: rate-limit counters shared by every worker process, one row per
# (limit, subject) holding the current fixed window. Rebuilds leave it alone.
rate_limits = Table(
    "rate_limits",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("resets_at", BigInteger, nullable=False, index=True),  # seconds since the epoch
    Column("hits", Integer, nullable=False),
)

# ---- Outcomes: "you said, we did" (projections/outcomes.py) ----

outcomes = Table(
    "rm_outcomes",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("subject_kind", String(10), nullable=False),  # idea | theme
    Column("subject_id", Uuid, nullable=False, index=True),
    Column("stage", String(20), nullable=False),  # draft | published | withdrawn
    Column("title", String(160), nullable=False),
    Column("you_said", Text, nullable=False),
    Column("we_did", Text, nullable=False),
    Column("done_on", Date, nullable=True),
    Column("links", Text, nullable=False),  # one per line
    # The "you said" snapshot taken when drafting.
    Column("people", Integer, nullable=False),
    Column("ideas", Integer, nullable=False),
    Column("votes", Integer, nullable=False),
    Column("comments", Integer, nullable=False),
    Column("categories", Text, nullable=False),  # names, comma-separated
    Column("quotes", Text, nullable=False),  # one per line
    Column("asked_at", DateTime, nullable=False),  # the first suggestion
    Column("drafted_by", Uuid, nullable=False),
    Column("drafted_at", DateTime, nullable=False),
    Column("published_by", Uuid, nullable=True),
    Column("published_at", DateTime, nullable=True),
    Column("updated_at", DateTime, nullable=False),
    # As first published: a correction shows next to it, never instead of it.
    Column("original_title", String(160), nullable=False),
    Column("original_we_did", Text, nullable=False),
    Column("original_done_on", Date, nullable=True),
    Column("withdrawn_reason", Text, nullable=False),
    Column("corrections", Integer, nullable=False),  # how many (rm_outcome_corrections)
    # The public board: counted from the index alone (people included), paged by it.
    Index("rm_outcomes_board", "stage", "done_on", "published_at", "id", "people"),
)

# Which categories and ideas an outcome answers (filters, idea pages, board badges).
outcome_categories = Table(
    "rm_outcome_categories",
    metadata,
    Column("outcome_id", Uuid, primary_key=True),
    Column("category_id", Uuid, primary_key=True),
    Index("rm_outcome_categories_by_category", "category_id", "outcome_id"),
)

outcome_ideas = Table(
    "rm_outcome_ideas",
    metadata,
    Column("outcome_id", Uuid, primary_key=True),
    Column("proposal_id", Uuid, primary_key=True, index=True),
)

# Everyone involved when it was published: the notifier's list (Outcome.Published).
outcome_people = Table(
    "rm_outcome_people",
    metadata,
    Column("outcome_id", Uuid, primary_key=True),
    Column("member_id", Uuid, primary_key=True),
)

outcome_corrections = Table(
    "rm_outcome_corrections",
    metadata,
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("outcome_id", Uuid, nullable=False, index=True),
    Column("corrected_by", Uuid, nullable=False),
    Column("at", DateTime, nullable=False),
    Column("note", Text, nullable=False),
    Column("previous_we_did", Text, nullable=False),
)

OUTCOME_TABLES: tuple[Table, ...] = (
    outcomes, outcome_categories, outcome_ideas, outcome_people, outcome_corrections)

# ---- Campaigns: IT asks a question (projections/campaigns.py) ----

campaigns = Table(
    "rm_campaigns",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("question", String(200), nullable=False),
    Column("description", Text, nullable=False),
    Column("category_id", Uuid, nullable=False),
    Column("deadline", DateTime, nullable=True),
    Column("poll_question", String(200), nullable=False),
    Column("status", String(10), nullable=False),  # open | closed
    Column("opened_by", Uuid, nullable=False),
    Column("opened_at", DateTime, nullable=False),
    Column("closed_at", DateTime, nullable=True),
    Column("closed_by", Uuid, nullable=True),  # NULL: the system, at the deadline
    Column("closed_why", String(10), nullable=False),  # "" | deadline | owner
    Column("close_note", Text, nullable=False),
    Column("answers", Integer, nullable=False),
    # The deadline job's question: open campaigns whose deadline passed.
    Index("rm_campaigns_due", "status", "deadline"),
)

campaign_options = Table(
    "rm_campaign_options",
    metadata,
    Column("campaign_id", Uuid, primary_key=True),
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("label", String(120), nullable=False),
    Column("answers", Integer, nullable=False),
)

poll_answers = Table(
    "rm_poll_answers",
    metadata,
    Column("id", Uuid, primary_key=True),  # derived from (campaign, member)
    Column("campaign_id", Uuid, nullable=False),
    Column("member_id", Uuid, nullable=False),
    Column("option", Integer, nullable=False),
    Column("answered_at", DateTime, nullable=False),
    Index("rm_poll_answers_member", "member_id", "campaign_id"),
)

campaign_ideas = Table(
    "rm_campaign_ideas",
    metadata,
    Column("proposal_id", Uuid, primary_key=True),
    Column("campaign_id", Uuid, nullable=False, index=True),
)

CAMPAIGN_TABLES: tuple[Table, ...] = (campaigns, campaign_options, poll_answers, campaign_ideas)

# ---- Notifications (projections/notifications.py) ----

# Who follows what. `chosen`: the member's own choice (a Follow event), which wins over
# the automatic follow that submitting, voting or commenting gives.
follows = Table(
    "rm_follows",
    metadata,
    Column("target_id", Uuid, primary_key=True),
    Column("member_id", Uuid, primary_key=True),
    Column("target_kind", String(20), nullable=False),
    Column("following", Boolean, nullable=False),
    Column("chosen", Boolean, nullable=False),
    Index("rm_follows_member", "member_id", "target_id"),
)

# A member's choices (NotificationPreferences events); no row: the defaults.
notification_preferences = Table(
    "rm_notification_preferences",
    metadata,
    Column("member_id", Uuid, primary_key=True),
    Column("channels", String(200), nullable=False),  # "status=email,reply=in_app,..."
    Column("digest", Boolean, nullable=False),
)

# The in-app inbox: one row per (event, member told), keyed by the event's position.
notifications = Table(
    "rm_notifications",
    metadata,
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("member_id", Uuid, primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("subject_id", Uuid, nullable=False),
    Column("title", String(200), nullable=False),
    Column("detail", Text, nullable=False),
    Column("link", String(300), nullable=False),
    Column("at", DateTime, nullable=False),
    Index("rm_notifications_inbox", "member_id", "position"),
)

NOTIFICATION_TABLES: tuple[Table, ...] = (follows, notification_preferences, notifications)

# Every table a projection fills from events (emptied by a rebuild).
PROJECTED_TABLES = (BOARD_TABLES + MEMBER_TABLES + OUTCOME_TABLES + CAMPAIGN_TABLES
                    + NOTIFICATION_TABLES)

# Not projections: which notices a member has read (kept across rebuilds, keyed like
# rm_notifications), and the e-mail outbox. The outbox is filled by the notification
# projection with a unique key per message, so a replay or rebuild never adds a
# message twice; the sender (incubator/mailer.py) claims, sends and marks each row.
notification_reads = Table(
    "notification_reads",
    metadata,
    Column("member_id", Uuid, primary_key=True),
    Column("position", Integer, primary_key=True, autoincrement=False),
)

email_outbox = Table(
    "email_outbox",
    metadata,
    Column("key", String(100), primary_key=True),  # "<position>:<member>" | "digest:..."
    Column("member_id", Uuid, nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Column("event_at", DateTime, nullable=False),  # old news is not sent (see the mailer)
    Column("digest", Boolean, nullable=False),  # waits for the member's daily digest
    # pending | sending | sent | digested | uncertain | failed | no_address | expired
    Column("state", String(12), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", DateTime, nullable=False),
    Column("last_error", Text, nullable=False),
    Column("digest_key", String(100), nullable=True),  # the digest it went out in
    Column("sent_at", DateTime, nullable=True),
    Index("email_outbox_due", "state", "next_attempt_at"),
)

# Not a projection: what a background job is doing now (the theme job's stage and
# percentage for the progress widget on /triage). Written by the job, read by pages.
job_progress = Table(
    "job_progress",
    metadata,
    Column("job", String(60), primary_key=True),
    Column("state", String(20), nullable=False),  # queued | running | done | failed
    Column("stage", String(200), nullable=False),
    Column("percent", Integer, nullable=False),
    Column("detail", Text, nullable=False),
    Column("started_at", DateTime, nullable=True),
    Column("updated_at", DateTime, nullable=False),
)
