"""What git says about the repository: git started one way, and git's own files read directly."""
