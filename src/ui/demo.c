/*
 * Sample mail for `surat --demo` and the benches: threads, flags,
 * attachments, several charsets, HTML, wide characters, and one hostile
 * message full of terminal escapes and bidi overrides, all generated from
 * a fixed seed so tests can rely on what is there.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store.h"
#include "ui/ui.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"

struct person {
	const char	*name;
	const char	*addr;
};

static const struct person people[] = {
	{ "Siti Rahmawati", "siti@contoh.co.id" },
	{ "Budi Santoso", "budi@example.net" },
	{ "田中太郎", "tanaka@example.jp" },
	{ "Zoë Müller", "zoe@beispiel.de" },
	{ "José García", "jose@ejemplo.es" },
	{ "Олег Петров", "oleg@primer.ru" },
	{ "김민준", "minjun@example.kr" },
	{ "Alice Cooper", "alice@example.org" },
	{ "Bob Lee", "bob@example.com" },
	{ "dev-list", "dev@lists.example.org" },
	{ "Dewi Lestari", "dewi@contoh.co.id" },
	{ "王芳", "wang.fang@example.cn" },
};
#define NPEOPLE (sizeof people / sizeof people[0])

static const char *const subjects[] = {
	"Rapat koordinasi minggu depan",
	"会議の議事録 (第3回)",
	"Lunch on Friday? 🍜🍣",
	"Quarterly report Q3: numbers inside",
	"Über die neue Straßenbahn",
	"Перенос встречи на четверг",
	"Build failed on main 🔥",
	"Pesanan #4821 sudah dikirim 📦",
	"회의 일정 변경 안내",
	"Photos from the trip 🏝️",
	"Invoice 2024-117",
	"[dev] RFC: drop the legacy parser",
	"Résumé and cover letter",
	"周末一起去爬山吗？",
	"Server maintenance tonight 22:00 UTC",
	"Happy birthday! 🎂🎉",
};
#define NSUBJECTS (sizeof subjects / sizeof subjects[0])

static const char *const lines_pool[] = {
	"Thanks for the update, this looks good to me.",
	"Could you send me the latest version before the meeting?",
	"Details are on https://example.org/docs/meeting-notes?id=42 for now.",
	"Terima kasih banyak atas bantuannya kemarin.",
	"明日の午後三時に会議室Bでお願いします。",
	"I think we should wait for the test results first.",
	"Let's discuss it on Monday; I'm out until then.",
	"Ich habe die Unterlagen gestern verschickt.",
	"The build log is at http://ci.example.net/job/1234/console.",
	"Sounds great 👍 see you there!",
	"我们周六早上八点在地铁站见面。",
	"Can you check whether the numbers in table 2 add up?",
};
#define NLINES (sizeof lines_pool / sizeof lines_pool[0])

static uint64_t rng_state;

static uint32_t
rnd(uint32_t n)
{
	/* xorshift64*: a fixed seed gives the same mailbox every time. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 2685821657736338717ULL) >> 33) % n;
}

struct gen {
	struct store	*st;
	int64_t		 inbox, lists, sent, archive, drafts, trash, cjk;
	int64_t		 now;
	size_t		 serial;
	bool		 bodies;
};

static void
date_header(struct buf *b, int64_t t)
{
	char		s[64];
	time_t		tt = (time_t)t;
	struct tm	tm;

	gmtime_r(&tt, &tm);
	strftime(s, sizeof s, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	buf_addf(b, "Date: %s\r\n", s);
}

/* One message: raw bytes and the fields the store wants. */
static int
add(struct gen *g, int64_t folder, const struct person *from,
    const struct person *to, const char *subject, const char *raw_subject,
    int64_t date, const char *parent_id, const char *refs, const char *body,
    bool attach, bool html, unsigned flags, char **msgid_r, struct err *err)
{
	struct buf		 raw = BUF_INIT, hdr = BUF_INIT;
	struct store_msg	 m;
	char			*msgid;
	int64_t			 id;
	int			 rc = -1;

	msgid = xasprintf("demo.%zu@surat.example", ++g->serial);
	buf_addf(&hdr, "From: %s <%s>\r\nTo: %s <%s>\r\n", from->name,
	    from->addr, to->name, to->addr);
	buf_addf(&hdr, "Subject: %s\r\n", raw_subject ? raw_subject : subject);
	date_header(&hdr, date);
	buf_addf(&hdr, "Message-ID: <%s>\r\n", msgid);
	if (parent_id != NULL)
		buf_addf(&hdr, "In-Reply-To: <%s>\r\n", parent_id);
	if (refs != NULL && *refs != '\0') {
		buf_adds(&hdr, "References:");
		for (const char *p = refs; *p != '\0';) {
			size_t n = strcspn(p, " ");

			buf_addf(&hdr, " <%.*s>", (int)n, p);
			p += n;
			p += strspn(p, " ");
		}
		buf_adds(&hdr, "\r\n");
	}
	buf_adds(&hdr, "MIME-Version: 1.0\r\n");
	buf_add(&raw, hdr.data, hdr.len);
	if (attach) {
		buf_adds(&raw, "Content-Type: multipart/mixed; "
		    "boundary=\"=-demo-b\"\r\n\r\n--=-demo-b\r\n"
		    "Content-Type: text/plain; charset=utf-8\r\n"
		    "Content-Transfer-Encoding: 8bit\r\n\r\n");
		buf_adds(&raw, body);
		buf_adds(&raw, "\r\n--=-demo-b\r\nContent-Type: text/csv; "
		    "name=\"report-q3.csv\"\r\nContent-Disposition: "
		    "attachment; filename=\"report-q3.csv\"\r\n"
		    "Content-Transfer-Encoding: base64\r\n\r\n"
		    "bW9udGgsc2FsZXMKSnVseSwxMjAwCkF1Z3VzdCwxMzUwClNlcHRlbWJl"
		    "ciwxNDEwCg==\r\n--=-demo-b\r\nContent-Type: image/png; "
		    "name=\"pixel.png\"\r\nContent-Disposition: attachment; "
		    "filename=\"pixel.png\"\r\nContent-Transfer-Encoding: "
		    "base64\r\n\r\niVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJ"
		    "AAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==\r\n"
		    "--=-demo-b--\r\n");
	} else if (html) {
		buf_adds(&raw, "Content-Type: multipart/alternative; "
		    "boundary=\"=-demo-a\"\r\n\r\n--=-demo-a\r\n"
		    "Content-Type: text/plain; charset=utf-8\r\n\r\n");
		buf_adds(&raw, body);
		buf_adds(&raw, "\r\n--=-demo-a\r\nContent-Type: text/html; "
		    "charset=utf-8\r\n\r\n<html><body><h1>Newsletter</h1><p>");
		buf_adds(&raw, body);
		buf_adds(&raw, "</p><p><a href=\"https://example.org/news\">"
		    "Read more</a></p></body></html>\r\n--=-demo-a--\r\n");
	} else if (raw_subject != NULL && strstr(raw_subject, "ISO-8859-1")) {
		buf_adds(&raw, "Content-Type: text/plain; charset=iso-8859-1"
		    "\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
		    "Bonjour, voici le r=E9sum=E9 de la r=E9union.\r\n"
		    "=C0 bient=F4t, Fran=E7oise\r\n");
	} else {
		buf_adds(&raw, "Content-Type: text/plain; charset=utf-8\r\n"
		    "Content-Transfer-Encoding: 8bit\r\n\r\n");
		buf_adds(&raw, body);
	}

	memset(&m, 0, sizeof m);
	m.folder_id = folder;
	m.message_id = msgid;
	m.in_reply_to = (char *)parent_id;
	m.references = (char *)refs;
	m.date = date;
	m.from_name = (char *)from->name;
	m.from_addr = (char *)from->addr;
	m.to = xasprintf("%s <%s>", to->name, to->addr);
	m.subject = (char *)subject;
	m.flags = flags;
	m.size = (int64_t)raw.len;
	m.has_attachments = attach;
	m.headers = hdr.data;
	m.headers_len = hdr.len;
	m.internal_date = date;
	m.body_state = g->bodies ? STORE_BODY_FULL : STORE_BODY_NONE;
	if (store_message_insert(g->st, &m, &id, err) == 0 &&
	    (!g->bodies || store_body_set(g->st, id, raw.data, raw.len, body,
	    strlen(body), err) == 0))
		rc = 0;
	free(m.to);
	buf_free(&raw);
	buf_free(&hdr);
	if (rc == 0 && msgid_r != NULL)
		*msgid_r = msgid;
	else
		free(msgid);
	return rc;
}

static void
make_body(struct buf *b, const char *quote_of, int paras)
{
	int	i, j;

	buf_reset(b);
	buf_adds(b, "Hi,\r\n\r\n");
	for (i = 0; i < paras; i++) {
		for (j = 0; j < 2 + (int)rnd(3); j++) {
			buf_adds(b, lines_pool[rnd(NLINES)]);
			buf_adds(b, "\r\n");
		}
		buf_adds(b, "\r\n");
	}
	if (quote_of != NULL) {
		buf_addf(b, "On Monday, %s wrote:\r\n", quote_of);
		buf_addf(b, "> %s\r\n> %s\r\n>> %s\r\n>>> %s\r\n\r\n",
		    lines_pool[rnd(NLINES)], lines_pool[rnd(NLINES)],
		    lines_pool[rnd(NLINES)], lines_pool[rnd(NLINES)]);
	}
	buf_adds(b, "-- \r\nSent from surat's demo\r\n");
}

static unsigned
random_flags(size_t i)
{
	unsigned	f = 0;

	/* The newest mail is mostly unread, like a real inbox. */
	if (i > 12 && rnd(10) < 8)
		f |= STORE_FLAG_SEEN;
	if (rnd(20) == 0)
		f |= STORE_FLAG_FLAGGED;
	if (rnd(10) == 0)
		f |= STORE_FLAG_ANSWERED | STORE_FLAG_SEEN;
	return f;
}

static int
special(struct gen *g, struct err *err)
{
	static const struct person evil = {
		"\x1b]0;owned\x07Mallory \x1b[31mRed\x1b[0m",
		"mallory@evil.example" };
	static const struct person me = { "Demo User", "you@example.org" };
	char	*hostile_subject;
	int	 rc;

	/* Terminal escapes, a title-setting OSC, a bidi override. */
	hostile_subject = xstrdup("Invoice \x1b[2J\x1b[H\xe2\x80\xae"
	    "fdp.exe\xe2\x80\xac urgent \x1b]8;;http://evil/\x07click\x1b]8;;"
	    "\x07");
	rc = add(g, g->inbox, &evil, &me, hostile_subject, NULL,
	    g->now - 600, NULL, NULL, "Please pay now.\x1b[2J\x1b[31m RED "
	    "\xe2\x80\xaeTEXT REVERSED\xe2\x80\xac\x07\r\n", false, false, 0,
	    NULL, err);
	free(hostile_subject);
	if (rc == -1)
		return -1;
	if (add(g, g->inbox, &people[4], &me, "Résumé de la réunion",
	    "=?ISO-8859-1?Q?R=E9sum=E9_de_la_r=E9union?=", g->now - 7200,
	    NULL, NULL, "Bonjour, voici le résumé de la réunion.\r\n", false,
	    false, 0, NULL, err) == -1)
		return -1;
	if (add(g, g->inbox, &people[7], &me, "Weekly newsletter: HTML "
	    "edition", NULL, g->now - 9000, NULL, NULL, "All the news that "
	    "fits, with a link: https://example.org/news", false, true,
	    STORE_FLAG_SEEN, NULL, err) == -1)
		return -1;
	if (add(g, g->sent, &me, &people[0], "Re: Rapat koordinasi minggu "
	    "depan", NULL, g->now - 3600 * 30, NULL, NULL, "Baik, saya "
	    "datang.\r\n", false, false, STORE_FLAG_SEEN, NULL, err) == -1)
		return -1;
	return add(g, g->drafts, &me, &people[1], "Draft: plans for "
	    "next quarter", NULL, g->now - 3600 * 5, NULL, NULL, "Unfinished "
	    "thoughts...\r\n", false, false, STORE_FLAG_SEEN |
	    STORE_FLAG_DRAFT, NULL, err);
}

int
ui_demo_fill(struct store *st, size_t count, bool bodies, struct err *err)
{
	struct gen	 g;
	struct buf	 body = BUF_INIT;
	int64_t		 aid, t;
	size_t		 i = 0, k, len;
	char		*ids[8], *refs;
	static const struct person me = { "Demo User", "you@example.org" };
	int		 rc = -1;

	memset(&g, 0, sizeof g);
	g.st = st;
	g.now = (int64_t)time(NULL);
	g.bodies = bodies;
	rng_state = 0x5eed5eed2024ULL;
	if (store_begin(st, err) == -1)
		return -1;
	if (store_account_ensure(st, "demo", STORE_ACCOUNT_LOCAL, &aid,
	    err) == -1 ||
	    store_folder_ensure(st, aid, "INBOX", '/', STORE_ROLE_INBOX,
	    &g.inbox, err) == -1 ||
	    store_folder_ensure(st, aid, "Sent", '/', STORE_ROLE_SENT,
	    &g.sent, err) == -1 ||
	    store_folder_ensure(st, aid, "Drafts", '/', STORE_ROLE_DRAFTS,
	    &g.drafts, err) == -1 ||
	    store_folder_ensure(st, aid, "Trash", '/', STORE_ROLE_TRASH,
	    &g.trash, err) == -1 ||
	    store_folder_ensure(st, aid, "Archive", '/', STORE_ROLE_ARCHIVE,
	    &g.archive, err) == -1 ||
	    store_folder_ensure(st, aid, "Lists/dev", '/', STORE_ROLE_NONE,
	    &g.lists, err) == -1 ||
	    store_folder_ensure(st, aid, "日本語のフォルダ", '/',
	    STORE_ROLE_NONE, &g.cjk, err) == -1)
		goto fail;
	if (count > 0 && special(&g, err) == -1)
		goto fail;
	t = g.now - 1800;
	while (i < count) {
		/* A thread of 1 to 6 messages, oldest first. */
		size_t		 n = 1 + rnd(100) % (rnd(3) == 0 ? 6 : 2);
		const char	*subj = subjects[rnd(NSUBJECTS)];
		int64_t		 folder = rnd(8) == 0 ? g.lists :
				    rnd(12) == 0 ? g.archive :
				    rnd(30) == 0 ? g.cjk : g.inbox;
		int64_t		 t0;

		if (n > count - i)
			n = count - i;
		/* Big mailboxes span a few years, not centuries. */
		t -= count > 5000 ? 300 + (int64_t)rnd((uint32_t)(3600 * 20 *
		    (uint64_t)5000 / count) + 1) : 3600 + (int64_t)rnd(3600 *
		    20);
		t0 = t - (int64_t)n * 2400;
		for (k = 0; k < n; k++) {
			const struct person *from = &people[rnd(NPEOPLE)];
			char *s = k == 0 ? xstrdup(subj) :
			    xasprintf("Re: %s", subj);
			struct buf rb = BUF_INIT;
			size_t j;

			make_body(&body, k > 0 ? people[rnd(NPEOPLE)].name :
			    NULL, 1 + (int)rnd(3));
			for (j = 0; j < k && j < 8; j++) {
				if (j > 0)
					buf_addc(&rb, ' ');
				buf_adds(&rb, ids[j]);
			}
			refs = k > 0 ? buf_detach(&rb, &len) : NULL;
			if (add(&g, folder, from, &me, s, NULL,
			    t0 + (int64_t)k * 2400, k > 0 ? ids[k - 1] : NULL,
			    refs, buf_cstr(&body), rnd(9) == 0, false,
			    random_flags(i), &ids[k < 8 ? k : 7], err) == -1) {
				free(s);
				free(refs);
				buf_free(&rb);
				while (k > 0)
					free(ids[--k < 8 ? k : 7]);
				goto fail;
			}
			free(s);
			free(refs);
			buf_free(&rb);
			i++;
		}
		for (k = 0; k < n && k < 8; k++)
			free(ids[k]);
		/* Big stores commit in batches: one transaction per 5000. */
		if (i % 5000 < n && i > n) {
			if (store_commit(st, err) == -1 ||
			    store_begin(st, err) == -1)
				goto fail;
		}
	}
	if (store_commit(st, err) == -1)
		goto fail_nt;
	rc = 0;
	goto out;
fail:
	store_rollback(st);
fail_nt:
out:
	buf_free(&body);
	return rc;
}
