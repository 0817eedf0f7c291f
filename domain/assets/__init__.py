"""Assets: media files, what is derived from them, and the upload flow."""
