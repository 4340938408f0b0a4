// The rig's firmware settings (IOMMU, network boot) ↔ PC Engines bootorder knobs, applied to an
// image before it is written, whichever layout it has. An image without a bootorder is left alone.
// Dasharo UEFI keeps them elsewhere (SMMSTORE): flash/supply/uefi-settings.ts.
import { UsageError } from '../../lib/core/errors.ts';
import type { Flavour } from '../../lib/firmware/flavour.ts';
import { setKnobs } from '../image/bootorder.ts';
import { type BootorderLocation, readBootorderBytes, writeBootorderBytes } from '../image/inspect.ts';

export interface FirmwareSettings {
  iommu?: boolean;
  pxe?: boolean;
}

/**
 * What a flavour cannot do with the wanted settings, as one line; undefined when it can.
 * Dasharo (coreboot+UEFI) has no IOMMU switch: the IOMMU device is on in every apu devicetree
 * and IVRS is always written (Dasharo/coreboot variants/apuN/devicetree.cb, northbridge.c
 * agesa_write_acpi_tables() at pcengines_apu2_v0.9.1-rc1), so "off" cannot be honoured.
 */
export function refusedSetting(flavour: Flavour | undefined, wanted: FirmwareSettings): string | undefined {
  if (flavour === 'dasharo-uefi' && wanted.iommu === false)
    return 'iommu=off: Dasharo (coreboot+UEFI) has no IOMMU switch (always on, IVRS always written)';
  return undefined;
}

/**
 * A wanted setting a flavour keeps nowhere, as a note for the report. Dasharo UEFI's network boot
 * is written (flash/supply/uefi-settings.ts); its IOMMU has nothing to write.
 */
export function unsupportedSettings(flavour: Flavour | undefined, wanted: FirmwareSettings): string | undefined {
  if (flavour === 'dasharo-uefi' && wanted.iommu !== undefined)
    return 'Dasharo UEFI has no IOMMU switch: always on, nothing to write for iommu=on';
  if (flavour === 'coreboot' && Object.values(wanted).some((v) => v !== undefined))
    return 'upstream coreboot has no bootorder knobs (IOMMU on when its device is enabled): flashed as is';
  return undefined;
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
