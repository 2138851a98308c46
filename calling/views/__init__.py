"""Calling pages of an org (SPEC §6), one module per subject: thin, they call
services and selectors."""
