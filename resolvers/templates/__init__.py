"""Template, word list and dictionary resolvers."""
