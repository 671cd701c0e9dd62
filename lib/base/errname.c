/* errno names: the contract logs "ENOENT", not a localised sentence;
 * and the pure parsers' refusals, an errno and its sentence. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "hop.h"

#define E(x) { x, #x }
static const struct {
	int err;
	const char *name;
} names[] = {
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG),
	E(ENOEXEC), E(EBADF), E(ECHILD), E(EAGAIN), E(ENOMEM), E(EACCES),
	E(EFAULT), E(EBUSY), E(EEXIST), E(EXDEV), E(ENODEV), E(ENOTDIR),
	E(EISDIR), E(EINVAL), E(ENFILE), E(EMFILE), E(ENOTTY), E(ETXTBSY),
	E(EFBIG), E(ENOSPC), E(ESPIPE), E(EROFS), E(EMLINK), E(EPIPE),
	E(ERANGE), E(ENAMETOOLONG), E(ENOSYS), E(ELOOP), E(ENODATA),
	E(ENOPKG), E(EBADMSG), E(EOVERFLOW), E(ELIBBAD), E(EMSGSIZE),
	E(EOPNOTSUPP), E(EADDRNOTAVAIL), E(ETIMEDOUT), E(ENOKEY),
	E(EKEYREJECTED), E(EKEYEXPIRED), E(EKEYREVOKED), E(ENOMEDIUM),
	E(EMEDIUMTYPE), E(ECANCELED), E(EUCLEAN), E(EDOM), E(EILSEQ),
	E(ENOTBLK), E(ENOTEMPTY), E(ENOLCK),
	/* the network's */
	E(EPROTO), E(ECONNREFUSED), E(ECONNRESET), E(ECONNABORTED),
	E(EHOSTUNREACH), E(EHOSTDOWN), E(ENETUNREACH), E(ENETDOWN), E(ENOLINK),
	E(EPROTONOSUPPORT), E(EADDRINUSE),
};
#undef E

const char *errname(int err)
{
	static char buf[16];
	size_t i;

	if (err < 0) {
		err = -err;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].err == err) {
			return names[i].name;
		}
	}
	snprintf(buf, sizeof(buf), "E%d", err);
	return buf;
}

int hop_why(char *why, size_t whysz, int err, const char *fmt, ...)
{
	va_list ap;

	if (why && whysz) {
		va_start(ap, fmt);
		vsnprintf(why, whysz, fmt, ap);
		va_end(ap);
	}
	return err;
}
