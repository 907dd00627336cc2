"""Undo commands: each saves through a service, so undo and redo are audited like any edit."""
