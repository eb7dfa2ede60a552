"""The collections panel on the back office's dashboard (program staff and
supervisors): how many loans the work queue holds per past-due bucket, each
linking to the queue narrowed to it. One query, made once a minute
(portal.panels.counted_recently)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from loans.selectors_collections import queue_counts_by_bucket
from loans.words import DPD_BUCKET_WORDS
from portal.panels import DashboardPanel, counted_recently
from portal.roles import PROGRAM_STAFF, SUPERVISOR


class CollectionsQueuePanel(DashboardPanel):
    name = "collections-queue"
    roles = frozenset({PROGRAM_STAFF, SUPERVISOR})
    order = 65
    heading = "Collections work queue"
    template_name = "loans/collections/panel.html"

    def rows(self) -> Mapping[str, Any]:
        today = timezone.localdate()
        index = reverse("collections:index")
        # Over every delinquent loan: counted once a minute (portal.panels).
        counts, counted_at = counted_recently(
            self.name, today, lambda: queue_counts_by_bucket(today)
        )
        return {
            "as_of": today,
            "counted_at": counted_at,
            "kept_seconds": settings.PORTAL_DASHBOARD_COUNTS_SECONDS,
            "index": index,
            "buckets": [
                {
                    "words": DPD_BUCKET_WORDS[bucket],
                    "count": n,
                    "url": f"{index}?bucket={bucket}",
                }
                for bucket, n in counts
            ],
            "count": sum(n for _, n in counts),
        }


DASHBOARD_PANELS: list[type[DashboardPanel]] = [CollectionsQueuePanel]
