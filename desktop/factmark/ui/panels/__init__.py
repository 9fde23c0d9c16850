"""Side panels of the window: document list, span details, links, guidelines."""
