# The ministry's verification decisions move from reports to suppliers (issue 12), so that one
# service in the lowest firm app records every decision, whatever the door. The table keeps its
# name (db_table = "reports_verificationdecision"): the model is adopted in Django's state only
# and no row is touched; reports 0003 removes it from reports' state. Then the decision gains the
# details the ministry saw (``snapshot``), and the reviews that put a firm back in the queue get
# their table. The content type follows the model, so permissions and admin history stay.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def _relabel(apps, schema_editor, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_types = ContentType.objects.using(schema_editor.connection.alias)
    # A database that never had the old row (or already has the new one) needs nothing.
    if not content_types.filter(app_label=new, model="verificationdecision").exists():
        content_types.filter(app_label=old, model="verificationdecision").update(app_label=new)
    ContentType.objects.clear_cache()


def forwards(apps, schema_editor):
    _relabel(apps, schema_editor, "reports", "suppliers")


def backwards(apps, schema_editor):
    _relabel(apps, schema_editor, "suppliers", "reports")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('reports', '0002_dashboard_facts'),
        ('suppliers', '0003_certificate_documents_private'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='VerificationDecision',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('decided_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='decided at')),
                        ('firm_kind', models.CharField(choices=[('supplier', 'UMKM'), ('manufacturer', 'Manufacturer')], max_length=16, verbose_name='kind of firm')),
                        ('firm_id', models.PositiveBigIntegerField(verbose_name='firm id')),
                        ('firm_name', models.CharField(max_length=200, verbose_name='firm name')),
                        ('decision', models.CharField(choices=[('approved', 'Approved'), ('rejected', 'Rejected')], max_length=16, verbose_name='decision')),
                        ('reason', models.TextField(blank=True, verbose_name='reason')),
                        ('status_before', models.CharField(max_length=16, verbose_name='status before')),
                        ('status_after', models.CharField(max_length=16, verbose_name='status after')),
                        ('decided_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                    ],
                    options={
                        'verbose_name': 'verification decision',
                        'verbose_name_plural': 'verification decisions',
                        'db_table': 'reports_verificationdecision',
                        'ordering': ['-decided_at', '-pk'],
                        'indexes': [models.Index(fields=['firm_kind', 'firm_id'], name='verif_decision_firm')],
                        'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('decision', 'rejected'), _negated=True), models.Q(('reason', ''), _negated=True), _connector='OR'), name='verif_decision_reject_has_reason')],
                    },
                ),
            ],
        ),
        migrations.AddField(
            model_name='verificationdecision',
            name='snapshot',
            field=models.JSONField(blank=True, default=dict, verbose_name='details at the decision'),
        ),
        migrations.CreateModel(
            name='VerificationReview',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('firm_kind', models.CharField(choices=[('supplier', 'UMKM'), ('manufacturer', 'Manufacturer')], max_length=16, verbose_name='kind of firm')),
                ('firm_id', models.PositiveBigIntegerField(verbose_name='firm id')),
                ('firm_name', models.CharField(max_length=200, verbose_name='firm name')),
                ('reason', models.CharField(choices=[('changed', 'Changed after verification'), ('resubmitted', 'New review requested after a rejection')], max_length=16, verbose_name='why')),
                ('changes', models.JSONField(blank=True, default=dict, verbose_name='changes')),
                ('rejection_reason', models.TextField(blank=True, verbose_name='reason for the rejection')),
                ('message', models.TextField(blank=True, verbose_name='message from the firm')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created at')),
                ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='closed at')),
                ('decision', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='suppliers.verificationdecision', verbose_name='closed by the decision')),
                ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='requested by')),
            ],
            options={
                'verbose_name': 'verification review',
                'verbose_name_plural': 'verification reviews',
                'ordering': ['-created_at', '-pk'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('closed_at__isnull', True)), fields=('firm_kind', 'firm_id'), name='verif_review_one_open_per_firm')],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
