"""GraphQL types for providers."""
