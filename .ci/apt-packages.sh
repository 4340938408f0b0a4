#!/usr/bin/env bash
# Installs the Debian packages the tests and the twin need; quick when they are already there.
# libxml2-utils (xmllint): JUnit checked against the Jenkins xUnit schema; python3-jsonschema:
# summary.json checked against docs/summary.schema.json; chromium: the HTML report opened from disk;
# gcc libc6-dev: the static DMA probe helpers (lib/dma/probe) built in the tests and guest images.
# gpg: a Dasharo release's .sha256.sig verified (flash/supply/signature.ts); gpg-agent: the test keys
# that sign the test releases (test/helpers/gpg.ts).
# ipxe: /boot/ipxe.lkrn, the twin's PC Engines iPXE (with pcengines/coreboot's menu.ipxe as its script).
# grub-efi-amd64-bin (grub-mkstandalone, x86_64-efi modules): the GRUB EFI a UEFI board chains (lib/pxe/grub-efi.ts).
# dosfstools syslinux mtools: the HVM guests' boot disk (lib/images/hvm-boot-disk.ts); xz-utils
# zstd: the PV guests' kernel unpacked from the bzImage (lib/images/vmlinux.ts).
# ovmf: the UEFI firmware the twin boots for a Dasharo coreboot+UEFI image (twin/images/packages.ts).
set -euo pipefail
PKGS=(qemu-system-x86 qemu-utils ipxe-qemu ipxe seabios mmdebstrap cpio busybox-static iperf3 flashrom socat
  coreboot-utils ser2net openssh-server openssh-client python3-pexpect kmod
  libxml2-utils python3-jsonschema chromium gcc libc6-dev gpg gpg-agent grub-efi-amd64-bin ovmf
  dosfstools syslinux mtools xz-utils zstd)
missing=()
for p in "${PKGS[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
