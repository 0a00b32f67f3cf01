// A static file server for the browser tests: a built site served from a subfolder of
// 127.0.0.1 (so every link must work under one), with the MIME types the pages need.

import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";

/** Where the tests serve the site. */
export const SUBFOLDER = "/sub/";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".css": "text/css; charset=utf-8",
  ".xml": "application/xml",
  ".svg": "image/svg+xml",
  ".pdf": "application/pdf",
  ".png": "image/png",
};

/** A static file server for `root` under `prefix` (SUBFOLDER unless given; "/" serves it at
 * the domain root, where 404.html's root-relative links resolve) on 127.0.0.1, on an
 * ephemeral port. */
export function serve(root, prefix = SUBFOLDER) {
  const server = createServer(async (req, res) => {
    try {
      const { pathname } = new URL(req.url, "http://127.0.0.1");
      if (!pathname.startsWith(prefix)) return void res.writeHead(404).end("not found");
      let file = path.join(root, decodeURIComponent(pathname.slice(prefix.length)));
      if (file !== root && !file.startsWith(root + path.sep)) return void res.writeHead(403).end("forbidden");
      if ((await stat(file)).isDirectory()) file = path.join(file, "index.html");
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
      res.end(req.method === "HEAD" ? undefined : body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}
