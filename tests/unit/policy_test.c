/* the errno table of lib/load/policy.c (README, "Syscall policy";
 * docs/kernel-abi.md §1.6), row by row */
#include <errno.h>

#include "hop.h"
#include "load.h"
#include "test.h"

static const struct {
	int err;
	enum decision want;
} cases[] = {
	{ ENOSYS, DECIDE_FALLBACK }, { EINVAL, DECIDE_FALLBACK },
	{ ENOEXEC, DECIDE_FALLBACK }, { EOPNOTSUPP, DECIDE_FALLBACK },
	{ EPERM, DECIDE_REFUSE }, { EACCES, DECIDE_REFUSE },
	{ EKEYREJECTED, DECIDE_REFUSE }, { ENOKEY, DECIDE_REFUSE },
	{ EBADMSG, DECIDE_REFUSE }, { ENODATA, DECIDE_REFUSE },
	{ ENOPKG, DECIDE_REFUSE }, { ELIBBAD, DECIDE_REFUSE },
	{ EMSGSIZE, DECIDE_REFUSE },
	{ EBUSY, DECIDE_FAIL }, { ENOMEM, DECIDE_FAIL }, { EBADF, DECIDE_FAIL },
	{ EADDRNOTAVAIL, DECIDE_FAIL }, { ETXTBSY, DECIDE_FAIL },
	{ 524 /* kernel-internal ENOTSUPP */, DECIDE_FAIL },
};

void test_policy(void)
{
	const char *why;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum decision d;

		why = NULL;
		d = policy_decide(cases[i].err, &why);
		CHECK(d == cases[i].want, "policy_decide(%s) = %d; want %d",
			errname(cases[i].err), d, cases[i].want);
		CHECK(why && *why, "policy_decide(%s) gives no reason",
			errname(cases[i].err));
	}
	CHECK_STR("errname(ENOENT)", errname(ENOENT), "ENOENT");
	CHECK_STR("errname(-EKEYREJECTED)", errname(-EKEYREJECTED),
		"EKEYREJECTED");
	CHECK_STR("errname(EOPNOTSUPP)", errname(EOPNOTSUPP), "EOPNOTSUPP");
	CHECK_STR("errname(4095)", errname(4095), "E4095");
}
