#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "json.h"
#include "util.h"

static void
escape(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	json_escape(&sb, "a\"b\\c\nd\te\rf\x01g\x7fh \xc2\xbb");
	assert_string_equal(sb_str(&sb),
	    "\"a\\\"b\\\\c\\nd\\te\\rf\\u0001g\\u007fh \xc2\xbb\"");
	sb_free(&sb);
}

static void
document(void **state)
{
	struct json j;

	(void)state;
	json_init(&j, false);
	json_obj_open(&j, NULL);
	json_arr_open(&j, "a");
	json_obj_open(&j, NULL);
	json_u64(&j, "ns", 4026531833ULL);
	json_str(&j, "s", NULL);
	json_bool(&j, "b", true);
	json_i64(&j, "n", -1);
	json_obj_close(&j);
	json_arr_close(&j);
	json_arr_open(&j, "empty");
	json_arr_close(&j);
	json_obj_close(&j);
	assert_string_equal(sb_str(&j.sb),
	    "{\"a\":[{\"ns\":4026531833,\"s\":null,\"b\":true,\"n\":-1}],\"empty\":[]}");
	sb_free(&j.sb);
}

static void
strbuf_grows(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char *s;
	int i;

	(void)state;
	assert_string_equal(sb_str(&sb), "");
	for (i = 0; i < 1000; i++)
		sb_addf(&sb, "%d,", i);
	assert_int_equal(strncmp(sb_str(&sb), "0,1,2,", 6), 0);
	s = sb_detach(&sb);
	assert_string_equal(sb_str(&sb), "");
	assert_int_equal(s[strlen(s) - 1], ',');
	free(s);
	sb_free(&sb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escape),
		cmocka_unit_test(document),
		cmocka_unit_test(strbuf_grows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
