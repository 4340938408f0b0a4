// The server side of SFTP for the in-process test SSH server, mapped onto this host's
// filesystem (absolute paths as given, relative ones under `cwd`). Enough of the protocol for
// ssh2's fastPut/fastGet, streams, stat and directory listings.
import * as fs from 'node:fs';
import { resolve } from 'node:path';
import ssh2, { type SFTPWrapper } from 'ssh2';

const { STATUS_CODE, flagsToString } = ssh2.utils.sftp;

type Attrs = { mode: number; uid: number; gid: number; size: number; atime: number; mtime: number };

function attrsOf(st: fs.Stats): Attrs {
  return {
    mode: st.mode,
    uid: st.uid,
    gid: st.gid,
    size: st.size,
    atime: Math.floor(st.atimeMs / 1000),
    mtime: Math.floor(st.mtimeMs / 1000),
  };
}

export function serveSftp(sftp: SFTPWrapper, cwd: string): void {
  const files = new Map<number, number>(); // handle id → fd
  const dirs = new Map<number, string[] | null>(); // handle id → entries not yet sent
  let nextId = 1;
  const path = (p: string) => resolve(cwd, p);
  const newHandle = () => {
    const h = Buffer.alloc(4);
    h.writeUInt32BE(nextId++);
    return h;
  };
  const idOf = (h: Buffer) => (h.length === 4 ? h.readUInt32BE(0) : -1);
  const fail = (reqid: number, e: NodeJS.ErrnoException | null) => {
    if (!e) return sftp.status(reqid, STATUS_CODE.OK);
    const code =
      e.code === 'ENOENT'
        ? STATUS_CODE.NO_SUCH_FILE
        : e.code === 'EACCES' || e.code === 'EPERM'
          ? STATUS_CODE.PERMISSION_DENIED
          : STATUS_CODE.FAILURE;
    return sftp.status(reqid, code, e.message);
  };
  const withFd = (reqid: number, handle: Buffer, fn: (fd: number) => void) => {
    const fd = files.get(idOf(handle));
    if (fd === undefined) return sftp.status(reqid, STATUS_CODE.FAILURE, 'bad handle');
    fn(fd);
  };

  sftp.on('OPEN', (reqid, filename, flags, attrs) => {
    const mode = typeof attrs.mode === 'number' ? attrs.mode : 0o644;
    fs.open(path(filename), flagsToString(flags) ?? 'r', mode, (err, fd) => {
      if (err) return fail(reqid, err);
      const h = newHandle();
      files.set(idOf(h), fd);
      sftp.handle(reqid, h);
    });
  });
  sftp.on('READ', (reqid, handle, offset, length) =>
    withFd(reqid, handle, (fd) => {
      const buf = Buffer.alloc(length);
      fs.read(fd, buf, 0, length, offset, (err, n) => {
        if (err) return fail(reqid, err);
        if (n === 0) return sftp.status(reqid, STATUS_CODE.EOF);
        sftp.data(reqid, buf.subarray(0, n));
      });
    }),
  );
  sftp.on('WRITE', (reqid, handle, offset, data) =>
    withFd(reqid, handle, (fd) => fs.write(fd, data, 0, data.length, offset, (err) => fail(reqid, err))),
  );
  sftp.on('FSTAT', (reqid, handle) =>
    withFd(reqid, handle, (fd) => fs.fstat(fd, (err, st) => (err ? fail(reqid, err) : sftp.attrs(reqid, attrsOf(st))))),
  );
  sftp.on('FSETSTAT', (reqid, handle, attrs) =>
    withFd(reqid, handle, (fd) =>
      typeof attrs.mode === 'number' ? fs.fchmod(fd, attrs.mode, (err) => fail(reqid, err)) : fail(reqid, null),
    ),
  );
  sftp.on('CLOSE', (reqid, handle) => {
    const id = idOf(handle);
    if (dirs.delete(id)) return sftp.status(reqid, STATUS_CODE.OK);
    withFd(reqid, handle, (fd) => {
      files.delete(id);
      fs.close(fd, (err) => fail(reqid, err));
    });
  });
  const statReply = (reqid: number) => (err: NodeJS.ErrnoException | null, st: fs.Stats) =>
    err ? fail(reqid, err) : sftp.attrs(reqid, attrsOf(st));
  sftp.on('STAT', (reqid, p) => fs.stat(path(p), statReply(reqid)));
  sftp.on('LSTAT', (reqid, p) => fs.lstat(path(p), statReply(reqid)));
  sftp.on('SETSTAT', (reqid, p, attrs) =>
    typeof attrs.mode === 'number' ? fs.chmod(path(p), attrs.mode, (err) => fail(reqid, err)) : fail(reqid, null),
  );
  sftp.on('REALPATH', (reqid, p) => {
    const full = path(p);
    sftp.name(reqid, [{ filename: full, longname: full, attrs: {} as Attrs }]);
  });
  sftp.on('REMOVE', (reqid, p) => fs.unlink(path(p), (err) => fail(reqid, err)));
  sftp.on('RENAME', (reqid, from, to) => fs.rename(path(from), path(to), (err) => fail(reqid, err)));
  sftp.on('MKDIR', (reqid, p) => fs.mkdir(path(p), (err) => fail(reqid, err)));
  sftp.on('RMDIR', (reqid, p) => fs.rmdir(path(p), (err) => fail(reqid, err)));
  sftp.on('OPENDIR', (reqid, p) =>
    fs.readdir(path(p), (err, names) => {
      if (err) return fail(reqid, err);
      const h = newHandle();
      dirs.set(
        idOf(h),
        names.map((n) => `${path(p)}/${n}`),
      );
      sftp.handle(reqid, h);
    }),
  );
  sftp.on('READDIR', (reqid, handle) => {
    const entries = dirs.get(idOf(handle));
    if (entries === undefined) return sftp.status(reqid, STATUS_CODE.FAILURE, 'bad handle');
    if (entries === null) return sftp.status(reqid, STATUS_CODE.EOF);
    dirs.set(idOf(handle), null);
    const names = entries.flatMap((full) => {
      try {
        const filename = full.slice(full.lastIndexOf('/') + 1);
        return [{ filename, longname: filename, attrs: attrsOf(fs.lstatSync(full)) }];
      } catch {
        return []; // removed meanwhile
      }
    });
    sftp.name(reqid, names);
  });
  // Handles left open by a client that vanished must not leak descriptors.
  sftp.on('close', () => {
    for (const fd of files.values()) fs.close(fd, () => {});
    files.clear();
  });
}
