#!/bin/sh
# dom0 /init for the iommu-lab twin: no systemd, just what docs/twin.md found Xen's tools need,
# then busybox init keeps a root shell on hvc0 (and reaps orphans) for the rest of the boot.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /dev/shm
mkdir -p /run/xen /run/xenstored /run/lock /run/dropbear /var/log/xen/console /var/lib/xen
hostname dom0
ip link set lo up

for m in $(cat /etc/iommu-lab/dom0-modules); do modprobe "$m" || echo "iommu-lab: modprobe $m failed"; done
mount -t xenfs xenfs /proc/xen

XEN=/usr/lib/xen-4.17/bin
"$XEN/xenstored" --pid-file /run/xenstore.pid
"$XEN/xen-init-dom0"
"$XEN/xenconsoled" --log=guest --pid-file /run/xenconsoled.pid

# Only the first NIC (the apu2's 01:00.0) carries dom0's network; the suites measure a
# baseline on, and pass through, the others, so they stay unconfigured. Found by PCI
# address because interface names depend on driver probe order.
nic=
for i in $(seq 1 50); do
  for d in /sys/bus/pci/devices/0000:01:00.0/net/*; do [ -e "$d" ] && nic=${d##*/}; done
  [ -n "$nic" ] && break
  sleep 0.1
done
if [ -n "$nic" ]; then
  ip link set "$nic" up
  ip addr add 10.0.2.15/24 dev "$nic"
  ip route add default via 10.0.2.2
else
  echo "iommu-lab: no network interface at 0000:01:00.0"
fi

# -s: keys only; -E: log to stderr (there is no syslog)
dropbear -r /etc/dropbear/dropbear_ed25519_host_key -p 22 -s -E 2>>/var/log/dropbear.log

# Quiet the kernel on the console from here on so shell prompts stay clean.
dmesg -n 1
echo "iommu-lab: dom0 ready ($nic 10.0.2.15)" >/dev/hvc0
exec /bin/busybox init
