#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "nstype.h"
#include "procparse.h"

static void
stat_plain(void **state)
{
	char *comm;
	int ppid;
	bool k;

	(void)state;
	assert_int_equal(nsf_parse_stat("123 (sleep) S 45 123 45 0 -1 4194304 99 0",
	    &comm, &ppid, &k), 0);
	assert_string_equal(comm, "sleep");
	assert_int_equal(ppid, 45);
	assert_false(k);
	free(comm);
}

/* A command name may hold spaces and parentheses: it runs to the last ')'. */
static void
stat_hostile_comm(void **state)
{
	char *comm;
	int ppid;
	bool k;

	(void)state;
	assert_int_equal(nsf_parse_stat("7 (a) b (c)) R 1 7 7 0 -1 0", &comm, &ppid, &k), 0);
	assert_string_equal(comm, "a) b (c)");
	assert_int_equal(ppid, 1);
	free(comm);
	assert_int_equal(nsf_parse_stat("8 () S 2 0 0 0 -1 0", &comm, &ppid, &k), 0);
	assert_string_equal(comm, "");
	free(comm);
}

static void
stat_kthread(void **state)
{
	char *comm;
	int ppid;
	bool k;

	(void)state;
	assert_int_equal(nsf_parse_stat("2 (kthreadd) S 0 0 0 0 -1 2129984 0", &comm, &ppid, &k), 0);
	assert_string_equal(comm, "kthreadd");
	assert_int_equal(ppid, 0);
	assert_true(k);
	free(comm);
}

static void
stat_malformed(void **state)
{
	char *comm;
	int ppid;
	bool k;

	(void)state;
	assert_int_equal(nsf_parse_stat("", &comm, &ppid, &k), -1);
	assert_null(comm);
	assert_int_equal(nsf_parse_stat("12 sleep S 1", &comm, &ppid, &k), -1);
	assert_int_equal(nsf_parse_stat("12 )sleep( S 1", &comm, &ppid, &k), -1);
	/* Truncated after the name: name kept, no parent, not a kernel thread. */
	assert_int_equal(nsf_parse_stat("12 (x)", &comm, &ppid, &k), 0);
	assert_string_equal(comm, "x");
	assert_int_equal(ppid, -1);
	assert_false(k);
	free(comm);
}

struct seen {
	int	 n;
	int	 slot[8], type[8];
	uint64_t ino[8];
};

static void
collect(int slot, int type, uint64_t ino, void *arg)
{
	struct seen *s = arg;

	if (s->n < 8) {
		s->slot[s->n] = slot;
		s->type[s->n] = type;
		s->ino[s->n] = ino;
	}
	s->n++;
}

static void
uring_files(void **state)
{
	static const char text[] =
	    "pos:\t0\nflags:\t02000002\nSqMask:\t0x3\n"
	    "UserFiles:\t4\n"
	    "    0: net:[4026532246]\n"
	    "    1: /tmp/some file\n"
	    "    2: socket:[55]\n"
	    "12345: uts:[4026532999]\n"
	    "UserBufs:\t0\n"
	    "    0: net:[1]\n";	/* a buffer, not a file */
	struct seen s;

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(nsf_parse_uring_files(text, collect, &s), 2);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.slot[0], 0);
	assert_int_equal(s.type[0], NSF_NET);
	assert_true(s.ino[0] == 4026532246ULL);
	assert_int_equal(s.slot[1], 12345);
	assert_int_equal(s.type[1], NSF_UTS);
}

static void
uring_malformed(void **state)
{
	struct seen s;
	char *big;

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(nsf_parse_uring_files("", collect, &s), 0);
	assert_int_equal(nsf_parse_uring_files("UserFiles:", collect, &s), 0);
	assert_int_equal(nsf_parse_uring_files("    0: net:[1]\n", collect, &s), 0);
	assert_int_equal(nsf_parse_uring_files("UserFiles:\t1\n   x: net:[1]\n    1: net:[2]",
	    collect, &s), 0);
	assert_int_equal(nsf_parse_uring_files("UserFiles:\t1\n -1: net:[1]\n", collect, &s), 0);
	assert_int_equal(nsf_parse_uring_files("UserFiles:\t1\n 99999999999: net:[1]\n",
	    collect, &s), 0);
	/* A very long line is cut, not overrun. */
	big = malloc(100000);
	memset(big, 'a', 99999);
	big[99999] = '\0';
	memcpy(big, "UserFiles:\n    3: net:[", 23);
	assert_int_equal(nsf_parse_uring_files(big, collect, &s), 0);
	free(big);
	assert_int_equal(s.n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stat_plain),
		cmocka_unit_test(stat_hostile_comm),
		cmocka_unit_test(stat_kthread),
		cmocka_unit_test(stat_malformed),
		cmocka_unit_test(uring_files),
		cmocka_unit_test(uring_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
