from django.apps import AppConfig


class MatchmakingConfig(AppConfig):
    name = "matchmaking"

    def ready(self) -> None:
        # Suppliers and manufacturers announce their changes; matchmaking decides what to rescore.
        from manufacturers.signals import requirement_changed
        from suppliers.signals import supplier_changed, suppliers_bulk_saved

        from . import triggers

        supplier_changed.connect(triggers.on_supplier_changed, dispatch_uid="matchmaking.supplier")
        suppliers_bulk_saved.connect(
            triggers.on_suppliers_bulk_saved, dispatch_uid="matchmaking.suppliers_bulk"
        )
        requirement_changed.connect(
            triggers.on_requirement_changed, dispatch_uid="matchmaking.requirement"
        )
