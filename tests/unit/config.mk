# unit tests for src/config
