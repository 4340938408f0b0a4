// The whole twin bench in one object: RTE GPIOs + REST API, the board, the serial port and the
// bench controller (sshd + flashrom shim), wired the way an RTE wires a real apu2.
import type { ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type GpioMap, twinGpio } from './base/gpio-map.ts';
import { type BoardOptions, type BoardState, TwinBoard } from './board/board.ts';
import { installShim, writeMuxState } from './controller/flashrom-shim.ts';
import { startSshd } from './controller/sshd.ts';
import { FaultInjector } from './fault/injector.ts';
import { type IperfPeer, startIperfPeer } from './iperf-peer.ts';
import { GpioBank } from './rte/gpio-bank.ts';
import { RteServer } from './rte-server.ts';
import { SerialServer } from './serial/server.ts';

export interface TwinBenchOptions {
  flashImage: string;
  runDir: string;
  ports: { power: number; serial: number; controllerSsh: number; dom0Ssh: number; guestSsh: number; iperf?: number };
  /** Omit to run without the SSH controller (unit tests of the other parts). */
  controller?: { hostKey: string; clientPublicKey: string };
  board?: Pick<BoardOptions, 'promptMs' | 'accel' | 'memoryMiB' | 'smp'>;
  gpio?: GpioMap;
  log?: (line: string) => void;
}

export interface TwinBenchStatus {
  relay: 'on' | 'off';
  board: BoardState;
  spiMux: 'programmer' | 'board';
  serialClient: boolean;
}

export class TwinBench {
  readonly bank: GpioBank;
  readonly board: TwinBoard;
  readonly serial: SerialServer;
  readonly rte: RteServer;
  readonly faults: FaultInjector;
  private sshd?: ChildProcess;
  private iperf?: IperfPeer;
  private readonly gpio: GpioMap;
  private readonly muxFile: string;
  private pending: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: TwinBenchOptions) {
    this.gpio = o.gpio ?? twinGpio;
    this.muxFile = join(o.runDir, 'spi-mux');
    this.bank = new GpioBank(this.gpio);
    this.board = new TwinBoard({
      flashImage: o.flashImage,
      runDir: join(o.runDir, 'board'),
      ports: o.ports,
      ...o.board,
    });
    this.serial = new SerialServer({
      port: o.ports.serial,
      onInput: (d) => this.board.input(d),
      // Every byte the port hands a client, per connection: tests check console.log holds it all.
      recordDir: join(o.runDir, 'serial-sent'),
    });
    this.faults = new FaultInjector({
      serial: this.serial,
      serialPort: o.ports.serial,
      dom0SshPort: o.ports.dom0Ssh,
      freezeBoard: () => this.board.freeze(),
      log: (l) => this.log(l),
    });
    this.rte = new RteServer({ bank: this.bank, port: o.ports.power, fault: this.faults.powerFault });
    this.board.on('output', (d) => this.serial.write(d));
    this.board.on('log', (l) => this.log(`board: ${l}`));
    this.board.on('state', (s) => this.log(`board state: ${s}`));
    this.bank.on('change', (id, state) => this.onGpio(id, state));
  }

  async start(): Promise<void> {
    await mkdir(this.o.runDir, { recursive: true });
    // The board's NICs reach the test host as 10.0.2.2: the twin serves the iperf3 peer a
    // real bench's lab network provides, for as long as the twin lives.
    if (this.o.ports.iperf) this.iperf = await startIperfPeer(this.o.ports.iperf);
    await writeMuxState(this.muxFile, false);
    await this.serial.listen();
    await this.rte.listen();
    if (this.o.controller) {
      const shimDir = await installShim({
        dir: join(this.o.runDir, 'bin'),
        stateFile: this.muxFile,
        flashImage: this.o.flashImage,
      });
      this.sshd = await startSshd({
        port: this.o.ports.controllerSsh,
        hostKey: this.o.controller.hostKey,
        clientPublicKey: this.o.controller.clientPublicKey,
        shimDir,
        runDir: join(this.o.runDir, 'controller'),
      });
      this.sshd.on('exit', (code) => this.log(`sshd exited (${code})`));
    }
    this.log(
      `up: power :${this.rte.port}, serial :${this.serial.port}${this.o.controller ? `, controller :${this.o.ports.controllerSsh}` : ''}`,
    );
  }

  status(): TwinBenchStatus {
    return {
      relay: this.bank.get(this.gpio.relay).state ? 'on' : 'off',
      board: this.board.state,
      spiMux: this.muxConnected() ? 'programmer' : 'board',
      serialClient: this.serial.connected,
    };
  }

  /** Waits for GPIO side effects queued so far (power on/off, mux file). */
  settled(): Promise<unknown> {
    return this.pending;
  }

  async stop(): Promise<void> {
    await this.iperf?.stop();
    this.bank.close();
    await this.board.close();
    if (this.sshd && this.sshd.exitCode === null) {
      const exited = new Promise((r) => this.sshd?.once('exit', r));
      this.sshd.kill('SIGTERM');
      await exited;
    }
    await this.rte.close();
    await this.serial.close();
  }

  private muxConnected(): boolean {
    const on = (id: number) => this.bank.get(id).state === 1;
    // A real RTE's programmer sees the chip only with the board unpowered, the chip's Vcc on at
    // the chip's voltage (3.3 V on an apu2) and the SPI lines switched over.
    return !on(this.gpio.relay) && on(this.gpio.spiVcc) && on(this.gpio.spiVoltage) && on(this.gpio.spiLines);
  }

  private onGpio(id: number, state: 0 | 1): void {
    this.log(`gpio ${id} (${this.bank.get(id).description}) = ${state}`);
    const g = this.gpio;
    const act = async () => {
      if (id === g.relay) await (state ? this.board.powerOn() : this.board.powerOff());
      else if (id === g.reset) await this.board.setReset(state === 1);
      else if (id === g.spiLines) this.board.setFlashDisconnected(state === 1);
      await writeMuxState(this.muxFile, this.muxConnected());
    };
    this.pending = this.pending.then(act).catch((e) => this.log(`gpio ${id}: ${(e as Error).message}`));
  }

  private log(line: string): void {
    this.o.log?.(line);
  }
}
