/**
 * Meetings as Markdown: one document per meeting, with YAML front matter (date, people, status,
 * purposes), the check-in, the agenda, the shared notes rendered from their Tiptap document, the
 * next steps as task list items and, only when asked, the private notes. Pure: the core writes the
 * files. Text is escaped so what someone typed never turns into Markdown structure.
 */
import * as Y from 'yjs';
import { checkInPromptFor } from './check-in-prompts.js';
import { currentMeeting, listNextSteps, readCheckIns, readItemTiming, readMeetingState, type NextStep } from './meetings.js';
import { privateNotes } from './private-notes.js';
import { listAgenda, meetingNotes, perspective, readMeta, type AgendaItem, type SeriesMeta } from './series-doc.js';

export const PURPOSE_LABEL: Record<string, string> = {
  career: 'Career',
  coaching: 'Coaching',
  feedback: 'Feedback',
  connection: 'Connection',
  'clearing-the-air': 'Clearing the air',
  status: 'Status/FYI',
};

/**
 * Backslash-escapes what could make Markdown structure of typed text: emphasis, code, links, HTML
 * and tables anywhere, and headings, quotes, list markers and rules at the start of a line.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]<>~|]/g, (c) => `\\${c}`)
    .replace(/^(\s*)([#>+=-])/gm, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/gm, '$1\\$2');
}

interface Delta {
  insert?: unknown;
  attributes?: Record<string, unknown>;
}

function inline(text: Y.XmlText): string {
  let out = '';
  for (const op of text.toDelta() as Delta[]) {
    if (typeof op.insert !== 'string') continue;
    const a = op.attributes ?? {};
    if (a.code) {
      const fence = op.insert.includes('`') ? '``' : '`';
      out += `${fence}${op.insert}${fence}`;
      continue;
    }
    let piece = escapeMarkdown(op.insert);
    if (a.bold) piece = `**${piece}**`;
    if (a.italic) piece = `*${piece}*`;
    if (a.strike) piece = `~~${piece}~~`;
    const link = a.link as { href?: unknown } | undefined;
    if (link && typeof link.href === 'string') piece = `[${piece}](<${link.href.replace(/[<>\s]/g, encodeURIComponent)}>)`;
    out += piece;
  }
  return out;
}

function inlineOf(node: Y.XmlElement): string {
  let out = '';
  for (const child of node.toArray()) {
    if (child instanceof Y.XmlText) out += inline(child);
    else if (child instanceof Y.XmlElement && child.nodeName === 'hardBreak') out += '\\\n';
    else if (child instanceof Y.XmlElement) out += inlineOf(child);
  }
  return out;
}

function plainOf(node: Y.XmlElement): string {
  let out = '';
  for (const child of node.toArray()) {
    if (child instanceof Y.XmlText) for (const op of child.toDelta() as Delta[]) out += typeof op.insert === 'string' ? op.insert : '';
    else if (child instanceof Y.XmlElement) out += child.nodeName === 'hardBreak' ? '\n' : plainOf(child);
  }
  return out;
}

const indent = (text: string, by: string) =>
  text
    .split('\n')
    .map((line, i) => (i === 0 || !line ? line : by + line))
    .join('\n');

/** Markdown blocks of a notes fragment (or of an element's children), separated by blank lines. */
function blocks(node: Y.XmlFragment | Y.XmlElement, shift: number): string[] {
  const out: string[] = [];
  for (const child of node.toArray()) {
    if (!(child instanceof Y.XmlElement)) {
      if (child instanceof Y.XmlText && child.length) out.push(inline(child));
      continue;
    }
    const block = blockOf(child, shift);
    if (block !== null) out.push(block);
  }
  return out;
}

const LISTS = new Set(['bulletList', 'orderedList', 'taskList']);

/** A tight list: a nested list follows its item's text on the next line, other blocks after a blank line. */
function listItems(list: Y.XmlElement, shift: number, marker: (n: number, item: Y.XmlElement) => string): string {
  return list
    .toArray()
    .filter((c): c is Y.XmlElement => c instanceof Y.XmlElement)
    .map((item, n) => {
      const prefix = marker(n, item);
      let body = '';
      for (const child of item.toArray()) {
        if (!(child instanceof Y.XmlElement)) continue;
        const block = blockOf(child, shift);
        if (block === null) continue;
        body += body ? (LISTS.has(child.nodeName) ? '\n' : '\n\n') + block : block;
      }
      return prefix + indent(body, ' '.repeat(prefix.length));
    })
    .join('\n');
}

function blockOf(node: Y.XmlElement, shift: number): string | null {
  switch (node.nodeName) {
    case 'paragraph':
      return inlineOf(node) || null;
    case 'heading': {
      const level = Math.min(6, Math.max(1, Number(node.getAttribute('level')) || 1) + shift);
      return `${'#'.repeat(level)} ${inlineOf(node)}`;
    }
    case 'bulletList':
      return listItems(node, shift, () => '- ');
    case 'orderedList': {
      const start = Number(node.getAttribute('start')) || 1;
      return listItems(node, shift, (n) => `${start + n}. `);
    }
    case 'taskList':
      // y-prosemirror stores attributes as they are: `checked` is a boolean, not the string the type claims.
      return listItems(node, shift, (_n, item) => `- [${String(item.getAttribute('checked') as unknown) === 'true' ? 'x' : ' '}] `);
    case 'blockquote':
      return blocks(node, shift)
        .join('\n\n')
        .split('\n')
        .map((line) => (line ? `> ${line}` : '>'))
        .join('\n');
    case 'codeBlock': {
      const code = plainOf(node);
      const fence = '`'.repeat(Math.max(3, ...(code.match(/`+/g) ?? []).map((f) => f.length + 1)));
      const language = node.getAttribute('language');
      return `${fence}${typeof language === 'string' ? language.replace(/\W/g, '') : ''}\n${code}\n${fence}`;
    }
    case 'horizontalRule':
      return '---';
    default:
      return blocks(node, shift).join('\n\n') || null;
  }
}

/** The Markdown of a Tiptap notes document; `shift` moves its headings down under the headings around it. */
export function notesMarkdown(fragment: Y.XmlFragment, shift = 0): string {
  return blocks(fragment, shift).join('\n\n');
}

const yaml = (value: string) => JSON.stringify(value);

export interface MeetingMarkdownOptions {
  /** Whose export this is: "you" in the people list, and the other person named. */
  userId: string;
  /** The 1:1's private notes document, when the user asked for them. */
  privateDoc?: Y.Doc | null;
}

function personName(meta: SeriesMeta, userId: string, id: string | null): string {
  if (!id) return 'nobody yet';
  return meta.participants[id]?.name ?? (id === userId ? 'me' : perspective(meta, userId).partnerName);
}

/**
 * What every meeting's document needs from the 1:1, read once: exporting a five-year 1:1 must not
 * read every item and meeting again for each of its meetings.
 */
export interface SeriesForMarkdown {
  meta: SeriesMeta;
  /** Each meeting's agenda, as meetingAgenda gives it. */
  agenda: Map<string, AgendaItem[]>;
  /** The items each meeting carried to the next one. */
  carried: Map<string, AgendaItem[]>;
  steps: NextStep[];
}

/**
 * Reads it from the series document and, for a 1:1 whose old years moved, its archive documents
 * (archive.ts): an archived meeting's items and done next steps are in its archive, the items it
 * carried on and its open next steps in a later document. An entry found in two documents (a
 * meeting caught mid-move) counts once.
 */
export function readSeriesForMarkdown(doc: Y.Doc, archives: readonly Y.Doc[] = []): SeriesForMarkdown {
  const nextId = currentMeeting(doc)?.id ?? null;
  const agenda = new Map<string, AgendaItem[]>();
  const carried = new Map<string, AgendaItem[]>();
  const steps = new Map<string, NextStep>();
  const seen = new Set<string>();
  const add = (map: Map<string, AgendaItem[]>, key: string, item: AgendaItem) => map.set(key, [...(map.get(key) ?? []), item]);
  for (const d of [doc, ...archives]) {
    for (const item of listAgenda(d)) {
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      const meetingId = item.meetingId ?? (d === doc ? nextId : null);
      if (meetingId) add(agenda, meetingId, item);
      const from = readItemTiming(d, item.id).carriedFrom;
      if (from && from !== item.meetingId) add(carried, from, item);
    }
    for (const step of listNextSteps(d)) if (!steps.has(step.id)) steps.set(step.id, step);
  }
  const byCreation = (a: NextStep, b: NextStep) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
  return { meta: readMeta(doc), agenda, carried, steps: [...steps.values()].sort(byCreation) };
}

/**
 * One meeting as a Markdown document, from `doc`, the document holding it (`series`: what
 * readSeriesForMarkdown read, when exporting many or when `doc` is an archive).
 */
export function meetingMarkdown(
  doc: Y.Doc,
  meetingId: string,
  options: MeetingMarkdownOptions,
  series = readSeriesForMarkdown(doc),
): string {
  const { meta } = series;
  const meeting = readMeetingState(doc, meetingId);
  if (!meeting) throw new Error(`meeting ${meetingId} cannot be read`);
  const { partnerName } = perspective(meta, options.userId);
  const people = [...new Set([...Object.values(meta.participants).map((p) => p.name), partnerName])];
  const items = series.agenda.get(meetingId) ?? [];
  const purposes = [...new Set(items.map((i) => i.purpose).filter((p): p is NonNullable<typeof p> => p !== null))];
  const title = meta.title || `1:1 with ${partnerName}`;

  const lines: string[] = [
    '---',
    `title: ${yaml(title)}`,
    `date: ${yaml(meeting.scheduledFor)}`,
    `people: [${people.map(yaml).join(', ')}]`,
    `status: ${yaml(meeting.status)}`,
    `purposes: [${purposes.map(yaml).join(', ')}]`,
    ...(meeting.startedAt ? [`started: ${yaml(meeting.startedAt)}`] : []),
    ...(meeting.endedAt ? [`ended: ${yaml(meeting.endedAt)}`] : []),
    '---',
    '',
    `# ${escapeMarkdown(title)}: ${meeting.scheduledFor.slice(0, 10)}`,
  ];

  const { byUser, shared } = readCheckIns(doc, meetingId);
  const checkIns = Object.entries(byUser).filter(([, line]) => line);
  if (checkIns.length || shared) {
    lines.push('', '## Check-in', '', `*${escapeMarkdown(checkInPromptFor(doc, meetingId))}*`, '');
    for (const [id, line] of checkIns) lines.push(`- **${escapeMarkdown(personName(meta, options.userId, id))}:** ${escapeMarkdown(line)}`);
    if (shared) lines.push(`- ${escapeMarkdown(shared)}`);
  }

  lines.push('', '## Agenda', '');
  if (!items.length) lines.push('No items.');
  for (const item of items) {
    const tags = [
      item.purpose ? PURPOSE_LABEL[item.purpose] : null,
      item.state,
      item.async ? 'async' : null,
      item.carriedCount ? `carried ×${item.carriedCount}` : null,
    ]
      .filter(Boolean)
      .join(', ');
    lines.push(`- ${escapeMarkdown(item.title)} (${escapeMarkdown(tags)})`);
    if (item.context) lines.push(...item.context.split('\n').map((l) => `  ${escapeMarkdown(l)}`));
  }

  const carried = series.carried.get(meetingId) ?? [];
  if (carried.length) {
    lines.push('', '### Not reached, carried to the next meeting', '');
    for (const item of carried) lines.push(`- ${escapeMarkdown(item.title)}`);
  }

  const notes = notesMarkdown(meetingNotes(doc, meetingId), 2);
  lines.push('', '## Notes', '', notes || 'No notes.');

  const steps = series.steps.filter((s) => s.meetingId === meetingId);
  lines.push('', '## Next steps', '');
  if (!steps.length) lines.push('None.');
  for (const s of steps) {
    const who = personName(meta, options.userId, s.ownerId);
    lines.push(`- [${s.done ? 'x' : ' '}] ${escapeMarkdown(s.text)} (${escapeMarkdown(who)}${s.due ? `, due ${s.due}` : ''})`);
  }

  if (options.privateDoc) {
    const fragment = privateNotes(options.privateDoc, meetingId);
    const text = fragment ? notesMarkdown(fragment, 2) : '';
    if (text) lines.push('', '## Private notes', '', text);
  }
  return lines.join('\n') + '\n';
}

/** A file name for a meeting, sortable by date: `2030-01-07-held.md` (the id breaks ties). */
export function meetingFileName(scheduledFor: string, status: string, id: string): string {
  return `${scheduledFor.slice(0, 10)}-${status}-${id.slice(0, 8)}.md`;
}

/** A folder name for a 1:1 from its title or the other person's name: letters, digits and dashes. */
export function seriesFolderName(name: string, seriesId: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
  return `${slug || '1-1'}-${seriesId.slice(0, 8)}`;
}
