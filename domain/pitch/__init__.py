"""MediaPitch: audio uploads, submissions of services, their tasks, results, notices and credits."""
