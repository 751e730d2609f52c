/*
 * Store benchmark (not a test): fills a store with generated mail the way
 * a sync does (batches of headers, threads, bodies' search text) and
 * prints what the UI and CLI targets are about: insert rate, time to open
 * and show the first screen of a 100,000-message folder, paging to its
 * end, searching it, and memory.
 *
 *   bench/store-bench [-n MESSAGES] [-b BODY_BYTES] [-k DIR]
 *
 * -k keeps the store in DIR (and reuses it when it is already full).
 * (-s DIR is the fresh process that measures the first screen.)
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"

#define BATCH	500
#define SCREEN	50

static const char *const words[] = {
	"rapat", "anggaran", "laporan", "kuartal", "proyek", "jadwal",
	"invoice", "meeting", "budget", "release", "server", "backup",
	"kopi", "makan", "siang", "besok", "minggu", "depan", "tolong",
	"segera", "review", "draft", "kontrak", "klien", "tim", "ulang",
	"tahun", "liburan", "tiket", "pesawat", "hotel", "bandung",
};
#define NWORDS (sizeof words / sizeof words[0])

static uint32_t seed = 1;

static uint32_t
rnd(void)
{
	seed = seed * 1103515245u + 12345u;
	return (seed >> 8) & 0xffffff;
}

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of the process: wall time lies on a loaded machine. */
static double
cpu(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long
rss_kb(void)
{
	FILE	*f = fopen("/proc/self/statm", "r");
	long	 size = 0, res = 0;

	if (f == NULL)
		return -1;
	if (fscanf(f, "%ld %ld", &size, &res) != 2)
		res = 0;
	fclose(f);
	return res * (sysconf(_SC_PAGESIZE) / 1024);
}

static long
peak_kb(void)
{
	struct rusage	ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static void __attribute__((noreturn))
die(const char *what, const struct err *err)
{
	fprintf(stderr, "store-bench: %s: %s\n", what, err->msg);
	exit(1);
}

static void
words_into(struct buf *b, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		buf_addf(b, "%s%s", i > 0 ? " " : "", words[rnd() % NWORDS]);
}

static void
fill(struct store *s, int64_t folder, size_t n, size_t body_bytes)
{
	struct store_msg	 m;
	struct buf		 subj = BUF_INIT, body = BUF_INIT;
	struct err		 err;
	char			 mid[64], irt[64], refs[140], from[64], addr[64];
	int64_t			 id, date = 1600000000;
	size_t			 i;
	uint32_t		 parent;

	for (i = 0; i < n; i++) {
		if (i % BATCH == 0 && store_begin(s, &err) == -1)
			die("begin", &err);
		memset(&m, 0, sizeof m);
		date += rnd() % 600;
		m.folder_id = folder;
		m.uid = (uint32_t)i + 1;
		snprintf(mid, sizeof mid, "<%zu.%u@bench.example>", i, rnd());
		m.message_id = mid;
		buf_reset(&subj);
		/* a third are replies to one of the 200 before */
		if (i > 200 && rnd() % 3 == 0) {
			parent = (uint32_t)(i - 1 - rnd() % 200);
			snprintf(irt, sizeof irt, "<%u.x@bench.example>",
			    parent);
			snprintf(refs, sizeof refs, "<%u.y@bench.example> %s",
			    parent / 2, irt);
			m.in_reply_to = irt;
			m.references = refs;
			buf_adds(&subj, "Re: ");
		}
		words_into(&subj, 3 + rnd() % 5);
		m.subject = (char *)buf_cstr(&subj);
		snprintf(from, sizeof from, "Pengirim %u", rnd() % 2000);
		snprintf(addr, sizeof addr, "user%u@example.com",
		    rnd() % 2000);
		m.from_name = from;
		m.from_addr = addr;
		m.to = (char *)"Budi Santoso <budi@example.com>";
		m.date = date;
		m.internal_date = date;
		m.flags = rnd() % 4 == 0 ? 0 : STORE_FLAG_SEEN;
		m.size = 2000 + rnd() % 60000;
		m.has_attachments = rnd() % 10 == 0;
		if (store_message_insert(s, &m, &id, &err) == -1)
			die("insert", &err);
		if (body_bytes > 0) {
			buf_reset(&body);
			while (body.len < body_bytes)
				words_into(&body, 16);
			if (store_body_set(s, id, body.data, body.len,
			    body.data, body.len, &err) == -1)
				die("body", &err);
		}
		if ((i + 1) % BATCH == 0 || i + 1 == n) {
			if (store_commit(s, &err) == -1)
				die("commit", &err);
		}
	}
	buf_free(&subj);
	buf_free(&body);
}

/* Open, first screen of the folder: what starting surat costs. */
static void
first_screen(const char *dir, const struct store_sort *so, const char *name)
{
	struct store		*s;
	struct store_folder	*f;
	struct store_row	*rows;
	struct err		 err;
	size_t			 n;
	double			 t0, t1, t2, c0;

	c0 = cpu();
	t0 = now();
	if (store_open(dir, 0, "store-bench", &s, &err) == -1)
		die("open", &err);
	t1 = now();
	if (store_folder_get(s, 1, &f, &err) == -1 ||
	    store_index_page(s, f->id, so, NULL, STORE_PAGE_FORWARD, SCREEN,
	    &rows, &n, &err) == -1)
		die("first page", &err);
	t2 = now();
	printf("  open + first screen (%s): %.1f ms (open %.1f ms, page "
	    "%.2f ms; CPU %.1f ms), %zu rows of %lld\n", name,
	    (t2 - t0) * 1e3, (t1 - t0) * 1e3, (t2 - t1) * 1e3,
	    (cpu() - c0) * 1e3, n, (long long)f->total);
	store_rows_free(&rows, n);
	store_folder_free(&f);
	store_close(&s);
}

static void
page_to_end(struct store *s, const struct store_sort *so, const char *name)
{
	struct store_cursor	 cur;
	struct store_row	*rows;
	struct err		 err;
	size_t			 n, total = 0, pages = 0;
	double			 t0, t1, worst = 0, tp, c0;
	bool			 first = true;

	c0 = cpu();
	t0 = now();
	for (;;) {
		tp = now();
		if (store_index_page(s, 1, so, first ? NULL : &cur,
		    STORE_PAGE_FORWARD, SCREEN, &rows, &n, &err) == -1)
			die("page", &err);
		tp = now() - tp;
		if (tp > worst)
			worst = tp;
		if (n == 0)
			break;
		total += n;
		pages++;
		cur = rows[n - 1].cursor;
		store_rows_free(&rows, n);
		first = false;
	}
	t1 = now();
	printf("  page to the end (%s): %zu pages of %d, %.0f ms (CPU %.0f "
	    "ms), %.3f ms per page, worst %.2f ms; %zu rows\n", name, pages,
	    SCREEN, (t1 - t0) * 1e3, (cpu() - c0) * 1e3,
	    (t1 - t0) * 1e3 / (double)(pages ? pages : 1), worst * 1e3,
	    total);
	/* "End" key: the last screen directly. */
	t0 = now();
	if (store_index_page(s, 1, so, NULL, STORE_PAGE_BACKWARD, SCREEN,
	    &rows, &n, &err) == -1)
		die("last page", &err);
	t1 = now();
	printf("  jump to the last screen (%s): %.2f ms\n", name,
	    (t1 - t0) * 1e3);
	store_rows_free(&rows, n);
}

static void
search(struct store *s, const char *text, bool unread)
{
	struct store_query	 q;
	struct err		 err;
	int64_t			*ids;
	size_t			 n;
	double			 t0, t1, c0;

	memset(&q, 0, sizeof q);
	q.text = text;
	q.unread = unread;
	q.limit = 100;
	c0 = cpu();
	t0 = now();
	if (store_search(s, &q, &ids, &n, &err) == -1)
		die("search", &err);
	t1 = now();
	printf("  search \"%s\"%s: %.1f ms (CPU %.1f ms), %zu results "
	    "(limit 100)\n", text != NULL ? text : "", unread ? " unread" :
	    "", (t1 - t0) * 1e3, (cpu() - c0) * 1e3, n);
	free(ids);
}

static void
rmtree(const char *path)
{
	struct dirent	*de;
	DIR		*d;
	char		*p;

	if ((d = opendir(path)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		p = xasprintf("%s/%s", path, de->d_name);
		unlink(p);
		free(p);
	}
	closedir(d);
	rmdir(path);
}

/* What starting surat costs: a fresh process, nothing inherited. */
static void
screen_only(const char *dir)
{
	struct store_sort	so = { STORE_SORT_DATE, true, false };

	first_screen(dir, &so, "date, newest first, new process");
	printf("  RSS of that process: %ld KiB now, %ld KiB peak\n",
	    rss_kb(), peak_kb());
}

static void
measure_screen_process(const char *dir)
{
	pid_t	pid;
	int	status;

	fflush(NULL);
	if ((pid = fork()) == 0) {
		execl("/proc/self/exe", "store-bench", "-s", dir, (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
}

int
main(int argc, char **argv)
{
	struct store		*s;
	struct store_sort	 so;
	struct err		 err;
	struct stat		 sb;
	const char		*keep = NULL;
	char			*dir, *db;
	size_t			 n = 100000, body = 0;
	int64_t			 acc, folder;
	double			 t0, t1;
	int			 ch;

	while ((ch = getopt(argc, argv, "n:b:k:s:")) != -1) {
		switch (ch) {
		case 's':
			screen_only(optarg);
			return 0;
		case 'n':
			n = strtoul(optarg, NULL, 10);
			break;
		case 'b':
			body = strtoul(optarg, NULL, 10);
			break;
		case 'k':
			keep = optarg;
			break;
		default:
			fprintf(stderr, "usage: store-bench [-n messages] "
			    "[-b body-bytes] [-k dir]\n");
			return 2;
		}
	}
	if (keep != NULL)
		dir = xstrdup(keep);
	else {
		dir = xstrdup("/tmp/surat-store-bench-XXXXXX");
		if (mkdtemp(dir) == NULL) {
			perror("mkdtemp");
			return 1;
		}
	}
	printf("store-bench: %zu messages, %zu bytes of body text each, "
	    "in %s\n", n, body, dir);
	if (store_open(dir, 0, "store-bench", &s, &err) == -1)
		die("open", &err);
	if (store_account_ensure(s, "bench", STORE_ACCOUNT_IMAP, &acc,
	    &err) == -1 ||
	    store_folder_ensure(s, acc, "INBOX", '/', STORE_ROLE_INBOX,
	    &folder, &err) == -1)
		die("setup", &err);
	{
		size_t have;

		if (store_index_count(s, folder, &have, &err) == -1)
			die("count", &err);
		if (have == 0) {
			double c0 = cpu();

			t0 = now();
			fill(s, folder, n, body);
			t1 = now();
			printf("  insert: %.0f messages/s (%.1f s for %zu, "
			    "batches of %d; CPU %.1f s)\n",
			    (double)n / (t1 - t0), t1 - t0, n, BATCH,
			    cpu() - c0);
		} else
			printf("  reusing %zu stored messages\n", have);
	}
	printf("  RSS after inserting: %ld KiB (peak %ld KiB)\n", rss_kb(),
	    peak_kb());
	store_close(&s);
	db = xasprintf("%s/%s", dir, STORE_DB_NAME);
	if (stat(db, &sb) == 0)
		printf("  database file: %.1f MB\n", (double)sb.st_size / 1e6);
	free(db);

	measure_screen_process(dir);
	memset(&so, 0, sizeof so);
	so.desc = true;
	so.threaded = true;
	first_screen(dir, &so, "threaded");
	if (store_open(dir, 0, "store-bench", &s, &err) == -1)
		die("open", &err);
	so.threaded = false;
	so.key = STORE_SORT_DATE;
	page_to_end(s, &so, "date");
	so.threaded = true;
	page_to_end(s, &so, "threaded");
	so.threaded = false;
	so.key = STORE_SORT_SUBJECT;
	so.desc = false;
	page_to_end(s, &so, "subject");
	so.key = STORE_SORT_FROM;
	page_to_end(s, &so, "from");
	search(s, "laporan kuartal", false);
	search(s, "band*", false);
	search(s, "rapat", true);
	search(s, "tidakada", false);
	printf("  RSS at the end: %ld KiB (peak %ld KiB)\n", rss_kb(),
	    peak_kb());
	store_close(&s);
	if (keep == NULL)
		rmtree(dir);
	free(dir);
	return 0;
}
