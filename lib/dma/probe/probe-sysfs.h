/* The PCI device under test, through sysfs: identity, driver, command register, BAR0. */
#ifndef PROBE_SYSFS_H
#define PROBE_SYSFS_H
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "nic-regs.h"

struct probe_dev {
  char dir[PATH_MAX];
  char bdf[64];
  unsigned vendor, device;
  const struct nic_model *model; /* NULL: not a NIC this probe knows */
  char driver[64];               /* bound driver at start, "" if none */
  char bind[PATH_MAX + 16];      /* that driver's bind file, for --rebind */
  int unbound;
};

/* 0 known device; 3 unknown vendor/device ID; 4 not a readable PCI device directory. */
int sysfs_identify(const char *dir, struct probe_dev *d, char *err, size_t errlen);
/* Unbind the driver (unbind != 0) or refuse when one is bound: 0 or 4. */
int sysfs_take(struct probe_dev *d, int unbind, char *err, size_t errlen);
int sysfs_enable(const struct probe_dev *d, uint16_t bits, uint16_t *before, char *err, size_t errlen);
/* The config file opened read-write, or -1 (the caller keeps it until exit). */
int sysfs_open_config(const struct probe_dev *d);
volatile uint8_t *sysfs_map_bar0(const struct probe_dev *d, size_t min_size, char *err, size_t errlen);
/* Put the command register back and, if asked and one was unbound, rebind the driver. */
void sysfs_restore(const struct probe_dev *d, uint16_t command, int rebind);
void sysfs_print_device(FILE *f, const struct probe_dev *d);

#endif
