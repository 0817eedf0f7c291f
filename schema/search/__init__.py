"""GraphQL types of natural-language search."""
