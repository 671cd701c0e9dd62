/* The syscall policy, in one place (README, "Syscall policy";
 * docs/kernel-abi.md §1.6). kexec_file_load answers with an errno; this
 * table says whether kexec_load may try instead. A refusal of policy
 * (lockdown, signature, IMA) is final: kexec_load would be refused by the
 * same policy or, worse, would boot what the policy meant to stop. */
#include <errno.h>
#include <stddef.h>

#include "hop.h"
#include "load.h"

static const struct {
	int err;
	enum decision decision;
	const char *why;
} table[] = {
	{ ENOSYS, DECIDE_FALLBACK, "the running kernel has no kexec_file_load" },
	{ EINVAL, DECIDE_FALLBACK,
		"the kernel's file loader does not take this image or request" },
	{ ENOEXEC, DECIDE_FALLBACK,
		"the kernel's file loader does not know this image format" },
	{ EOPNOTSUPP, DECIDE_FALLBACK,
		"the kernel's file loader does not support this request" },
	{ EPERM, DECIDE_REFUSE,
		"not permitted (lockdown, kexec_load_disabled or no CAP_SYS_BOOT)" },
	{ EACCES, DECIDE_REFUSE, "refused by a security module (IMA or LSM)" },
	{ EKEYREJECTED, DECIDE_REFUSE, "the image's signature was rejected" },
	{ ENOKEY, DECIDE_REFUSE, "no trusted key matches the image's signature" },
	{ EBADMSG, DECIDE_REFUSE, "the image's signature is malformed" },
	{ ENODATA, DECIDE_REFUSE, "the image is not signed" },
	{ ENOPKG, DECIDE_REFUSE, "the signature's algorithm is not available" },
	{ ELIBBAD, DECIDE_REFUSE, "the image's signature table is malformed" },
	{ EMSGSIZE, DECIDE_REFUSE, "the image's signature is malformed" },
};

enum decision policy_decide(int err, const char **why)
{
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (table[i].err == err) {
			*why = table[i].why;
			return table[i].decision;
		}
	}
	*why = "kexec_file_load failed for a reason kexec_load cannot fix";
	return DECIDE_FAIL;
}
