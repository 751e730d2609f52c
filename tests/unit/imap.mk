# unit tests for src/imap
