"""Local media analysers: one decode of sampled frames feeds scenes, faces, OCR and moderation."""
