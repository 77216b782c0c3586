/** Says a text field's limit while typing near it, and says so when a paste went past it. */
export interface LengthNoteProps {
  id: string;
  /** "Titles", "Context": the subject of the sentence. */
  what: string;
  length: number;
  max: number;
  /** From this length on, the count shows. */
  warnFrom: number;
  /** Characters the last input left out. */
  dropped: number;
}

/** From here on a title shows how close it is to its limit. */
export const TITLE_WARN = 450;

const n = (count: number) => count.toLocaleString('en');

export function LengthNote({ id, what, length, max, warnFrom, dropped }: LengthNoteProps) {
  if (dropped > 0) {
    return (
      <p id={id} className="field__error length-note" role="alert">
        {what} can be up to {n(max)} characters: the last {n(dropped)} {dropped === 1 ? 'character was' : 'characters were'} left out.
      </p>
    );
  }
  if (length < warnFrom) return null;
  return (
    <p id={id} className="field__hint length-note">
      {n(length)} of {n(max)} characters
    </p>
  );
}
