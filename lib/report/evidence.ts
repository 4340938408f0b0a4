// Evidence where the test is: what a test judged, shown on that test (not in a hook), each as a
// step whose name says what was found — "found in xl dmesg, line 57: (XEN) AMD-Vi: IOMMU 0
// Enabled." — or what was searched for and not found. Steps and attachments made while a test
// runs land on that test; outside a mocha run these calls only feed the progress log.
import { readFileSync } from 'node:fs';
import { redact } from '../core/redact.ts';
import { attach, step } from '../core/step.ts';
import { cleanLine } from '../core/text.ts';
import { VERDICT_STEP } from './allure-results.ts';
import { consoleLines } from './console-lines.ts';

export interface Hit {
  line: number;
  text: string;
}

const MAX_SHOWN = 200;

const hitList = (hits: readonly Hit[]) =>
  hits
    .slice(0, MAX_SHOWN)
    .map((h) => `${h.line}: ${h.text}`)
    .join('\n');

/** Text the test judged, attached to the current test as "evidence: <name>". */
export async function evidence(name: string, text: string, contentType = 'text/plain'): Promise<void> {
  await attach(`evidence: ${name}`, text, contentType);
}

/**
 * The test's verdict as a step "verdict: <summary>", with its evidence attached and the judgement
 * inside it (a failed judgement fails the step too). Shown first on the test (allure-results.ts).
 */
export async function verdictStep(summary: string, evidenceText: string, judge: () => void): Promise<void> {
  await step(`${VERDICT_STEP}${summary}`, {}, async () => {
    await attach('verdict', evidenceText);
    judge();
  });
}

/** A fact the test judged that is no line of a log (a value read back from the chip): one step naming it. */
export async function noted(fact: string): Promise<void> {
  await step(fact, {}, async () => {});
}

/** Shows hits a parser already found (IVHD errors, IO_PAGE_FAULTs) — or that there were none. */
export async function showHits(what: string, source: string, hits: readonly Hit[], searched?: number): Promise<void> {
  const name = hits.length
    ? `${what}: ${hits.length} in ${source}, first at line ${hits[0]!.line}: ${redact(hits[0]!.text.trim())}`
    : `${what}: none in ${source}${searched !== undefined ? ` (${searched} lines searched)` : ''}`;
  await step(name, { source }, async () => {
    if (hits.length > 1) await attach(`${what} in ${source}`, hitList(hits));
  });
}

/** The lines of `text` that match `pattern` (line numbers from 1). */
export function findLines(text: string, pattern: RegExp): Hit[] {
  const re = new RegExp(pattern.source, pattern.flags.replace('g', ''));
  const hits: Hit[] = [];
  text.split(/\r?\n/).forEach((l, i) => {
    if (re.test(l)) hits.push({ line: i + 1, text: l.replace(/\r$/, '') });
  });
  return hits;
}

/**
 * Looks for `pattern` in `text` and shows what it found on the current test: "found in <source>,
 * line N: <line>" or "not found in <source>: <pattern> (L lines searched)". Returns the hits.
 */
export async function lookFor(source: string, text: string, pattern: RegExp, at?: LineMap): Promise<Hit[]> {
  const hits = findLines(text, pattern);
  const lines = text ? text.split(/\r?\n/).length : 0;
  // Where a reader opens it: the hits' lines in that file, when each is found there.
  const mapped = at && hits.map((h) => ({ ...h, line: at.lineOf(h) ?? 0 }));
  const shown = mapped?.every((h) => h.line > 0) ? { source: at!.source, hits: mapped } : { source, hits };
  const first = shown.hits[0];
  const name = first
    ? `found in ${shown.source}, line ${first.line}: ${redact(first.text.trim())}${hits.length > 1 ? ` (+${hits.length - 1} more)` : ''}`
    : `not found in ${source}: ${pattern} (${lines} lines searched)`;
  await step(name, { pattern: String(pattern), source }, async () => {
    if (hits.length > 1) await attach(`matches in ${shown.source}`, hitList(shown.hits));
  });
  return hits;
}

/** Where hits found in a part of a file are in the whole file ("console.log", its line). */
export interface LineMap {
  source: string;
  lineOf(hit: Hit): number | undefined;
}

/**
 * Line numbers of console.log for text taken from it (the firmware's part of a boot): each hit's
 * last occurrence there — the boot being judged is the latest. Read once, when made; a console.log
 * that cannot be read maps nothing (the hits keep their own line numbers).
 */
export function inConsoleLog(path: string | undefined): LineMap {
  let lines: string[] = [];
  try {
    if (path) lines = consoleLines(readFileSync(path, 'latin1'));
  } catch {
    lines = [];
  }
  return {
    source: 'console.log',
    lineOf(hit) {
      const want = cleanLine(hit.text).trim();
      if (!want) return undefined;
      for (let i = lines.length - 1; i >= 0; i--) if (lines[i]!.includes(want)) return i + 1;
      return undefined;
    },
  };
}
