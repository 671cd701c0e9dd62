/* The agent's network (README, "Network boot"): hop.net brings an
 * interface up once per boot, the first time a source is a URL; sources
 * by URL are fetched into sealed memfds (lib/net/fetch.c); hop.config=URL
 * and hop.config=pxe find a configuration on a server. Every failure is
 * one line naming the URL, the server and the reason, and the caller goes
 * on to the next source or hop.onfail. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fetch.h"
#include "hop.h"
#include "link.h"
#include "net.h"
#include "netboot.h"
#include "pxe.h"
#include "url.h"

static struct {
	const char *spec;	/* hop.net as given, NULL: dhcp */
	const char *ca;		/* hop.ca as given, NULL: none */
	int timeout_s;
	int state;		/* 0: not tried, 1: up, -errno: failed */
	char iface[NET_IFNAME_MAX];
	uint8_t mac[6], uuid[16];
	int has_uuid, dhcp, dhcp6;
	struct dhcp_lease lease;
	struct dhcp6_info info6;	/* dhcp6 */
} net;

void netboot_setup(const char *spec, const char *ca, int timeout_s)
{
	memset(&net, 0, sizeof(net));
	net.spec = spec;
	net.ca = ca;
	net.timeout_s = timeout_s;
}

/* the interfaces to try: the one named, waited for, or all there are,
 * waiting for the first to appear */
static int interfaces(const struct net_spec *s, long long deadline,
	char names[][NET_IFNAME_MAX])
{
	char path[64];
	struct stat st;
	int n, told = 0;

	for (;;) {
		if (s->iface[0]) {
			snprintf(path, sizeof(path), "/sys/class/net/%s",
				s->iface);
			n = stat(path, &st) == 0;
			if (n) {
				snprintf(names[0], NET_IFNAME_MAX, "%s", s->iface);
			}
		} else {
			n = link_list(names, NET_IFACES_MAX);
		}
		if (n > 0 || mono_ms() >= deadline) {
			return n < 0 ? 0 : n;
		}
		if (!told) {
			hop_log("net: waiting up to %d s for %s", net.timeout_s,
				s->iface[0] ? s->iface : "a network interface");
			told = 1;
		}
		usleep(100 * 1000);
	}
}

/* the DNS servers (addresses as text) for musl's resolver */
static void write_resolv(char (*dns)[INET6_ADDRSTRLEN], size_t n)
{
	size_t i;
	FILE *f;

	if (!n) {
		return;
	}
	mkdir("/etc", 0755);
	f = fopen("/etc/resolv.conf", "we");
	for (i = 0; f && i < n; i++) {
		fprintf(f, "nameserver %s\n", dns[i]);
	}
	if (f) {
		fclose(f);
	}
}

static void resolv_ipv4(const uint32_t *dns, size_t n)
{
	char text[DHCP_DNS_MAX][INET6_ADDRSTRLEN];
	size_t i;

	for (i = 0; i < n && i < DHCP_DNS_MAX; i++) {
		net_ip(dns[i], text[i]);
	}
	write_resolv(text, i);
}

/* carrier on ifname by deadline: 1, else 0 */
static int carrier(const char *ifname, long long deadline)
{
	while (!link_carrier(ifname)) {
		if (mono_ms() >= deadline) {
			return 0;
		}
		usleep(50 * 1000);
	}
	return 1;
}

/* IPv6 on ifname: an address from SLAAC (the kernel's, from the
 * router's advertisements), then DHCPv6's boot file URL and DNS */
static int up_dhcp6(const char *ifname, long long deadline)
{
	char addr[64], why[200], dns[DHCP6_DNS_MAX][INET6_ADDRSTRLEN];
	size_t i, n = 0;
	int err;

	while (!link_ipv6_global(ifname, addr, sizeof(addr))) {
		if (mono_ms() >= deadline) {
			hop_log("net: %s: no IPv6 address from the router "
				"(SLAAC) within hop.timeout", ifname);
			return -EADDRNOTAVAIL;
		}
		usleep(100 * 1000);
	}
	err = link_dhcp6(ifname, net.mac, deadline, &net.info6, why,
		sizeof(why));
	if (err < 0) {
		hop_log("net: %s: DHCPv6: %s (%s)", ifname, why, errname(err));
		return err;
	}
	for (i = 0; i < net.info6.ndns; i++) {
		n += inet_ntop(AF_INET6, net.info6.dns[i], dns[n],
			sizeof(dns[n])) != NULL;
	}
	write_resolv(dns, n);
	net.dhcp6 = 1;
	hop_log("net: %s: %s (SLAAC), boot file URL %s (DHCPv6)", ifname,
		addr, net.info6.bootfile_url[0] ? net.info6.bootfile_url :
		"none");
	return 0;
}

static int bring_up(void)
{
	char names[NET_IFACES_MAX][NET_IFNAME_MAX], why[200], a[16], b[16],
		c[16];
	long long deadline = mono_ms() + net.timeout_s * 1000LL;
	struct net_spec s;
	int i, n, err, tried = 0;

	/* hop init on a running system (not PID 1) leaves its network as
	 * it is unless hop.net says otherwise: DHCP on a workstation's eth0
	 * would take its address away */
	if (!net.spec && getpid() != 1) {
		hop_log("net: not PID 1 and no hop.net: this system's network "
			"is used as it is");
		return 0;
	}
	if (net_spec_parse(net.spec ? net.spec : "dhcp", &s, why,
		sizeof(why)) < 0) {
		hop_error("hop.net", "'%s': %s", net.spec, why);
		return -EINVAL;
	}
	if (s.mode == NET_OFF) {
		hop_error("hop.net", "off: a source is a URL, and the network "
			"is not to be used");
		return -ENETDOWN;
	}
	n = interfaces(&s, deadline, names);
	if (n == 0) {
		hop_error("hop.net", "%s after %d s (hop.timeout; a driver "
			"missing? see hop.modules)", s.iface[0] ? "no such "
			"interface" : "no network interface", net.timeout_s);
		return -ENODEV;
	}
	for (i = 0; i < n; i++) {
		err = link_up(names[i]);
		if (err < 0) {
			hop_warn(names[i], "cannot bring it up: %s", errname(err));
		}
	}
	net.has_uuid = link_machine_uuid(net.uuid) == 0;
	err = -ENOLINK;
	for (i = 0; i < n; i++) {
		/* the interfaces left share what is left of hop.timeout */
		long long left = deadline - mono_ms(), mine = mono_ms() +
			(left > 0 ? left / (n - i) : 0);

		if (!carrier(names[i], n == 1 ? deadline : mine)) {
			hop_log("net: %s: no carrier", names[i]);
			continue;
		}
		tried++;
		if (link_mac(names[i], net.mac) < 0) {
			continue;
		}
		snprintf(net.iface, sizeof(net.iface), "%.15s", names[i]);
		if (s.mode == NET_STATIC) {
			err = link_set_ipv4(names[i], s.addr, s.prefix,
				s.gateway);
			if (err < 0) {
				hop_error("hop.net", "%s: setting %s/%d: %s",
					names[i], net_ip(s.addr, a), s.prefix,
					errname(err));
				return err;
			}
			resolv_ipv4(&s.dns, s.dns ? 1 : 0);
			hop_log("net: %s: %s/%d%s%s (hop.net)", names[i],
				net_ip(s.addr, a), s.prefix, s.gateway ?
				" via " : "", s.gateway ? net_ip(s.gateway, b) :
				"");
			net.lease.addr = s.addr;
			return 0;
		}
		if (s.mode == NET_DHCP6) {
			err = up_dhcp6(names[i], i + 1 == n ? deadline : mine);
			if (err == 0) {
				return 0;
			}
			continue;
		}
		err = link_dhcp(names[i], net.mac, net.has_uuid ? net.uuid :
			NULL, i + 1 == n ? deadline : (mine > mono_ms() + 4000 ?
			mine : mono_ms() + 4000), &net.lease, why, sizeof(why));
		if (err < 0) {
			hop_log("net: %s: DHCP: %s (%s)", names[i], why,
				errname(err));
			continue;
		}
		if (net.lease.prefix < 0) {
			net.lease.prefix = 24;	/* no mask given */
		}
		err = link_set_ipv4(names[i], net.lease.addr, net.lease.prefix,
			net.lease.router);
		if (err < 0) {
			hop_error("hop.net", "%s: setting %s/%d from DHCP: %s",
				names[i], net_ip(net.lease.addr, a),
				net.lease.prefix, errname(err));
			return err;
		}
		resolv_ipv4(net.lease.dns, net.lease.ndns);
		net.dhcp = 1;
		hop_log("net: %s: %s/%d via %s (DHCP server %s)", names[i],
			net_ip(net.lease.addr, a), net.lease.prefix,
			net.lease.router ? net_ip(net.lease.router, b) : "none",
			net_ip(net.lease.server_id, c));
		return 0;
	}
	hop_error("hop.net", "%s: %s", s.mode == NET_STATIC ? "no interface "
		"with carrier" : s.mode == NET_DHCP6 ? "no answer by DHCPv6 on "
		"any interface" : "no address by DHCP on any interface",
		tried ? "every interface with carrier failed (above)" :
		"no interface had carrier within hop.timeout");
	return err < 0 ? err : -ENOLINK;
}

int netboot_up(void)
{
	if (!net.state) {
		net.state = bring_up();
		net.state = net.state == 0 ? 1 : net.state;
	}
	return net.state == 1 ? 0 : net.state;
}

int netboot_fetch(const char *what, const char *url, int hash,
	struct fetched *f)
{
	char why[512];
	int err = netboot_up();

	if (err < 0) {
		hop_error(what, "%s: not fetched: the network is not up (%s)",
			url, errname(err));
		return err;
	}
	hop_log("net: fetching %s", url);
	err = net_fetch(url, net.ca, hash, 0, f, why, sizeof(why));
	if (err < 0) {
		hop_error(what, "%s: %s (%s)", url, why, errname(err));
	}
	return err;
}

int netboot_resolve(const char *what, const char *url, char **out, int *fd,
	char sha[65])
{
	struct fetched f;
	int err = netboot_fetch(what, url, sha != NULL, &f);

	if (err < 0) {
		return err;
	}
	*out = file_fd_path(f.fd);
	if (!*out) {
		close(f.fd);
		return -ENOMEM;
	}
	*fd = f.fd;
	if (sha) {
		memcpy(sha, f.sha256, 65);
	}
	return 0;
}

/* the fetched configuration's text (at most max bytes, no NUL inside) */
static int read_text(const struct fetched *f, size_t max, char **text)
{
	char *t;
	ssize_t n;

	if (f->size > max) {
		return -EFBIG;
	}
	t = malloc((size_t)f->size + 1);
	if (!t) {
		return -ENOMEM;
	}
	n = pread(f->fd, t, (size_t)f->size, 0);
	if (n != (ssize_t)f->size) {
		free(t);
		return n < 0 ? -errno : -EIO;
	}
	t[n] = '\0';
	if (strlen(t) != (size_t)n) {
		free(t);
		return -EILSEQ;
	}
	*text = t;
	return 0;
}

int netboot_read(const char *what, const char *url, size_t max,
	char **text, size_t *len)
{
	struct fetched f;
	char why[512];
	int err = netboot_up();

	if (err < 0) {
		hop_error(what, "%s: not fetched: the network is not up (%s)",
			url, errname(err));
		return err;
	}
	err = net_fetch(url, net.ca, 0, max, &f, why, sizeof(why));
	if (err == -ENOENT) {
		return err;	/* none there: the caller's to say */
	}
	if (err == 0) {
		err = read_text(&f, max, text);
		*len = err ? 0 : (size_t)f.size;
		close(f.fd);
		snprintf(why, sizeof(why), "%s", err == -EILSEQ ? "a NUL "
			"inside" : strerror(-err));
	}
	if (err < 0) {
		hop_error(what, "%s: %s (%s)", url, why, errname(err));
	}
	return err;
}

#if HOP_FEAT_BOOTCFG
/* iPXE's settings (ipxe.org/cfg) as this boot knows them, for scripts'
 * ${mac}, ${ip}, ${net0/mac}...: "name=value" in v[], NULL-terminated */
#define IPXE_VARS 16
static void ipxe_vars(char buf[IPXE_VARS][300], const char *v[IPXE_VARS + 1])
{
	char mac[18], a[16];
	int n = 0, i;

	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", net.mac[0],
		net.mac[1], net.mac[2], net.mac[3], net.mac[4], net.mac[5]);
	snprintf(buf[n++], 300, "mac=%s", mac);
	snprintf(buf[n++], 300, "net0/mac=%s", mac);
#if defined(__x86_64__)
	snprintf(buf[n++], 300, "buildarch=x86_64");
#elif defined(__aarch64__)
	snprintf(buf[n++], 300, "buildarch=arm64");
#else
	snprintf(buf[n++], 300, "buildarch=arm32");
#endif
	/* iPXE's own name for running on Linux */
	snprintf(buf[n++], 300, "platform=linux");
	if (net.has_uuid) {
		snprintf(buf[n++], 300, "uuid=%02x%02x%02x%02x-%02x%02x-%02x%02x-"
			"%02x%02x-%02x%02x%02x%02x%02x%02x", net.uuid[0],
			net.uuid[1], net.uuid[2], net.uuid[3], net.uuid[4],
			net.uuid[5], net.uuid[6], net.uuid[7], net.uuid[8],
			net.uuid[9], net.uuid[10], net.uuid[11], net.uuid[12],
			net.uuid[13], net.uuid[14], net.uuid[15]);
	}
	if (net.lease.addr) {
		snprintf(buf[n++], 300, "ip=%s", net_ip(net.lease.addr, a));
		snprintf(buf[n++], 300, "net0/ip=%s", net_ip(net.lease.addr, a));
	}
	if (net.lease.prefix > 0) {
		snprintf(buf[n++], 300, "netmask=%s", net_ip(0xffffffffu <<
			(32 - net.lease.prefix), a));
	}
	if (net.lease.router) {
		snprintf(buf[n++], 300, "gateway=%s", net_ip(net.lease.router,
			a));
	}
	if (net.lease.ndns) {
		snprintf(buf[n++], 300, "dns=%s", net_ip(net.lease.dns[0], a));
	}
	if (net.lease.next_server) {
		snprintf(buf[n++], 300, "next-server=%s",
			net_ip(net.lease.next_server, a));
	}
	if (net.lease.bootfile[0] || net.info6.bootfile_url[0]) {
		snprintf(buf[n++], 300, "filename=%.280s", net.dhcp6 ?
			net.info6.bootfile_url : net.lease.bootfile);
	}
	for (i = 0; i < n; i++) {
		v[i] = buf[i];
	}
	v[n] = NULL;
}

/* fetches url and parses it as a configuration whose relative paths
 * resolve against base; 0, -ENOENT when the server has no such file
 * (pxe: the next name), else -errno having logged why */
static int config_at(const char *url, const char *base, int quiet_missing,
	struct bootcfg_budget *budget, struct found_config *fc)
{
	char why[512], *text = NULL, vbuf[IPXE_VARS][300];
	const char *vars[IPXE_VARS + 1];
	struct fetched f;
	int err;

	if (netboot_up() < 0) {
		return -ENETDOWN;
	}
	/* a configuration is text a person wrote: a server sending more
	 * is stopped at the limit, not after the download */
	err = net_fetch(url, net.ca, 0, BOOTSEL_TEXT_MAX, &f, why,
		sizeof(why));
	if (err == -ENOENT && quiet_missing) {
		hop_debug("net: %s: %s", url, why);
		return err;
	}
	if (err < 0) {
		hop_error("hop.config", "%s: %s (%s)", url, why, errname(err));
		return err;
	}
	err = read_text(&f, BOOTSEL_TEXT_MAX, &text);
	close(f.fd);
	if (err < 0) {
		hop_error("hop.config", "%s: %s", url, err == -EILSEQ ?
			"not a text file: it holds NUL bytes" : err == -EFBIG ?
			"larger than 1 MiB" : errname(err));
		return err;
	}
	ipxe_vars(vbuf, vars);
	err = bootsel_parse_url(text, f.url, base, vars, budget, fc);
	if (err < 0) {
		hop_error(fc->shown, "%s", fc->c.why);
		bootcfg_free(&fc->c);
	}
	return err;
}

int netboot_config(const char *url, struct bootcfg_budget *budget,
	struct found_config *fc)
{
	/* petitboot's rule: relative to the configuration's own URL */
	return config_at(url, NULL, 0, budget, fc);
}

/* the boot file as a URL, and the folder pxelinux.cfg/ and relative
 * paths are under: DHCPv6's option 59; DHCPv4's option 67 (or the BOOTP
 * file) on the server of option 66 (or siaddr), a URL as it is (iPXE's
 * way), and option 210's prefix when given */
static int boot_file(char *file, char *prefix, char *why, size_t whysz)
{
	char srv[URL_HOST_MAX + 3], ip[16], rel[DHCP_STR_MAX + 1];
	const char *b = net.lease.bootfile;

	if (net.dhcp6) {
		snprintf(file, URL_MAX + 1, "%s", net.info6.bootfile_url);
	} else if (url_is_url(b) || !b[0]) {
		snprintf(file, URL_MAX + 1, "%s", b);
	} else {
		if (!net.lease.tftp_server[0] && !net.lease.next_server) {
			return net_fail(why, whysz, "the DHCP answer names no "
				"TFTP server (option 66 or the next-server "
				"address)");
		}
		snprintf(srv, sizeof(srv), "%s", net.lease.tftp_server[0] ?
			net.lease.tftp_server : net_ip(net.lease.next_server, ip));
		snprintf(rel, sizeof(rel), "%.255s", b[0] == '/' ? b + 1 : b);
		if (strlen(srv) + strlen(rel) + 8 > URL_MAX) {
			return net_fail(why, whysz, "the boot file's URL is too "
				"long");
		}
		strcpy(file, "tftp://");
		strcat(strcat(strcat(file, srv), "/"), rel);
	}
	if (!file[0]) {
		return net_fail(why, whysz, "the %s answer names no boot file",
			net.dhcp6 ? "DHCPv6" : "DHCP");
	}
	if (!net.dhcp6 && net.lease.pxe_prefix[0]) {
		return url_resolve(file, net.lease.pxe_prefix, prefix,
			URL_MAX + 1, why, whysz);
	}
	return url_resolve(file, ".", prefix, URL_MAX + 1, why, whysz);
}

int netboot_pxe(struct bootcfg_budget *budget, struct found_config *fc)
{
	char names[PXE_NAMES_MAX][PXE_NAME_MAX], prefix[URL_MAX + 1],
		file[URL_MAX + 1], url[URL_MAX + 1], why[200];
	size_t i, n, len;
	int err;

	err = netboot_up();
	if (err < 0) {
		return err;
	}
	if (!net.dhcp && !net.dhcp6) {
		hop_error("hop.config", "pxe: needs DHCP (hop.net=dhcp or "
			"dhcp6; not PID 1, give it): the boot file and its server "
			"come from the answer");
		return -EINVAL;
	}
	if (boot_file(file, prefix, why, sizeof(why)) < 0) {
		hop_error("hop.config", "pxe: %s", why);
		return -ENOENT;
	}
	hop_log("net: pxe: boot file %s, configurations under %s", file,
		prefix);
	/* an iPXE script as the boot file: it is the configuration, its
	 * paths its own (iPXE chainloading, u-root's netboot) */
	len = strlen(file);
	if (len > 5 && !strcasecmp(file + len - 5, ".ipxe")) {
		return config_at(file, NULL, 0, budget, fc);
	}
	if (!net.dhcp6 && net.lease.pxe_config[0]) {
		if (url_resolve(prefix, net.lease.pxe_config, url, sizeof(url),
			why, sizeof(why)) < 0) {
			hop_error("hop.config", "pxe: option 209 \"%s\": %s",
				net.lease.pxe_config, why);
			return -EINVAL;
		}
		return config_at(url, prefix, 0, budget, fc);
	}
	n = pxe_config_names(net.has_uuid ? net.uuid : NULL, net.mac,
		net.lease.addr, names, PXE_NAMES_MAX);
	for (i = 0; i < n; i++) {
		char ref[PXE_NAME_MAX + 16];

		/* over IPv6 pxelinux has no IPv4 names to try */
		if (net.dhcp6 && strlen(names[i]) <= 8 &&
			strcmp(names[i], "default")) {
			continue;
		}
		snprintf(ref, sizeof(ref), "pxelinux.cfg/%.63s", names[i]);
		if (url_resolve(prefix, ref, url, sizeof(url), why,
			sizeof(why)) < 0) {
			hop_error("hop.config", "pxe: %s: %s", prefix, why);
			return -EINVAL;
		}
		err = config_at(url, prefix, 1, budget, fc);
		if (err != -ENOENT) {
			return err;
		}
	}
	hop_error("hop.config", "pxe: none of the pxelinux.cfg names (%s ... "
		"default) is under %s", names[0], prefix);
	return -ENOENT;
}
#endif
