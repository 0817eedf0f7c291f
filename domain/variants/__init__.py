"""Generated variants of a timeline range: generation requests, their providers, acceptance and scores."""
