// libxl / `xl` failures. Xen 4.8 prints "libxl: error: libxl_pci.c:1225:libxl__device_pci_add: ...",
// Xen 4.17 may print paths under tools/libs/light/ and "Domain 3:" before the message; the
// patterns therefore match the message only. Blocks quoted in test/fixtures/logs/blog-*.log.
import type { DiagnosisRow } from './types.ts';

const BDF = '([0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,2}:[0-9a-fA-F]{1,2}\\.[0-7])';

export const libxlRows: DiagnosisRow[] = [
  {
    code: 'PCIBACK_NOT_LOADED',
    severity: 'error',
    // libxl_pci.c: "Looks like pciback driver not loaded" (assignable_list) and
    // "Looks like pciback driver is not loaded" (pciback_dev_is_assigned).
    patterns: [
      /Looks like pciback driver (?:is )?not loaded/,
      // modprobe itself: the module is missing, or refused (a blacklist, an install override).
      /modprobe: (?:ERROR|FATAL): (?:could not insert '?xen[_-]pciback|Module xen[_-]pciback not found)/,
    ],
    cause: 'The xen-pciback driver is not loaded in dom0, so no device can be made assignable.',
    remedy: 'modprobe xen-pciback (or build it into the dom0 kernel), then xl pci-assignable-add <bdf>',
  },
  {
    code: 'PCI_NOT_ASSIGNABLE',
    severity: 'error',
    patterns: [
      new RegExp(`PCI device ${BDF} is not assignable`),
      new RegExp(`${BDF} is not assigned to pciback driver`),
    ],
    cause: 'PCI device {1} is not bound to xen-pciback, so it cannot be given to a guest.',
    remedy: 'xl pci-assignable-add {1} (check with xl pci-assignable-list)',
    supersededBy: ['PCIBACK_NOT_LOADED'],
  },
  {
    code: 'NO_IOMMU',
    severity: 'error',
    patterns: [
      // libxl_pci.c libxl__device_pci_add, HVM guests: "PCI device %04x:%02x:%02x.%u %s?" with
      // "cannot be assigned - no IOMMU" when xc_test_assign_device fails with ENOSYS (<= 4.13)
      // or EOPNOTSUPP (later).
      new RegExp(`PCI device ${BDF} cannot be assigned - no IOMMU`),
      // libxl_pci.c libxl__device_pci_assignable_add (Xen >= 4.13): LOG(ERROR, "failed to quarantine "PCI_BDF)
      // after xc_assign_device(DOMID_IO) fails; iommu_do_domctl returns -EOPNOTSUPP without an IOMMU.
      new RegExp(`failed to quarantine ${BDF}`),
      // xen/drivers/passthrough/amd/pci_amd_iommu.c (Xen <= 4.12) and iommu.c ("I/O virtualisation %sabled").
      /AMD-Vi: IOMMU not found!/,
      /I\/O virtualisation disabled/,
    ],
    cause: 'Xen has no working IOMMU (AMD-Vi), so it cannot isolate a device for passthrough.',
    remedy:
      'Enable the IOMMU in firmware (PC Engines setup: "v IOMMU", bootorder "iommu1") and make sure coreboot writes ' +
      'the IVRS ACPI table ("ACPI:    * IVRS" in the coreboot log); then check `xl dmesg | grep -e AMD-Vi -e "I/O virt"`.',
  },
  {
    code: 'PCI_ALREADY_ASSIGNED',
    severity: 'error',
    patterns: [new RegExp(`PCI device ${BDF} already assigned to a different guest`)],
    cause: 'PCI device {1} is already assigned to another guest.',
    remedy: 'xl pci-detach the device from the other guest (see xl pci-list <domain>), or destroy that guest.',
  },
  {
    code: 'NO_BLOCK_BACKEND',
    severity: 'error',
    // libxl_device.c device_backend_callback
    patterns: [/unable to add device with path \/local\/domain\/\d+\/backend\/(?:vbd|qdisk)\//],
    cause: 'No block backend answered in dom0: xen-blkback is not loaded.',
    remedy: 'modprobe xen-blkback (or build CONFIG_XEN_BLKDEV_BACKEND into the dom0 kernel).',
  },
  {
    code: 'NO_LOOP_DEVICE',
    severity: 'error',
    // /etc/xen/scripts/block, reported by libxl_device.c device_hotplug_child_death_cb
    patterns: [/Failed to find an unused loop device/],
    cause: 'The block hotplug script found no free loop device for a file-backed disk.',
    remedy:
      'Use a dom0 kernel with CONFIG_BLK_DEV_LOOP (or modprobe loop max_loop=64), or free loop devices (losetup -D).',
  },
  {
    code: 'READONLY_IDE_UNSUPPORTED',
    severity: 'error',
    // libxl_dm.c libxl__build_device_model_args_new
    patterns: [/qemu-xen doesn't support read-only (?:IDE|AHCI) disk drivers/],
    cause: 'An HVM disk is read-only, which qemu-xen cannot emulate on IDE/AHCI.',
    remedy: 'Add "rw" to the disk spec (e.g. "/path/img,,hda,rw"), or attach it as a cdrom.',
  },
];
