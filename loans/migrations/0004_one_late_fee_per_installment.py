# One late fee per installment, enforced by the database (two overlapping runs
# of the late-fee job cannot both charge it).

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('loans', '0003_application_decision_dates'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='ledgerentry',
            constraint=models.UniqueConstraint(condition=models.Q(('fee_kind', 'late'), ('kind', 'fee_assessed'), ('reverses__isnull', True)), fields=('loan', 'installment_number'), name='one_late_fee_per_installment'),
        ),
    ]
