"""Workspaces (meeting rooms, lobby phones) and their calling, one feature in one
place (SPEC §5, §6): ``services`` (every write), ``names`` (the name rule),
``selectors`` (reads), ``forms``, ``views`` and ``urls`` (pages), ``api`` and
``api_urls``, and ``csv`` (the workspace CSV: columns, validation, import, export)."""
