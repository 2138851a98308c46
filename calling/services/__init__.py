"""Services of the calling app (SPEC §6): profiles, locations, numbers."""
