// A valid rig for tests to break one key at a time. A rig's secrets are read when it loads
// (lib/rig/rig-secrets.ts): the controller key is a test file, and the dom0 password's variable
// is set here for this process and the CLIs its tests start.
import { fileURLToPath } from 'node:url';

process.env.DOM0_PASSWORD ??= 'base-rig-dom0-password';

export const baseRig = {
  name: 'bench-3',
  board: {
    model: 'PC Engines apu2',
    nics: [
      { name: 'enp1s0', pci: '01:00.0' },
      { name: 'enp2s0', pci: '02:00.0' },
    ],
    flash: { chip: 'W25Q64JV-.Q', sizeBytes: 8388608 },
  },
  capabilities: { iommu: true, hvm: true, pv: true, passthroughNic: '02:00.0' },
  power: { kind: 'rte', url: 'http://10.0.0.1:8000', relayGpio: 0, powerButtonGpio: 9 },
  console: { kind: 'tcp', host: '10.0.0.1', port: 13541 },
  flasher: {
    where: 'ssh',
    controller: {
      host: '10.0.0.1',
      user: 'root',
      privateKey: { file: fileURLToPath(new URL('../fixtures/rig/controller-key', import.meta.url)) },
      hostKey: { knownHosts: '~/.ssh/known_hosts' },
    },
    programmer: 'linux_spi:dev=/dev/spidev1.0,spispeed=16000',
    spiMux: { url: 'http://10.0.0.1:8000', voltage: '3.3V', vccGpio: 2, voltageGpio: 3, linesGpio: 1 },
  },
  boot: { network: { method: 'key' }, xenCommandLine: 'iommu=verbose loglvl=all conring_size=1M' },
  dom0: {
    host: '10.0.0.2',
    user: 'root',
    password: { env: 'DOM0_PASSWORD' },
    hostKey: { knownHosts: '~/.ssh/known_hosts' },
  },
  lock: { kind: 'local' },
};
