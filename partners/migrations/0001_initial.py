# The partner models move from accounts to the partners app (issue 10). Their tables keep
# their names (db_table = "accounts_*"), so this creates the models in Django's state only and
# touches no row; accounts 0004 removes them from accounts' state.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0003_partner_api'),
        ('suppliers', '0003_certificate_documents_private'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='PartnerOrganisation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, unique=True, verbose_name='name')),
                        ('kind', models.CharField(choices=[('bank', 'Bank'), ('association', 'Industry association'), ('bumn', 'BUMN program'), ('other', 'Other')], default='other', max_length=16, verbose_name='kind')),
                        ('description', models.TextField(blank=True, help_text='Shown to UMKM on the consent page: who the partner is and why it asks.', verbose_name='description')),
                        ('website', models.URLField(blank=True, verbose_name='website')),
                        ('is_active', models.BooleanField(default=True, verbose_name='active')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                    ],
                    options={
                        'verbose_name': 'partner organisation',
                        'verbose_name_plural': 'partner organisations',
                        'db_table': 'accounts_partnerorganisation',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='ApiKey',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(blank=True, max_length=100, verbose_name='label')),
                        ('prefix', models.CharField(max_length=16, unique=True, verbose_name='prefix')),
                        ('hashed_key', models.CharField(max_length=64, verbose_name='key hash (SHA-256)')),
                        ('scopes', models.JSONField(default=list, verbose_name='scopes')),
                        ('rate_per_minute', models.PositiveIntegerField(blank=True, help_text='Empty: the default limit.', null=True, verbose_name='requests per minute')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('last_used_at', models.DateTimeField(blank=True, null=True, verbose_name='last used')),
                        ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revoked at')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                        ('partner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_keys', to='partners.partnerorganisation', verbose_name='partner')),
                    ],
                    options={
                        'verbose_name': 'API key',
                        'verbose_name_plural': 'API keys',
                        'db_table': 'accounts_apikey',
                        'ordering': ['-created_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='PartnerManagedSupplier',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('supplier', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='managing_partners', to='suppliers.supplier', verbose_name='supplier')),
                        ('partner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='managed_suppliers', to='partners.partnerorganisation', verbose_name='partner')),
                    ],
                    options={
                        'verbose_name': 'supplier managed by a partner',
                        'verbose_name_plural': 'suppliers managed by partners',
                        'db_table': 'accounts_partnermanagedsupplier',
                        'constraints': [models.UniqueConstraint(fields=('partner', 'supplier'), name='partner_managed_supplier_unique')],
                    },
                ),
                migrations.CreateModel(
                    name='PartnerConsent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('scope', models.CharField(choices=[('contact', 'Contact details'), ('partnerships', 'Introductions and partnerships')], max_length=16, verbose_name='what')),
                        ('granted_at', models.DateTimeField(auto_now_add=True, verbose_name='granted at')),
                        ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revoked at')),
                        ('granted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='granted by')),
                        ('revoked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='revoked by')),
                        ('supplier', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='partner_consents', to='suppliers.supplier', verbose_name='supplier')),
                        ('partner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='consents', to='partners.partnerorganisation', verbose_name='partner')),
                    ],
                    options={
                        'verbose_name': 'partner consent',
                        'verbose_name_plural': 'partner consents',
                        'db_table': 'accounts_partnerconsent',
                        'ordering': ['-granted_at', '-pk'],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('revoked_at__isnull', True)), fields=('partner', 'supplier', 'scope'), name='partner_consent_one_active')],
                    },
                ),
            ],
        ),
    ]
