#define _GNU_SOURCE
#include "probe-sysfs.h"

#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json-out.h"

#define PCI_COMMAND 0x04

static int read_hex(const char *dir, const char *name, unsigned *out) {
  char path[PATH_MAX + 16], buf[32] = {0};
  snprintf(path, sizeof path, "%s/%s", dir, name);
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  char *end;
  if (n <= 0) return -1;
  *out = (unsigned)strtoul(buf, &end, 16);
  return end == buf ? -1 : 0;
}

static int write_str(const char *path, const char *s) {
  int fd = open(path, O_WRONLY);
  if (fd < 0) return -1;
  ssize_t n = write(fd, s, strlen(s));
  close(fd);
  return n == (ssize_t)strlen(s) ? 0 : -1;
}

int sysfs_identify(const char *dir, struct probe_dev *d, char *err, size_t errlen) {
  if (!realpath(dir, d->dir)) {
    snprintf(err, errlen, "no device directory %s", dir);
    return 4;
  }
  char tmp[PATH_MAX];
  snprintf(tmp, sizeof tmp, "%s", d->dir);
  snprintf(d->bdf, sizeof d->bdf, "%s", basename(tmp));
  if (read_hex(d->dir, "vendor", &d->vendor) || read_hex(d->dir, "device", &d->device)) {
    snprintf(err, errlen, "%s has no readable vendor/device files: not a PCI device in sysfs", d->dir);
    return 4;
  }
  char link[PATH_MAX + 16], target[PATH_MAX];
  snprintf(link, sizeof link, "%s/driver", d->dir);
  if (realpath(link, target)) {
    snprintf(d->bind, sizeof d->bind, "%s/bind", target);
    snprintf(d->driver, sizeof d->driver, "%s", basename(target));
  }
  if (d->vendor == NIC_VENDOR_INTEL)
    for (size_t i = 0; i < sizeof NIC_MODELS / sizeof NIC_MODELS[0]; i++)
      if (NIC_MODELS[i].device == d->device) d->model = &NIC_MODELS[i];
  if (!d->model) {
    int o = snprintf(err, errlen, "refusing %04x:%04x at %s: not a NIC this probe knows (known: 8086:", d->vendor,
                     d->device, d->dir);
    for (size_t i = 0; i < sizeof NIC_MODELS / sizeof NIC_MODELS[0] && o > 0 && (size_t)o < errlen; i++)
      o += snprintf(err + o, errlen - o, "%s%04x", i ? "/" : "", NIC_MODELS[i].device);
    if (o > 0 && (size_t)o < errlen) snprintf(err + o, errlen - o, ")");
    return 3;
  }
  return 0;
}

int sysfs_take(struct probe_dev *d, int unbind, char *err, size_t errlen) {
  if (!d->driver[0]) return 0;
  if (!unbind) {
    snprintf(err, errlen, "%s is bound to driver %s: unbind it or pass --unbind", d->bdf, d->driver);
    return 4;
  }
  char path[PATH_MAX + 16];
  snprintf(path, sizeof path, "%s/driver/unbind", d->dir);
  if (write_str(path, d->bdf)) {
    snprintf(err, errlen, "cannot unbind %s from %s (%s)", d->bdf, d->driver, path);
    return 4;
  }
  d->unbound = 1;
  return 0;
}

int sysfs_enable(const struct probe_dev *d, uint16_t bits, uint16_t *before, char *err, size_t errlen) {
  char path[PATH_MAX + 16];
  snprintf(path, sizeof path, "%s/config", d->dir);
  int fd = open(path, O_RDWR);
  uint16_t cmd, now;
  if (fd < 0 || pread(fd, &cmd, 2, PCI_COMMAND) != 2) {
    if (fd >= 0) close(fd);
    snprintf(err, errlen, "cannot read the command register in %s (root?)", path);
    return -1;
  }
  *before = cmd;
  cmd |= bits;
  int ok = pwrite(fd, &cmd, 2, PCI_COMMAND) == 2 && pread(fd, &now, 2, PCI_COMMAND) == 2 && (now & bits) == bits;
  close(fd);
  if (!ok) snprintf(err, errlen, "cannot enable memory and bus mastering in %s", path);
  return ok ? 0 : -1;
}

int sysfs_open_config(const struct probe_dev *d) {
  char path[PATH_MAX + 16];
  snprintf(path, sizeof path, "%s/config", d->dir);
  return open(path, O_RDWR);
}

volatile uint8_t *sysfs_map_bar0(const struct probe_dev *d, size_t min_size, char *err, size_t errlen) {
  char path[PATH_MAX + 16];
  snprintf(path, sizeof path, "%s/resource0", d->dir);
  int fd = open(path, O_RDWR | O_SYNC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0 || (size_t)st.st_size < min_size) {
    if (fd >= 0) close(fd);
    snprintf(err, errlen, "cannot open %s as a BAR of at least %zu bytes", path, min_size);
    return NULL;
  }
  void *p = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close(fd);
  if (p == MAP_FAILED) {
    snprintf(err, errlen, "cannot mmap %s", path);
    return NULL;
  }
  return p;
}

void sysfs_restore(const struct probe_dev *d, uint16_t command, int rebind) {
  char path[PATH_MAX + 16];
  snprintf(path, sizeof path, "%s/config", d->dir);
  int fd = open(path, O_RDWR);
  if (fd >= 0) {
    if (pwrite(fd, &command, 2, PCI_COMMAND) != 2) fprintf(stderr, "dma-probe: cannot restore %s\n", path);
    close(fd);
  }
  if (rebind && d->unbound && write_str(d->bind, d->bdf))
    fprintf(stderr, "dma-probe: cannot rebind %s to %s\n", d->bdf, d->driver);
}

void sysfs_print_device(FILE *f, const struct probe_dev *d) {
  fprintf(f, "{\"path\":");
  json_str(f, d->dir);
  fprintf(f, ",\"bdf\":");
  json_str(f, d->bdf);
  fprintf(f, ",\"vendor\":\"%04x\",\"device\":\"%04x\",\"name\":", d->vendor, d->device);
  json_str(f, d->model ? d->model->name : NULL);
  fprintf(f, ",\"family\":");
  json_str(f, d->model ? (d->model->family == FAMILY_IGB ? "igb" : "e1000e") : NULL);
  fprintf(f, ",\"driver\":");
  json_str(f, d->driver[0] ? d->driver : NULL);
  fprintf(f, ",\"unbound\":%s}", d->unbound ? "true" : "false");
}
