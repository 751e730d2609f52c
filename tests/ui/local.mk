# UI tests: the real binary driven in tmux (skipped without tmux).
EXTRA_DIST += tests/ui/lib.sh tests/ui/test_demo.sh tests/ui/test_offline.sh tests/ui/test_suspend.sh \
	tests/ui/test_mailcap.sh tests/ui/test_mouse.sh
TESTS += tests/ui/test_demo.sh tests/ui/test_offline.sh \
	tests/ui/test_suspend.sh \
	tests/ui/test_mailcap.sh \
	tests/ui/test_mouse.sh
