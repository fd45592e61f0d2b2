# The partner models now belong to the partners app (partners 0001 adopts them in Django's
# state, keeping their tables): remove them from accounts' state only, so no table is dropped.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_partner_api'),
        ('partners', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name='ApiKey'),
                migrations.DeleteModel(name='PartnerConsent'),
                migrations.DeleteModel(name='PartnerManagedSupplier'),
                migrations.DeleteModel(name='PartnerOrganisation'),
            ],
        ),
    ]
