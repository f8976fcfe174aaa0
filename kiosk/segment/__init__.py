"""Existing clients (SPEC §17): a branch's client list segmented by capital and turnover.

`formats` reads and writes the lists (CSV in UTF-8 or GB18030/GBK, XLSX through openpyxl,
streamed), `values` checks their cells, `run` segments them with the engine's
`Segmenter`. The summary page is kiosk.report.segment_summary.
"""

from __future__ import annotations

from kiosk.i18n import texts
from kiosk.segment.formats import ListError, ListFile, detect
from kiosk.segment.run import CellCount, Plan, SegmentRun, segment_list


def plan_for(lang: str) -> Plan:
    """The added columns' service names in a language."""
    _ = texts(lang)
    return Plan(separator=_("; "), name=lambda text: str(text.get(lang)))


__all__ = [
    "CellCount",
    "ListError",
    "ListFile",
    "Plan",
    "SegmentRun",
    "detect",
    "plan_for",
    "segment_list",
]
