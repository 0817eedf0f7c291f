"""Media analysis: requests for the one analysis pipeline that serves the AI Gateway, MetaVision and MediaCopilot."""
