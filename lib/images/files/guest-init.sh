#!/bin/sh
# PV guest /init (busybox): load the passed-through NIC's driver, get an address (DHCP,
# or the image profile's fixed one), start sshd, then keep a shell on hvc0.
/bin/busybox --install -s /bin
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /run /tmp /var/log
mount -t devpts devpts /dev/pts
hostname guest
ip link set lo up

# Dependencies come first in this list (resolved at build time), so plain insmod suffices.
while read -r m; do insmod "/lib/modules/$m" 2>/dev/null; done </etc/iommu-lab/guest-modules

nic=
for i in $(seq 1 100); do
  for d in /sys/class/net/*; do
    [ -e "$d/device" ] && nic=${d##*/} && break
  done
  [ -n "$nic" ] && break
  sleep 0.1
done
if [ -n "$nic" ]; then
  ip link set "$nic" up
  # /etc/iommu-lab/guest-network: MODE dhcp (CIDR, if set, when no lease comes) or static.
  . /etc/iommu-lab/guest-network
  if [ "$MODE" = static ] || ! udhcpc -i "$nic" -n -q -t 5 -T 1 -s /etc/udhcpc.script >/var/log/udhcpc.log 2>&1; then
    if [ -n "$CIDR" ]; then
      ip addr add "$CIDR" dev "$nic"
      [ -z "$GATEWAY" ] || ip route add default via "$GATEWAY"
    fi
  fi
else
  echo "iommu-lab: guest found no network interface"
fi

dropbear -r /etc/dropbear/dropbear_ed25519_host_key -p 22 -s -E 2>>/var/log/dropbear.log
dmesg -n 1
addr=$(ip -4 -o addr show dev "$nic" 2>/dev/null | awk '{print $4}')
echo "iommu-lab: guest ready ($nic $addr)" >/dev/hvc0
exec /bin/busybox init
