// Property-style: no input makes a parser throw. Random and mutated strings from a fixed seed,
// so a failure reproduces; the seed and case number are in the test name's failure message.
import assert from 'node:assert/strict';
import { analyzeText } from '../../lib/analyze/analyze.ts';
import { diagnose } from '../../lib/diagnose/table.ts';
import { parseFirmwareLog } from '../../lib/firmware/banner.ts';
import { parseDom0Dmesg } from '../../lib/xen/dom0-dmesg.ts';
import { parseIommuGroups } from '../../lib/xen/iommu-groups.ts';
import { parseLspci } from '../../lib/xen/lspci.ts';
import { parseXenLog } from '../../lib/xen/xen-log.ts';
import { parseXlInfo } from '../../lib/xen/xl-info.ts';
import { parseXlList } from '../../lib/xen/xl-list.ts';
import { parsePciAssignableList, parseXlPciList } from '../../lib/xen/xl-pci.ts';
import { logFixture } from '../fixtures/logs.ts';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = 20240501;
const ALPHABET = '(XEN) [ ]:.0123456789abcdefAMD-Vi\n\r\t\x1b\x00{}"\\libxl: error PCI 0000:02:00.0 IOMMU \u00ff\u2028';
const sources = [
  'apu2-xen-4.8.3-iommu-enabled.xl-dmesg.log',
  'twin-4.17-no-iommu.serial.log',
  'blog-no-iommu.log',
  'iperf3-tcp.json',
  'apu2-coreboot-debug-no-ivrs.serial.log',
].map(logFixture);

function mutate(s: string, r: () => number): string {
  const chars = [...s];
  const edits = 1 + Math.floor(r() * 40);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(r() * (chars.length + 1));
    const op = r();
    if (op < 0.4) chars.splice(at, 1 + Math.floor(r() * 20));
    else if (op < 0.8) chars.splice(at, 0, ALPHABET[Math.floor(r() * ALPHABET.length)]);
    else chars.splice(at, 0, ...chars.slice(Math.floor(r() * chars.length), Math.floor(r() * chars.length)));
  }
  return chars.join('');
}

const parsers: [string, (s: string) => unknown][] = [
  ['analyzeText', (s) => analyzeText(s)],
  ['diagnose', diagnose],
  ['parseXenLog', parseXenLog],
  ['parseFirmwareLog', parseFirmwareLog],
  ['parseDom0Dmesg', parseDom0Dmesg],
  ['parseXlInfo', parseXlInfo],
  ['parseXlList', parseXlList],
  ['parsePciAssignableList', parsePciAssignableList],
  ['parseXlPciList', parseXlPciList],
  ['parseLspci', parseLspci],
  ['parseIommuGroups', parseIommuGroups],
];

describe('analyze robustness (no input makes a parser throw)', () => {
  const r = rng(SEED);
  const inputs: string[] = [
    '',
    '\n',
    '\r',
    '{',
    '(XEN)',
    '(XEN) [',
    '\x1b[',
    '\x1b]0;',
    '{"start":{"test_start":null},"end":[],"intervals":1}',
  ];
  for (let i = 0; i < 60; i++) {
    const len = Math.floor(r() * 300);
    inputs.push(Array.from({ length: len }, () => ALPHABET[Math.floor(r() * ALPHABET.length)]).join(''));
  }
  for (let i = 0; i < 40; i++) inputs.push(mutate(sources[i % sources.length], r));

  for (const [name, parse] of parsers) {
    it(`${name} survives ${inputs.length} random and mutated inputs (seed ${SEED})`, () => {
      inputs.forEach((input, i) => {
        assert.doesNotThrow(() => parse(input), `case ${i}: ${JSON.stringify(input.slice(0, 80))}`);
      });
    });
  }

  it('analyzeText output is JSON-serializable for all of them', () => {
    for (const input of inputs) assert.equal(typeof JSON.stringify(analyzeText(input)), 'string');
  });
});
