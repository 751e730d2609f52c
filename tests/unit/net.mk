# unit tests for src/net
