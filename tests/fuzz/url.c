/* URLs (lib/net/url.c): the input parsed, resolved against a base and
 * used as a base, unescaped; what the module promises is checked
 * (abort() otherwise): a URL it takes formats to a string it reads back
 * to the same URL, and what it resolves is a URL it takes */
#include "fuzz.h"
#include "url.h"

static void same_back(const char *s)
{
	char out[URL_MAX + 1], why[256];
	struct url u, v;

	if (url_parse(s, &u, why, sizeof(why)) < 0) {
		return;
	}
	if (url_format(&u, out, sizeof(out)) < 0 ||
		url_parse(out, &v, why, sizeof(why)) < 0 ||
		u.scheme != v.scheme || u.port != v.port || u.ipv6 != v.ipv6 ||
		strcmp(u.host, v.host) || strcmp(u.target, v.target)) {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	char out[URL_MAX + 1], why[256];

	same_back(s);
	if (url_resolve("http://h:81/a/b/c?q", s, out, sizeof(out), why,
		sizeof(why)) == 0) {
		same_back(out);
		if (!url_is_url(out)) {
			abort();
		}
	}
	if (url_resolve(s, "../x/./y?z#f", out, sizeof(out), why,
		sizeof(why)) == 0) {
		same_back(out);
	}
	url_unescape(s, out, sizeof(out));
	free(s);
	return 0;
}
