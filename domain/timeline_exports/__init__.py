"""Timeline exports: a project's timeline rendered to one file, and as interchange files for other editors."""
