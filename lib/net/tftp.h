/* TFTP packets (RFC 1350, options RFC 2347-2349; docs/network.md): the
 * requests and acknowledgements hop sends, the data, option
 * acknowledgements and errors it reads. Pure: the transfer loop (ports,
 * timeouts, retries) is the network layer's. */
#ifndef HOP_TFTP_H
#define HOP_TFTP_H

#include <stddef.h>
#include <stdint.h>

enum { TFTP_RRQ = 1, TFTP_DATA = 3, TFTP_ACK = 4, TFTP_ERROR = 5,
	TFTP_OACK = 6 };

#define TFTP_BLKSIZE_DEFAULT 512
#define TFTP_BLKSIZE_MIN 8	/* RFC 2348 */
#define TFTP_BLKSIZE_MAX 65464
/* what hop asks for: an Ethernet frame's worth (1500 - IP - UDP - 4) */
#define TFTP_BLKSIZE_WANT 1468
#define TFTP_REQ_MAX 512	/* servers may refuse longer requests */
#define TFTP_MSG_MAX 128	/* an error message, as kept */

struct tftp_msg {
	int op;			/* TFTP_DATA, TFTP_ERROR or TFTP_OACK */
	uint16_t block;		/* DATA */
	const uint8_t *data;	/* DATA: into the packet */
	size_t len;
	uint16_t code;		/* ERROR */
	char text[TFTP_MSG_MAX + 1];	/* ERROR, printable only */
	uint32_t blksize;	/* OACK: 0 when not acknowledged */
	uint64_t tsize;		/* OACK: the size, 0 when not given */
	int has_tsize;
};

/* a read request for name (a file name, no NUL inside) asking for blksize
 * and tsize into out; its length, or 0 when it does not fit in outsz or
 * TFTP_REQ_MAX */
size_t tftp_rrq(const char *name, uint8_t *out, size_t outsz);
/* an ACK of block into out (4 bytes) */
size_t tftp_ack(uint16_t block, uint8_t *out);
/* a packet from the server into m: 0, or -EINVAL with why set (a short
 * packet, an unknown opcode, a DATA larger than blksize, an OACK with
 * options hop did not ask for or values out of range) */
int tftp_parse(const uint8_t *pkt, size_t len, uint32_t blksize,
	struct tftp_msg *m, char *why, size_t whysz);

#endif
