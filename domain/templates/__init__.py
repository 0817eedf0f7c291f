"""Templates and word lists: blacklists, whitelists and dictionaries an asset's processing follows."""
