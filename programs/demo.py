"""Demo programs, measures and a poverty guideline table (idempotent by code)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from djmoney.money import Money

from programs.models import Measure, PovertyGuideline, PovertyGuidelineRow, Program

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


def _page(program: Program, summary: str) -> None:
    from portal.models import HomePage, ProgramPage

    home = HomePage.objects.first()
    if home is None or ProgramPage.objects.filter(program_code=program.code).exists():
        return
    home.add_child(
        instance=ProgramPage(
            title=program.name,
            slug=program.name.lower().replace(" ", "-"),
            program_code=program.code,
            summary=summary,
            body=f"<p>{summary}</p>",
        )
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
        classes = " and ".join(program.customer_classes)
        _page(
            program, f"{program.name}: rebates and incentives for {classes} customers."
        )
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
