# unit tests for src/ui
