"""Pull-request commands (issue 5): diff, check, log, schema, init."""
