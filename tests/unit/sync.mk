# unit tests for src/sync
