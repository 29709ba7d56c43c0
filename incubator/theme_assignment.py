"""New ideas join the nearest theme as they arrive, without a full re-run.

Between two clustering runs, every idea submitted after the latest run is placed by
`ml.NearestTheme`, fitted on the ideas the themes hold now (the run's suggestion,
people's moves, earlier placements): into the theme whose centre is nearest in the
run's LSA space, or into none when no centre is close enough (it stays "new").

Each placement is a suggestion by the system, recorded as a `ThemeAssignment`
event (like the run itself), so every process and a rebuild show the same themes;
the read model lays people's decisions over it (projections/theme_decisions.py).
The theme job (incubator/theme_job.py) calls `assign_new` about every second.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable
from uuid import UUID

from domain.clustering import ClusteringRun
from incubator.application import Incubator
from incubator.ideas_log import events_of, submissions
from ml import NearestTheme
from projections.queries import ReadModel
from projections.theme_queries import theme_membership

log = logging.getLogger(__name__)

MODEL_VERSION = ("nearest-theme-1: word+char TF-IDF, LSA 200; near-duplicate >= 0.5, "
                 "else nearest centre >= 0.32")


class NewIdeaAssigner:
    def __init__(self, app: Incubator, read_model: ReadModel,
                 min_similarity: float = 0.32) -> None:
        self.app, self.read_model = app, read_model
        self.min_similarity = min_similarity
        self.run: ClusteringRun.Completed | None = None
        self.runs_read = 0  # log position up to which runs were looked for
        self.model: NearestTheme | None = None
        self.model_run: UUID | None = None
        self.position = 0  # ideas up to here are placed (or in the run)
        self.placed: set[Hashable] = set()

    def assign_new(self) -> int:
        """Place every idea that arrived since the latest run; how many were placed."""
        head = self.app.recorder.max_notification_id() or 0
        for run in events_of(ClusteringRun.Completed, self.app, self.runs_read, head):
            self.run = run
        self.runs_read = head
        if self.run is None or not self._model_for(self.run):
            return 0
        assert self.model is not None
        placed = 0
        for idea in submissions(self.app, self.position, head):
            if idea.originator_id in self.placed:
                continue
            theme, score = self.model.nearest(idea.title)
            self.app.suggest_theme(self.run.originator_id, idea.originator_id,
                                   theme if isinstance(theme, UUID) else None,
                                   round(score, 4), MODEL_VERSION)
            if theme is not None:
                self.model.add(idea.title, theme)
            self.placed.add(idea.originator_id)
            placed += 1
        self.position = head
        return placed

    def _model_for(self, run: ClusteringRun.Completed) -> bool:
        """Fit on the run's themes once the read model shows them (False until then)."""
        if self.model_run == run.originator_id:
            return True
        run_id, members = theme_membership(self.read_model.engine)
        if run_id != run.originator_id or not members:
            return False  # the projection has not reached the run yet
        ideas, themes, titles = zip(*members, strict=True)
        self.model = NearestTheme(self.min_similarity).fit(list(titles), list(themes))
        self.model_run = run.originator_id
        self.placed = set(ideas) | {idea for theme in run.themes
                                    for idea in map(UUID, theme["proposal_ids"])}
        self.position = int(run.parameters.get("through_position", 0))
        log.info("Nearest-theme model fitted on %d ideas in %d themes", len(ideas),
                 len(self.model.themes_))
        return True
