"""The Qt (PySide6) desktop interface over :mod:`factmark.core`. Holds no SQL."""
