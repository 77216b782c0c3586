/**
 * Saves text the core made as a file of the user's: a download, which the browser puts in its
 * downloads folder and Electron asks where to put.
 */
export function saveTextFile({ fileName, mimeType, content }: { fileName: string; mimeType: string; content: string }): void {
  const url = URL.createObjectURL(new Blob([content], { type: `${mimeType};charset=utf-8` }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The click has started the download by now; the URL is not needed any more.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
