# The models moved here from matchmaking (issue 10). Their tables, indexes and constraints stay
# exactly as matchmaking created them (db_table keeps the old names), so this migration changes
# only Django's state, never the database: existing introductions and partnerships stay where
# they are. matchmaking 0004 removes the old models from matchmaking's state.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

STATUSES = [
    ('requested', 'Waiting for an answer'),
    ('accepted', 'Accepted'),
    ('declined', 'Declined'),
    ('expired', 'Expired'),
    ('withdrawn', 'Withdrawn'),
]


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('manufacturers', '0001_initial'),
        ('matchmaking', '0003_match_indexes_readiness_summary'),
        ('suppliers', '0003_certificate_documents_private'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name='Introduction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('direction', models.CharField(choices=[('buyer_request', 'Buyer request'), ('umkm_interest', 'UMKM interest')], max_length=16, verbose_name='direction')),
                ('score', models.FloatField(blank=True, null=True, verbose_name='match score when requested')),
                ('message', models.TextField(blank=True, max_length=1000, verbose_name='message')),
                ('status', models.CharField(choices=STATUSES, default='requested', max_length=16, verbose_name='status')),
                ('decline_reason', models.TextField(blank=True, max_length=1000, verbose_name='reason for declining')),
                ('requested_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='requested at')),
                ('expires_at', models.DateTimeField(verbose_name='expires at')),
                ('reminded_at', models.DateTimeField(blank=True, null=True, verbose_name='reminder sent at')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='answered at')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='answered by')),
                ('requested_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='requested by')),
                ('requirement', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='introductions', to='manufacturers.requirement', verbose_name='requirement')),
                ('supplier', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='introductions', to='suppliers.supplier', verbose_name='supplier')),
            ],
            options={
                'verbose_name': 'introduction',
                'verbose_name_plural': 'introductions',
                'db_table': 'matchmaking_introduction',
                'ordering': ['-requested_at', '-pk'],
                'indexes': [
                    models.Index(condition=models.Q(('status', 'requested')), fields=['expires_at'], name='introduction_waiting_expiry'),
                ],
                'constraints': [
                    models.UniqueConstraint(condition=models.Q(('status__in', ['requested', 'accepted'])), fields=('requirement', 'supplier'), name='introduction_one_open_per_pair', violation_error_message='There is already an open introduction for this requirement and supplier.'),
                    models.CheckConstraint(condition=models.Q(('expires_at__gt', models.F('requested_at'))), name='introduction_expires_after_request'),
                ],
            },
        ),
        migrations.CreateModel(
            name='IntroductionEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='at')),
                ('from_status', models.CharField(blank=True, choices=STATUSES, max_length=16, verbose_name='from')),
                ('to_status', models.CharField(choices=STATUSES, max_length=16, verbose_name='to')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                ('introduction', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='introductions.introduction', verbose_name='introduction')),
            ],
            options={
                'verbose_name': 'introduction event',
                'verbose_name_plural': 'introduction events',
                'db_table': 'matchmaking_introductionevent',
                'ordering': ['at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Partnership',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('stage', models.CharField(choices=[('in_discussion', 'In discussion'), ('sample_trial', 'Sample / trial order'), ('contract', 'Contract'), ('active', 'Active'), ('ended', 'Ended')], default='in_discussion', max_length=16, verbose_name='stage')),
                ('ended_reason', models.TextField(blank=True, verbose_name='reason for ending')),
                ('contract_value_idr', models.PositiveBigIntegerField(blank=True, null=True, verbose_name='contract value (IDR)')),
                ('start_date', models.DateField(blank=True, null=True, verbose_name='start date')),
                ('technology_transfer', models.BooleanField(default=False, verbose_name='technology transfer')),
                ('financing', models.BooleanField(default=False, verbose_name='financing involved')),
                ('notes', models.TextField(blank=True, verbose_name='notes')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('introduction', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='partnership', to='introductions.introduction', verbose_name='introduction')),
                ('pattern', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='suppliers.partnershippattern', verbose_name='partnership pattern')),
            ],
            options={
                'verbose_name': 'partnership',
                'verbose_name_plural': 'partnerships',
                'db_table': 'matchmaking_partnership',
                'ordering': ['-created_at', '-pk'],
                'indexes': [models.Index(fields=['stage'], name='partnership_stage_idx')],
                'constraints': [
                    models.CheckConstraint(condition=models.Q(models.Q(('stage', 'ended'), _negated=True), models.Q(('ended_reason', ''), _negated=True), _connector='OR'), name='partnership_ended_needs_reason'),
                ],
            },
        ),
        migrations.CreateModel(
            name='PartnershipEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='at')),
                ('changes', models.JSONField(default=dict, verbose_name='changes')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='introductions.partnership', verbose_name='partnership')),
            ],
            options={
                'verbose_name': 'partnership event',
                'verbose_name_plural': 'partnership events',
                'db_table': 'matchmaking_partnershipevent',
                'ordering': ['at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='SupplierSizeRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('revenue_band', models.CharField(blank=True, choices=[('up_to_2b', 'Up to IDR 2 billion'), ('2b_15b', 'IDR 2–15 billion'), ('15b_50b', 'IDR 15–50 billion'), ('above_50b', 'Above IDR 50 billion')], max_length=16, verbose_name='annual sales')),
                ('valid_from', models.DateField(verbose_name='valid from')),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='recorded at')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                ('size_class', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='suppliers.sizeclass', verbose_name='size class')),
                ('supplier', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='size_records', to='suppliers.supplier', verbose_name='supplier')),
            ],
            options={
                'verbose_name': 'supplier size record',
                'verbose_name_plural': 'supplier size records',
                'db_table': 'matchmaking_suppliersizerecord',
                'ordering': ['supplier', 'valid_from'],
                'constraints': [
                    models.UniqueConstraint(fields=('supplier', 'valid_from'), name='supplier_size_one_per_day'),
                ],
            },
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations, database_operations=[]),
    ]
