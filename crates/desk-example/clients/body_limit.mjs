// Node's fetch against a running desk-example: a body over the 1 MiB limit must come back as the
// 413 and its JSON body. Run by body_limit.py beside this file, or on its own:
//
//     node crates/desk-example/clients/body_limit.mjs http://127.0.0.1:8080 KEY [ROUNDS]
//
// Bodies of 1 MiB + 1 byte, 2 MiB and 6 MiB, with a Content-Length and streamed (chunked), ROUNDS
// times each (default 5). Exits 1 if any round did not see the 413.

const [base, key, roundsArg] = process.argv.slice(2);
if (!base || !key) {
  console.error("usage: node body_limit.mjs BASE_URL KEY [ROUNDS]");
  process.exit(2);
}
const rounds = Number(roundsArg ?? 5);
const url = base.replace(/\/$/, "") + "/desk/api/v2/conversations.json";
const LIMIT = 1024 * 1024;
const SIZES = { "1MiB+1": LIMIT + 1, "2MiB": 2 * LIMIT, "6MiB": 6 * LIMIT };
const EXPECTED = JSON.stringify({ errors: { body: [`must be at most ${LIMIT} bytes`] } });

function payload(size) {
  const head = '{"socket_id": "';
  const tail = '"}';
  return new TextEncoder().encode(head + "x".repeat(size - head.length - tail.length) + tail);
}

function stream(data) {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= data.length) {
        controller.close();
        return;
      }
      controller.enqueue(data.slice(offset, offset + 64 * 1024));
      offset += 64 * 1024;
    },
  });
}

async function post(data, chunked) {
  const init = {
    method: "POST",
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    body: chunked ? stream(data) : data,
    signal: AbortSignal.timeout(30000),
  };
  if (chunked) init.duplex = "half";
  try {
    const response = await fetch(url, init);
    const text = await response.text();
    if (response.status === 413 && JSON.stringify(JSON.parse(text)) === EXPECTED) return "413";
    return `status ${response.status}: ${text.slice(0, 80)}`;
  } catch (err) {
    return `${err.name}: ${err.message}${err.cause ? ` (${err.cause.code ?? err.cause.message})` : ""}`;
  }
}

let failed = false;
console.log(`node ${process.version}`);
for (const [label, size] of Object.entries(SIZES)) {
  const data = payload(size);
  for (const chunked of [false, true]) {
    const seen = [];
    for (let round = 0; round < rounds; round++) seen.push(await post(data, chunked));
    const good = seen.filter((s) => s === "413").length;
    const others = [...new Set(seen.filter((s) => s !== "413"))];
    const framing = chunked ? "chunked" : "Content-Length";
    console.log(
      `${"fetch".padEnd(20)} ${label.padEnd(7)} ${framing.padEnd(15)} ${good}/${rounds} saw the 413` +
        (others.length ? `; others: ${JSON.stringify(others)}` : ""),
    );
    if (good !== rounds) failed = true;
  }
}
process.exit(failed ? 1 : 0);
