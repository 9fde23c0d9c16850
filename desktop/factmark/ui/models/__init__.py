"""Qt item models: thin views over the project's documents, spans and labels."""
