// The QEMU apu2 twin bench, its one front door (see docs/twin.md and twin/README.md for the
// design). Outside twin/ nothing else is named (test/architecture/imports.test.ts): the CLI, the
// twin provider, the twin rigs, the benchmarks and the tests of other parts come in here. Only
// the twin's own tests (test/twin/, test/twin-unit/) reach its internals.

export { type GpioMap, rteV11Mux, type SpiMuxGpios, twinGpio } from './base/gpio-map.ts';
// Where it keeps its state, and the loopback ports and GPIOs it serves as an RTE bench does.
export { twinBenchName, twinPaths, twinPorts } from './base/paths.ts';
export { ensureTwinUp, type TwinStatus, twinDown, twinStatus, twinUp } from './daemon/manage.ts';
// Faults, one record each, and the door into the running daemon's injector.
export { injectFault } from './fault/client.ts';
export {
  FAULT_NAMES,
  FAULT_OPTIONS,
  FAULTS,
  type FaultName,
  type FaultOption,
  type FaultOptions,
  faultsMarkdown,
  faultsTaking,
  isFaultName,
  type TwinFault,
} from './fault/faults.ts';
// Firmware: build an apu2-style image, read one back, the known-good image in the flash chip.
export { type BuiltFirmware, buildTwinFirmware, TWIN_FLAVOURS, type TwinFlavour } from './firmware/build.ts';
export { ensureFlashImage } from './firmware/default.ts';
export { type FirmwareReading, readTwinFirmware } from './firmware/read.ts';
// Boot files the twin rig serves, and the rig overlay (`run --twin`, rigs/apu2-twin*.ts).
export { BOOT_FILES, DEFAULT_XEN_COMMAND_LINE, DOM0_COMMAND_LINE } from './images/boot-files.ts';
// setup, up, down, status.
export { type EnsureResult, ensureTwinImages } from './images/index.ts';
export { imagesBuilt, releaseServedFrom, twinImagesRoot } from './images/sets.ts';
export { type SetupResult, twinSetup } from './images/setup.ts';
export type { TwinImages } from './images/types.ts';
// The outside view of the board's memory (QEMU's), for the twin provider.
export { readTwinMemory } from './observe/client.ts';
export { TWIN_CHIP, type TwinOptions, twinImageSet, twinOf, twinXenOptions } from './rig/overlay.ts';

// Tools for tests and benchmarks that drive the twin's endpoints by hand (twin/tools/), and its
// RTE API on its own (a real server for the flasher's tests).
export { GpioBank, type GpioPin } from './rte/gpio-bank.ts';
export { RteServer, type RteServerOptions } from './rte/server.ts';
export { SerialClient } from './serial/client.ts';
export { chainByHand, MENU_ITEM, shellFromMenu, startTwinBootServer } from './tools/bare-ipxe.ts';
export { holdTwinBench, twinBenchLock, twinUpWhenFree } from './tools/bench-lock.ts';
export { BOOT_MARKS, measureBareBoot } from './tools/measure-boot.ts';
