"""MediaPitch resolvers."""
