"""Prometheus metrics: request latency from the middleware; queue depth and task (including
import) outcomes read from the task table when ``/metrics`` is scraped, so they are right
whichever gunicorn process answers and include the worker's work.

Under gunicorn, ``cumulus serve --production`` sets ``PROMETHEUS_MULTIPROC_DIR`` so the request
histogram is summed over all worker processes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import REGISTRY, Collector

REQUEST_LATENCY = Histogram(
    "cumulus_request_duration_seconds",
    "Time to answer an HTTP request, by view and status class.",
    ["view", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


class TaskQueueCollector(Collector):
    """Reads the task table at scrape time."""

    def collect(self) -> Iterator[Any]:
        from django.db.models import Count

        from cumulus.operations.models import TaskRecord
        from cumulus.operations.worker import queue_depth

        depth = GaugeMetricFamily(
            "cumulus_task_queue_depth", "Tasks due to run that no live worker holds."
        )
        tasks = GaugeMetricFamily(
            "cumulus_tasks", "Stored tasks by kind and status.", labels=["kind", "status"]
        )
        imports = GaugeMetricFamily(
            "cumulus_import_outcomes",
            "Import tasks by outcome (SUCCESSFUL, FAILED, READY, RUNNING).",
            labels=["outcome"],
        )
        try:
            depth.add_metric([], queue_depth())
            rows = TaskRecord.objects.values("kind", "status").annotate(n=Count("id"))
            for row in rows:
                tasks.add_metric([row["kind"], row["status"]], row["n"])
                if row["kind"] == "import":
                    imports.add_metric([row["status"]], row["n"])
        except Exception:  # the database is down: /readyz says so
            return
        yield depth
        yield tasks
        yield imports


def render() -> tuple[bytes, str]:
    """The metrics page body and its content type."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)
        body = generate_latest(processes)
    else:
        body = generate_latest(REGISTRY)
    queue = CollectorRegistry()
    queue.register(TaskQueueCollector())
    return body + generate_latest(queue), CONTENT_TYPE_LATEST
