"""What an operator sees: Prometheus metrics behind a token, request ids, JSON logs."""

from __future__ import annotations

import dataclasses
import json
import logging
import re

import pytest

from incubator.logs import JsonFormatter
from tests.web.conftest import World

TOKEN = "metrics-s3cret"


def with_token(world: World) -> None:
    services = world.services
    services.settings = dataclasses.replace(services.settings, metrics_token=TOKEN)


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample in the text exposition format."""
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pattern = re.escape(name) + (r"\{" + re.escape(wanted) + r"\}" if labels else "")
    found = re.search(rf"^{pattern} (\S+)$", text, re.MULTILINE)
    assert found, f"no {name} {labels} in the metrics"
    return float(found.group(1))


def test_no_metrics_endpoint_without_a_configured_token(world: World) -> None:
    assert world.client.get("/metrics").status_code == 404


def test_metrics_need_the_bearer_token(world: World) -> None:
    with_token(world)
    assert world.client.get("/metrics").status_code == 401
    wrong = world.client.get("/metrics", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert wrong.headers["www-authenticate"].startswith("Bearer")


def test_metrics_report_latency_lag_events_and_job_runs(world: World) -> None:
    with_token(world)
    idea = world.idea()
    world.settle()
    for _ in range(3):
        assert world.client.get(f"/ideas/{idea}").status_code == 200

    response = world.client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    text = response.text
    assert sample(text, "incubator_http_request_duration_seconds_count", method="GET",
                  route="/ideas/{proposal_id}", status="200") >= 3
    assert sample(text, "incubator_database_up") == 1
    assert sample(text, "incubator_projection_lag_events", projection="board") == 0
    head = world.services.app.recorder.max_notification_id()
    assert head and sample(text, "incubator_events_written_total") == head
    assert sample(text, "incubator_job_runs_total", job="projection:board",
                  outcome="applied") >= 1


def test_a_request_id_is_echoed_or_made(world: World) -> None:
    given = world.client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.1"})
    made = world.client.get("/healthz")
    unsafe = world.client.get("/healthz", headers={"X-Request-ID": "bad id\twith spaces"})

    assert given.headers["x-request-id"] == "lb-7f3a.1"
    assert re.fullmatch(r"[0-9a-f]{32}", made.headers["x-request-id"])
    assert re.fullmatch(r"[0-9a-f]{32}", unsafe.headers["x-request-id"])
    assert made.headers["x-request-id"] != unsafe.headers["x-request-id"]


def test_each_request_logs_one_json_line_with_its_id(world: World,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="incubator.access"):
        world.client.get("/nowhere", headers={"X-Request-ID": "trace-42"})

    (record,) = [r for r in caplog.records if r.name == "incubator.access"]
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "trace-42"
    assert (line["level"], line["method"], line["path"], line["status"], line["route"]) == (
        "info", "GET", "/nowhere", 404, "unmatched")
    assert line["duration_ms"] >= 0 and line["time"].endswith("+00:00")
