// The QEMU apu2 twin bench (see docs/twin.md and twin/board/board.ts for the design).

export { twinPaths } from './base/paths.ts';
export { ensureFlashImage } from './default-firmware.ts';
export { ensureTwinUp } from './manage.ts';
