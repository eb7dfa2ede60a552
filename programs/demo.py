"""Demo programs, measures and a poverty guideline table (idempotent by code),
and a few rebate applications made through the services (one paid by check,
one approved, one submitted) so the program report and the check register
have something to show (idempotent by account and program)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from djmoney.money import Money

from portal.models import UtilityAccount
from programs import services
from programs.models import (
    Measure,
    PovertyGuideline,
    PovertyGuidelineRow,
    Program,
    RebateApplication,
)

# Illustrative figures for the demo (a utility loads the year's official table).
GUIDELINE_2026 = {
    1: "15650.00",
    2: "21150.00",
    3: "26650.00",
    4: "32150.00",
    5: "37650.00",
    6: "43150.00",
    7: "48650.00",
    8: "54150.00",
}

PROGRAMS: list[dict[str, Any]] = [
    {
        "code": "GIP",
        "name": "Gas Incentive Program",
        "program_type": "rebate",
        "budget": "250000.00",
        "customer_classes": ["residential", "commercial"],
        "required_services": ["gas"],
        "measures": [
            (
                "TANKLESS",
                "Gas tankless water heater",
                "fixed",
                "300.00",
                None,
                None,
                "unit",
                0,
                "95",
                "one_per_premise",
                None,
            ),
            (
                "FURNACE",
                "High-efficiency gas furnace (AFUE 95+)",
                "fixed",
                "500.00",
                None,
                None,
                "unit",
                0,
                "180",
                "one_per_premise",
                None,
            ),
        ],
    },
    {
        "code": "REE",
        "name": "Residential Energy Efficiency",
        "program_type": "rebate",
        "budget": "400000.00",
        "customer_classes": ["residential"],
        "required_services": ["electric"],
        "measures": [
            (
                "ATTIC-R30",
                "Attic insulation to R-30",
                "per_unit",
                "0.50",
                None,
                "600.00",
                "sq ft",
                "0.9",
                "0.1",
                "lifetime_limit",
                "2000",
            ),
            (
                "HP-SEER2-16",
                "Heat pump SEER2 16 or better",
                "percent_of_cost",
                None,
                "30.00",
                "1500.00",
                "unit",
                "1800",
                0,
                "one_per_premise",
                None,
            ),
            (
                "WINDOWS",
                "ENERGY STAR windows",
                "per_unit",
                "40.00",
                None,
                None,
                "window",
                "45",
                "4",
                "lifetime_limit",
                "20",
            ),
        ],
    },
    {
        "code": "KAI",
        "name": "Key Account Initiatives",
        "program_type": "incentive",
        "budget": "750000.00",
        "customer_classes": ["commercial"],
        "required_services": [],
        "account_manager_required": True,
        "measures": [
            (
                "CUSTOM",
                "Custom efficiency project",
                "percent_of_cost",
                None,
                "25.00",
                "50000.00",
                "project",
                "0",
                0,
                "",
                None,
            )
        ],
    },
    {
        "code": "FA",
        "name": "Financial Assistance",
        "program_type": "grant",
        "budget": "150000.00",
        "customer_classes": ["residential"],
        "required_services": [],
        "minimum_age": 60,
        "senior_or_disabled": True,
        "income_limit_percent": "200.00",
        "requires_good_standing": False,
        "measures": [
            (
                "WEATHERIZE",
                "Weatherization grant",
                "fixed",
                "1200.00",
                None,
                None,
                "home",
                "1200",
                "150",
                "one_per_premise",
                None,
            )
        ],
    },
]


# account, program, measure, quantity, invoiced cost, how far it goes
APPLICATIONS = [
    ("100001", "REE", "WINDOWS", "10", None, "paid"),
    ("100003", "GIP", "TANKLESS", "1", None, "approved"),
    ("100002", "REE", "HP-SEER2-16", "1", "6000.00", "submitted"),
]
FIRST_DEMO_CHECK = 4001


def _applications(alice: Any, bob: Any) -> None:
    today = timezone.localdate()
    to_pay = []
    for number, code, measure_code, quantity, cost, stage in APPLICATIONS:
        program = Program.objects.get(code=code)
        account = UtilityAccount.objects.get(number=number)
        if not (program.starts_on <= today <= program.ends_on):
            continue  # a closed program takes no applications
        if RebateApplication.objects.filter(program=program, account=account).exists():
            continue
        application = services.rebate_application_create(
            actor=alice,
            program=program,
            account=account,
            lines=[
                services.LineRequest(
                    Measure.objects.get(program=program, code=measure_code),
                    Decimal(quantity),
                    Decimal(cost) if cost else None,
                )
            ],
            install_date=today,
            contractor_name="Riverton Home Energy",
        )
        if stage == "submitted":
            continue
        application = services.rebate_start_review(actor=alice, application=application)
        application = services.rebate_approve(actor=bob, application=application)
        if stage == "paid":
            to_pay.append(application)
    if to_pay:
        services.rebate_checks_issue(
            actor=alice,
            applications=to_pay,
            first_check_number=FIRST_DEMO_CHECK,
            paid_on=today,
        )


def load_demo(users: dict[str, Any]) -> None:
    guideline, _ = PovertyGuideline.objects.get_or_create(
        year=2026, defaults={"additional_per_person": Money("5500.00", "USD")}
    )
    for size, amount in GUIDELINE_2026.items():
        PovertyGuidelineRow.objects.get_or_create(
            guideline=guideline,
            household_size=size,
            defaults={"amount": Money(amount, "USD")},
        )
    for spec in PROGRAMS:
        spec = dict(spec)
        measures = spec.pop("measures")
        budget = Money(spec.pop("budget"), "USD")
        program, _ = Program.objects.get_or_create(
            code=spec["code"],
            defaults={
                **spec,
                "budget": budget,
                "fiscal_year": 2026,
                "starts_on": date(2026, 1, 1),
                "ends_on": date(2026, 12, 31),
            },
        )
        # Its public page is made by the site's demo (portal/site/demo.py).
        for (
            code,
            name,
            kind,
            amount,
            percent,
            cap,
            unit,
            kwh,
            therms,
            limit,
            lifetime,
        ) in measures:
            Measure.objects.get_or_create(
                program=program,
                code=code,
                defaults={
                    "name": name,
                    "incentive_kind": kind,
                    "amount": Decimal(amount) if amount else None,
                    "percent": Decimal(percent) if percent else None,
                    "cap": Decimal(cap) if cap else None,
                    "unit": unit,
                    "kwh_savings_per_unit": Decimal(str(kwh)),
                    "therms_savings_per_unit": Decimal(str(therms)),
                    "limit_kind": limit,
                    "lifetime_max": Decimal(lifetime) if lifetime else None,
                },
            )
    _applications(users["alice"], users["bob"])
