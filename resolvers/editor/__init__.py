"""Resolvers of the editor area: projects, timeline edits, previews and grades."""
