/* escape.c - see escape.h. */
#include <string.h>

#include "escape.h"

bool nsf_esc_utf8 = true;

static const char hex[] = "0123456789abcdef";

/*
 * Length of the valid UTF-8 sequence at s (n bytes left), 0 when it is
 * not one: overlong forms, surrogates and code points past U+10FFFF.
 */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

/*
 * Valid UTF-8 that would still fool a reader of one line: C1 controls
 * (a terminal acts on them), U+200E/F (marks), U+2028..202E (separators,
 * embeddings, overrides) and U+2066..2069 (isolates).
 */
static bool
sneaky(const unsigned char *s, size_t len)
{
	if (len == 2)
		return s[0] == 0xc2 && s[1] <= 0x9f;
	if (len == 3 && s[0] == 0xe2 && s[1] == 0x80)
		return s[2] == 0x8e || s[2] == 0x8f ||
		    (s[2] >= 0xa8 && s[2] <= 0xae);
	if (len == 3 && s[0] == 0xe2 && s[1] == 0x81)
		return s[2] >= 0xa6 && s[2] <= 0xa9;
	return false;
}

static void
hexbyte(struct strbuf *sb, unsigned char c)
{
	char b[4] = { '\\', 'x', hex[c >> 4], hex[c & 0xf] };

	sb_addn(sb, b, 4);
}

void
nsf_esc_textn(struct strbuf *sb, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, k, start;

	while (i < len) {
		start = i;
		while (i < len && s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\\')
			i++;
		if (i > start)
			sb_addn(sb, str + start, i - start);
		if (i >= len)
			break;
		k = s[i] >= 0x80 && nsf_esc_utf8 ? utf8_seq(s + i, len - i) : 0;
		if (k > 0 && !sneaky(s + i, k)) {
			sb_addn(sb, str + i, k);
			i += k;
			continue;
		}
		for (k = k ? k : 1; k > 0; k--)
			hexbyte(sb, s[i++]);
	}
}

void
nsf_esc_text(struct strbuf *sb, const char *s)
{
	if (s)
		nsf_esc_textn(sb, s, strlen(s));
}

void
nsf_esc_json(struct strbuf *sb, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t len = strlen(str), i = 0, k;
	unsigned cp;

	sb_addc(sb, '"');
	while (i < len) {
		switch (s[i]) {
		case '"':	sb_adds(sb, "\\\""); i++; continue;
		case '\\':	sb_adds(sb, "\\\\"); i++; continue;
		case '\n':	sb_adds(sb, "\\n"); i++; continue;
		case '\t':	sb_adds(sb, "\\t"); i++; continue;
		case '\r':	sb_adds(sb, "\\r"); i++; continue;
		}
		if (s[i] < 0x20 || s[i] == 0x7f) {
			sb_addf(sb, "\\u%04x", s[i++]);
			continue;
		}
		if (s[i] < 0x80) {
			sb_addc(sb, (char)s[i++]);
			continue;
		}
		if ((k = utf8_seq(s + i, len - i)) == 0) {
			sb_addf(sb, "\\udc%02x", s[i++]);	/* surrogateescape */
			continue;
		}
		if (sneaky(s + i, k)) {
			cp = k == 2 ? (s[i] & 0x1fu) << 6 | (s[i + 1] & 0x3fu) :
			    (s[i] & 0x0fu) << 12 | (s[i + 1] & 0x3fu) << 6 |
			    (s[i + 2] & 0x3fu);
			sb_addf(sb, "\\u%04x", cp);
		} else
			sb_addn(sb, str + i, k);
		i += k;
	}
	sb_addc(sb, '"');
}

void
nsf_esc_label(struct strbuf *sb, const char *s)
{
	struct strbuf t = STRBUF_INIT;
	const char *p;
	bool utf8 = nsf_esc_utf8;

	/* Labels are UTF-8 whatever the locale of whoever runs nsfind. */
	nsf_esc_utf8 = true;
	nsf_esc_text(&t, s);
	nsf_esc_utf8 = utf8;
	for (p = sb_str(&t); *p; p++) {
		if (*p == '\\' || *p == '"')
			sb_addc(sb, '\\');
		sb_addc(sb, *p);
	}
	sb_free(&t);
}

bool
nsf_utf8_valid(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t len = strlen(str), i = 0, k;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((k = utf8_seq(s + i, len - i)) == 0)
			return false;
		i += k;
	}
	return true;
}

void
nsf_base64(struct strbuf *sb, const void *data, size_t len)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = data;
	char q[4];
	size_t i;
	unsigned v;

	for (i = 0; i + 2 < len; i += 3) {
		v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
		q[0] = b64[v >> 18];
		q[1] = b64[(v >> 12) & 63];
		q[2] = b64[(v >> 6) & 63];
		q[3] = b64[v & 63];
		sb_addn(sb, q, 4);
	}
	if (i < len) {
		v = (unsigned)p[i] << 16 | (i + 1 < len ? (unsigned)p[i + 1] << 8 : 0);
		q[0] = b64[v >> 18];
		q[1] = b64[(v >> 12) & 63];
		q[2] = i + 1 < len ? b64[(v >> 6) & 63] : '=';
		q[3] = '=';
		sb_addn(sb, q, 4);
	}
}
