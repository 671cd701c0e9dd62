#define _GNU_SOURCE
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hop.h"
#include "test.h"

int t_pass, t_fail;
static int cap_fd = -1;

void capture_start(void)
{
	if (cap_fd >= 0) {
		close(cap_fd);
	}
	cap_fd = memfd_create("log", 0);
	log_set_fd(cap_fd);
}

const char *capture_end(void)
{
	static char buf[8192];
	ssize_t n;

	log_set_fd(2);
	n = pread(cap_fd, buf, sizeof(buf) - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

int main(void)
{
	test_cmdline();
	test_config();
	test_policy();
	test_cpio();
	test_file();
	test_file_rooted();
	test_log();
	test_fmt();
	test_grubenv();
	test_grubscript();
	test_boot();
	test_load();
	test_memmap();
	test_zimage();
	test_kexec();
	test_dtb();
	test_inflate();
	test_arm64();
	test_bzimage();
	test_hotplug();
	test_watch();
	test_blkid();
	test_source();
	test_sha256();
	test_bootcfg();
	test_bls();
	test_bls2();
	test_syslinux();
	test_ipxe();
	test_bootsel();
	test_bootlist();
	test_menu();
	test_elfcore();
	test_onfail();
	test_x86_elf();
	test_multiboot();
	test_busy();
	test_url();
	test_dhcp();
	test_pxe();
	test_netspec();
	test_dhcp6();
	test_tftp();
	test_http();
	test_sig();
	test_tpm();
	test_uki();
	test_fit();
	test_container();
	printf("%d passed, %d failed\n", t_pass, t_fail);
	return t_fail ? 1 : 0;
}
