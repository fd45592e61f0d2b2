from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners")

    def ready(self) -> None:
        # "Download my data" asks each app for what it keeps (UU PDP); consents stay on deletion.
        from accounts.signals import personal_data_export

        from . import privacy

        personal_data_export.connect(privacy.export_personal_data, dispatch_uid="partners.privacy")
        # Business events fan out to the partners' webhook endpoints that picked them.
        from accounts.events import domain_event, domain_events

        from .webhooks.services import on_domain_event, on_domain_events

        domain_event.connect(on_domain_event, dispatch_uid="partners.webhooks")
        domain_events.connect(on_domain_events, dispatch_uid="partners.webhooks_bulk")
        # Members of an active industry association import their UMKM lists in the browser.
        from suppliers.importing.access import IMPORT_ACCESS, IMPORT_CREATED

        if association_member not in IMPORT_ACCESS:
            IMPORT_ACCESS.append(association_member)
        # ... and keep managing the UMKM their imports created, as through the partner API.
        if manage_imported not in IMPORT_CREATED:
            IMPORT_CREATED.append(manage_imported)


def association_member(user) -> bool:
    from .models import PartnerMember, PartnerOrganisation

    return PartnerMember.objects.filter(
        user=user,
        partner__kind=PartnerOrganisation.Kind.ASSOCIATION,
        partner__is_active=True,
    ).exists()


def manage_imported(user, supplier_ids: list[int]) -> None:
    from .models import PartnerManagedSupplier, PartnerMember, PartnerOrganisation

    membership = PartnerMember.objects.filter(
        user=user, partner__kind=PartnerOrganisation.Kind.ASSOCIATION, partner__is_active=True
    ).first()
    if membership is None:
        return
    PartnerManagedSupplier.objects.bulk_create(
        [
            PartnerManagedSupplier(partner_id=membership.partner_id, supplier_id=pk)
            for pk in supplier_ids
        ],
        ignore_conflicts=True,
    )
