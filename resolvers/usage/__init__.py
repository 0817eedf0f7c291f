"""Usage resolvers."""
