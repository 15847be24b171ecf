"""The settings: the pydantic models, the layered loader, the edits of the person's file, and
the packaged tables (catalogue, messages, support lines)."""
