// Where one boot of a console transcript ends and the next begins. A transcript of a soak, a
// bisect or a reused console log holds many boots; each gets its own facts and findings, so an
// error of one boot is never shown under the headline of another (issue #24, N19).
//
// A boot begins at the firmware's first words (the PC Engines banner, a coreboot bootblock, the
// SeaBIOS banner) or at Xen's banner. One of these starts a new boot only when the current boot
// is already past it: firmware after Xen or Linux lines, the same firmware marker twice, a Xen
// banner after a Xen banner or after Linux lines. Text before the first marker belongs to the
// first boot, and a Xen banner printed by an `xl dmesg` typed at a shell prompt is that command's
// output, not a boot.
import { HOLDS, holdsNone, isKernelLine, isXenLine, type Line } from '../core/text.ts';

type Marker = 'pcengines' | 'coreboot-build' | 'bootblock' | 'seabios';

const FIRMWARE: [Marker, RegExp][] = [
  ['pcengines', /^PC ?Engines apu\w*$/],
  ['coreboot-build', /^coreboot build \d/],
  ['bootblock', /\bcoreboot-\S+\s.*?\bbootblock starting/],
  ['seabios', /^SeaBIOS \(version /],
];
const XEN_BANNER = /^\(XEN\) ?(?:\[[^\]]*\] ?)?Xen version \d/;
const MARKER_WORDS = /PC ?Engines|coreboot|SeaBIOS/;
/** What startsBoot tests: a line marked without HOLDS.other holds none of their literals (lib/analyze/line-marks.ts). */
export const BOOT_PATTERNS: readonly RegExp[] = [XEN_BANNER, MARKER_WORDS, ...FIRMWARE.map(([, re]) => re)];
const PROMPT_DMESG = /^\S+@\S+:\S*[#$] .*\bdmesg\b/;

export class BootSplitter {
  private firmware = new Set<Marker>();
  private xenBanner = false;
  private later = false; // Xen or Linux lines seen in this boot
  private kernelSeen = false; // Linux lines seen in this boot
  private lastOther = ''; // the last non-empty line that is not Xen's

  /** True when this line begins a new boot (call once per clean line, in order). */
  startsBoot(line: Line): boolean {
    const t = line.text;
    if (t === '') return false;
    if (isXenLine(t)) {
      if (holdsNone(line, HOLDS.other) || !XEN_BANNER.test(t)) {
        this.later = true;
        return false;
      }
      const typed = PROMPT_DMESG.test(this.lastOther);
      const fresh = !typed && (this.xenBanner || this.kernelSeen);
      if (fresh) this.reset();
      this.xenBanner = true;
      this.later = true;
      return fresh;
    }
    this.lastOther = t;
    if (isKernelLine(t)) {
      this.later = true;
      this.kernelSeen = true;
      return false;
    }
    // The markers are short lines near the start of a boot; most lines are not worth the regexes.
    if (holdsNone(line, HOLDS.other) || t.length > 160 || !MARKER_WORDS.test(t)) return false;
    for (const [marker, re] of FIRMWARE) {
      if (!re.test(t)) continue;
      const fresh = this.later || this.firmware.has(marker);
      if (fresh) this.reset();
      this.firmware.add(marker);
      return fresh;
    }
    return false;
  }

  private reset(): void {
    this.firmware.clear();
    this.xenBanner = false;
    this.later = false;
    this.kernelSeen = false;
  }
}
