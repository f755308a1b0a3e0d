/*
 * view_watch.c - the lines of --watch.
 *
 * Text: "TIME EVENT TYPE NS HOLDERS", then the representative process as
 * "; pid PID: COMMAND" when there is one; host strings go through the
 * text escaping policy (escape.h), command last.  JSON (-J): one compact
 * object per line, {"event": ..., "time": ..., "ns": {...as in -J...}},
 * written whole, so a reader never sees half an object.  Times are
 * RFC 3339 UTC.
 */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "util.h"
#include "watch.h"

static const char *const evnames[] = {
	[NSF_EV_APPEARED] = "appeared",
	[NSF_EV_VANISHED] = "vanished",
	[NSF_EV_HIDDEN] = "hidden",
	[NSF_EV_UNHIDDEN] = "unhidden",
	[NSF_EV_HOLDERS] = "holders",
};

const char *
nsf_evkind_name(enum nsf_evkind k)
{
	return evnames[k];
}

static void
rfc3339(time_t t, char *buf, size_t size)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int
put(struct strbuf *sb, FILE *out)
{
	fwrite(sb->buf, 1, sb->len, out);
	sb_reset(sb);
	return ferror(out) ? -1 : 0;
}

int
view_watch_start(const struct nsf_viewopts *v, double secs, unsigned interval,
    size_t nns, time_t now, FILE *out)
{
	struct strbuf sb = STRBUF_INIT;
	struct json j;
	char ts[32];
	int rc;

	rfc3339(now, ts, sizeof(ts));
	if (!v->json) {
		sb_addf(&sb, "%s watching %zu namespace%s, a full rescan every %u s;"
		    " one scan took %.3f s\n", ts, nns, nns == 1 ? "" : "s",
		    interval, secs);
		rc = put(&sb, out);
		sb_free(&sb);
		return rc;
	}
	json_init(&j, false);
	json_obj_open(&j, NULL);
	json_str(&j, "event", "start");
	json_str(&j, "time", ts);
	json_u64(&j, "interval", interval);
	sb_addf(&j.sb, ",\"scan_seconds\":%.3f", secs);
	json_u64(&j, "namespaces", nns);
	json_obj_close(&j);
	sb_addc(&j.sb, '\n');
	rc = put(&j.sb, out);
	sb_free(&j.sb);
	return rc;
}

static void
event_text(const struct nsf_event *e, const char *ts, struct strbuf *sb)
{
	struct strbuf cell = STRBUF_INIT;

	sb_addf(sb, "%s %s %s %llu", ts, nsf_evkind_name(e->kind),
	    nsf_type_name(e->ns->type), (unsigned long long)e->ns->ino);
	if (e->kind != NSF_EV_VANISHED) {
		nsf_col_text(e->g, e->ns, COL_HOLDERS, &cell);
		nsf_col_flatten(&cell, COL_HOLDERS);	/* one event, one line */
		if (cell.len)
			sb_addf(sb, " %s", sb_str(&cell));
		sb_reset(&cell);
		nsf_col_text(e->g, e->ns, COL_PID, &cell);
		if (cell.len) {
			sb_addf(sb, "; pid %s", sb_str(&cell));
			sb_reset(&cell);
			nsf_col_text(e->g, e->ns, COL_COMMAND, &cell);
			if (cell.len)
				sb_addf(sb, ": %s", sb_str(&cell));
		}
	}
	sb_addc(sb, '\n');
	sb_free(&cell);
}

static void
event_json(const struct nsf_viewopts *v, const struct nsf_event *e,
    const char *ts, struct strbuf *sb)
{
	struct json j;

	json_init(&j, false);
	json_obj_open(&j, NULL);
	json_str(&j, "event", nsf_evkind_name(e->kind));
	json_str(&j, "time", ts);
	view_json_ns(e->g, v, e->ns, "ns", &j);
	json_obj_close(&j);
	sb_addn(sb, j.sb.buf, j.sb.len);
	sb_addc(sb, '\n');
	sb_free(&j.sb);
}

/* All events of one scan at once: a reader sees whole lines. */
int
view_watch_events(const struct nsf_viewopts *v, const struct nsf_event *ev,
    size_t n, time_t now, FILE *out)
{
	struct strbuf sb = STRBUF_INIT;
	char ts[32];
	size_t i;
	int rc;

	rfc3339(now, ts, sizeof(ts));
	for (i = 0; i < n; i++) {
		if (v->json)
			event_json(v, &ev[i], ts, &sb);
		else
			event_text(&ev[i], ts, &sb);
	}
	rc = put(&sb, out);
	sb_free(&sb);
	return rc;
}

static bool
has_note(const struct nsf_graph *g, const char *note)
{
	size_t i;

	for (i = 0; g && i < g->nnotes; i++)
		if (strcmp(g->notes[i], note) == 0)
			return true;
	return false;
}

/* The notes of scan g that scan prev did not have: said once, not every scan. */
void
view_watch_notes(struct nsf_graph *prev, struct nsf_graph *g, FILE *err)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < g->nnotes; i++) {
		if (has_note(prev, g->notes[i]))
			continue;
		sb_reset(&sb);
		nsf_esc_text(&sb, g->notes[i]);
		fprintf(err, "nsfind: note: %s\n", sb_str(&sb));
	}
	sb_free(&sb);
}
