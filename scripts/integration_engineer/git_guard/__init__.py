"""The git-operation guard: no add, commit, push, merge or rebase, however spelled."""
