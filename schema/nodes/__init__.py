"""The node area: Relay/Apollo refetch of any Node by id."""
