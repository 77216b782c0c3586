/**
 * The one error type that crosses every boundary (contract, protocol, bridge): a code for programs
 * and a sentence for people. Kept apart from the contract so the relay, the docstore and the core
 * can throw it without depending on the UI's types.
 */
export const ERROR_CODES = ['invalid-input', 'not-found', 'storage', 'offline', 'protocol', 'internal'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class TandemError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TandemError';
  }
}
