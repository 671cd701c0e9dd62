/* HTTP response heads and chunked bodies (lib/net/http.c): the input's
 * head measured and parsed, then its body decoded as chunked, whole and
 * in pieces of 7 bytes; what comes out is checked (abort() otherwise):
 * the same body both ways, every range inside the input, progress on
 * every step, a Location printable */
#include "fuzz.h"
#include "http.h"

/* the body decoded from in[0, n) in pieces of step; its length, -1 on a
 * refusal */
static long decode(const uint8_t *in, size_t n, size_t step, uint8_t *out)
{
	struct http_chunked c;
	size_t at = 0, used, doff, dlen, piece, len = 0;
	char why[256];
	int r;

	http_chunked_init(&c);
	while (at < n) {
		piece = n - at < step ? n - at : step;
		r = http_chunked_step(&c, in + at, piece, &used, &doff, &dlen,
			why, sizeof(why));
		if (r < 0) {
			return -1;
		}
		if (used > piece || (dlen && doff + dlen > used) ||
			(!used && r == 0)) {
			abort();
		}
		memcpy(out + len, in + at + doff, dlen);
		len += dlen;
		at += used;
		if (r == 1) {
			break;
		}
	}
	return (long)len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_head h;
	uint8_t *a = malloc(size + 1), *b = malloc(size + 1);
	char why[256];
	long end, la, lb;
	size_t i;

	end = http_head_end(data, size);
	if (end > 0) {
		if ((size_t)end > size) {
			abort();
		}
		if (http_parse_head(data, (size_t)end, &h, why,
			sizeof(why)) == 0) {
			for (i = 0; h.location[i]; i++) {
				if (h.location[i] <= 0x20 || h.location[i] >= 0x7f) {
					abort();
				}
			}
		}
	}
	la = decode(data, size, size ? size : 1, a);
	lb = decode(data, size, 7, b);
	if ((la >= 0) != (lb >= 0) || (la >= 0 && (la != lb ||
		memcmp(a, b, (size_t)la) != 0))) {
		abort();
	}
	free(a);
	free(b);
	return 0;
}
