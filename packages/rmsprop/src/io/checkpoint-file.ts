// Checkpoints on disk (Node.js only). `node:fs` is imported when a function runs, not when the module
// loads, so `rmsprop/io` bundles for a browser too: there, use encodeCheckpoint/decodeCheckpoint on bytes.
import {
  CheckpointError,
  decodeCheckpoint,
  encodeCheckpoint,
  type Checkpoint,
  type LoadedCheckpoint,
} from './checkpoint.js';
import { SafetensorsError } from './safetensors.js';

/** An open file: the part of `node:fs/promises`' FileHandle a checkpoint needs. */
export interface CheckpointFileHandle {
  writeFile(data: Uint8Array): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** The part of `node:fs/promises` a checkpoint needs; tests pass one that fails on purpose. */
export interface CheckpointFileSystem {
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  open(path: string, flags: string): Promise<CheckpointFileHandle>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  readFile(path: string): Promise<Uint8Array>;
}

export interface CheckpointFileOptions {
  /** Defaults to `node:fs/promises`. */
  fs?: CheckpointFileSystem;
}

let tempCounter = 0;

function splitPath(path: string): [dir: string, base: string] {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i < 0 ? ['.', path] : [path.slice(0, i) || '/', path.slice(i + 1)];
}

const codeOf = (e: unknown): unknown => (e as { code?: unknown } | null)?.code;
const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

type NodeFs = typeof import('node:fs/promises');

async function defaultFs(): Promise<CheckpointFileSystem> {
  // A specifier bundlers leave alone, so a browser bundle of rmsprop/io builds (and never calls this).
  const specifier = 'node:fs/promises';
  const fs: NodeFs = await import(/* webpackIgnore: true */ /* @vite-ignore */ specifier);
  return fs; // type-checked: node's fs/promises is a CheckpointFileSystem
}

/**
 * Writes a checkpoint atomically (creating its folder): to a temporary file in the same folder, flushed to disk, then renamed
 * over `path`, and the folder flushed too. A crash or an error at any point leaves the previous file at
 * `path` intact; on an error the temporary file is removed. (A process killed outright may leave a
 * `.<name>.<pid>-<n>.tmp` file beside the checkpoint, never a half-written checkpoint.)
 */
export async function saveCheckpoint(
  path: string,
  checkpoint: Checkpoint,
  options: CheckpointFileOptions = {},
): Promise<void> {
  const where = `saveCheckpoint(${path})`;
  let bytes: Uint8Array;
  try {
    bytes = encodeCheckpoint(checkpoint);
  } catch (e) {
    if (e instanceof CheckpointError) throw new CheckpointError(e.detail, where);
    throw e;
  }
  const fs = options.fs ?? (await defaultFs());
  const [dir, base] = splitPath(path);
  const temp = `${dir}/.${base}.${typeof process === 'object' ? process.pid : 0}-${tempCounter++}.tmp`;
  let handle: CheckpointFileHandle | null = null;
  try {
    await fs.mkdir(dir, { recursive: true });
    handle = await fs.open(temp, 'wx');
    await handle.writeFile(bytes);
    await handle.sync();
    const h = handle;
    handle = null;
    await h.close();
    await fs.rename(temp, path);
  } catch (e) {
    await handle?.close().catch(() => {});
    await fs.unlink(temp).catch(() => {});
    throw new CheckpointError(
      `could not write the checkpoint (${messageOf(e)}); the previous file, if any, is unchanged`,
      where,
      { cause: e },
    );
  }
  // The rename is durable only once the folder's entry is on disk. Windows cannot open a folder to
  // flush it (and its renames are flushed with the file), so that case is skipped.
  let folder: CheckpointFileHandle | null = null;
  try {
    folder = await fs.open(dir, 'r');
    await folder.sync();
  } catch (e) {
    const code = codeOf(e);
    if (!(code === 'EISDIR' || code === 'EPERM' || code === 'EINVAL' || code === 'EACCES')) {
      throw new CheckpointError(
        `wrote the checkpoint, but could not flush its folder ${dir} to disk (${messageOf(e)})`,
        where,
        { cause: e },
      );
    }
  } finally {
    await folder?.close().catch(() => {});
  }
}

/**
 * Reads a checkpoint written by `saveCheckpoint`. A missing, truncated, corrupted or foreign file is
 * refused with an error that names the file and what is wrong with it.
 */
export async function loadCheckpoint(path: string, options: CheckpointFileOptions = {}): Promise<LoadedCheckpoint> {
  const where = `loadCheckpoint(${path})`;
  const fs = options.fs ?? (await defaultFs());
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(path);
  } catch (e) {
    const what = codeOf(e) === 'ENOENT' ? 'no such file' : `could not read the file (${messageOf(e)})`;
    throw new CheckpointError(what, where, { cause: e });
  }
  try {
    return decodeCheckpoint(bytes);
  } catch (e) {
    if (e instanceof CheckpointError) throw new CheckpointError(e.detail, where);
    if (e instanceof SafetensorsError) throw new SafetensorsError(e.detail, where);
    throw e;
  }
}
