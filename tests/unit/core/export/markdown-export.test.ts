import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { expect, test } from 'vitest';
import type * as Y from 'yjs';
import { addAgendaItem } from '../../../../src/shared/domain/commands.js';
import { currentMeeting, endMeeting, listNextSteps } from '../../../../src/shared/domain/meetings.js';
import { ensurePrivateNotes, privateDocId } from '../../../../src/shared/domain/private-notes.js';
import { actionsMap, meetingNotes } from '../../../../src/shared/domain/series-doc.js';
import { openCore, tempDir } from '../../helpers/core.js';
import { writeParagraph } from '../../helpers/notes.js';
import { HISTORY_DATES, MOVABLE, fillHistory } from '../../helpers/history.js';
import { until } from '../sync/sync-fixtures.js';
import { archiveDocId, readArchived } from '../../../../src/shared/domain/archive.js';

async function heldMeetings() {
  const opened = await openCore();
  const { core, api } = opened;
  const ctx = { now: new Date(), userId: (await api.getProfile())!.id };
  const sam = await api.createSeries({ kind: 'manager-report', myRole: 'manager', partnerName: 'Sam' });
  const alex = await api.createSeries({ kind: 'peer', partnerName: 'Alex' });
  const first = core.docs.with(sam.id, (doc) => {
    const meetingId = currentMeeting(doc)!.id;
    addAgendaItem(doc, { title: 'Promotion case', purpose: 'career' }, ctx);
    writeParagraph(meetingNotes(doc, meetingId), 'We agreed on the plan.');
    endMeeting(doc, { meetingId }, ctx);
    return meetingId;
  });
  core.docs.create(privateDocId(sam.id), 'private');
  core.docs.release(privateDocId(sam.id));
  core.docs.with(privateDocId(sam.id), (doc) => writeParagraph(ensurePrivateNotes(doc, { meetingId: first }, ctx), 'Only mine.'));
  return { ...opened, sam, alex, first };
}

const readAll = (files: string[]) => files.map((f) => readFileSync(f, 'utf8')).join('\n');

test('exports a 1:1 as one Markdown file per meeting, private notes only when asked', async () => {
  const { core, api, sam, first } = await heldMeetings();
  const out = join(tempDir(), 'export');
  const result = await api.exportMarkdown({ seriesId: sam.id, dir: out });
  expect(result.skipped).toBe(0);
  expect(readdirSync(out)).toEqual([`sam-${sam.id.slice(0, 8)}`]);
  const names = readdirSync(join(out, `sam-${sam.id.slice(0, 8)}`)).sort();
  expect(names).toHaveLength(2);
  expect(names[0]).toMatch(/-held-/);
  expect(names[1]).toMatch(/-scheduled-/);
  const text = readAll(result.files);
  expect(text).toContain('We agreed on the plan.');
  expect(text).toMatch(/^- Promotion case \(Career, /m);
  expect(text).not.toContain('Only mine.');

  const withPrivate = await api.exportMarkdown({
    seriesId: sam.id,
    meetingId: first,
    dir: join(tempDir(), 'private'),
    includePrivate: true,
  });
  expect(withPrivate.files).toHaveLength(1);
  expect(readAll(withPrivate.files)).toContain('## Private notes\n\nOnly mine.');
  await core.close();
});

test('exports every 1:1 when none is named', async () => {
  const { core, api, sam, alex } = await heldMeetings();
  const out = join(tempDir(), 'all');
  const result = await api.exportMarkdown({ dir: out });
  expect(readdirSync(out).sort()).toEqual([`alex-${alex.id.slice(0, 8)}`, `sam-${sam.id.slice(0, 8)}`]);
  expect(result.files).toHaveLength(3);
  await core.close();
});

test('a relative folder or one that is a file is refused with a sentence, and nothing is written', async () => {
  const { core, api, sam } = await heldMeetings();
  await expect(api.exportMarkdown({ seriesId: sam.id, dir: 'relative/out' })).rejects.toThrow('Choose the export folder by its full path.');
  const aFile = join(tempDir(), 'a-file');
  writeFileSync(aFile, '');
  await expect(api.exportMarkdown({ seriesId: sam.id, dir: aFile })).rejects.toThrow(
    /could not write the export into .*\(E(EXIST|NOTDIR)\)/,
  );
  expect(existsSync('relative')).toBe(false);
  await expect(api.exportMarkdown({ seriesId: sam.id, meetingId: 'nope', dir: join(tempDir(), 'x') })).rejects.toThrow(
    'That meeting is not in this 1:1.',
  );
  await core.close();
});

test('a 1:1 whose old years moved into archive documents exports every meeting, one file each; an archived one as in the golden file', async () => {
  const { core, api } = await openCore();
  try {
    const { id } = await api.createSeries({ partnerName: 'Sam', kind: 'manager-report', myRole: 'manager' });
    core.docs.with(id, (doc) => fillHistory(doc));
    await until(() => core.docs.with(id, (doc) => readArchived(doc).length === MOVABLE.length), 'the old years moved');
    // The history's two next steps of a meeting are made at one instant, listed by their random ids: make one earlier.
    core.docs.with(archiveDocId(id, 2022), (doc) => {
      const done = listNextSteps(doc).find((s) => s.meetingId === 'meeting-2022-03')!;
      (actionsMap(doc).get(done.id) as Y.Map<unknown>).set('createdAt', '2022-02-28T10:00:00.000Z');
    });
    const out = join(tempDir(), 'archived');
    const result = await api.exportMarkdown({ seriesId: id, dir: out });
    const folder = join(out, `sam-${id.slice(0, 8)}`);
    expect(readdirSync(folder).sort()).toEqual(
      HISTORY_DATES.map((d, i) => `${d.slice(0, 10)}-${i < 5 ? 'held' : 'scheduled'}-meeting-.md`),
    );
    expect(result).toMatchObject({ skipped: 0 });
    // Its item and done next step from its archive, the step still open from the series document.
    const archived = readFileSync(join(folder, '2022-03-01-held-meeting-.md'), 'utf8');
    expect(archived).toBe(readFileSync(join(import.meta.dirname, 'golden', 'archived-meeting.md'), 'utf8'));

    const one = await api.exportMarkdown({ seriesId: id, meetingId: 'meeting-2021-09', dir: join(tempDir(), 'one') });
    expect(one.files.map((f) => basename(f))).toEqual(['2021-09-01-held-meeting-.md']);
    expect(readAll(one.files)).toContain('Notes of 2021-09.');
  } finally {
    await core.close();
  }
});
