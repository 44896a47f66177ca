"""Bash as bash runs it: lexer, parser, static expansion, and what a command really runs."""
