/**
 * Counts the structs of a Yjs update (format v1) without building them, stopping as soon as the
 * count passes a limit. Y.decodeUpdate allocates an object per struct and parses its content,
 * which for 300k map sets in one 4.75 MiB update took seconds of the event loop; this walks the
 * same bytes, skipping contents by their lengths, so a struct-dense update is refused at a small
 * fraction of that cost, before any of the work it asks for. It only measures: whether the update
 * is valid is for Y.decodeUpdate to say afterwards.
 */
import * as decoding from 'lib0/decoding';

const XML_ELEMENT = 3;
const XML_HOOK = 5;

const skipString = (d: decoding.Decoder) => void decoding.readVarUint8Array(d);
const skipId = (d: decoding.Decoder) => {
  decoding.readVarUint(d);
  decoding.readVarUint(d);
};

function skipContent(d: decoding.Decoder, ref: number): void {
  switch (ref) {
    case 1: // deleted
      decoding.readVarUint(d);
      return;
    case 2: // JSON
      for (let n = decoding.readVarUint(d); n > 0; n--) skipString(d);
      return;
    case 3: // binary
    case 4: // string
    case 5: // embed
      skipString(d);
      return;
    case 6: // format: key and value
      skipString(d);
      skipString(d);
      return;
    case 7: {
      const type = decoding.readVarUint(d);
      if (type === XML_ELEMENT || type === XML_HOOK) skipString(d);
      return;
    }
    case 8: // any
      for (let n = decoding.readVarUint(d); n > 0; n--) decoding.readAny(d);
      return;
    case 9: // subdocument: guid and options
      skipString(d);
      decoding.readAny(d);
      return;
    default:
      throw new Error(`unknown content type ${ref}`);
  }
}

/** The update's struct count, or `max + 1` as soon as it is known to exceed `max`. Throws on bytes that cannot be an update. */
export function countStructs(update: Uint8Array, max: number): number {
  const d = decoding.createDecoder(update);
  let count = 0;
  for (let groups = decoding.readVarUint(d); groups > 0; groups--) {
    const structs = decoding.readVarUint(d);
    if (count + structs > max) return max + 1;
    count += structs;
    skipId(d); // client, then first clock
    for (let i = 0; i < structs; i++) {
      const info = decoding.readUint8(d);
      if (info === 10 || (info & 0x1f) === 0) {
        decoding.readVarUint(d); // skip or GC: a length
        continue;
      }
      if (info & 0x80) skipId(d); // origin
      if (info & 0x40) skipId(d); // right origin
      if ((info & 0xc0) === 0) {
        if (decoding.readVarUint(d) === 1)
          skipString(d); // parent: a root type's name
        else skipId(d); // or a nested type's id
        if (info & 0x20) skipString(d); // parent sub (a map key)
      }
      skipContent(d, info & 0x1f);
    }
  }
  return count;
}
