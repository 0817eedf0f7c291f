"""API key resolvers."""
