"""Work off the GUI thread: imports, exports and suggestions; results come back by signal."""
