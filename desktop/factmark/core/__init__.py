"""Qt-free core of Factmark: model, project storage, importers and exporters."""
