"""Prometheus metrics: request latency per route, served index version, catalog size.

Each app has its own registry (tests build many apps). The middleware is plain ASGI: low per-request cost.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Histogram
from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wtw.service.runtime import Runtime

API_PREFIX = "/api/v1"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
"""Methods labelled as sent; any other method a client makes up is labelled "other" (bounded labels)."""
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class RuntimeCollector(Collector):
    """Reads the served version at scrape time."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def collect(self) -> Iterator[Any]:
        current = self.runtime.current
        info = InfoMetricFamily("wtw_index", "Served index artifact")
        titles = GaugeMetricFamily("wtw_catalog_titles", "Titles in the served catalog")
        loaded = GaugeMetricFamily("wtw_index_loaded", "1 when an index is served")
        if current is not None:
            info.add_metric(
                [],
                {
                    "version": current.version,
                    "catalog_version": current.catalog_version or "",
                    "usermodel_version": current.usermodel_version or "",
                },
            )
            titles.add_metric([], current.titles)
        loaded.add_metric([], 1 if current is not None else 0)
        yield from (info, titles, loaded)


def make_registry(runtime: Runtime) -> tuple[CollectorRegistry, Histogram]:
    registry = CollectorRegistry()
    latency = Histogram(
        "wtw_request_seconds",
        "HTTP request latency",
        ["method", "route", "status"],
        buckets=BUCKETS,
        registry=registry,
    )
    registry.register(RuntimeCollector(runtime))
    return registry, latency


class MetricsMiddleware:
    """Observes each HTTP request's latency under its route template (not the raw path: bounded labels)."""

    def __init__(self, app: ASGIApp, latency: Histogram) -> None:
        self.app = app
        self.latency = latency

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            method = scope["method"] if scope["method"] in METHODS else "other"
            self.latency.labels(method, _route(scope), str(status)).observe(time.perf_counter() - start)


def _route(scope: Scope) -> str:
    """The matched route template; routes of included routers carry no outer prefix, so it is restored."""
    route = scope.get("route")  # set by the router once it matched
    template = getattr(route, "path", None)
    if template is None:
        return "unmatched"
    if scope["path"].startswith(API_PREFIX) and not template.startswith(API_PREFIX):
        template = API_PREFIX + template
    return template
