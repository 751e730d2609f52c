# The delivery engines of src/sync/: POP3 download with its leave-on-server
# policies and the SMTP outbox sender.  Kept apart from src/sync/local.mk so
# the two halves of the module can grow independently.
SYNC_DELIVERY_SOURCES = \
	src/sync/delivery.h src/sync/delivery_int.h src/sync/delivery.c \
	src/sync/pop3_download.c src/sync/outbox_send.c
