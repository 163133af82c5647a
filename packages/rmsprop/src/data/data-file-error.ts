/** A data file that is missing or not what its reader expected; the message names the file and how to get it. */
export class DataFileError extends Error {
  override readonly name = 'DataFileError';

  constructor(
    /** The path (or name) of the file at fault. */
    readonly file: string,
    problem: string,
    /** How to get a good copy, e.g. `apt-get install dataset-fashion-mnist`. */
    readonly hint = '',
    options?: ErrorOptions,
  ) {
    super(`${file}: ${problem}${hint ? `. ${hint}` : ''}`, options);
  }
}
