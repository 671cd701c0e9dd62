/* Unified Kernel Images (issue 22): a PE file, systemd-stub or another
 * EFI stub, whose sections carry the kernel (.linux), its initrd,
 * command line, tree, uname and os-release (the UAPI group's "Unified
 * Kernel Image" specification, uapi-group.org/specifications/specs/
 * unified_kernel_image/), and since systemd 257 several profiles, each
 * started by a .profile section. Pure: the headers in, spans of the file
 * out; hop reads the sections' bytes itself. */
#ifndef HOP_UKI_H
#define HOP_UKI_H

#include <stddef.h>
#include <stdint.h>

enum uki_sect {
	UKI_LINUX, UKI_INITRD, UKI_CMDLINE, UKI_DTB, UKI_UNAME, UKI_OSREL,
	UKI_PROFILE, UKI_NSECT
};
/* profiles one image may have (systemd's ukify makes a handful) */
#define UKI_MAX_PROFILES 16
/* bytes of the file the headers and section table must lie in: the
 * stubs' tables end below 1 KiB; 96 sections, PE's limit, need 4 KiB */
#define UKI_HEAD_MAX 65536
/* NumberOfSections allowed: the PE/COFF specification's loader limit,
 * which systemd-stub enforces too */
#define UKI_MAX_SECTIONS 96

/* in the file; len 0: absent */
struct uki_span {
	uint64_t off, len;
};
struct uki_view {
	struct uki_span s[UKI_NSECT];
};
struct uki {
	uint16_t machine;	/* PE Machine: 0x8664 x86_64, 0xaa64 arm64,
				 * 0x1c2/0x1c4 arm */
	size_t nprofiles;	/* .profile sections; 0: none (one implicit
				 * profile) */
	struct uki_view base;	/* the sections before the first .profile */
	/* each profile's own sections, .profile included */
	struct uki_view prof[UKI_MAX_PROFILES];
};

/* 1 when head (the file's first bytes) is a PE image with a ".linux"
 * section in its table: a UKI, even a broken one (uki_parse says what is
 * wrong); else 0. An EFI-stub kernel is a PE without .linux: 0. */
int uki_probe(const uint8_t *head, size_t head_len);

/* the headers and section table, from the file's first head_len bytes
 * (at least what the table needs; past UKI_HEAD_MAX is not looked at),
 * file_len the whole file's size: every section's [PointerToRawData,
 * + min(VirtualSize, SizeOfRawData)) must lie in the file. 0, or
 * -ENOEXEC (not a PE image, no .linux), -EINVAL with why (truncated
 * headers, too many sections, a section past the end, one of the
 * sections above twice in one profile, a profile without a kernel, more
 * than UKI_MAX_PROFILES profiles). */
int uki_parse(const uint8_t *head, size_t head_len, uint64_t file_len,
	struct uki *u, char *why, size_t whysz);

/* profile k's view (k < max(1, nprofiles)): the base sections, each
 * replaced by the profile's own where it has one; -ENOENT past the last */
int uki_view(const struct uki *u, size_t k, struct uki_view *out);

/* KEY's value in an os-release text (.osrel) or a .profile (ID=,
 * TITLE=), os-release(5)'s shell-like quoting, the last assignment
 * winning; into out, NUL ended, printable (valid UTF-8, no control byte:
 * else -EINVAL). 0, -ENOENT when the key is absent, -E2BIG when longer
 * than outsz - 1, -EINVAL for an unterminated quote. */
int uki_osrel(const uint8_t *text, size_t len, const char *key, char *out,
	size_t outsz);

/* a .cmdline's bytes as a command line: up to the first NUL, tabs and
 * newlines as spaces, trailing whitespace trimmed; into out, NUL ended.
 * 0, -E2BIG past outsz - 1, -EINVAL for another control byte or
 * invalid UTF-8. */
int uki_cmdline(const uint8_t *text, size_t len, char *out, size_t outsz);

#endif
