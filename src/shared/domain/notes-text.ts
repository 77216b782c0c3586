/**
 * Plain text of a notes document (a Tiptap Y.XmlFragment), for search: one line per block, marks
 * dropped. What a peer wrote that is not text (embeds, unknown values) is passed over.
 */
import * as Y from 'yjs';

export function deltaText(text: Y.XmlText): string {
  let out = '';
  for (const op of text.toDelta() as { insert?: unknown }[]) if (typeof op.insert === 'string') out += op.insert;
  return out;
}

export function notesText(fragment: Y.XmlFragment | Y.XmlElement): string {
  const lines: string[] = [];
  let line = '';
  const walk = (node: Y.XmlFragment | Y.XmlElement) => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) line += deltaText(child);
      else if (child instanceof Y.XmlElement) {
        if (child.nodeName === 'hardBreak') line += ' ';
        walk(child);
        if (line) lines.push(line);
        line = '';
      }
    }
  };
  walk(fragment);
  if (line) lines.push(line);
  return lines.join('\n');
}
