/**
 * The shared notes of one meeting: a Tiptap editor bound to the meeting's Y.XmlFragment in the
 * replica, so both people type into the same document and see each other's carets. The notes are
 * written by peers too: links keep only a vetted address and open through one handler, and notes
 * nested past any real use are not rendered.
 */
import { Extension } from '@tiptap/core';
import { Plugin } from '@tiptap/pm/state';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import Link from '@tiptap/extension-link';
import Placeholder from '@tiptap/extension-placeholder';
import { EditorContent, useEditor, useEditorState, type Editor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { meetingNotes } from '../../shared/domain/series-doc.js';
import { BubbleMenu } from '@tiptap/react/menus';
import { Button } from '../components/Button.js';
import { IconButton } from '../components/IconButton.js';
import { useApp } from '../lib/app-context.js';
import { useConnection } from '../lib/connection.js';
import { isSafeLink } from '../../shared/links.js';
import { openLink } from '../lib/links.js';
import { nestsDeeperThan } from '../lib/notes-depth.js';

/**
 * A link is its address and nothing else: a peer's `target`, `rel` or `class` are neither read
 * from the document nor rendered, so no link can open in Tandem's own page or keep its opener.
 */
const NotesLink = Link.extend({
  addAttributes() {
    return { href: { default: null, parseHTML: (element: HTMLElement) => element.getAttribute('href') } };
  },
}).configure({
  autolink: true,
  openOnClick: false,
  linkOnPaste: true,
  protocols: [],
  HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: null },
  isAllowedUri: (url) => isSafeLink(url),
});

/**
 * Undo and redo are always Yjs's (this user's own changes only), and each key does only its own
 * job. Bound by the Collaboration extension alone, Shift-Mod-z with nothing to redo falls through
 * to Mod-z and undoes, and a key with nothing to do goes on to the browser, whose own undo edits
 * the page behind the editor's back. So these bindings run first and always end the key press, and
 * the Edit menu's undo and redo come here too.
 */
const CollaborationHistoryKeys = Extension.create({
  name: 'collaborationHistoryKeys',
  priority: 1001,
  addKeyboardShortcuts() {
    const undo = () => (this.editor.commands.undo(), true);
    const redo = () => (this.editor.commands.redo(), true);
    return { 'Mod-z': undo, 'Shift-Mod-z': redo, 'Mod-y': redo };
  },
  addProseMirrorPlugins() {
    const { editor } = this;
    const historyInput = (_view: unknown, event: InputEvent) => {
      if (event.inputType !== 'historyUndo' && event.inputType !== 'historyRedo') return false;
      event.preventDefault();
      if (event.inputType === 'historyUndo') editor.commands.undo();
      else editor.commands.redo();
      return true;
    };
    return [new Plugin({ props: { handleDOMEvents: { beforeinput: historyInput } } })];
  },
});

/** Every click on a link in the notes (any button, any modifier) ends here instead of in the browser. */
function clickedLink(event: MouseEvent): boolean {
  const anchor = (event.target as Element | null)?.closest?.('a[href]');
  if (!anchor) return false;
  event.preventDefault();
  if (event.type === 'click' || event.button === 1) openLink(anchor.getAttribute('href') ?? '');
  return true;
}

/** Whether the transaction changed the fragment or anything in it (before observers run, `changed` is all there is). */
function changesWithin(tr: Y.Transaction, fragment: Y.XmlFragment): boolean {
  for (const type of tr.changed.keys()) {
    for (let t: unknown = type; t instanceof Y.AbstractType; t = t.parent) if (t === fragment) return true;
  }
  return false;
}

/** How a notes pane differs from the shared notes of the open meeting. */
export interface NotesOptions {
  label?: string;
  placeholder?: string;
  /** Offered on a text selection: turns the selected text into a next step. */
  onNextStep?(text: string): void;
  /** false: read-only, e.g. a past meeting's notes until someone chooses to edit them. */
  editable?: boolean;
}

export function NotesEditor({
  doc,
  meetingId,
  awareness,
  fragment: given,
  ...options
}: { doc: Y.Doc; meetingId: string; awareness: Awareness; fragment?: Y.XmlFragment } & NotesOptions) {
  // Throws a TandemError when a peer wrote something else than notes; the panel's boundary says so.
  const fragment = useMemo(() => given ?? meetingNotes(doc, meetingId), [given, doc, meetingId]);
  const [tooDeep, setTooDeep] = useState(() => nestsDeeperThan(fragment));
  const onTooDeep = useCallback(() => setTooDeep(true), []);
  if (tooDeep)
    return (
      <p className="inline-alert" role="alert">
        These notes are nested too deeply to show; they may have been damaged in the other person's copy.
      </p>
    );
  return <BoundNotes fragment={fragment} awareness={awareness} onTooDeep={onTooDeep} options={options} />;
}

function BoundNotes({
  fragment,
  awareness,
  onTooDeep,
  options: {
    label = 'Shared notes',
    placeholder = 'Shared notes: decisions, follow-ups, what you want to remember…',
    onNextStep,
    editable = true,
  },
}: {
  fragment: Y.XmlFragment;
  awareness: Awareness;
  onTooDeep(): void;
  options: NotesOptions;
}) {
  const { presence } = useApp();
  const editor = useEditor(
    {
      editable,
      extensions: [
        // The Collaboration extension brings Yjs's undo (per user, Mod-Z / Shift-Mod-Z), so the editor's own is off.
        StarterKit.configure({ undoRedo: false, link: false }),
        NotesLink,
        Placeholder.configure({ placeholder }),
        Collaboration.configure({ fragment }),
        CollaborationHistoryKeys,
        CollaborationCaret.configure({ provider: { awareness }, user: presence }),
      ],
      editorProps: {
        attributes: {
          role: 'textbox',
          'aria-label': label,
          'aria-multiline': 'true',
          'aria-readonly': String(!editable),
          class: 'notes__content',
        },
        handleDOMEvents: {
          click: (_view, event) => clickedLink(event),
          auxclick: (_view, event) => clickedLink(event),
        },
      },
    },
    [fragment, awareness, editable],
  );
  const { lost } = useConnection();
  useEffect(() => editor.setEditable(editable && !lost), [editor, editable, lost]);

  // Checked before any observer runs, so the editor is gone before it would render a peer's deep nesting.
  useEffect(() => {
    const doc = fragment.doc;
    if (!doc) return;
    const check = (tr: Y.Transaction) => {
      if (tr.local || !changesWithin(tr, fragment) || !nestsDeeperThan(fragment)) return;
      editor.destroy();
      onTooDeep();
    };
    doc.on('beforeObserverCalls', check);
    return () => doc.off('beforeObserverCalls', check);
  }, [fragment, editor, onTooDeep]);

  return (
    <div className="notes">
      {editable && <NotesToolbar editor={editor} />}
      <EditorContent editor={editor} />
      {onNextStep && (
        <BubbleMenu editor={editor} className="notes__bubble">
          <Button
            size="small"
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => {
              const { from, to } = editor.state.selection;
              const text = editor.state.doc.textBetween(from, to, ' ').trim();
              if (text) onNextStep(text);
            }}
          >
            Make next step
          </Button>
        </BubbleMenu>
      )}
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
