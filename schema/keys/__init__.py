"""API key management over GraphQL: revoking a key."""
