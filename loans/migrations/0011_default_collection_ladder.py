"""The default collection ladder (data; a supervisor edits it afterwards)."""

from django.db import migrations

DEFAULT_LADDER = [
    # order, label, days past due, or after, action, channel, letter template
    (1, "Reminder letter", 10, "", "letter", "mail", "reminder"),
    (2, "Second notice", 30, "", "letter", "mail", "second_notice"),
    (3, "Telephone call", 45, "", "call", "phone", ""),
    (4, "Final notice", 60, "", "letter", "mail", "final_notice"),
    (
        5,
        "Refer to the City Attorney",
        90,
        "",
        "attorney_referral",
        "mail",
        "attorney_referral_notice",
    ),
    (
        6,
        "Refer to a collection agency or propose a write-off",
        180,
        "judgment",
        "agency_referral",
        "system",
        "",
    ),
]


def seed(apps, schema_editor):
    Step = apps.get_model("loans", "CollectionStep")
    for order, label, dpd, after, action, channel, template in DEFAULT_LADDER:
        Step.objects.get_or_create(
            order=order,
            defaults={
                "label": label,
                "dpd_threshold": dpd,
                "after_action": after,
                "action_type": action,
                "channel": channel,
                "template_code": template,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("loans", "0010_collections_ladder_arrangements")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
