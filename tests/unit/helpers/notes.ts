/** Writes Tiptap-shaped content into a notes fragment, as the editor would. */
import * as Y from 'yjs';

/** Appends a paragraph holding `text`. */
export function writeParagraph(fragment: Y.XmlFragment, text: string): void {
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(text)]);
  fragment.insert(fragment.length, [paragraph]);
}
