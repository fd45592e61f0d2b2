# Introductions, partnerships and size records now belong to the introductions app, which took
# them over in its state (introductions 0001) with the same tables. Here they leave matchmaking's
# state only: dropping the tables would lose every introduction and partnership.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('introductions', '0001_initial'),
        ('matchmaking', '0003_match_indexes_readiness_summary'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                # Models that point at others go first.
                migrations.DeleteModel(name='PartnershipEvent'),
                migrations.DeleteModel(name='Partnership'),
                migrations.DeleteModel(name='IntroductionEvent'),
                migrations.DeleteModel(name='Introduction'),
                migrations.DeleteModel(name='SupplierSizeRecord'),
            ],
            database_operations=[],
        ),
    ]
