/* hop.modules: loading kernel modules from the initramfs (lib/agent/modules.c) */
#ifndef HOP_MODULES_H
#define HOP_MODULES_H

#include <stddef.h>

/* the module name of a path: "kernel/fs/fat/vfat.ko.xz" -> "vfat" */
void module_name(const char *path, char *out, size_t outsz);
/* the modules.dep line of name, split in place (pure): words[0] is the
 * module's path, then its dependencies; count or -ENOENT */
int modules_dep_find(char *dep, const char *name, char **words, int max);
/* loads each of the comma-separated modules with its dependencies from
 * /lib/modules/$(uname -r); 0, or -EINVAL having logged each failure */
int modules_load(const char *list);

#endif
