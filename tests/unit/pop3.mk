# unit tests for src/pop3
