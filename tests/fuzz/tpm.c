/* TPM 2.0 responses (lib/trust/tpm.c): TPM2_GetCapability(TPM_CAP_PCRS)
 * and TPM2_PCR_Read for the PCR the first byte names, and any response
 * header; the banks
 * bounded, a response code's text bounded, a reason always set on an
 * error */
#include <errno.h>

#include "fuzz.h"
#include "tpm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint16_t algs[TPM_MAX_BANKS];
	char why[256], t[64];
	size_t n = 99;
	uint32_t rc;
	int err;

	if (!size) {
		return 0;
	}
	why[0] = 1;
	err = tpm_parse_pcrs(data + 1, size - 1, data[0] % (TPM_MAX_PCR + 1),
		algs, &n, &rc, why, sizeof(why));
	if (n > TPM_MAX_BANKS || (err && err != -EPROTO && err != -EIO) ||
		(err == -EIO && !rc) || (err && !memchr(why, 0, sizeof(why)))) {
		abort();
	}
	{
		struct tpm_digests d;
		size_t i;

		err = tpm_parse_pcr_read(data + 1, size - 1, data[0] %
			(TPM_MAX_PCR + 1), &d, &rc, why, sizeof(why));
		if (d.n > TPM_MAX_BANKS || (err && d.n) || (err &&
			err != -EPROTO && err != -EIO)) {
			abort();
		}
		for (i = 0; i < d.n; i++) {
			if (d.v[i].len != tpm_alg_size(d.v[i].alg)) {
				abort();	/* a value of the bank's size */
			}
		}
	}
	err = tpm_parse_rc(data, size, &rc, why, sizeof(why));
	if ((err && err != -EPROTO && err != -EIO) || (err == -EIO && !rc) ||
		(!err && rc)) {
		abort();
	}
	if (size >= 4) {
		tpm_rc_text((uint32_t)data[0] << 24 | data[1] << 16 |
			data[2] << 8 | data[3], t, sizeof(t));
		if (!memchr(t, 0, sizeof(t))) {
			abort();
		}
	}
	return 0;
}
