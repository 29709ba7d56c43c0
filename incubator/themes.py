"""The theme job: cluster every idea and record the run as an event.

It reads the ideas from the event log (not the read model), fits the default theme
model and saves a `ClusteringRun`; the board projection turns the latest run into
the themes table. A run over 10,000 ideas takes a few seconds: run it off the
request path (the CLI, the demo seeding, later a scheduler).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any
from uuid import uuid4

from eventsourcing.utils import get_topic

from domain.clustering import ClusteringRun
from domain.comment import Comment
from domain.theme import Theme
from incubator.application import Incubator, Written
from incubator.ideas_log import events_of, submissions
from ml import ThemeFinder, match_themes
from ml.proposing import proposing_sentence
from ml.themes import Progress

MODEL_VERSION = "themes-1: word+char TF-IDF, LSA 200, AutoKMeans (silhouette knee)"
SEMANTIC_MODEL_VERSION = ("themes-1-semantic: all-MiniLM-L6-v2 int8 ONNX embeddings, "
                          "AutoKMeans (silhouette knee), labels from word TF-IDF")
MIN_IDEAS = 10
#: The number of themes is chosen afresh once the idea box is this many times bigger.
REGROW = 1.5
#: A comment's proposing sentence joins a theme whose centre is this similar (the
#: nearest-theme rule for new ideas, ml/nearest.py).
COMMENT_MIN_SIMILARITY = 0.32
DECISIONS = (Theme.Confirmed, Theme.SuggestionMovedIn, Theme.SuggestionMovedOut)


def run_clustering(app: Incubator, granularity: float = 1.0,
                   progress: Progress | None = None, backend: str = "tfidf") -> Written:
    """`progress(stage, fraction)` is told each step as it starts. `backend`: "tfidf" or
    "semantic" (as `incubator.ml_backend.choose_backend` chose)."""
    progress = progress or (lambda stage, fraction: None)
    progress("Reading the ideas", 0.0)
    head = app.recorder.max_notification_id() or 0
    # Titles only: on the demo data set, titles give 41 themes for ~38 groups of
    # near-duplicates, while title + description collapsed into 2 (one per outlier).
    ideas = {str(event.originator_id): event.title for event in submissions(app, 0, head)}
    if len(ideas) < MIN_IDEAS:
        raise NotEnoughIdeasError(
            f"Themes need at least {MIN_IDEAS} ideas ({len(ideas)} so far).")
    previous = _latest_run(app, head)
    finder = ThemeFinder(**_grain(previous, len(ideas), granularity), backend=backend)
    finder.fit(list(ideas.values()),
               progress=lambda stage, done: progress(stage, 0.05 + 0.8 * done))
    progress("Placing the comments that propose something", 0.85)
    comments = _comments_by_theme(finder, _proposing_comments(app, head))
    progress("Saving the themes", 0.95)
    clusters: dict[Hashable, int] = dict(zip(ideas, map(int, finder.labels_), strict=True))
    # A cluster that continues a theme of the last run keeps its id, so links and
    # (later) owners' decisions stay with the theme.
    continued = match_themes(_with_decisions(_assignments(previous), app, head), clusters)
    themes = _themes(finder, list(ideas), comments, continued)
    # Ideas after `through_position` are the nearest-theme model's to place
    # (incubator/theme_assignment.py) until the next run.
    parameters = _parameters(finder) | {"through_position": head}
    version = SEMANTIC_MODEL_VERSION if backend == "semantic" else MODEL_VERSION
    return app.record_clustering(version, parameters, themes)


def _grain(previous: ClusteringRun.Completed | None, ideas: int,
           granularity: float) -> dict[str, Any]:
    """Keep the last run's number of themes (times `granularity`) until the idea box
    has grown by half: the data-chosen k jumps on small boxes (41 -> 25 themes after
    2 more ideas on the demo set), and themes that reshuffle lose their ids."""
    if previous is None:
        return {"granularity": granularity}
    before = sum(len(theme["proposal_ids"]) for theme in previous.themes)
    if ideas > REGROW * before:
        return {"granularity": granularity}
    return {"n_themes": max(2, min(ideas - 1, round(len(previous.themes) * granularity)))}


def _latest_run(app: Incubator, head: int) -> ClusteringRun.Completed | None:
    latest = None
    for latest in events_of(ClusteringRun.Completed, app, 0, head):  # noqa: B007
        pass
    return latest


def _assignments(run: ClusteringRun.Completed | None) -> dict[Hashable, str]:
    """Idea id -> theme id in a recorded run (empty before the first)."""
    if run is None:
        return {}
    return {idea: theme["theme_id"] for theme in run.themes for idea in theme["proposal_ids"]}


def _with_decisions(assigned: dict[Hashable, str], app: Incubator,
                    head: int) -> dict[Hashable, str]:
    """The last run's themes as people left them (confirmed ideas, moves), so a new
    cluster continues the theme people shaped. The read model lays the decisions
    over the new run too (projections/theme_decisions.py); this only picks ids."""
    assigned = dict(assigned)
    topics = [get_topic(kind) for kind in DECISIONS]
    after = 0
    while page := app.recorder.select_notifications(
            start=after, limit=10_000, stop=head, topics=topics, inclusive_of_start=False):
        for notification in page:
            decision = app.mapper.to_domain_event(notification)
            theme = str(decision.originator_id)
            if isinstance(decision, Theme.Confirmed):
                assigned.update({str(idea): theme for idea in decision.proposal_ids})
            elif isinstance(decision, Theme.SuggestionMovedIn):
                assigned[str(decision.proposal_id)] = theme
            elif isinstance(decision, Theme.SuggestionMovedOut):
                assigned.pop(str(decision.proposal_id), None)
        after = page[-1].id
    return assigned


def _parameters(finder: ThemeFinder) -> dict[str, Any]:
    return {name: value for name, value in finder.get_params().items()
            if isinstance(value, int | float | str | bool | type(None))}


def _themes(finder: ThemeFinder, ids: list[str], comments: list[list[str]],
            continued: dict[int, str]) -> list[dict[str, Any]]:
    members: list[list[str]] = [[] for _ in range(finder.n_themes_)]
    for idea, theme in zip(ids, finder.labels_, strict=True):
        members[int(theme)].append(idea)
    return [
        {"theme_id": continued.get(theme) or str(uuid4()),
         "label": finder.theme_labels_[theme], "terms": list(finder.theme_terms_[theme]),
         "proposal_ids": members[theme], "comment_ids": comments[theme],
         "representatives": [ids[i] for i in finder.representatives_[theme]]}
        for theme in range(finder.n_themes_) if members[theme]
    ]


def _comments_by_theme(finder: ThemeFinder, sentences: dict[str, str]) -> list[list[str]]:
    """Comments join the theme of ideas nearest to their proposing sentence, if it is
    near enough (as new ideas do, incubator/theme_assignment.py). They don't shape
    the themes: the demo's comments repeat the same few sentences on many ideas,
    and clustered with the titles they pulled 41 themes down to 10."""
    placed: list[list[str]] = [[] for _ in range(finder.n_themes_)]
    if sentences:
        themes, scores = finder.nearest(list(sentences.values()))
        for comment, theme, score in zip(sentences, themes, scores, strict=True):
            if score >= COMMENT_MIN_SIMILARITY:
                placed[int(theme)].append(comment)
    return placed


def _proposing_comments(app: Incubator, head: int) -> dict[str, str]:
    """Comment id -> its proposing sentence, for every comment that proposes
    something as last edited."""
    texts = {str(event.originator_id): event.text for event in events_of(
        Comment.Posted, app, 0, head)}
    texts.update({str(event.originator_id): event.text for event in events_of(
        Comment.Edited, app, 0, head)})
    sentences = {comment: proposing_sentence(text) for comment, text in texts.items()}
    return {comment: sentence for comment, sentence in sentences.items() if sentence}


class NotEnoughIdeasError(Exception):
    pass
