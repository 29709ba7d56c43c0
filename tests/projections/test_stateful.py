"""Random sequences of commands through the Application on SQLite: after every step
the read tables, kept up to date incrementally, equal a from-scratch rebuild."""

from __future__ import annotations

import shutil
import tempfile
from contextlib import suppress
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from sqlalchemy import select

from domain.proposal import InvalidStatusChangeError, ProposalClosedError, Status
from incubator.bootstrap import bootstrap
from incubator.runner import ProjectionRunner
from incubator.settings import Settings
from projections.schema import empty_projected_tables
from projections.tables import PROJECTED_TABLES
from tests.helpers import category

STATUSES = [s for s in Status if s is not Status.MERGED]
pick = st.integers(min_value=0, max_value=1_000)
texts = st.text(st.characters(categories=("L", "N", "Zs", "P")), min_size=1, max_size=40)


class ReadModelsEqualARebuild(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.directory = Path(tempfile.mkdtemp(prefix="stateful-"))
        self.services = bootstrap(Settings(data_dir=self.directory), follow=False)
        self.app = self.services.app
        self.categories = [category(self.services, slug) for slug in ("desk", "network")]
        self.members = [uuid4() for _ in range(4)]
        self.ideas: list[UUID] = []
        self.comments: list[tuple[UUID, UUID]] = []  # (comment, author)

    def idea(self, n: int) -> UUID:
        return self.ideas[n % len(self.ideas)]

    def member(self, n: int) -> UUID:
        return self.members[n % len(self.members)]

    @rule(title=texts, author=pick, where=pick)
    def submit(self, title: str, author: int, where: int) -> None:
        title = f"An idea about {title}"[:140]
        written = self.app.submit_proposal(title, "", self.categories[where % 2],
                                           self.member(author))
        self.ideas.append(written.id)

    @precondition(lambda self: self.ideas)
    @rule(idea=pick, member=pick, cast=st.booleans())
    def vote_or_withdraw(self, idea: int, member: int, cast: bool) -> None:
        command = self.app.cast_vote if cast else self.app.withdraw_vote
        # A second cast is a recast when withdrawn, nothing when active; a closed
        # idea refuses votes and nothing is written.
        with suppress(ProposalClosedError):
            command(self.idea(idea), self.member(member))

    @precondition(lambda self: self.ideas)
    @rule(idea=pick, author=pick, text=texts)
    def comment(self, idea: int, author: int, text: str) -> None:
        member = self.member(author)
        written = self.app.post_comment(self.idea(idea), member, f"Note {text}")
        self.comments.append((written.id, member))

    @precondition(lambda self: self.comments)
    @rule(which=pick, text=texts)
    def edit_comment(self, which: int, text: str) -> None:
        comment_id, author = self.comments[which % len(self.comments)]
        self.app.edit_comment(comment_id, author, f"Edited {text}")

    @precondition(lambda self: self.ideas)
    @rule(idea=pick, status=st.sampled_from(STATUSES), answer=texts)
    def change_status(self, idea: int, status: Status, answer: str) -> None:
        with suppress(InvalidStatusChangeError):  # already in that status
            self.app.change_status(self.idea(idea), status, self.members[0], answer)

    @invariant()
    def read_tables_equal_a_rebuild(self) -> None:
        self.services.runner.catch_up()  # one step's events, applied incrementally
        incremental = self.rows()
        empty_projected_tables(self.services.writer, "board")
        ProjectionRunner(self.app, self.services.writer, self.services.runner.projection).catch_up()
        assert self.rows() == incremental

    def rows(self) -> dict[str, list[tuple[Any, ...]]]:
        with self.services.writer.connect() as conn:
            return {table.name: [tuple(row) for row in conn.execute(
                        select(table).order_by(*table.primary_key.columns))]
                    for table in PROJECTED_TABLES}

    def teardown(self) -> None:
        self.services.close()
        shutil.rmtree(self.directory, ignore_errors=True)


ReadModelsEqualARebuild.TestCase.settings = settings(
    max_examples=10, stateful_step_count=15, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow], database=None,
)
test_read_models_equal_a_rebuild = ReadModelsEqualARebuild.TestCase
