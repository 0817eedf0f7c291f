"""Natural-language search over what was said (transcripts), shown (on-screen text) and described (metadata)."""
