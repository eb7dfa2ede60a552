"""The loan products exist from the start (not only in demo data)."""

from decimal import Decimal

from django.db import migrations

PRODUCTS = [
    {
        "code": "EE",
        "name": "Energy-efficiency loan",
        "description": "Insulation, heat pumps, windows and other measures.",
        "annual_rate": Decimal("5.00"),
        "min_amount": Decimal("500.00"),
        "max_amount": Decimal("10000.00"),
        "max_term_months": 60,
        "origination_fee": Decimal("50.00"),
        "late_fee": Decimal("15.00"),
        "late_fee_grace_days": 15,
        "returned_payment_fee": Decimal("25.00"),
        "lien_required_above": Decimal("5000.00"),
        "default_dpd": 120,
        "state_guaranteed": False,
    },
    {
        "code": "EE-SOLAR",
        "name": "Energy-efficiency loan: solar PV or ENERGY STAR roofing",
        "description": "Solar photovoltaic systems and ENERGY STAR roofing.",
        "annual_rate": Decimal("5.00"),
        "min_amount": Decimal("500.00"),
        "max_amount": Decimal("20000.00"),
        "max_term_months": 120,
        "origination_fee": Decimal("75.00"),
        "late_fee": Decimal("15.00"),
        "late_fee_grace_days": 15,
        "returned_payment_fee": Decimal("25.00"),
        "lien_required_above": Decimal("5000.00"),
        "default_dpd": 120,
        "state_guaranteed": False,
    },
    {
        "code": "WS",
        "name": "Water/sewer connection loan",
        "description": "Connecting a home to the public water or sewer system.",
        "annual_rate": Decimal("3.00"),
        "min_amount": Decimal("500.00"),
        "max_amount": Decimal("15000.00"),
        "max_term_months": 120,
        "origination_fee": Decimal("0.00"),
        "late_fee": Decimal("10.00"),
        "late_fee_grace_days": 15,
        "returned_payment_fee": Decimal("25.00"),
        "lien_required_above": Decimal("2500.00"),
        "default_dpd": 120,
        "state_guaranteed": False,
    },
    {
        "code": "ZI",
        "name": "Zero-interest loan (state-guaranteed)",
        "description": "Zero-interest loan whose losses the state guarantees.",
        "annual_rate": Decimal("0.00"),
        "min_amount": Decimal("500.00"),
        "max_amount": Decimal("10000.00"),
        "max_term_months": 60,
        "origination_fee": Decimal("0.00"),
        "late_fee": Decimal("0.00"),
        "late_fee_grace_days": 15,
        "returned_payment_fee": Decimal("25.00"),
        "lien_required_above": None,
        "default_dpd": 120,
        "state_guaranteed": True,
    },
]
MONEY_FIELDS = ["min_amount", "max_amount", "origination_fee", "late_fee",
                "returned_payment_fee", "lien_required_above"]


def create_products(apps, schema_editor):
    LoanProduct = apps.get_model("loans", "LoanProduct")
    for spec in PRODUCTS:
        values = dict(spec)
        for field in MONEY_FIELDS:
            values[f"{field}_currency"] = "USD"
        LoanProduct.objects.get_or_create(code=spec["code"], defaults=values)


class Migration(migrations.Migration):
    dependencies = [("loans", "0001_initial")]

    operations = [migrations.RunPython(create_products, migrations.RunPython.noop)]
