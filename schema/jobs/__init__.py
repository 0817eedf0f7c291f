"""GraphQL types for jobs."""
