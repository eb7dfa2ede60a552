"""The Liens panel on the customer and property pages: the liens on the
property (or securing the customer's loans), and a "Create lien" button for
each loan that needs one and has none (loans migrated without their lien)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Exists, OuterRef
from django.urls import reverse

from liens.choices import LienStatus
from liens.models import Lien
from liens.services.liens import can_create_lien
from loans.models import Loan
from portal.db.precompiled import PrecompiledAbout
from portal.models import Customer, Property
from portal.panels import RecordPanel


def loans_needing_a_lien(**where: Any) -> Any:
    standing = Lien.objects.filter(loan=OuterRef("pk")).exclude(
        status=LienStatus.SATISFIED
    )
    return (
        Loan.objects.filter(lien_required=True, **where)
        .exclude(status__in=["paid_off", "closing"])
        .filter(~Exists(standing))
        .order_by("number")
    )


# Each read compiled once per process (portal.db.precompiled).
_LIENS_ABOUT = PrecompiledAbout(
    {Customer: "loan__customer_id", Property: "parcel_id"},
    lambda path, key: (
        Lien.objects.filter(**{path: key})
        .select_related("loan", "parcel")
        .order_by("-pk")
    ),
)
_NEEDING_A_LIEN = PrecompiledAbout(
    {Customer: "customer_id", Property: "parcel_id"},
    lambda path, key: loans_needing_a_lien(**{path: key}),
)


class LiensRecordPanel(RecordPanel):
    name = "record-liens"
    permission = "liens.view_lien"
    order = 320
    heading = "Liens"
    template_name = "liens/admin/panels/record_liens.html"

    @classmethod
    def applies_to(cls, record: Any) -> bool:
        return isinstance(record, Customer | Property)

    def rows(self) -> Mapping[str, Any]:
        return {
            "liens": _LIENS_ABOUT(self.record),
            "create": [
                {
                    "loan": loan,
                    "url": reverse("lien_create", args=[loan.pk]) if verdict else None,
                    "reason": verdict.reason,
                }
                for loan in _NEEDING_A_LIEN(self.record)
                for verdict in [can_create_lien(loan, self.user)]
            ],
        }
