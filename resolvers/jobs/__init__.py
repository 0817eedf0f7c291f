"""Job resolvers."""
