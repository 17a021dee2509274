"""The nightly report: JSON (for machines), Markdown (for people) and a PNG chart, side by side."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from wtw.jobs.gate import GATED

REPORT_FILES = ("report.json", "report.md", "report.png")
CHART_METRICS = ("recall@20", "ndcg@20", "coverage")


def write_report(report: dict[str, Any], directory: Path) -> dict[str, Path]:
    """Write the three files; returns ``{name: path}``."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = {name: directory / name for name in REPORT_FILES}
    paths["report.json"].write_text(json.dumps(report, indent=2, sort_keys=True, default=str))
    paths["report.md"].write_text(markdown(report))
    chart(report["metrics"], paths["report.png"], protocol=(report.get("gate") or {}).get("protocol"))
    return paths


def markdown(report: dict[str, Any]) -> str:
    metrics: dict[str, dict[str, Any]] = report["metrics"]
    columns = ["users", "recall@20", "ndcg@20", "coverage", "novelty", "diversity"]
    lines = [
        f"# Nightly report {report['run_id']}",
        "",
        f"- decision: **{_decision(report)}**",
        *[f"- {reason}" for reason in report["reasons"]],
        *_versus(metrics),
        f"- data: {report['data']['users']:,} users, {report['data']['pairs']:,} (user, title) pairs,"
        f" {report['data']['rows_read']:,} rows read ({report['data']['rows_rejected']:,} without a positive"
        " weight)",
        *_gate(report),
        f"- catalog embeddings: {_embeddings(report['embeddings'])}",
        f"- preference vectors rebuilt: {report['vectors'] or 'in the same run, committed with this model'}",
        "",
        "| model | " + " | ".join(columns) + " |",
        "|---|" + "---|" * len(columns),
    ]
    for name, values in metrics.items():
        cells = [_cell(values.get(c)) for c in columns]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "| step | seconds |", "|---|---|"]
    lines += [f"| {step} | {seconds:.2f} |" for step, seconds in report["timings"].items()]
    return "\n".join(lines) + "\n"


def _versus(metrics: dict[str, dict[str, Any]]) -> list[str]:
    """One line per baseline: the candidate's relative change on the gated metrics."""
    candidate = metrics.get("candidate")
    if candidate is None:
        return []
    lines = []
    for name, base in metrics.items():
        changes = [
            f"{m} {(candidate[m] / base[m] - 1):+.0%}" if base.get(m) else f"{m} {candidate[m]:.4f} vs 0"
            for m in GATED
        ]
        if name != "candidate":
            lines.append(f"- candidate vs {name}: " + ", ".join(changes))
    return lines


def _gate(report: dict[str, Any]) -> list[str]:
    """The protocol the gate used, why, and what it held out."""
    gate = report.get("gate") or {"protocol": "refit-temporal", "reason": "report written before protocols"}
    if gate["protocol"] == "forward":
        holdout = f"every interaction after {gate['cutoff']}, the champion's training cutoff"
    else:
        holdout = f"each user's latest {report['holdout']:.0%}"
    return [
        f"- gate protocol: **{gate['protocol']}** ({gate['reason']})",
        f"- holdout: {holdout}, tolerance {report['tolerance']:.0%}",
    ]


def _embeddings(done: dict[str, Any]) -> str:
    if "skipped" in done:
        return f"skipped ({done['skipped']})"
    return (
        f"catalog {done['catalog_version']}: {done['embedded']:,} embedded, {done['reused']:,} reused,"
        f" index {done['index_version']} ({done['index_kind']}, {done['titles']:,} titles)"
    )


def _decision(report: dict[str, Any]) -> str:
    """The copy published inside the artifact is written before the store names its version."""
    if not report["accepted"]:
        return "refused"
    return (
        f"published {report['version']}" if report.get("version") else "accepted, published as this version"
    )


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:.4f}"


def chart(metrics: dict[str, dict[str, Any]], path: Path, *, protocol: str | None = None) -> None:
    """Grouped bars: one group per metric, one bar per model."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 3.6), dpi=100)
    width = 0.8 / max(len(metrics), 1)
    for j, (name, values) in enumerate(metrics.items()):
        xs = [i + j * width for i in range(len(CHART_METRICS))]
        ax.bar(xs, [float(values.get(m) or 0.0) for m in CHART_METRICS], width, label=name)
    ax.set_xticks([i + width * (len(metrics) - 1) / 2 for i in range(len(CHART_METRICS))], CHART_METRICS)
    held_out = "interactions after the champion's cutoff" if protocol == "forward" else "latest of each user"
    ax.set_title(f"Gate holdout quality ({held_out})")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
