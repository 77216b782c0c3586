/**
 * Text from someone else (an invite's title and sender) shown inside a sentence of ours, as in a
 * native dialog: line breaks and other control characters would let it forge lines of the
 * dialog, and bidirectional overrides would let it reorder the words around it ("…from Dana
 * ‮?nioJ" reading as something else). Controls become spaces; bidi marks and overrides go.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is what this is for
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function plainDisplayText(text: string): string {
  return text.replace(BIDI, '').replace(CONTROLS, ' ').replace(/ {2,}/g, ' ').trim();
}
