"""The office's contact details and where payments go, as letters and exports
print them.

In the back office: Settings › Office (one per site; Wagtail's site settings).
Letters (loan agreement, payoff letter) print the office block and the
remittance instructions from here; every export's title block prints the
utility's name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from portal.audit import audited_history


def _lines(
    line1: str, line2: str, city: str, state: str, postal_code: str
) -> list[str]:
    """An address as printed on an envelope: street lines, then
    "City, ST 12345"."""
    city_line = " ".join(
        part for part in [f"{city}," if city else "", state, postal_code] if part
    )
    return [line for line in [line1, line2, city_line] if line]


@register_setting(icon="home", name="office")
class OfficeSettings(BaseSiteSetting):
    utility_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="As letters and reports print it, e.g. Riverton Municipal "
        "Utilities. Empty: the site name.",
    )
    office_name = models.CharField(
        max_length=200, blank=True, help_text="e.g. Customer Finance Office"
    )
    line1 = models.CharField("address line 1", max_length=200, blank=True)
    line2 = models.CharField("address line 2", max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, blank=True)
    postal_code = models.CharField("ZIP code", max_length=10, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField("e-mail", blank=True)
    hours = models.CharField(
        "office hours",
        max_length=200,
        blank=True,
        help_text="e.g. Monday to Friday, 8:00 a.m. to 4:30 p.m.",
    )

    payable_to = models.CharField("checks payable to", max_length=200, blank=True)
    remit_line1 = models.CharField(
        "payment address line 1",
        max_length=200,
        blank=True,
        help_text="Where payments are mailed. Leave the payment address empty "
        "when payments go to the office address.",
    )
    remit_line2 = models.CharField("payment address line 2", max_length=200, blank=True)
    remit_city = models.CharField("payment city", max_length=100, blank=True)
    remit_state = models.CharField("payment state", max_length=2, blank=True)
    remit_postal_code = models.CharField("payment ZIP code", max_length=10, blank=True)
    remittance_instructions = models.TextField(
        "how to pay",
        blank=True,
        help_text="Printed on payoff letters, e.g. write the loan number on the "
        "check; in person at the office; by phone.",
    )

    history = audited_history()

    if TYPE_CHECKING:
        objects: ClassVar[models.Manager[OfficeSettings]]

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("utility_name"),
                FieldPanel("office_name"),
                FieldPanel("line1"),
                FieldPanel("line2"),
                FieldRowPanel(
                    [FieldPanel("city"), FieldPanel("state"), FieldPanel("postal_code")]
                ),
                FieldPanel("phone"),
                FieldPanel("email"),
                FieldPanel("hours"),
            ],
            heading="Office",
        ),
        MultiFieldPanel(
            [
                FieldPanel("payable_to"),
                FieldPanel("remit_line1"),
                FieldPanel("remit_line2"),
                FieldRowPanel(
                    [
                        FieldPanel("remit_city"),
                        FieldPanel("remit_state"),
                        FieldPanel("remit_postal_code"),
                    ]
                ),
                FieldPanel("remittance_instructions"),
            ],
            heading="Payments",
        ),
    ]

    class Meta:
        verbose_name = "Office"
        verbose_name_plural = "Office"

    @classmethod
    def current(cls) -> OfficeSettings:
        """The default site's office, read without writing (an unsaved blank
        one when there is no site or nothing was entered yet)."""
        from wagtail.models import Site

        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            return cls()
        return cls.objects.filter(site=site).first() or cls(site=site)

    @property
    def display_utility_name(self) -> str:
        return self.utility_name or settings.WAGTAIL_SITE_NAME

    def address_lines(self) -> list[str]:
        return _lines(self.line1, self.line2, self.city, self.state, self.postal_code)

    def remittance_address_lines(self) -> list[str]:
        """Where payments are mailed: the payment address, else the office's."""
        lines = _lines(
            self.remit_line1,
            self.remit_line2,
            self.remit_city,
            self.remit_state,
            self.remit_postal_code,
        )
        return lines or self.address_lines()
