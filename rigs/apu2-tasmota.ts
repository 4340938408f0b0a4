// An apu2 on a desk: power through a Sonoff/Tasmota plug, serial on a local USB adapter,
// flashrom with a local CH341A clip.
import { APU2_FLASH_BYTES, APU2_MODEL, APU2_NICS } from '../lib/rig/boards.ts';
import { defineRig } from '../lib/rig/define.ts';

export default defineRig({
  name: 'apu2-tasmota',
  description: 'PC Engines apu2 on a Sonoff plug and a USB serial adapter',
  board: {
    model: APU2_MODEL,
    nics: APU2_NICS,
    flash: { chip: 'MX25L6406E/MX25L6408E', sizeBytes: APU2_FLASH_BYTES },
  },
  capabilities: { iommu: true, hvm: true, pv: true, passthroughNic: '02:00.0' },
  firmware: { iommu: true, pxe: true },
  power: { kind: 'tasmota', url: 'http://192.168.4.50', user: 'admin', password: { env: 'TASMOTA_PASSWORD' } },
  console: { kind: 'tty', path: '/dev/ttyUSB0', baudRate: 115200 },
  // G3: the plug cannot press the power button, and the CH341A clip powers the chip itself.
  flasher: { where: 'local', programmer: 'ch341a_spi', chip: 'MX25L6406E/MX25L6408E', powerState: 'G3' },
  boot: {
    network: { method: 'key', key: 'n' },
    xenCommandLine:
      'console=com1 com1=115200,8n1 dom0_mem=1024M,max:1024M iommu=verbose,debug loglvl=all guest_loglvl=all conring_size=1M',
  },
  dom0: {
    host: '192.168.4.60',
    user: 'root',
    privateKey: { env: 'APU2_DOM0_KEY' },
    hostKey: { knownHosts: '~/.ssh/known_hosts' },
  },
  lock: { kind: 'local' },
  guests: { types: ['hvm'], memoryMiB: 1024, disk: 'phy:/dev/vg0/guest,xvda,w' },
  traffic: { peer: { host: '192.168.4.1' }, threshold: 0.9 },
});
