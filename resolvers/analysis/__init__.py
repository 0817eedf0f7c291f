"""Media-analysis resolvers."""
