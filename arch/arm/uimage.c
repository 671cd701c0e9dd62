/* U-Boot legacy uImage wrapping an arm zImage (docs/kernel-abi.md §4.4):
 * a 64-byte big-endian header, then the payload. Only uncompressed
 * kernel payloads are taken (the zImage decompresses itself); the payload
 * CRC is checked so a damaged image is refused before the jump. */
#include <errno.h>
#include <string.h>


#include "inflate.h"
#include "plan.h"

#define UIMAGE_MAGIC	0x27051956u
#define UIMAGE_HDR	64
#define IH_TYPE_KERNEL	2
#define IH_TYPE_KERNEL_NOLOAD 14
#define IH_COMP_NONE	0

static int uimage_probe(const uint8_t *img, size_t len)
{
	if (len < UIMAGE_HDR || be32(img) != UIMAGE_MAGIC) {
		return -ENOEXEC;
	}
	return 0;
}

static int uimage_plan(const struct boot_req *req, const struct memmap *mm,
	struct plan *p)
{
	const uint8_t *img = req->kernel;
	struct boot_req inner;
	uint32_t size, dcrc;
	uint8_t type, comp;

	if (req->kernel_len < UIMAGE_HDR || be32(img) != UIMAGE_MAGIC) {
		return plan_fail(p, -ENOEXEC, "uImage: truncated or bad magic");
	}
	size = be32(img + 0x0c);
	dcrc = be32(img + 0x18);
	type = img[0x1e];
	comp = img[0x1f];
	if (type != IH_TYPE_KERNEL && type != IH_TYPE_KERNEL_NOLOAD) {
		return plan_fail(p, -ENOEXEC, "uImage: type %u is not a kernel",
			type);
	}
	if (comp != IH_COMP_NONE) {
		return plan_fail(p, -ENOEXEC, "uImage: compression %u: only "
			"uncompressed payloads (a zImage) are supported", comp);
	}
	if (size > req->kernel_len - UIMAGE_HDR) {
		return plan_fail(p, -ENOEXEC, "uImage: truncated: the header "
			"says %u bytes of payload, the file has %zu", size,
			req->kernel_len - UIMAGE_HDR);
	}
	if ((uint32_t)inflate_crc32(img + UIMAGE_HDR, size) != dcrc) {
		return plan_fail(p, -EBADMSG, "uImage: payload CRC mismatch "
			"(damaged image)");
	}
	inner = *req;
	inner.kernel = img + UIMAGE_HDR;
	inner.kernel_len = size;
	if (fmt_zimage.probe(inner.kernel, inner.kernel_len) < 0) {
		return plan_fail(p, -ENOEXEC, "uImage: the payload is not a "
			"zImage");
	}
	return fmt_zimage.plan(&inner, mm, p);
}

const struct image_format fmt_uimage = {
	"uImage", uimage_probe, uimage_plan, NULL, 0, 0,
};
