"""Prometheus metrics: request latency, projection lag, events written, job runs.

Lag and events written are read from the database when scraped, so every process
reports the same numbers whichever process writes or projects.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import REGISTRY, Collector

from incubator.health import projection_states

if TYPE_CHECKING:
    from incubator.bootstrap import Services

REQUEST_SECONDS = Histogram(
    "incubator_http_request_duration_seconds", "Time to answer a request, by route.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
JOB_RUNS = Counter("incubator_job_runs_total", "Background job runs, by job and outcome.",
                   ["job", "outcome"])
JOB_ACTIVE = Gauge("incubator_job_active",
                   "1 while this process holds the job's lease and runs it, else 0.", ["job"])


class DatabaseCollector(Collector):
    def __init__(self, services: Services) -> None:
        self.services = services

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("incubator_database_up", "1 if the database answered.")
        try:
            states = projection_states(self.services)
        except Exception:  # a scrape reports the outage instead of failing
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        lag = GaugeMetricFamily("incubator_projection_lag_events",
                                "Events in the log not yet in the projection.",
                                labels=["projection"])
        for state in states:
            lag.add_metric([state.name], state.lag)
        yield lag
        yield CounterMetricFamily("incubator_events_written",
                                  "Events in the event log (its head position).",
                                  value=max((s.head for s in states), default=0))


def exposition(services: Services) -> bytes:
    """This process's counters, then the database's figures (text format 0.0.4)."""
    database = CollectorRegistry(auto_describe=False)
    database.register(DatabaseCollector(services))
    return generate_latest(REGISTRY) + generate_latest(database)
