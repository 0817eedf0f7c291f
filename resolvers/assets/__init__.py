"""Asset resolvers."""
