export { type BootorderSettings, buildBootorder, parseBootorder } from './bootorder.ts';
export { type BuiltFirmware, buildTwinFirmware, DEFAULT_VERSION, type TwinFirmwareOptions } from './build.ts';
export { type FirmwareLayout, layoutForVersion } from './layout.ts';
export { type PciLayout, parseQuirks, pciLayoutFor, type Quirk } from './quirks.ts';
export { type FirmwareReading, readTwinFirmware } from './read.ts';
