/* json.c - see json.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "json.h"

void
json_init(struct json *j, bool pretty)
{
	memset(j, 0, sizeof(*j));
	j->first[0] = true;
	j->pretty = pretty;
}

static void
indent(struct json *j)
{
	int i;

	if (!j->pretty)
		return;
	sb_addc(&j->sb, '\n');
	for (i = 0; i < j->depth; i++)
		sb_adds(&j->sb, "   ");
}

/* A JSON string literal; see escape.h for what is escaped and how. */
void
json_escape(struct strbuf *sb, const char *s)
{
	nsf_esc_json(sb, s);
}

static void
key(struct json *j, const char *k)
{
	if (!j->first[j->depth])
		sb_addc(&j->sb, ',');
	j->first[j->depth] = false;
	if (j->depth > 0)
		indent(j);
	if (k) {
		json_escape(&j->sb, k);
		sb_adds(&j->sb, j->pretty ? ": " : ":");
	}
}

static void
open_(struct json *j, const char *k, char c)
{
	key(j, k);
	sb_addc(&j->sb, c);
	if (j->depth < (int)sizeof(j->first) - 1)
		j->depth++;
	j->first[j->depth] = true;
}

static void
close_(struct json *j, char c)
{
	bool empty = j->first[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (!empty)
		indent(j);
	sb_addc(&j->sb, c);
	if (j->depth == 0 && j->pretty)
		sb_addc(&j->sb, '\n');
}

void json_obj_open(struct json *j, const char *k) { open_(j, k, '{'); }
void json_obj_close(struct json *j) { close_(j, '}'); }

/*
 * Take back the '}' of the object written last, so that more keys go into
 * it: a view adds its own keys to an object another function wrote whole
 * (view_why.c adds "via" and "release" to nsf_holder_json()'s holders).
 */
void
json_obj_reopen(struct json *j)
{
	struct strbuf *sb = &j->sb;

	while (sb->len > 0 && (sb->buf[sb->len - 1] == '\n' ||
	    sb->buf[sb->len - 1] == ' '))
		sb->len--;
	if (sb->len == 0 || sb->buf[sb->len - 1] != '}')
		return;
	sb->len--;
	while (sb->len > 0 && (sb->buf[sb->len - 1] == '\n' ||
	    sb->buf[sb->len - 1] == ' '))
		sb->len--;
	sb->buf[sb->len] = '\0';
	if (j->depth < (int)sizeof(j->first) - 1)
		j->depth++;
	j->first[j->depth] = sb->len > 0 && sb->buf[sb->len - 1] == '{';
}

void json_arr_open(struct json *j, const char *k) { open_(j, k, '['); }
void json_arr_close(struct json *j) { close_(j, ']'); }

void
json_str(struct json *j, const char *k, const char *v)
{
	key(j, k);
	if (v)
		json_escape(&j->sb, v);
	else
		sb_adds(&j->sb, "null");
}

void
json_u64(struct json *j, const char *k, uint64_t v)
{
	key(j, k);
	sb_addf(&j->sb, "%llu", (unsigned long long)v);
}

void
json_i64(struct json *j, const char *k, int64_t v)
{
	key(j, k);
	sb_addf(&j->sb, "%lld", (long long)v);
}

void
json_bool(struct json *j, const char *k, bool v)
{
	key(j, k);
	sb_adds(&j->sb, v ? "true" : "false");
}

void
json_null(struct json *j, const char *k)
{
	key(j, k);
	sb_adds(&j->sb, "null");
}

/*
 * A string from the host that a program may need byte for byte (a path,
 * a command line): when it is not valid UTF-8, "<key>_b64" carries the
 * raw bytes beside the escaped text.
 */
void
json_bytes(struct json *j, const char *k, const char *v)
{
	struct strbuf sb = STRBUF_INIT;
	char *k64;

	json_str(j, k, v);
	if (v == NULL || k == NULL || nsf_utf8_valid(v))
		return;
	k64 = xmalloc(strlen(k) + 5);
	strcpy(k64, k);
	strcat(k64, "_b64");
	nsf_base64(&sb, v, strlen(v));
	json_str(j, k64, sb_str(&sb));
	free(k64);
	sb_free(&sb);
}
