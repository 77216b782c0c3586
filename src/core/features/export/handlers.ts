/** Taking the notes out: meetings as Markdown files in a folder the user picks. */
import { ExportInput } from '../../../shared/schemas.js';
import { handler } from '../define.js';

export const exportHandlers = {
  exportMarkdown: handler(ExportInput, async ({ core }, input) => core.exportMarkdown(input)),
};
