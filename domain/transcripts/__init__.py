"""Transcripts: transcriptions of an asset, their segments and words, and the asset's speakers."""
