/* json.c - see json.h. */
#include <stdio.h>
#include <string.h>

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

/* Control characters, quotes and backslashes escaped; other bytes as they are. */
void
json_escape(struct strbuf *sb, const char *s)
{
	const unsigned char *p;

	sb_addc(sb, '"');
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':	sb_adds(sb, "\\\""); break;
		case '\\':	sb_adds(sb, "\\\\"); break;
		case '\n':	sb_adds(sb, "\\n"); break;
		case '\t':	sb_adds(sb, "\\t"); break;
		case '\r':	sb_adds(sb, "\\r"); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				sb_addf(sb, "\\u%04x", *p);
			else
				sb_addc(sb, *p);
		}
	}
	sb_addc(sb, '"');
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
