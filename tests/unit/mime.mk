# unit tests for src/mime
