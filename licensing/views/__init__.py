"""Pages of the licensing app (org host), split by subject."""
