"""Pages of the people app: the roster (`roster`) and roster imports (`importing`)."""
