"""GraphQL types of languages, translation and voice-over."""
