/**
 * An operation is declared once: its zod input schema and its function, in its feature's
 * `handlers.ts`. The dispatcher validates with the schema; the `TandemApi` contract is derived
 * from the registry (`ApiOf`), so a new operation is one entry in one file.
 */
import { z } from 'zod';
import type { HandlerContext } from './context.js';

export interface Handler<S extends z.ZodType = z.ZodType, R = unknown> {
  readonly input: S;
  readonly run: (ctx: HandlerContext, input: z.output<S>) => Promise<R>;
}

export function handler<S extends z.ZodType, R>(input: S, run: (ctx: HandlerContext, input: z.output<S>) => Promise<R>): Handler<S, R> {
  return { input, run };
}

/** The input of operations that take none. */
export const NoInput = z.undefined({ message: 'this operation takes no input' });

export type HandlerMap = Record<string, Handler>;

/** The contract methods a registry of handlers implements. */
export type ApiOf<M> = {
  [K in keyof M]: M[K] extends Handler<infer S, infer R>
    ? undefined extends z.input<S>
      ? (input?: z.input<S>) => Promise<R>
      : (input: z.input<S>) => Promise<R>
    : never;
};
