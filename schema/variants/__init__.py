"""GraphQL types of generated variants, generation jobs, scores and AI provider health."""
