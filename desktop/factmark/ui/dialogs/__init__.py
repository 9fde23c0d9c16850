"""Dialogs opened from the menus: labels, statistics, agreement, export, import report."""
