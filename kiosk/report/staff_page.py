"""The staff copy (SPEC §11): the sheet's second page, with the client's segment, the
service strategy and the explanation's ids (SPEC §15), for branch staff only."""

from __future__ import annotations

from reportlab.platypus import Flowable
from reportlab.platypus.flowables import HRFlowable

from kiosk.report.document import CONTENT_WIDTH
from kiosk.report.parts import ACCENT, RULE, SheetParts
from kiosk.wording import explanation_lines


class StaffPage(SheetParts):
    """The page for branch staff, as flowables."""

    def flowables(self) -> list[Flowable]:
        _ = self._
        profile = self.profile
        capacity = self.t(self.tables.level(profile.capacity.level).capacity)
        attitude = self.t(self.tables.level(profile.attitude.level).attitude)
        rows: list[list[str | list[str]]] = [
            [_("Sheet no."), self.header.sheet_number],
            [_("Risk capacity"), f"{profile.capacity.score} · {capacity}"],
            [_("Risk attitude"), f"{profile.attitude.score} · {attitude}"],
            [
                _("Suggested asset allocation"),
                " / ".join(
                    f"{self.t(c.name)} {s}%"
                    for c, s in zip(
                        self.tables.risk_classes, profile.allocation.as_tuple(), strict=True
                    )
                ),
            ],
        ]
        rows += self.explanation_rows()
        segment = profile.segment
        if segment is None:
            rows.append([_("Client segment"), _("Not answered")])
        else:
            capital = self.tables.capital_band(segment.capital)
            activity = self.tables.activity_band(segment.activity)
            name = self.t(self.tables.segment_label).format(
                activity=self.t(activity.name), capital=self.t(capital.name)
            )
            flag = _("Key client") if segment.key_client else _("Not a key client")
            if segment.id == self.tables.most_important_segment:
                flag += " · " + _("the most important segment")
            level = self.tables.service_level(capital.service_level)
            contents = [self.tables.service(s) for s in activity.services]
            rows += [
                [_("Client segment"), f"{name} ({segment.id})"],
                [_("Key client"), flag],
                [_("Capital"), self.t(capital.name)],
                [_("Activity"), f"{self.t(activity.name)} — {self.t(activity.turnover)}"],
                [_("Service level"), f"{self.t(level.name)} — {self.t(level.description)}"],
                [
                    _("Service content"),
                    _("; ").join(
                        _("{name}: {description}").format(
                            name=self.t(s.name), description=self.t(s.description)
                        )
                        for s in contents
                    ),
                ],
            ]
        table = self.table(
            [[self.p(str(k), self.small), self.cell_of(v)] for k, v in rows],
            colWidths=[110, CONTENT_WIDTH - 110],
            style=[
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ],
        )
        return [
            self.p(self.header.branch_name, self.big),
            self.p(_("Staff copy"), self.h1),
            self.p(_("For branch staff only; do not hand to the client."), self.small),
            HRFlowable(width="100%", thickness=1.2, color=ACCENT, spaceBefore=4, spaceAfter=8),
            table,
        ]

    def explanation_rows(self) -> list[list[str | list[str]]]:
        """The explanation (SPEC §15) with its ids, for the counter: which axis limited the
        allocation, the checks that hold, the lowest category; worded as on the client page."""
        _ = self._
        explanation = self.profile.explanation
        words = explanation_lines(self.tables, self.profile, self.lang)
        checks = [f"{check.id} — {check.text}" for check in words.checks]
        return [
            [_("Limited by"), f"{explanation.limited_by} — {words.limited_by}"],
            [_("Answers worth discussing"), checks or _("None")],
            [_("Lowest risk category"), words.lowest_category or _("No")],
        ]

    def cell_of(self, value: str | list[str]) -> list[Flowable]:
        """A value's paragraphs: one, or one a line."""
        lines = [value] if isinstance(value, str) else value
        return [self.p(line, self.body) for line in lines]
