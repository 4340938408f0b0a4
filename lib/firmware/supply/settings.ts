// The rig's firmware settings (IOMMU, network boot) ↔ PC Engines bootorder knobs, applied to an
// image before it is written, whichever layout it has. An image without a bootorder is left alone.
import { UsageError } from '../../core/errors.ts';
import { setKnobs } from '../image/bootorder.ts';
import { type BootorderLocation, readBootorderBytes, writeBootorderBytes } from '../image/inspect.ts';

export interface FirmwareSettings {
  iommu?: boolean;
  pxe?: boolean;
}

const KNOB_OF: Record<keyof FirmwareSettings, string> = { iommu: 'iommu', pxe: 'pxen' };

/** Knobs → what the session reports ({ iommu: true, pxe: false }); undefined when unset. */
export function knobsToSettings(knobs: Record<string, string> | undefined): FirmwareSettings | undefined {
  if (!knobs) return undefined;
  const flag = (v: string | undefined) => (v === undefined ? undefined : v === '1');
  return { iommu: flag(knobs[KNOB_OF.iommu]), pxe: flag(knobs[KNOB_OF.pxe]) };
}

export function settingsToKnobs(s: FirmwareSettings): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(s) as [keyof FirmwareSettings, boolean | undefined][])
    if (v !== undefined) out[KNOB_OF[k]] = v ? '1' : '0';
  return out;
}

/** "iommu=on,pxe=off" → { iommu: true, pxe: false }. */
export function parseSettingsArg(arg: string): FirmwareSettings {
  const out: FirmwareSettings = {};
  for (const part of arg.split(',').filter(Boolean)) {
    const m = /^(iommu|pxe)=(on|off|1|0|true|false)$/.exec(part.trim());
    if (!m) throw new UsageError(`--settings: "${part}" is not iommu=on|off or pxe=on|off`);
    out[m[1] as keyof FirmwareSettings] = ['on', '1', 'true'].includes(m[2]!);
  }
  return out;
}

/** For reports: "iommu=on pxe=on" from knobs; unknown knobs say so. */
export function describeKnobs(knobs: Record<string, string> | undefined): string {
  if (!knobs) return 'unknown (no bootorder)';
  const show = (k: string) => (knobs[k] === undefined ? 'unset' : knobs[k] === '1' ? 'on' : 'off');
  return `iommu=${show('iommu')} pxe=${show('pxen')}`;
}

export interface SettingsResult {
  /** What was changed, e.g. ["iommu 0→1"]. */
  changed: string[];
  layout?: BootorderLocation['layout'];
  warning?: string;
}

/** Edits the image buffer in place (size kept, CBFS hash fixed). */
export function applySettings(
  image: Buffer,
  loc: BootorderLocation | undefined,
  wanted: FirmwareSettings,
): SettingsResult {
  const knobs = settingsToKnobs(wanted);
  if (!Object.keys(knobs).length) return { changed: [], layout: loc?.layout };
  if (!loc) return { changed: [], warning: 'image has no bootorder: IOMMU setting unknown, flashed as is' };
  const edit = setKnobs(readBootorderBytes(image, loc), knobs);
  if (edit.changed.length) writeBootorderBytes(image, loc, edit.bytes);
  return { changed: edit.changed.map((c) => `${c.knob} ${c.from ?? '(none)'}→${c.to}`), layout: loc.layout };
}
