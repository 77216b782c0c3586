import { expect, test } from 'vitest';
import { openCore } from '../../../helpers/core.js';

test('my own questions are kept on this device across restarts, and can be removed', async () => {
  const first = await openCore();
  const added = await first.api.addOwnQuestion({
    category: 'coaching',
    text: 'What would you try if it could not fail?',
    when: 'when stuck',
  });
  await first.api.addOwnQuestion({ category: 'career', text: 'Who do you learn the most from?' });
  await first.core.close();

  const again = await openCore({ dataDir: first.dataDir });
  expect((await again.api.listOwnQuestions()).map((q) => [q.category, q.text, q.when])).toEqual([
    ['coaching', 'What would you try if it could not fail?', 'when stuck'],
    ['career', 'Who do you learn the most from?', ''],
  ]);
  await again.api.removeOwnQuestion({ id: added.id });
  expect((await again.api.listOwnQuestions()).map((q) => q.text)).toEqual(['Who do you learn the most from?']);
  await again.core.close();
});

test('an empty question or an unknown category is refused with a sentence, and nothing is stored', async () => {
  const { core, api } = await openCore();
  await expect(api.addOwnQuestion({ category: 'coaching', text: '  ' })).rejects.toThrow(/^A question needs a few words\.$/);
  await expect(api.addOwnQuestion({ category: 'gossip' as never, text: 'Anything?' })).rejects.toMatchObject({ code: 'invalid-input' });
  expect(await api.listOwnQuestions()).toEqual([]);
  await core.close();
});
