"""Renderers of `harmon sources`: every reference with what cites it, as a table or JSON."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from harmon.core.sources import SourcesReport
from harmon.data.loading import Dataset
from harmon.report.render import renderer
from harmon.report.text import json_text


def sources_dict(report: SourcesReport) -> dict[str, Any]:
    """The report as plain JSON-ready values."""
    return {
        "references": [
            {"key": r.key, "document": r.document, "locator": r.locator, "facts": r.facts,
             "other": r.other, "total": r.total}
            for r in report.references
        ],
        "warnings": [p.format(None) for p in report.warnings],
    }


@renderer("sources", "json")
def sources_json(report: SourcesReport, dataset: Dataset) -> str:
    return json_text(sources_dict(report))


@renderer("sources", "table")
def sources_table(report: SourcesReport, dataset: Dataset) -> list[Any]:
    table = Table(title=f"{dataset.region.name}: references and what cites them", title_justify="left")
    for header in ("Reference", "Document", "Locator"):
        table.add_column(header, overflow="fold")
    for header in ("Facts", "Other", "Total"):
        table.add_column(header, justify="right")
    for use in report.references:
        table.add_row(use.key, use.document, use.locator, str(use.facts), str(use.other), str(use.total))
    note = "Facts: state facts citing the reference; Other: membership years, the region file and the scoring model."
    return [table, note]
