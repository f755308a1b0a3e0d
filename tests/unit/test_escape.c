/* test_escape.c - the one escaping policy (escape.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "escape.h"

static char out[4096];

static const char *
text(const char *in)
{
	struct strbuf sb = STRBUF_INIT;

	nsf_esc_text(&sb, in);
	snprintf(out, sizeof(out), "%s", sb_str(&sb));
	sb_free(&sb);
	return out;
}

static const char *
json(const char *in)
{
	struct strbuf sb = STRBUF_INIT;

	nsf_esc_json(&sb, in);
	snprintf(out, sizeof(out), "%s", sb_str(&sb));
	sb_free(&sb);
	return out;
}

static void
text_policy(void **state)
{
	(void)state;
	nsf_esc_utf8 = true;
	assert_string_equal(text("plain /run/netns/a b"), "plain /run/netns/a b");
	assert_string_equal(text("\x1b]0;owned\x07"), "\\x1b]0;owned\\x07");
	assert_string_equal(text("back\\slash"), "back\\x5cslash");
	assert_string_equal(text("new\nline\ttab\x7f"), "new\\x0aline\\x09tab\\x7f");
	/* C1 control U+009B (CSI), bidi override U+202E, isolate U+2066 */
	assert_string_equal(text("a\xc2\x9b" "b"), "a\\xc2\\x9bb");
	assert_string_equal(text("x\xe2\x80\xaey"), "x\\xe2\\x80\\xaey");
	assert_string_equal(text("x\xe2\x81\xa6y"), "x\\xe2\\x81\\xa6y");
	assert_string_equal(text("x\xe2\x80\x8fy"), "x\\xe2\\x80\\x8fy");
	/* valid UTF-8 stays; invalid bytes, overlongs and surrogates do not */
	assert_string_equal(text("caf\xc3\xa9 \xc2\xbb"), "caf\xc3\xa9 \xc2\xbb");
	assert_string_equal(text("\xff\xc0\xaf"), "\\xff\\xc0\\xaf");
	assert_string_equal(text("\xed\xa0\x80"), "\\xed\\xa0\\x80");
	assert_string_equal(text("\xe2\x82"), "\\xe2\\x82");
	/* paths as mount tables give them */
	assert_string_equal(text(""), "");
	assert_string_equal(text("a\nb\tc\\d"), "a\\x0ab\\x09c\\x5cd");
	assert_string_equal(text("\\n"), "\\x5cn");	/* not a newline */
	assert_string_equal(text("\r\x01\x1b[31m"), "\\x0d\\x01\\x1b[31m");
	assert_string_equal(text("/run/\xc3\xa9t\xc3\xa9/\xe6\x97\xa5/\xf0\x9f\x98\x80"),
	    "/run/\xc3\xa9t\xc3\xa9/\xe6\x97\xa5/\xf0\x9f\x98\x80");
	assert_string_equal(text("a\xc3"), "a\\xc3");
	assert_string_equal(text("\xc3("), "\\xc3(");
	assert_string_equal(text("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");
	assert_string_equal(text("\xe0\x80\xaf"), "\\xe0\\x80\\xaf");
	assert_string_equal(text("\xe2\x80\xa8"), "\\xe2\\x80\\xa8");
	assert_string_equal(text("\xc2\xa0"), "\xc2\xa0");	/* no-break space */
	/* a locale that is not UTF-8 gets no raw byte above 0x7f */
	nsf_esc_utf8 = false;
	assert_string_equal(text("caf\xc3\xa9"), "caf\\xc3\\xa9");
	nsf_esc_utf8 = true;
}

static void
json_policy(void **state)
{
	(void)state;
	assert_string_equal(json("a\"b\\c\nd\te\rf\x01g\x7fh \xc2\xbb"),
	    "\"a\\\"b\\\\c\\nd\\te\\rf\\u0001g\\u007fh \xc2\xbb\"");
	assert_string_equal(json("\xff" "a\xc3"), "\"\\udcffa\\udcc3\"");
	assert_string_equal(json("\xc2\x85|\xe2\x80\xae"), "\"\\u0085|\\u202e\"");
}

static void
label_policy(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	nsf_esc_utf8 = false;	/* labels are UTF-8 whatever the locale */
	nsf_esc_label(&sb, "a\"b\\c\nd\xff\xc3\xa9");
	assert_string_equal(sb_str(&sb), "a\\\"b\\\\x5cc\\\\x0ad\\\\xff\xc3\xa9");
	nsf_esc_utf8 = true;
	sb_free(&sb);
}

static void
helpers(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	assert_true(nsf_utf8_valid("ok \xc3\xa9"));
	assert_false(nsf_utf8_valid("bad \xff"));
	nsf_base64(&sb, "\xff/x", 3);
	assert_string_equal(sb_str(&sb), "/y94");
	sb_reset(&sb);
	nsf_base64(&sb, "ab", 2);
	assert_string_equal(sb_str(&sb), "YWI=");
	sb_reset(&sb);
	nsf_base64(&sb, "a", 1);
	assert_string_equal(sb_str(&sb), "YQ==");
	sb_free(&sb);
}

/* Every byte string escapes to printable ASCII or clean UTF-8. */
static void
random_bytes(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char in[64];
	size_t i, k;
	int round;

	(void)state;
	srand(42);
	for (round = 0; round < 20000; round++) {
		for (i = 0; i < sizeof(in) - 1; i++)
			in[i] = (char)(rand() % 255 + 1);
		in[sizeof(in) - 1] = '\0';
		sb_reset(&sb);
		nsf_esc_text(&sb, in);
		assert_true(nsf_utf8_valid(sb_str(&sb)));
		for (k = 0; k < sb.len; k++)
			assert_false((unsigned char)sb.buf[k] < 0x20 ||
			    sb.buf[k] == 0x7f);
		sb_reset(&sb);
		nsf_esc_json(&sb, in);
		assert_true(nsf_utf8_valid(sb_str(&sb)));
	}
	sb_free(&sb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_policy),
		cmocka_unit_test(json_policy),
		cmocka_unit_test(label_policy),
		cmocka_unit_test(helpers),
		cmocka_unit_test(random_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
