"""What search, test and lint tools look at: excluded directories and the change's own tests."""
