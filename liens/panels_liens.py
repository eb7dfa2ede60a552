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
from portal.models import Customer, Property
from portal.panels import RecordPanel


def loans_needing_a_lien(**where: Any) -> list[Loan]:
    standing = Lien.objects.filter(loan=OuterRef("pk")).exclude(
        status=LienStatus.SATISFIED
    )
    return list(
        Loan.objects.filter(lien_required=True, **where)
        .exclude(status__in=["paid_off", "closing"])
        .filter(~Exists(standing))
        .order_by("number")
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
        where = (
            {"parcel": self.record}
            if isinstance(self.record, Property)
            else {"loan__customer": self.record}
        )
        liens = Lien.objects.filter(**where).select_related("loan", "parcel")
        loan_where = (
            {"parcel": self.record}
            if isinstance(self.record, Property)
            else {"customer": self.record}
        )
        return {
            "liens": list(liens.order_by("-pk")),
            "create": [
                {
                    "loan": loan,
                    "url": reverse("lien_create", args=[loan.pk]) if verdict else None,
                    "reason": verdict.reason,
                }
                for loan in loans_needing_a_lien(**loan_where)
                for verdict in [can_create_lien(loan, self.user)]
            ],
        }
