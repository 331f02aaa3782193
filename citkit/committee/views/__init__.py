"""The committee's pages, one module per area (see the modules here)."""
