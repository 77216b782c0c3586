/**
 * The one Content-Security-Policy for the renderer, in Electron and in the web shell. Styles
 * allow inline attributes because the editor and the dialog/drag libraries position elements with
 * style attributes; scripts never run inline. 'self' covers the web shell's same-host WebSocket.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');
