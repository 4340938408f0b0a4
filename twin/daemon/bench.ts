// The whole twin bench in one object: RTE GPIOs + REST API, the board, the serial port and the
// bench controller (sshd + flashrom shim), wired the way an RTE wires a real apu2.
// The controller's programmer reaches the chip only as on a real apu2 + RTE: board powered and in
// S5 (the chip on the standby rail; 3mdeb's RTE wiring leaves J7 VCC unconnected,
// 3mdeb/testing-trenchboot docs/apu2-rte_connection.md), and, where the bench has an RTE v1.1
// SPI mux, the mux switched to the RTE at 3.3 V with Vcc on. In G3 the chip has no power and
// flashrom prints its own "No EEPROM/flash device found".
import type { ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type GpioMap, twinGpio } from '../base/gpio-map.ts';
import { type BoardOptions, type BoardState, TwinBoard } from '../board/board.ts';
import { installShim, writeChipState } from '../controller/flashrom-shim.ts';
import { startSshd } from '../controller/sshd.ts';
import { FaultInjector } from '../fault/injector.ts';
import { GpioBank } from '../rte/gpio-bank.ts';
import { RteServer } from '../rte/server.ts';
import { SerialServer } from '../serial/server.ts';
import { type IperfPeer, startIperfPeer } from './iperf-peer.ts';

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
  /** Where the chip's SPI lines go: 'none' when the bench has no mux (RTE v1.0). */
  spiMux: 'programmer' | 'board' | 'none';
  /** Whether the controller's flashrom finds the chip right now. */
  chip: 'reachable' | 'absent';
  writeProtect: 'held' | 'released';
  /** CMOS clear presses since the bench started (the twin has no CMOS to lose: a witness only). */
  cmosClears: number;
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
  private cmosClears = 0;

  constructor(private readonly o: TwinBenchOptions) {
    this.gpio = o.gpio ?? twinGpio;
    this.muxFile = join(o.runDir, 'spi-chip');
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
    this.board.on('state', (s) => {
      this.log(`board state: ${s}`);
      // S5 is reached on a timer (the power-button override), not only on a GPIO edge.
      this.queue(() => writeChipState(this.muxFile, this.chipReachable()));
    });
    this.bank.on('change', (id, state) => this.onGpio(id, state));
  }

  async start(): Promise<void> {
    await mkdir(this.o.runDir, { recursive: true });
    // The board's NICs reach the test host as 10.0.2.2: the twin serves the iperf3 peer a
    // real bench's lab network provides, for as long as the twin lives.
    if (this.o.ports.iperf) this.iperf = await startIperfPeer(this.o.ports.iperf);
    await writeChipState(this.muxFile, false);
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
    const mux = this.gpio.spiMux;
    return {
      relay: this.bank.get(this.gpio.relay).state ? 'on' : 'off',
      board: this.board.state,
      spiMux: !mux ? 'none' : this.bank.get(mux.lines).state === 1 ? 'programmer' : 'board',
      chip: this.chipReachable() ? 'reachable' : 'absent',
      writeProtect: this.bank.get(this.gpio.wp).state === 1 ? 'held' : 'released',
      cmosClears: this.cmosClears,
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

  private chipReachable(): boolean {
    if (!this.board.inS5) return false;
    const mux = this.gpio.spiMux;
    if (!mux) return true;
    const on = (id: number) => this.bank.get(id).state === 1;
    // SPI_VOLTAGE "low" = 3.3 V, the apu2's chip voltage (osfv rte.py `spi_enable`).
    return on(mux.vcc) && on(mux.voltage) && on(mux.lines);
  }

  private onGpio(id: number, state: 0 | 1): void {
    this.log(`gpio ${id} (${this.bank.get(id).description}) = ${state}`);
    const g = this.gpio;
    this.queue(async () => {
      if (id === g.relay) await (state ? this.board.powerOn() : this.board.powerOff());
      else if (id === g.reset) await this.board.setReset(state === 1);
      else if (id === g.power) await this.board.setPowerButton(state === 1);
      else if (id === g.cmos && state === 1) this.cmosClears++;
      else if (id === g.spiMux?.lines) this.board.setFlashDisconnected(state === 1);
      await writeChipState(this.muxFile, this.chipReachable());
    });
  }

  private queue(act: () => Promise<unknown>): void {
    this.pending = this.pending.then(act).catch((e) => this.log(`twin bench: ${(e as Error).message}`));
  }

  private log(line: string): void {
    this.o.log?.(line);
  }
}
