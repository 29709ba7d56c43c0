"""The `incubator` command: serve the app, rebuild read models, measure the models."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from incubator.settings import Settings

# How long a stopping server waits for open requests. Live-update streams end at
# once (web/app.py); this only bounds a request that hangs.
SHUTDOWN_GRACE_S = 10


def main(argv: Sequence[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    if args.command == "ml":
        evaluate_models(Path(args.csv), args.text_column, args.label_column,
                        [Path(path) for path in args.queries or ()], args.backend)
        return
    settings = _settings(args)
    if args.command == "serve" and args.workers > 1:
        serve_workers(settings, args.host, args.port, args.workers)
    elif args.command == "serve":
        serve(settings, args.host, args.port)
    elif args.command == "worker":
        run_worker(settings)
    elif args.command == "projections":
        rebuild_projections(settings)
    elif args.command == "themes":
        run_themes(settings, args.granularity)
    elif args.command == "admin":
        create_admin(settings, args.email, args.name, args.password_stdin)
    elif args.command in ("backup", "restore"):
        backup_or_restore(settings, args.command, Path(args.path), args.force)


def serve(settings: Settings, host: str, port: int) -> None:
    """Run uvicorn on the app factory; settings reach it through the environment,
    so every worker process builds the same services."""
    import uvicorn

    os.environ.update(settings.to_env())
    where = settings.database_url or settings.data_dir.resolve()
    demo = " with the demo data set" if settings.demo else ""
    print(f"Incubator{demo} on {where}: open http://{host}:{port}/", flush=True)
    from incubator.logs import LOG_CONFIG

    uvicorn.run("web.app:create_app", factory=True, host=host, port=port, access_log=False,
                log_config=LOG_CONFIG, proxy_headers=True,
                forwarded_allow_ips=settings.forwarded_allow_ips,
                timeout_graceful_shutdown=SHUTDOWN_GRACE_S)


def serve_workers(settings: Settings, host: str, port: int, workers: int) -> None:
    """N web processes on PostgreSQL; the projections run in `incubator worker`."""
    import uvicorn

    if not settings.uses_postgres:
        raise SystemExit(
            "--workers > 1 needs PostgreSQL (--database postgresql://...): SQLite has "
            "one writer per file, so run one web process on it (threads serve the requests).")
    if settings.demo:
        _seed_demo_once(settings)
    settings = dataclasses.replace(settings, external_jobs=True, demo=False)
    os.environ.update(settings.to_env())
    print(f"Incubator on {settings.database_url.rpartition('@')[2]} with {workers} web "
          f"processes: open http://{host}:{port}/ (run `incubator worker` for the "
          "projections)", flush=True)
    from incubator.logs import LOG_CONFIG

    uvicorn.run("web.app:create_app", factory=True, host=host, port=port, access_log=False,
                log_config=LOG_CONFIG, proxy_headers=True,
                forwarded_allow_ips=settings.forwarded_allow_ips, workers=workers,
                timeout_graceful_shutdown=SHUTDOWN_GRACE_S)


def _seed_demo_once(settings: Settings) -> None:
    from incubator.bootstrap import bootstrap

    bootstrap(settings).close()  # seeds (if the log is empty) and projects, once


def run_worker(settings: Settings) -> None:
    """Run the background jobs (projections first) under leases; exit 1 if one fails."""
    import logging.config
    import threading

    from incubator.logs import LOG_CONFIG
    from incubator.worker import run_worker as run
    from incubator.worker import stop_on_signals

    logging.config.dictConfig(LOG_CONFIG)  # JSON lines on stderr, as `serve` writes
    stopping = threading.Event()
    stop_on_signals(stopping)
    where = settings.database_url.rpartition("@")[2] or settings.data_dir.resolve()
    print(f"Incubator worker on {where}", flush=True)
    raise SystemExit(run(settings, stopping))


def rebuild_projections(settings: Settings) -> None:
    from incubator.bootstrap import bootstrap
    from incubator.upgrade import rebuild_in_place

    services = bootstrap(settings, follow=False)
    started = time.perf_counter()
    assert services.upgrade is not None
    rebuild_in_place(services.runner, services.upgrade.shadow)
    events = services.runner.catch_up()
    seconds = time.perf_counter() - started
    services.close()
    print(json.dumps({"events": events, "seconds": round(seconds, 3),
                      "events_per_s": round(events / seconds) if seconds else None}))


def run_themes(settings: Settings, granularity: float) -> None:
    from incubator.bootstrap import bootstrap
    from incubator.themes import run_clustering

    services = bootstrap(settings)
    written = run_clustering(services.app, granularity, backend=services.ml_backend)
    services.runner.wait_for(written.position)
    print(json.dumps({"run": str(written.id), "themes": len(services.read_model.themes())}))
    services.close()


def create_admin(settings: Settings, email: str, name: str | None,
                 password_stdin: bool) -> None:
    """A local account with the admin role; the password is never an argument."""
    from incubator.admin import create_admin_account

    print(json.dumps(create_admin_account(settings, email, name, password_stdin)))


def evaluate_models(csv: Path, text_column: str, label_column: str,
                    queries: list[Path], backend: str = "tfidf") -> None:
    """Score the theme pipeline and lookup on labelled texts; print JSON. No fallback
    here: a measurement of the semantic backend must be one."""
    from incubator.evaluation import evaluate
    from ml.embeddings import missing

    if backend == "semantic" and (reason := missing()):
        raise SystemExit(f"Cannot evaluate the semantic backend: {reason}.")
    print(json.dumps(evaluate(csv, text_column, label_column, queries, backend)))


def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings.from_env()
    if args.data_dir:
        settings = dataclasses.replace(settings, data_dir=Path(args.data_dir))
    if args.database:
        if not args.database.startswith(("postgresql://", "postgres://")):
            raise SystemExit("--database takes a postgresql:// URL; SQLite is --data-dir.")
        settings = dataclasses.replace(settings, database_url=args.database)
    if getattr(args, "demo", False):
        settings = dataclasses.replace(settings, demo=True)
    return settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="incubator", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve_cmd = commands.add_parser("serve", help="run the web app")
    serve_cmd.add_argument("--host", default="127.0.0.1")
    serve_cmd.add_argument("--port", type=int, default=8000)
    serve_cmd.add_argument("--demo", action="store_true", help="seed the demo data set once")
    serve_cmd.add_argument("--workers", type=int, default=1, help="web processes (above 1: "
                           "PostgreSQL only, with `incubator worker` running the projections)")
    worker = commands.add_parser("worker", help="run the projections and other background "
                                 "jobs; safe to start on several hosts (one runs each job)")
    projections = commands.add_parser("projections", help="manage the read models")
    actions = projections.add_subparsers(dest="action", required=True)
    rebuild = actions.add_parser("rebuild", help="rebuild every read model from the event log")
    ml = commands.add_parser("ml", help="measure the models")
    evaluate = ml.add_subparsers(dest="action", required=True).add_parser(
        "evaluate", help="themes (k not given) and lookup scores on a labelled CSV")
    evaluate.add_argument("--csv", required=True, help="the corpus: themes, lookup targets")
    evaluate.add_argument("--text-column", default="text")
    evaluate.add_argument("--label-column", default="label")
    evaluate.add_argument("--queries", action="append", help="queries for the lookup, "
                          "label `oos` for new ideas; repeat to read several files as one")
    evaluate.add_argument("--backend", choices=("tfidf", "semantic"), default="tfidf",
                          help="the text representation (semantic: the optional extra)")
    themes = commands.add_parser("themes", help="the theme model")
    run = themes.add_subparsers(dest="action", required=True).add_parser(
        "run", help="cluster every idea into themes now and record the run")
    run.add_argument("--granularity", type=float, default=1.0,
                     help="above 1 for finer themes, below 1 for coarser")
    admin = commands.add_parser("admin", help="administer the site")
    create = admin.add_subparsers(dest="action", required=True).add_parser(
        "create", help="create an admin's local account (e.g. the first admin)")
    create.add_argument("--email", required=True)
    create.add_argument("--name", help="the name people see (default: from the e-mail)")
    create.add_argument("--password-stdin", action="store_true",
                        help="read the password from standard input instead of a prompt")
    _add_operations_commands(commands)
    for command in (serve_cmd, rebuild, run, create, worker):
        where = command.add_mutually_exclusive_group()
        where.add_argument("--data-dir", help="SQLite files here (default ./incubator-data)")
        where.add_argument("--database", help="a postgresql:// URL")
    return parser


def backup_or_restore(settings: Settings, command: str, path: Path, force: bool) -> None:
    from incubator.backup import BackupError, backup, restore
    from incubator.datadir import DataDirInUseError

    try:
        done = (backup if command == "backup" else restore)(settings, path, force)
    except (BackupError, DataDirInUseError) as error:
        raise SystemExit(str(error)) from None
    print(json.dumps(done))


def _add_operations_commands(commands: Any) -> None:
    backup = commands.add_parser("backup", help="copy the events and read models to PATH, "
                                 "online (SQLite file; pg_dump's custom format)")
    restore = commands.add_parser("restore", help="restore a backup into an empty, stopped "
                                  "data directory or database, then rebuild the read models")
    for command, replaces in ((backup, "an existing PATH"), (restore, "existing events")):
        command.add_argument("path", metavar="PATH")
        command.add_argument("--force", action="store_true", help=f"replace {replaces}")
        where = command.add_mutually_exclusive_group()
        where.add_argument("--data-dir", help="SQLite files here (default ./incubator-data)")
        where.add_argument("--database", help="a postgresql:// URL")


if __name__ == "__main__":  # `python -m incubator.cli`, as the fault tests start it
    main()
