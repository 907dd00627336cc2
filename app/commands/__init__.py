"""One module per CLI subcommand; each is thin: parse, call a service, print, return an exit code."""
