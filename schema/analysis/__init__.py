"""GraphQL types of media analysis."""
