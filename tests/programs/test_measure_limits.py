"""One-per-premise and lifetime limits per measure, counted at the premise."""

from decimal import Decimal

from django.core.exceptions import ValidationError

import pytest

from programs import services as svc
from tests.factories import MeasureFactory, PropertyFactory, UtilityAccountFactory
from tests.factories.files import pdf_bytes

pytestmark = pytest.mark.django_db


def approve(app, staff, supervisor):
    app = svc.rebate_start_review(actor=staff, application=app)
    return svc.rebate_approve(actor=supervisor, application=app)


def test_one_per_premise_refuses_a_second_at_the_same_property(
    apply, measure, staff_alice, supervisor_bob
):
    measure.limit_kind = "one_per_premise"
    measure.save()
    premise = PropertyFactory()
    first = UtilityAccountFactory(service_property=premise)
    approve(apply(account=first), staff_alice, supervisor_bob)
    second_account = UtilityAccountFactory(service_property=premise)
    with pytest.raises(ValidationError, match="TANKLESS"):
        apply(account=second_account)
    apply(account=UtilityAccountFactory(service_property=PropertyFactory()))


def test_a_lifetime_limit_allows_up_to_the_maximum_and_not_beyond(
    program, staff_alice, supervisor_bob, apply
):
    insulation = MeasureFactory(
        program=program,
        code="ATTIC",
        incentive_kind="per_unit",
        amount=Decimal("0.25"),
        limit_kind="lifetime_limit",
        lifetime_max=Decimal("2000"),
    )
    account = UtilityAccountFactory()
    approve(
        apply(quantity="1500", account=account, the_measure=insulation),
        staff_alice,
        supervisor_bob,
    )
    apply(quantity="500", account=account, the_measure=insulation)  # exactly at max
    with pytest.raises(ValidationError, match="ATTIC"):
        apply(quantity="501", account=account, the_measure=insulation)


def test_incentive_rules_apply_on_entry(program, staff_alice):
    heat_pump = MeasureFactory(
        program=program,
        code="HP",
        incentive_kind="percent_of_cost",
        amount=None,
        percent=Decimal("33.33"),
        cap=Decimal("500.00"),
    )
    app = svc.rebate_application_create(
        actor=staff_alice,
        program=program,
        account=UtilityAccountFactory(),
        lines=[svc.LineRequest(heat_pump, Decimal("1"), Decimal("1000.01"))],
    )
    assert app.lines.get().incentive == Decimal("333.30")
    capped = svc.rebate_application_create(
        actor=staff_alice,
        program=program,
        account=UtilityAccountFactory(),
        lines=[svc.LineRequest(heat_pump, Decimal("1"), Decimal("9000.00"))],
    )
    assert capped.lines.get().incentive == Decimal("500.00")


def test_a_measure_requiring_an_invoice_needs_one_attached(program, staff_alice):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal.services import document_upload

    measure = MeasureFactory(
        program=program, code="DOCS", required_documents=["invoice"]
    )
    account = UtilityAccountFactory()
    with pytest.raises(ValidationError, match="Attach the required documents: invoice"):
        svc.rebate_application_create(
            actor=staff_alice,
            program=program,
            account=account,
            lines=[svc.LineRequest(measure, Decimal("1"))],
        )
    invoice = document_upload(
        actor=staff_alice,
        document_type="invoice",
        customer=account.customer,
        upload=SimpleUploadedFile("inv.pdf", pdf_bytes(), "application/pdf"),
    )
    app = svc.rebate_application_create(
        actor=staff_alice,
        program=program,
        account=account,
        documents=[invoice],
        lines=[svc.LineRequest(measure, Decimal("1"))],
    )
    assert list(app.documents.all()) == [invoice]
