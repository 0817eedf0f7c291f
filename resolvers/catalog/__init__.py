"""Collection and view resolvers."""
