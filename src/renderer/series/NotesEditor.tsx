/**
 * The shared notes of one meeting: a Tiptap editor bound to the meeting's Y.XmlFragment in the
 * replica, so both people type into the same document and see each other's carets.
 */
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import Placeholder from '@tiptap/extension-placeholder';
import { EditorContent, useEditor, useEditorState, type Editor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useEffect, type ReactNode } from 'react';
import type * as Y from 'yjs';
import { IconButton } from '../components/IconButton.js';
import type { Awareness } from 'y-protocols/awareness';
import { useApp } from '../lib/app-context.js';
import { useConnection } from '../lib/connection.js';

export function NotesEditor({ fragment, awareness }: { fragment: Y.XmlFragment; awareness: Awareness }) {
  const { presence } = useApp();
  const editor = useEditor(
    {
      extensions: [
        // Yjs keeps the history (per user), so the editor's own undo stack must be off.
        StarterKit.configure({ undoRedo: false }),
        Placeholder.configure({ placeholder: 'Shared notes: decisions, follow-ups, what you want to remember…' }),
        Collaboration.configure({ fragment }),
        CollaborationCaret.configure({ provider: { awareness }, user: presence }),
      ],
      editorProps: {
        attributes: { role: 'textbox', 'aria-label': 'Shared notes', 'aria-multiline': 'true', class: 'notes__content' },
      },
    },
    [fragment, awareness],
  );
  const { lost } = useConnection();
  useEffect(() => editor.setEditable(!lost), [editor, lost]);

  return (
    <div className="notes">
      <NotesToolbar editor={editor} />
      <EditorContent editor={editor} />
    </div>
  );
}

function NotesToolbar({ editor }: { editor: Editor }) {
  const active = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      bullets: e.isActive('bulletList'),
      numbers: e.isActive('orderedList'),
      heading: e.isActive('heading', { level: 3 }),
    }),
  });
  const chain = () => editor.chain().focus();
  return (
    <div className="notes__toolbar" role="toolbar" aria-label="Formatting">
      <ToolbarButton label="Bold" pressed={active.bold} onClick={() => chain().toggleBold().run()}>
        <strong>B</strong>
      </ToolbarButton>
      <ToolbarButton label="Italic" pressed={active.italic} onClick={() => chain().toggleItalic().run()}>
        <em>I</em>
      </ToolbarButton>
      <ToolbarButton label="Heading" pressed={active.heading} onClick={() => chain().toggleHeading({ level: 3 }).run()}>
        H
      </ToolbarButton>
      <ToolbarButton label="Bullet list" pressed={active.bullets} onClick={() => chain().toggleBulletList().run()}>
        <ListGlyph ordered={false} />
      </ToolbarButton>
      <ToolbarButton label="Numbered list" pressed={active.numbers} onClick={() => chain().toggleOrderedList().run()}>
        <ListGlyph ordered />
      </ToolbarButton>
    </div>
  );
}

function ToolbarButton({ label, pressed, onClick, children }: { label: string; pressed: boolean; onClick(): void; children: ReactNode }) {
  return (
    // Mouse-down would take focus (and the selection) away from the editor.
    <IconButton label={label} className="toolbar-btn" aria-pressed={pressed} onMouseDown={(e) => e.preventDefault()} onClick={onClick}>
      {children}
    </IconButton>
  );
}

function ListGlyph({ ordered }: { ordered: boolean }) {
  return (
    <svg
      width="16"
      height="16"
      viewBox="0 0 16 16"
      aria-hidden="true"
      focusable="false"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
    >
      {ordered ? (
        <>
          <text x="1" y="6" fontSize="5" fill="currentColor" stroke="none">
            1
          </text>
          <text x="1" y="13" fontSize="5" fill="currentColor" stroke="none">
            2
          </text>
        </>
      ) : (
        <>
          <circle cx="2.5" cy="4.5" r="1" fill="currentColor" stroke="none" />
          <circle cx="2.5" cy="11.5" r="1" fill="currentColor" stroke="none" />
        </>
      )}
      <path d="M6 4.5h8M6 11.5h8" />
    </svg>
  );
}
