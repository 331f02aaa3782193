"""The committee's forms: they parse input, the services decide (see the modules here)."""
