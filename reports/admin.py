"""The reports app's models are rebuilt copies (the dashboard facts): nothing to administer.
The verification decisions are in the suppliers admin."""
