/**
 * The person's own questions, kept on this device beside the built-in library (a setting, never
 * synced). Sharing one in a 1:1 is a document command (`shareQuestion`), run by the window.
 */
import { z } from 'zod';
import { OwnQuestion } from '../../../shared/domain/questions.js';
import type { CoreServices } from '../context.js';
import { NoInput, handler } from '../define.js';

const SETTING = 'questions';
const MAX_OWN = 1000;

async function readOwn(core: CoreServices): Promise<OwnQuestion[]> {
  const stored = z
    .array(z.unknown())
    .catch([])
    .parse(await core.readSetting(SETTING));
  return stored.flatMap((q) => {
    const parsed = OwnQuestion.safeParse(q);
    return parsed.success ? [parsed.data] : [];
  });
}

export const questionsHandlers = {
  listOwnQuestions: handler(NoInput, async ({ core }) => readOwn(core)),
  addOwnQuestion: handler(OwnQuestion.omit({ id: true }).strict(), async ({ core }, question): Promise<OwnQuestion> => {
    const own = await readOwn(core);
    const added = { ...question, id: crypto.randomUUID() };
    await core.writeSetting(SETTING, [...own, added].slice(-MAX_OWN));
    return added;
  }),
  removeOwnQuestion: handler(z.object({ id: z.string().max(64) }).strict(), async ({ core }, { id }) => {
    await core.writeSetting(
      SETTING,
      (await readOwn(core)).filter((q) => q.id !== id),
    );
  }),
};
