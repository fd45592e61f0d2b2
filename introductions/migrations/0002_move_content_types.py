# The moved models keep their content types (and with them their permissions, group grants and
# admin log entries): the rows are relabelled matchmaking -> introductions instead of Django
# creating new ones after the migration and leaving the old ones stale.

from django.db import migrations

MODELS = ('introduction', 'introductionevent', 'partnership', 'partnershipevent', 'suppliersizerecord')


def _relabel(apps, source: str, target: str) -> None:
    ContentType = apps.get_model('contenttypes', 'ContentType')
    for model in MODELS:
        old = ContentType.objects.filter(app_label=source, model=model).first()
        if old is None:
            continue  # a fresh database: post_migrate creates the new ones
        # A row under the target label can exist only if post_migrate already ran with the new
        # models (e.g. the apps were migrated separately); it holds nothing but default
        # permissions, so the old row with the real history wins.
        ContentType.objects.filter(app_label=target, model=model).delete()
        old.app_label = target
        old.save(update_fields=['app_label'])


def forwards(apps, schema_editor) -> None:
    _relabel(apps, 'matchmaking', 'introductions')


def backwards(apps, schema_editor) -> None:
    _relabel(apps, 'introductions', 'matchmaking')


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('introductions', '0001_initial'),
        ('matchmaking', '0004_introductions_moved_out'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
