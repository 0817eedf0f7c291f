"""GraphQL types for templates and word lists."""
