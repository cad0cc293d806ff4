"""The editor's tools: the command line and its commands, check, import, the live preview."""
