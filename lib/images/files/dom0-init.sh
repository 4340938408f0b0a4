#!/bin/sh
# dom0 /init for iommu-lab (the twin and real apu2 benches alike): no systemd, just what docs/twin.md found Xen's tools need,
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

# XEN: the release's tools folder (/usr/lib/xen-4.17/bin on Debian 12, xen-4.20 on Debian 13).
. /etc/iommu-lab/dom0-xen
"$XEN/xenstored" --pid-file /run/xenstore.pid
"$XEN/xen-init-dom0"
"$XEN/xenconsoled" --log=guest --pid-file /run/xenconsoled.pid

# dom0's network is one NIC, named by PCI address in /etc/iommu-lab/dom0-network (the apu2's
# 01:00.0 unless the rig says otherwise); the suites measure a baseline on, and pass through,
# the others, so they stay unconfigured. Found by PCI address because interface names depend
# on driver probe order. MODE static: CIDR (and GATEWAY); MODE dhcp: busybox udhcpc, which
# stays in the background to renew, with CIDR as a fixed fallback when given.
. /etc/iommu-lab/dom0-network
nic=
for i in $(seq 1 50); do
  for d in /sys/bus/pci/devices/$NIC_PCI/net/*; do [ -e "$d" ] && nic=${d##*/}; done
  [ -n "$nic" ] && break
  sleep 0.1
done
static() {
  ip addr add "$CIDR" dev "$nic"
  [ -z "$GATEWAY" ] || ip route add default via "$GATEWAY"
}
if [ -n "$nic" ]; then
  ip link set "$nic" up
  if [ "$MODE" = dhcp ]; then
    busybox udhcpc -i "$nic" -s /etc/udhcpc.script -t 10 -T 3 -A 10 -b -p /run/udhcpc.pid -x hostname:dom0 \
      >>/var/log/udhcpc.log 2>&1
    if [ -n "$CIDR" ] && ! ip -4 -o addr show dev "$nic" | grep -q inet; then
      echo "iommu-lab: no DHCP lease on $nic, using $CIDR" >/dev/hvc0
      static
    fi
  else
    static
  fi
else
  echo "iommu-lab: no network interface at $NIC_PCI"
fi

# -s: keys only; -E: log to stderr (there is no syslog)
dropbear -r /etc/dropbear/dropbear_ed25519_host_key -p 22 -s -E 2>>/var/log/dropbear.log

# Quiet the kernel on the console from here on so shell prompts stay clean.
dmesg -n 1
addr=$(ip -4 -o addr show dev "$nic" 2>/dev/null | awk '{print $4}')
echo "iommu-lab: dom0 ready ($nic $addr)" >/dev/hvc0
exec /bin/busybox init
