#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernel.h"
#include "nstype.h"

static void
test_names(void **state)
{
	(void)state;
	assert_int_equal(nsf_type_from_name("net"), NSF_NET);
	assert_int_equal(nsf_type_from_name("mnt"), NSF_MNT);
	assert_int_equal(nsf_type_from_name("mount"), NSF_MNT);
	assert_int_equal(nsf_type_from_name("pid_for_children"), NSF_PID);
	assert_int_equal(nsf_type_from_name("time_for_children"), NSF_TIME);
	assert_int_equal(nsf_type_from_name("bogus"), -1);
	assert_int_equal(nsf_type_from_name(""), -1);
	assert_int_equal(nsf_type_from_name(NULL), -1);
	assert_string_equal(nsf_type_name(NSF_USER), "user");
	assert_string_equal(nsf_type_name(NSF_NTYPES), "?");
}

static void
test_clone(void **state)
{
	int t;

	(void)state;
	for (t = 0; t < NSF_NTYPES; t++)
		assert_int_equal(nsf_type_from_clone(nsf_type_clone(t)), t);
	assert_int_equal(nsf_type_from_clone(CLONE_NEWNET), NSF_NET);
	assert_int_equal(nsf_type_from_clone(0x1), -1);
	assert_int_equal(nsf_type_init_ino(NSF_IPC), 0xEFFFFFFFU);
	assert_int_equal(nsf_type_init_ino(NSF_MNT), 0xEFFFFFF8U);
}

static void
test_nslink(void **state)
{
	uint64_t ino;
	int type;

	(void)state;
	assert_int_equal(nsf_parse_nslink("net:[4026531833]", &type, &ino), 0);
	assert_int_equal(type, NSF_NET);
	assert_true(ino == 4026531833ULL);
	assert_int_equal(nsf_parse_nslink("pid_for_children:[12]", &type, &ino), 0);
	assert_int_equal(type, NSF_PID);
	assert_true(ino == 12);
	assert_int_equal(nsf_parse_nslink("net:[]", &type, &ino), -1);
	assert_int_equal(nsf_parse_nslink("net:[12", &type, &ino), -1);
	assert_int_equal(nsf_parse_nslink("net:[12]x", &type, &ino), -1);
	assert_int_equal(nsf_parse_nslink("socket:[12]", &type, &ino), -1);
	assert_int_equal(nsf_parse_nslink("/dev/null", &type, &ino), -1);
	assert_int_equal(nsf_parse_nslink(":[1]", &type, &ino), -1);
	assert_int_equal(nsf_parse_nslink("net[1]", &type, &ino), -1);
	assert_int_equal(nsf_parse_nslink("averyveryveryverylongtypenamethatoverflows:[1]", &type, &ino), -1);
	assert_int_equal(nsf_parse_nslink(NULL, &type, &ino), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_clone),
		cmocka_unit_test(test_nslink),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
