from django.apps import AppConfig


class MatchmakingConfig(AppConfig):
    name = "matchmaking"

    def ready(self) -> None:
        # Suppliers and manufacturers announce their changes; matchmaking decides what to rescore.
        from manufacturers.signals import requirement_changed, requirements_bulk_saved
        from suppliers.signals import supplier_changed, suppliers_bulk_saved

        from . import triggers

        supplier_changed.connect(triggers.on_supplier_changed, dispatch_uid="matchmaking.supplier")
        requirement_changed.connect(
            triggers.on_requirement_changed, dispatch_uid="matchmaking.requirement"
        )
        suppliers_bulk_saved.connect(
            triggers.on_suppliers_bulk_saved, dispatch_uid="matchmaking.suppliers_bulk"
        )
        requirements_bulk_saved.connect(
            triggers.on_requirements_bulk_saved, dispatch_uid="matchmaking.requirements_bulk"
        )
