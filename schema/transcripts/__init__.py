"""GraphQL types for transcripts."""
