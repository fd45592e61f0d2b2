"""Existing installs get the reference data's reviewed Indonesian terms (Cetak tekan (die casting),
Cetak tiup (blow moulding), TKDN...): the loader updates every row by its code, so codes and
everything that refers to them stay as they are."""

from django.db import migrations


def load(apps, schema_editor):
    from suppliers.reference_loader import load_reference_data

    load_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("suppliers", "0004_verification_records")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
