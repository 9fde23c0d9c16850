"""The main window: its layout, the session (open project, current document), the action
table and one part per job (documents, span selection, linking, suggestion review, files)."""
