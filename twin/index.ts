// The QEMU apu2 twin bench (see docs/twin.md and twin/board/board.ts for the design).
export { TwinBench, type TwinBenchOptions, type TwinBenchStatus } from './bench.ts';
export { type BoardState, TwinBoard } from './board/board.ts';
export { ensureFlashImage } from './default-firmware.ts';
export * from './firmware/index.ts';
export { twinGpio } from './gpio-map.ts';
export { ensureTwinUp, type TwinStatus, twinDown, twinStatus, twinUp } from './manage.ts';
export { twinPaths, twinPorts } from './paths.ts';
