"""GraphQL types of MediaPitch: submissions and their tasks."""
