# unit tests for src/smtp
