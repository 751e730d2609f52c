/*
 * bench/mime-bench: throughput of the MIME engine over a generated corpus
 * of 10,000 messages (plain, quoted-printable UTF-8, alternative with
 * HTML, base64 attachments, encoded headers): header-only parsing, the
 * envelope, the full tree and parse+render, in MB/s.  Not run by make
 * check.  Usage: bench/mime-bench [messages]
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mime/mime.h"
#include "util/buf.h"
#include "util/xmalloc.h"

static double
now(void)
{
	struct timespec	ts;

	/* CPU time: the figures hold on a busy machine. */
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
headers(struct buf *b, unsigned i)
{
	buf_addf(b, "Return-Path: <sender%u@example.org>\r\n"
	    "Received: from mx%u.example.org (mx.example.org [192.0.2.%u])\r\n"
	    "\tby mail.example.net (Postfix) with ESMTPS id %X\r\n"
	    "\tfor <user@example.net>; Tue, 14 Mar 2023 09:%02u:44 +0100\r\n"
	    "From: =?UTF-8?Q?Ren=C3=A9e_N=C2=B0%u?= <sender%u@example.org>\r\n"
	    "To: \"User, Some\" <user@example.net>, other%u@example.net\r\n"
	    "Cc: list@lists.example.org\r\n"
	    "Subject: %s%u =?UTF-8?B?R3LDvMOfZQ==?=\r\n"
	    "Date: Tue, 14 Mar 2023 09:%02u:40 +0100\r\n"
	    "Message-ID: <%u.%u@example.org>\r\n"
	    "In-Reply-To: <%u.%u@example.org>\r\n"
	    "References: <0.0@example.org> <%u.%u@example.org>\r\n"
	    "List-Id: Example list <list.lists.example.org>\r\n"
	    "MIME-Version: 1.0\r\n",
	    i, i, i % 250, i, i % 60, i, i, i,
	    i % 3 ? "Re: topic " : "topic ", i / 10, i % 60, i, i,
	    i - 1, i - 1, i - 1, i - 1);
}

static void
body_line(struct buf *b, unsigned i, unsigned k)
{
	buf_addf(b, "Line %u of message %u, with some ordinary words in "
	    "it to fill the space.\r\n", k, i);
}

static void
make_message(struct buf *b, unsigned i)
{
	unsigned	k;

	headers(b, i);
	switch (i % 4) {
	case 0:
		buf_adds(b, "Content-Type: text/plain; charset=us-ascii\r\n\r\n");
		for (k = 0; k < 40; k++)
			body_line(b, i, k);
		break;
	case 1:
		buf_adds(b, "Content-Type: text/plain; charset=utf-8; "
		    "format=flowed\r\nContent-Transfer-Encoding: "
		    "quoted-printable\r\n\r\n");
		for (k = 0; k < 40; k++)
			buf_addf(b, "Gr=C3=BC=C3=9Fe aus K=C3=B6ln, Zeile %u "
			    "mit weichem Umbruch =\r\nund Fortsetzung.\r\n> "
			    "zitiert\r\n", k);
		break;
	case 2:
		buf_adds(b, "Content-Type: multipart/alternative; "
		    "boundary=\"alt-b\"\r\n\r\n--alt-b\r\nContent-Type: "
		    "text/plain; charset=utf-8\r\n\r\n");
		for (k = 0; k < 20; k++)
			body_line(b, i, k);
		buf_adds(b, "--alt-b\r\nContent-Type: text/html; "
		    "charset=utf-8\r\n\r\n<html><body>");
		for (k = 0; k < 20; k++)
			buf_addf(b, "<p>Line <b>%u</b> &amp; more</p>\r\n", k);
		buf_adds(b, "</body></html>\r\n--alt-b--\r\n");
		break;
	default:
		buf_adds(b, "Content-Type: multipart/mixed; boundary=mix\r\n"
		    "\r\n--mix\r\nContent-Type: text/plain\r\n\r\n");
		for (k = 0; k < 10; k++)
			body_line(b, i, k);
		buf_adds(b, "--mix\r\nContent-Type: application/pdf\r\n"
		    "Content-Disposition: attachment; filename*=UTF-8''"
		    "Bericht%20M%C3%A4rz.pdf\r\n"
		    "Content-Transfer-Encoding: base64\r\n\r\n");
		for (k = 0; k < 60; k++)
			buf_adds(b, "JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGgg"
			    "NiAwIFI+PgpzdHJlYW0KeJwr\r\n");
		buf_adds(b, "--mix--\r\n");
		break;
	}
}

int
main(int argc, char **argv)
{
	unsigned		 n = argc > 1 ? (unsigned)atoi(argv[1]) : 10000;
	struct buf		*msgs;
	struct mime_headers	*hs;
	struct mime_envelope	 env;
	struct mime_message	*m;
	struct mime_render	*r;
	size_t			 total = 0, hdr_total = 0, off;
	unsigned		 i, rep;
	double			 t0, t;

	if (n == 0)
		n = 10000;
	msgs = xcalloc(n, sizeof *msgs);
	for (i = 0; i < n; i++) {
		make_message(&msgs[i], i);
		total += msgs[i].len;
	}
	for (i = 0; i < n; i++) {
		hs = mime_headers_parse(msgs[i].data, msgs[i].len, &off);
		hdr_total += off;
		mime_headers_free(&hs);
	}
	printf("corpus: %u messages, %.1f MB (headers %.1f MB)\n", n,
	    (double)total / 1e6, (double)hdr_total / 1e6);

	/* Header-only: the work done per message at header sync. */
	t0 = now();
	for (rep = 0; rep < 5; rep++)
		for (i = 0; i < n; i++) {
			hs = mime_headers_parse(msgs[i].data, msgs[i].len,
			    NULL);
			mime_headers_free(&hs);
		}
	t = now() - t0;
	printf("header split+unfold: %8.1f MB/s of headers, %8.0f msg/s\n",
	    (double)hdr_total * 5 / 1e6 / t, n * 5 / t);

	t0 = now();
	for (i = 0; i < n; i++) {
		hs = mime_headers_parse(msgs[i].data, msgs[i].len, NULL);
		mime_envelope_from_headers(&env, hs, 0, NULL);
		mime_envelope_free(&env);
		mime_headers_free(&hs);
	}
	t = now() - t0;
	printf("headers+envelope:    %8.1f MB/s of headers, %8.0f msg/s\n",
	    (double)hdr_total / 1e6 / t, n / t);

	t0 = now();
	for (i = 0; i < n; i++) {
		m = mime_message_parse(msgs[i].data, msgs[i].len, 0);
		mime_message_free(&m);
	}
	t = now() - t0;
	printf("MIME tree:           %8.1f MB/s, %8.0f msg/s\n",
	    (double)total / 1e6 / t, n / t);

	t0 = now();
	for (i = 0; i < n; i++) {
		m = mime_message_parse(msgs[i].data, msgs[i].len, 0);
		r = mime_render(m, NULL);
		mime_render_free(&r);
		mime_message_free(&m);
	}
	t = now() - t0;
	printf("parse+render:        %8.1f MB/s, %8.0f msg/s\n",
	    (double)total / 1e6 / t, n / t);

	for (i = 0; i < n; i++)
		buf_free(&msgs[i]);
	free(msgs);
	return 0;
}
