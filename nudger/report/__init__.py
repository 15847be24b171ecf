"""Rendering summaries for people and programs: text, JSON and HTML."""
