"""Translation of transcripts, text and documents; retranslation; language capabilities."""
