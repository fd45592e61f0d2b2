# The content types of the moved models follow them to the partners app, so permissions given
# to groups and the admin's history of these rows stay attached (they point at the content
# type's id, which does not change).

from django.db import migrations

MODELS = ["apikey", "partnerconsent", "partnermanagedsupplier", "partnerorganisation"]


def _relabel(apps, schema_editor, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_types = ContentType.objects.using(schema_editor.connection.alias)
    for model in MODELS:
        # A database that never had the old row (or already has the new one) needs nothing.
        if not content_types.filter(app_label=new, model=model).exists():
            content_types.filter(app_label=old, model=model).update(app_label=new)
    ContentType.objects.clear_cache()


def forwards(apps, schema_editor):
    _relabel(apps, schema_editor, "accounts", "partners")


def backwards(apps, schema_editor):
    _relabel(apps, schema_editor, "partners", "accounts")


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_partner_models_moved'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('partners', '0001_initial'),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
