"""Existing installs get the reference data's reviewed Indonesian terms (Cetak tekan (die casting),
Cetak tiup (blow moulding), TKDN...): the loader updates every row by its code, so codes and
everything that refers to them stay as they are. A legal name refuses emoji and symbols."""

import suppliers.validators
from django.db import migrations, models


def load(apps, schema_editor):
    from suppliers.reference_loader import load_reference_data

    load_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("suppliers", "0006_import_jobs")]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="supplier",
            name="legal_name",
            field=models.CharField(
                max_length=200,
                validators=[suppliers.validators.validate_name_characters],
                verbose_name="legal name",
            ),
        ),
    ]
