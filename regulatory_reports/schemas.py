"""The reports API's input. A run's body (regulatory_reports.api.run_body) is
its identity and state plus its kind's own frozen figures (for the PSC
report: summary, receipts, matured, delinquent, actions), so it is answered
as the dict the run froze, not through a fixed schema."""

from __future__ import annotations

from ninja import Field

from portal.api_schema import StrictIn


class ReportIn(StrictIn):
    period: str = Field(
        ...,
        max_length=20,
        description="2026-07 (a month), 2026-Q3 (a quarter) or FY2026",
    )
