"""The default letter templates (a supervisor edits them afterwards in
Settings › Letter templates). The collection ladder names the notices by
code: reminder, second_notice, final_notice, attorney_referral_notice."""

from django.db import migrations

TEMPLATES = [
    (
        "reminder",
        "Reminder: payment past due",
        "notice",
        "Reminder: your loan {loan_number} payment is past due",
        "Dear {customer_name},\n\n"
        "Our records show that the payment on your loan {loan_number} is "
        "{days_past_due} days past due. The amount past due as of {letter_date} "
        "is {past_due_amount}. If you have already sent it, thank you, and "
        "please disregard this reminder.\n\n"
        "Your next installment of {next_due_amount} is due on {next_due_date}. "
        "A late fee of {late_fee} is charged on an installment unpaid "
        "{grace_days} days after its due date.\n\n"
        "Please make your check payable to {payable_to} and mail it to "
        "{remit_address}, writing your loan number on it. If you are having "
        "difficulty paying, call us at {office_phone} ({office_hours}): we "
        "can often arrange a payment plan.\n\n"
        "{office_name}\n{utility_name}",
    ),
    (
        "second_notice",
        "Second notice",
        "notice",
        "Second notice: loan {loan_number} is {days_past_due} days past due",
        "Dear {customer_name},\n\n"
        "We wrote to you earlier about your loan {loan_number}. As of "
        "{letter_date} it is {days_past_due} days past due and "
        "{past_due_amount} is owed now. The loan's balance is {balance}.\n\n"
        "Please pay the past-due amount right away, or call us at "
        "{office_phone} ({office_hours}) to discuss a payment arrangement. "
        "Checks are payable to {payable_to}, {remit_address}.\n\n"
        "{office_name}\n{utility_name}",
    ),
    (
        "final_notice",
        "Final notice",
        "notice",
        "Final notice before referral: loan {loan_number}",
        "Dear {customer_name},\n\n"
        "Despite our earlier notices, your loan {loan_number} remains unpaid. "
        "As of {letter_date} it is {days_past_due} days past due; "
        "{past_due_amount} is past due and the balance is {balance}.\n\n"
        "Unless the past-due amount is paid or you contact us to agree a "
        "payment arrangement, we will refer this loan to the City Attorney "
        "for collection, which may lead to a judgment against you.\n\n"
        "Pay to {payable_to}, {remit_address}, or call {office_phone} "
        "({office_hours}).\n\n"
        "{office_name}\n{utility_name}",
    ),
    (
        "attorney_referral_notice",
        "Notice of referral to the City Attorney",
        "notice",
        "Loan {loan_number} has been referred to the City Attorney",
        "Dear {customer_name},\n\n"
        "Your loan {loan_number} is {days_past_due} days past due and has been "
        "referred to the City Attorney for collection as of {letter_date}. "
        "The balance is {balance}, of which {past_due_amount} is past due.\n\n"
        "You may still settle the account or discuss it with us at "
        "{office_phone} ({office_hours}), {office_address}.\n\n"
        "{office_name}\n{utility_name}",
    ),
    (
        "statement",
        "Monthly statement message",
        "statement",
        "Statement for loan {loan_number}",
        "Dear {customer_name}, this is the statement of your loan "
        "{loan_number} as of {letter_date}. Your next installment of "
        "{next_due_amount} is due on {next_due_date}.\n\n"
        "Questions? Call {office_phone} ({office_hours}).",
    ),
    (
        "coupon_book",
        "Coupon book cover note",
        "coupon_book",
        "Payment coupons for loan {loan_number}",
        "Dear {customer_name}, here are the payment coupons for your loan "
        "{loan_number}. Send one coupon with each payment, with your check "
        "payable to {payable_to}, to {remit_address}. A late fee of "
        "{late_fee} is charged on an installment unpaid {grace_days} days "
        "after its due date.",
    ),
]


def seed(apps, schema_editor):
    LetterTemplate = apps.get_model("loans", "LetterTemplate")
    for code, name, kind, subject, body in TEMPLATES:
        LetterTemplate.objects.get_or_create(
            code=code,
            defaults={"name": name, "kind": kind, "subject": subject, "body": body},
        )


class Migration(migrations.Migration):
    dependencies = [("loans", "0012_letters")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
