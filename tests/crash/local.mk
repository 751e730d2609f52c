# Crash safety: surat sync SIGKILLed at random points against the real
# servers (IMAP, POP3 with delete, outbox), then checked for loss, duplicates
# and a store that still opens.
TESTS += tests/crash/test_crash_sync.sh
EXTRA_DIST += tests/crash/test_crash_sync.sh tests/crash/lib.sh
# Store creation killed at each of its steps and at random moments.
TESTS += tests/crash/test_store_create.sh
EXTRA_DIST += tests/crash/test_store_create.sh
# Two processes on one store during a sync (real servers).
TESTS += tests/crash/test_two_processes.sh
EXTRA_DIST += tests/crash/test_two_processes.sh
# Disk full (file size limit; tmpfs as root) during IMAP and POP3 syncs.
TESTS += tests/crash/test_disk_full.sh
EXTRA_DIST += tests/crash/test_disk_full.sh
