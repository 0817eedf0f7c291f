"""Provider resolvers."""
