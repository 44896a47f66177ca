"""Setting the plugin up: the cold-path venv and doctor."""
