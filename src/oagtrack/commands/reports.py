"""Report commands (issue 4): report, timeline, calendar."""
