"""Translation and voice-over resolvers."""
