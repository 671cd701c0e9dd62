/* What libsodium's verify path (crypto_sign_ed25519_verify_detached,
 * crypto_generichash_blake2b) needs from the rest of libsodium, done here
 * so the rest is never linked. Debian's libsodium.a is built without
 * -ffunction-sections: an object comes whole or not at all. Its
 * sodium/utils.c (sodium_memzero, sodium_memcmp, sodium_is_zero, called
 * by sign.c, open.c, ed25519_ref10.c, hash_sha512_cp.c and blake2b-ref.c)
 * also holds the guarded allocator, which calls randombytes and
 * sodium_misuse; sodium_misuse lives in sodium/core.c with sodium_init,
 * which calls every implementation picker; and with them come argon2,
 * chacha20, salsa20, poly1305, curve25519 and the /dev/urandom reader:
 * about 100 KB of x86_64 code, from one reference to sodium_memzero.
 *
 * hop never calls sodium_init(): it only probes the CPU for faster
 * implementations and opens the random device, and neither verifying an
 * Ed25519 signature nor hashing with BLAKE2b needs either (libsodium
 * 1.0.18: crypto_sign/ed25519/ref10/open.c calls no picker, and
 * crypto_generichash/blake2b/ref/blake2b-ref.c starts with blake2b_compress
 * = blake2b_compress_ref, which only blake2b_pick_best_implementation,
 * called by sodium_init, changes).
 *
 * The three below do what libsodium 1.0.18's sodium/utils.c does, the
 * same way: the comparisons take the same time whatever the bytes. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

void sodium_memzero(void *pnt, size_t len);
int sodium_memcmp(const void *b1, const void *b2, size_t len);
int sodium_is_zero(const unsigned char *n, size_t nlen);
void sodium_misuse(void) __attribute__((noreturn));

void sodium_memzero(void *pnt, size_t len)
{
	explicit_bzero(pnt, len);
}

/* 0 when the len bytes are equal, else -1 */
int sodium_memcmp(const void *b1, const void *b2, size_t len)
{
	const volatile unsigned char *a = b1, *b = b2;
	unsigned char d = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		d |= a[i] ^ b[i];
	}
	return (1 & ((d - 1) >> 8)) - 1;
}

/* 1 when the nlen bytes are all zero, else 0 */
int sodium_is_zero(const unsigned char *n, size_t nlen)
{
	const volatile unsigned char *p = n;
	unsigned char d = 0;
	size_t i;

	for (i = 0; i < nlen; i++) {
		d |= p[i];
	}
	return 1 & ((d - 1) >> 8);
}

/* libsodium calls it on a caller's bug (a BLAKE2b output length of 0 or
 * over 64): sig.c asks for 64 always. libsodium's own aborts as well */
void sodium_misuse(void)
{
	abort();
}

#if defined(__x86_64__)
/* blake2b-ref.o's blake2b_pick_best_implementation names the SSSE3,
 * SSE4.1 and AVX2 compression functions (17 KB); only sodium_init calls
 * it, which hop never does, so they can never run: these stand in for
 * them, and would stop hop rather than hash wrongly if they ever did */
struct blake2b_state;
int blake2b_compress_ssse3(struct blake2b_state *s, const unsigned char *b);
int blake2b_compress_sse41(struct blake2b_state *s, const unsigned char *b);
int blake2b_compress_avx2(struct blake2b_state *s, const unsigned char *b);

int blake2b_compress_ssse3(struct blake2b_state *s, const unsigned char *b)
{
	(void)s;
	(void)b;
	abort();
}

int blake2b_compress_sse41(struct blake2b_state *s, const unsigned char *b)
{
	(void)s;
	(void)b;
	abort();
}

int blake2b_compress_avx2(struct blake2b_state *s, const unsigned char *b)
{
	(void)s;
	(void)b;
	abort();
}
#endif
