"""Use cases shared by the CLI and the GUI; each opens its own session scope."""
