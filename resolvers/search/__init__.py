"""Search resolvers."""
