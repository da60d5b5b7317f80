"""The process's figures for Prometheus (GET /metrics, web/health.py): requests and errors by
route, their latency, the participant and projector streams open, writes by kind, the
store's conflicts and retries, and page runs; the process's CPU, memory and garbage
collections. Each process counts its own: scrape each replica on its own port, and
Prometheus adds them up.
"""

from __future__ import annotations

from prometheus_client import (
    GC_COLLECTOR,
    PLATFORM_COLLECTOR,
    PROCESS_COLLECTOR,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.exposition import CONTENT_TYPE_LATEST

REGISTRY = CollectorRegistry(auto_describe=True)
# The process's CPU seconds and memory (what bounds a room's size), its garbage collections
# and the Python it runs, as Prometheus's client reports them for any process.
for _collector in (PROCESS_COLLECTOR, GC_COLLECTOR, PLATFORM_COLLECTOR):
    REGISTRY.register(_collector)
CONTENT_TYPE = CONTENT_TYPE_LATEST

REQUESTS = Counter(
    "cocreate_requests",
    "Requests to the app's routes, by route, method and status.",
    ["route", "method", "status"],
    registry=REGISTRY,
)
ERRORS = Counter(
    "cocreate_request_errors",
    "Requests answered with a status of 500 or more, by route.",
    ["route"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "cocreate_request_seconds",
    "How long a request took to answer (a stream: until its first bytes), by route.",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
    registry=REGISTRY,
)
STREAMS = Gauge(
    "cocreate_open_streams",
    "Event streams open now: participants' room status ('room') and projectors ('present').",
    ["kind"],
    registry=REGISTRY,
)
WRITES = Counter(
    "cocreate_writes",
    "Writes committed, by kind (the action each logs: place_dot, share, merge_needs …).",
    ["kind"],
    registry=REGISTRY,
)
CONFLICTS = Counter(
    "cocreate_store_conflicts",
    "Transactions that conflicted with a concurrent write and were rolled back to try again.",
    registry=REGISTRY,
)
RETRIES_EXHAUSTED = Counter(
    "cocreate_store_busy",
    "Writes given up after every retry conflicted (the person was asked to try again).",
    registry=REGISTRY,
)
PAGE_RUNS = Counter(
    "cocreate_page_runs",
    "Runs of a Streamlit page script, by page.",
    ["page"],
    registry=REGISTRY,
)


def exposition() -> bytes:
    """Every figure in Prometheus' text format."""
    return generate_latest(REGISTRY)
