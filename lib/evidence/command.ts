// Command evidence: every command a procedure judges is attached to the report with its exit
// code and output, and a command that must succeed fails with its diagnosis and remedy.
import { AssertionError } from 'node:assert';
import { type CarriedDiagnosis, carryDiagnoses } from '../core/carried-diagnoses.ts';
import { codeInfo } from '../core/error-codes.ts';
import { RigError } from '../core/errors.ts';
import { type CommandResult, isRecorded } from '../core/result.ts';
import { attach } from '../core/step.ts';
import { diagnose } from '../diagnose/index.ts';
import type { Finding } from '../diagnose/types.ts';

/** The command's output as evidence; once only: a result its shell's step already attached is left as is. */
export async function attachResult(name: string, r: CommandResult): Promise<void> {
  if (isRecorded(r)) return;
  const text = `$ ${r.command}\n# exit ${r.exitCode}${r.timedOut ? ' (timed out)' : ''} in ${r.durationMs} ms\n${r.stdout}${r.stderr ? `\n# stderr\n${r.stderr}` : ''}`;
  await attach(name, text);
}

export function formatFindings(findings: Finding[]): string {
  return findings.map((f) => `diagnosis ${f.code}: ${f.message}\n  remedy: ${f.remedy}`).join('\n');
}

/** Findings as the data a failing test carries to the reports (summary.json diagnoses, JUnit type). */
export function asCarried(findings: readonly Finding[]): CarriedDiagnosis[] {
  return findings.map((f) => ({ code: f.code, severity: f.severity, text: f.text }));
}

/** Findings of severity error in a text, attached to the report when there are any. */
export async function diagnoseAndAttach(name: string, text: string): Promise<Finding[]> {
  const findings = diagnose(text);
  if (findings.length) await attach(`${name}: diagnosis`, JSON.stringify(findings, null, 2), 'application/json');
  return findings;
}

/**
 * A command the procedure needs to succeed: its failure is the board's, explained by a diagnosis —
 * unless the diagnosis is the lab's (then broken, COMMAND_FAILED).
 */
export async function assertCommandOk(r: CommandResult, what: string): Promise<CommandResult> {
  await attachResult(what, r);
  if (r.exitCode === 0 && !r.timedOut) return r;
  const findings = await diagnoseAndAttach(what, `${r.stdout}\n${r.stderr}`);
  const why = r.timedOut ? 'timed out' : `exited ${r.exitCode}`;
  const last = (r.stderr || r.stdout).trim().split('\n').slice(-3).join('\n');
  const message = `${what}: \`${r.command}\` ${why}\n${last}${findings.length ? `\n${formatFindings(findings)}` : ''}`;
  // A failure the diagnosis pins on the lab (pciback not loaded, no loop device) is broken, not
  // a verdict on the board.
  const lab = findings.find((f) => f.severity === 'error' && codeInfo(f.code)?.owner === 'lab');
  if (lab)
    throw carryDiagnoses(
      new RigError(message, { code: 'COMMAND_FAILED', part: codeInfo(lab.code)?.part ?? 'dom0' }),
      asCarried(findings),
    );
  throw carryDiagnoses(new AssertionError({ message }), asCarried(findings));
}

/** An assertion that names its diagnosis (code, cause, remedy) when it fails. */
export function assertWithDiagnosis(ok: boolean, message: string, findings: Finding[] = []): void {
  if (!ok)
    throw carryDiagnoses(
      new AssertionError({ message: findings.length ? `${message}\n${formatFindings(findings)}` : message }),
      asCarried(findings),
    );
}
