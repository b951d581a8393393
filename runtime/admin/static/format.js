// dbgen admin page: how values are shown. Apart from app.js, which needs a
// document, so that a test can run it without a browser (blob_test.go).
"use strict";

const BLOB_PREVIEW = 16; // bytes shown in hex in a cell

// blobText describes a BLOB, which the API writes as base64, as binary: its
// size and its first bytes in hex, "BLOB, 2 bytes: 00 FF". It is null when
// b64 is not base64, which the API never writes for a BLOB column.
function blobText(b64, preview = BLOB_PREVIEW) {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(b64)) return null;
  const bin = atob(b64);
  const n = bin.length;
  if (n === 0) return "BLOB, 0 bytes";
  const hex = [];
  for (let i = 0; i < Math.min(n, preview); i++) {
    hex.push(bin.charCodeAt(i).toString(16).toUpperCase().padStart(2, "0"));
  }
  return `BLOB, ${n === 1 ? "1 byte" : n + " bytes"}: ${hex.join(" ")}${n > preview ? " …" : ""}`;
}
