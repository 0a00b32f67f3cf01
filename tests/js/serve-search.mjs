// The search client a `gongkai serve` serves, run in Node against that server: prints the
// titles of every result of a query as a JSON list (tests/serve.rs).
//
//   node tests/js/serve-search.mjs http://127.0.0.1:8000/ 工作规则
//
// The module is fetched from the server like a browser would and imported from a data:
// URL (Node cannot import over http); it then fetches the index from the server.

const [base, query] = process.argv.slice(2);
if (!base || !query) throw new Error("usage: serve-search.mjs BASE_URL QUERY");

const response = await fetch(new URL("search/gongkai-search.js", base));
if (!response.ok) throw new Error(`search/gongkai-search.js: ${response.status}`);
const source = await response.text();
const client = await import(`data:text/javascript;base64,${Buffer.from(source).toString("base64")}`);
// A fresh client per run: nothing cached from before the change.
const search = client.createSearch({ base, fetch: (url) => fetch(url) });
const answer = await search.search(query, { limit: 100, facets: false });
process.stdout.write(JSON.stringify(answer.results.map((r) => r.title)));
