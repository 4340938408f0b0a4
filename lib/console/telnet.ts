// Minimal telnet (RFC 854) for ser2net's telnet ports: strips IAC sequences from the stream (a
// sequence may be split across TCP segments), negotiates BINARY and SUPPRESS-GO-AHEAD both ways,
// accepts the server's ECHO, refuses every other option, and escapes 0xFF on send. Option state
// follows RFC 1143's rule of never answering a request that does not change the state (no loops).

const IAC = 255;
const DONT = 254;
const DO = 253;
const WONT = 252;
const WILL = 251;
const SB = 250;
const SE = 240;
const BINARY = 0;
const ECHO = 1;
const SGA = 3;

type OptState = 'no' | 'yes' | 'want';
/** Options we perform ourselves (answer DO with WILL) and ones we let the server perform. */
const OURS = new Set([BINARY, SGA]);
const HIS = new Set([BINARY, SGA, ECHO]);

export class TelnetCodec {
  private state: 'data' | 'iac' | 'opt' | 'sb' | 'sbIac' = 'data';
  private verb = 0;
  private lastCr = false;
  private readonly us = new Map<number, OptState>();
  private readonly him = new Map<number, OptState>();

  /** What we send on connect: ask for an 8-bit clean line without go-aheads. */
  hello(): Buffer {
    const out: number[] = [];
    for (const o of [BINARY, SGA]) {
      this.us.set(o, 'want');
      this.him.set(o, 'want');
      out.push(IAC, WILL, o, IAC, DO, o);
    }
    return Buffer.from(out);
  }

  /** Splits received bytes into console data and the replies to send back. */
  decode(chunk: Buffer): { data: Buffer; reply: Buffer } {
    const data = Buffer.allocUnsafe(chunk.length);
    let n = 0;
    const reply: number[] = [];
    for (const b of chunk) {
      switch (this.state) {
        case 'data':
          if (b === IAC) this.state = 'iac';
          // A bare CR is sent as CR NUL outside binary mode: drop the NUL.
          else if (!(b === 0 && this.lastCr && this.him.get(BINARY) !== 'yes')) data[n++] = b;
          this.lastCr = b === 13;
          break;
        case 'iac':
          if (b === IAC) {
            data[n++] = IAC;
            this.state = 'data';
          } else if (b >= WILL && b <= DONT) {
            this.verb = b;
            this.state = 'opt';
          } else this.state = b === SB ? 'sb' : 'data'; // NOP, GA, AYT...: nothing to do
          break;
        case 'opt':
          this.negotiate(this.verb, b, reply);
          this.state = 'data';
          break;
        case 'sb':
          if (b === IAC) this.state = 'sbIac';
          break;
        case 'sbIac':
          this.state = b === SE ? 'data' : 'sb';
          break;
      }
    }
    return { data: data.subarray(0, n), reply: Buffer.from(reply) };
  }

  /** Escapes IAC; outside binary mode a bare CR becomes CR NUL. */
  encode(data: Buffer): Buffer {
    const binary = this.us.get(BINARY) === 'yes';
    const out: number[] = [];
    for (let i = 0; i < data.length; i++) {
      const b = data[i];
      out.push(b);
      if (b === IAC) out.push(IAC);
      else if (b === 13 && !binary && data[i + 1] !== 10) out.push(0);
    }
    return Buffer.from(out);
  }

  private negotiate(verb: number, opt: number, reply: number[]): void {
    const mine = verb === DO || verb === DONT;
    const table = mine ? this.us : this.him;
    const wanted = verb === DO || verb === WILL;
    const accept = mine ? OURS.has(opt) : HIS.has(opt);
    const cur = table.get(opt) ?? 'no';
    const yes = mine ? WILL : DO;
    const no = mine ? WONT : DONT;
    if (wanted) {
      if (cur === 'yes') return;
      if (cur === 'want' || accept) {
        if (cur !== 'want') reply.push(IAC, yes, opt);
        table.set(opt, 'yes');
      } else reply.push(IAC, no, opt);
    } else {
      if (cur === 'no') return;
      if (cur === 'yes') reply.push(IAC, no, opt);
      table.set(opt, 'no');
    }
  }

  /** True between telnet sequences: no command or subnegotiation is half read. */
  between(): boolean {
    return this.state === 'data';
  }

  /** For tests and diagnostics. */
  option(side: 'us' | 'him', opt: number): OptState {
    return (side === 'us' ? this.us : this.him).get(opt) ?? 'no';
  }
}

export const TELNET = { IAC, DONT, DO, WONT, WILL, SB, SE, BINARY, ECHO, SGA } as const;
