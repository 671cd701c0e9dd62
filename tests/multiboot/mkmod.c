/* mkmod SEED SIZE: SIZE bytes of the stream the multiboot test kernel
 * (kernel.c check_module) expects for a module "FILE seed=SEED
 * size=SIZE", on stdout */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	uint32_t x, n, i;

	if (argc != 3) {
		fputs("usage: mkmod SEED SIZE\n", stderr);
		return 2;
	}
	x = (uint32_t)strtoul(argv[1], NULL, 0);
	n = (uint32_t)strtoul(argv[2], NULL, 0);
	for (i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		putchar((uint8_t)(x >> 16));
	}
	return fflush(stdout) ? 1 : 0;
}
