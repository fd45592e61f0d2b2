# The verification decisions now belong to the suppliers app (suppliers 0004 adopts the model in
# Django's state, keeping its table): remove it from reports' state only, so no table is dropped.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0002_dashboard_facts'),
        ('suppliers', '0004_verification_records'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name='VerificationDecision')],
        ),
    ]
