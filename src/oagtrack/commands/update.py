"""Update commands (issue 3): complete, start, revise, note, verify, reopen."""
