#!/usr/bin/env node
// A stand-in for chatd's HTTP API (API.md), in memory, for working on the UI and for
// running the browser tests before the C++ service is there. Not a product: no
// persistence, plain-text passwords, one process.
//
//   node scripts/mock-chatd.mjs [--port 8080] [--static dist]
//
// Fault switches, written anywhere in a message:
//   [fail-open]   the stream answers 503 before it starts (the client uses POST /api/chat)
//   [break]       the connection is cut after a few chunks (the client resumes)
//   [break-hard]  cut, and every resume fails too (the client uses POST /api/chat)
//   [error]       the stream ends with an `error` event
//   [slow]        about 5 s of streaming (time to press Stop or reload)
//   [xss]         the answer contains HTML that must stay inert
//   [code]        the answer contains a highlighted code block

import { createServer } from "node:http";
import { randomUUID } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(name);
  return index >= 0 && args[index + 1] ? args[index + 1] : fallback;
};
const port = Number(option("--port", process.env.PORT ?? "8080"));
const staticRoot = resolve(option("--static", "dist"));

const users = new Map(); // username -> {id, username, password}
const sessions = new Map(); // token -> userId
const conversations = new Map(); // id -> {id, userId, title, created_at, updated_at, messages: []}
const streams = new Map(); // assistant message id -> {events: [], listeners: Set, done, stopped, timer}
const idempotency = new Map(); // userId + key -> assistant message id

const now = () => new Date().toISOString();

function send(res, status, body, headers = {}) {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}
const fail = (res, status, code, message, headers) => send(res, status, { error: { code, message } }, headers);

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString("utf8");
  if (text === "") return {};
  return JSON.parse(text);
}

function currentUser(req) {
  const cookie = req.headers.cookie ?? "";
  const match = /(?:^|;\s*)chatd_session=([^;]+)/.exec(cookie);
  const userId = match ? sessions.get(match[1]) : undefined;
  return userId ? [...users.values()].find((user) => user.id === userId) ?? null : null;
}

function startSession(res, user) {
  const token = randomUUID();
  sessions.set(token, user.id);
  res.setHeader("Set-Cookie", `chatd_session=${token}; HttpOnly; SameSite=Lax; Path=/`);
}

const publicConversation = ({ id, title, created_at, updated_at }) => ({ id, title, created_at, updated_at });

function answerFor(message) {
  if (message.includes("[xss]")) {
    return 'Here is some HTML, which must stay text: <img src=x onerror=alert(1)> and <script>alert("x")</script>. Done.';
  }
  if (message.includes("[code]")) {
    return "Here is a function:\n\n```python\ndef greet(name: str) -> str:\n    return f\"Hello, {name}!\"\n```\n\nAnd **that** is all.";
  }
  const base = `You said: “${message.replace(/\[[a-z-]+\]/g, "").trim()}”. `;
  const filler =
    "This is the mock chatd answering, word by word, so that the progressive reveal can be seen. " +
    "It has a **bold** part, a list:\n\n- one\n- two\n\nand some `inline code`. Ünïcödé 日本語 👋🏽 too.";
  return message.includes("[slow]") ? base + filler + " " + filler + " " + filler : base + filler;
}

function pushEvent(stream, payload) {
  const event = { id: stream.events.length + 1, payload };
  stream.events.push(event);
  for (const listener of stream.listeners) listener(event);
}

function runGeneration(conversation, assistant, userMessage, text) {
  const stream = { events: [], listeners: new Set(), done: false, stopped: false, timer: null };
  streams.set(assistant.id, stream);
  const started = Date.now();
  pushEvent(stream, {
    type: "start",
    message: "Answer started",
    conversation_id: conversation.id,
    user_message_id: userMessage.id,
    assistant_message_id: assistant.id,
    timestamp: started,
  });
  const answer = answerFor(text);
  const pieces = answer.match(/\S+\s*|\s+/g) ?? [answer];
  const delay = text.includes("[slow]") ? 60 : 25;
  let index = 0;
  let chunkId = 0;
  const finish = (status) => {
    clearInterval(stream.timer);
    assistant.status = status;
    conversation.updated_at = now();
    stream.done = true;
    if (text.includes("[error]")) {
      assistant.status = "failed";
      pushEvent(stream, { type: "error", error: { code: "upstream_error", message: "The mock provider failed on purpose." }, retryable: false, stored_in_db: true });
      return;
    }
    pushEvent(stream, {
      type: "complete",
      final_content: assistant.content,
      message_id: assistant.id,
      status,
      stored_in_db: true,
      streaming_stats: {
        chunks: chunkId,
        total_chars: [...assistant.content].length,
        duration_ms: Date.now() - started,
        time_to_first_chunk_ms: delay,
        chars_per_second: 0,
        fallback: "none",
      },
    });
  };
  stream.finish = finish;
  stream.timer = setInterval(() => {
    if (index >= pieces.length) return finish("complete");
    const piece = pieces[index++];
    chunkId += 1;
    assistant.content += piece;
    pushEvent(stream, { type: "content", data: piece, chunk_id: chunkId, total_chars: [...assistant.content].length });
    if (text.includes("[error]") && chunkId === 5) finish("failed");
  }, delay);
  return stream;
}

function serveStream(req, res, stream, afterId, options = {}) {
  res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache", "X-Accel-Buffering": "no" });
  let sent = 0;
  const write = (event) => {
    res.write(`id: ${event.id}\r\ndata: ${JSON.stringify(event.payload)}\r\n\r\n`);
    sent += 1;
    if (options.cutAfter !== undefined && sent >= options.cutAfter) {
      stream.listeners.delete(write);
      res.destroy();
      return;
    }
    if (event.payload.type === "complete" || event.payload.type === "error") {
      stream.listeners.delete(write);
      res.end();
    }
  };
  for (const event of stream.events.filter((event) => event.id > afterId)) {
    write(event);
    if (res.destroyed || res.writableEnded) return;
  }
  if (stream.done) return res.end();
  stream.listeners.add(write);
  const keepAlive = setInterval(() => res.write(": keep-alive\n\n"), 15000);
  res.on("close", () => {
    clearInterval(keepAlive);
    stream.listeners.delete(write);
  });
}

function startTurn(user, body, idempotencyKey) {
  if (typeof body.message !== "string" || body.message.trim() === "") return { error: [400, "invalid_request", "The message is empty."] };
  if (idempotencyKey) {
    const existing = idempotency.get(user.id + idempotencyKey);
    if (existing) return { replay: existing };
  }
  let conversation;
  if (body.conversation_id !== undefined) {
    conversation = conversations.get(body.conversation_id);
    if (!conversation || conversation.userId !== user.id) return { error: [404, "not_found", "No such conversation."] };
    if (conversation.messages.some((message) => message.status === "streaming")) {
      return { error: [409, "stream_in_progress", "An answer is already being written in this conversation."] };
    }
  } else {
    const created = now();
    conversation = { id: randomUUID(), userId: user.id, title: body.message.slice(0, 40), created_at: created, updated_at: created, messages: [] };
    conversations.set(conversation.id, conversation);
  }
  const userMessage = { id: randomUUID(), role: "user", content: body.message, status: "complete", created_at: now() };
  const assistant = { id: randomUUID(), role: "assistant", content: "", status: "streaming", created_at: now() };
  conversation.messages.push(userMessage, assistant);
  conversation.updated_at = now();
  const stream = runGeneration(conversation, assistant, userMessage, body.message);
  if (idempotencyKey) idempotency.set(user.id + idempotencyKey, assistant.id);
  return { conversation, userMessage, assistant, stream };
}

function findMessage(user, messageId) {
  for (const conversation of conversations.values()) {
    if (conversation.userId !== user.id) continue;
    const message = conversation.messages.find((candidate) => candidate.id === messageId);
    if (message) return { conversation, message };
  }
  return null;
}

const resumeFailures = new Set(); // assistant ids whose resumes fail ([break-hard])

async function handleApi(req, res, url) {
  const path = url.pathname;
  const method = req.method ?? "GET";
  let body = {};
  if (method === "POST" || method === "PATCH") {
    try {
      body = await readJson(req);
    } catch {
      return fail(res, 400, "invalid_json", "The body is not JSON.");
    }
  }

  if (path === "/api/auth/register" && method === "POST") {
    const { username, password } = body;
    if (typeof username !== "string" || !/^[A-Za-z0-9_.-]{3,64}$/.test(username)) return fail(res, 400, "invalid_request", "Usernames are 3–64 characters of letters, digits, _ . -");
    if (typeof password !== "string" || password.length < 8) return fail(res, 400, "invalid_request", "Passwords need at least 8 characters.");
    if (users.has(username)) return fail(res, 409, "username_taken", "That username is taken.");
    const user = { id: randomUUID(), username, password };
    users.set(username, user);
    startSession(res, user);
    return send(res, 201, { user: { id: user.id, username } });
  }
  if (path === "/api/auth/login" && method === "POST") {
    const user = users.get(body.username);
    if (!user || user.password !== body.password) return fail(res, 401, "invalid_credentials", "Wrong username or password.");
    startSession(res, user);
    return send(res, 200, { user: { id: user.id, username: user.username } });
  }

  const user = currentUser(req);
  if (path === "/api/auth/logout" && method === "POST") {
    const match = /(?:^|;\s*)chatd_session=([^;]+)/.exec(req.headers.cookie ?? "");
    if (match) sessions.delete(match[1]);
    res.setHeader("Set-Cookie", "chatd_session=; Max-Age=0; Path=/");
    return send(res, 204);
  }
  if (!user) return fail(res, 401, "unauthenticated", "Please sign in.");
  if (path === "/api/auth/session") return send(res, 200, { user: { id: user.id, username: user.username } });

  if (path === "/api/conversations" && method === "GET") {
    const list = [...conversations.values()].filter((c) => c.userId === user.id).sort((a, b) => (a.updated_at < b.updated_at ? 1 : -1));
    return send(res, 200, { conversations: list.map(publicConversation) });
  }
  const conversationMatch = /^\/api\/conversations\/([^/]+)$/.exec(path);
  if (conversationMatch) {
    const conversation = conversations.get(decodeURIComponent(conversationMatch[1]));
    if (!conversation || conversation.userId !== user.id) return fail(res, 404, "not_found", "No such conversation.");
    if (method === "GET") return send(res, 200, { conversation: publicConversation(conversation), messages: conversation.messages });
    if (method === "PATCH") {
      if (typeof body.title !== "string" || body.title.trim() === "") return fail(res, 400, "invalid_request", "The title is empty.");
      conversation.title = body.title;
      conversation.updated_at = now();
      return send(res, 200, { conversation: publicConversation(conversation) });
    }
    if (method === "DELETE") {
      conversations.delete(conversation.id);
      return send(res, 204);
    }
  }

  if (path === "/api/chat/stream" && method === "POST") {
    if (typeof body.message === "string" && body.message.includes("[fail-open]")) {
      return fail(res, 503, "upstream_unavailable", "The model is unavailable (on purpose).");
    }
    const turn = startTurn(user, body, req.headers["idempotency-key"]);
    if (turn.error) return fail(res, ...turn.error);
    const assistantId = turn.replay ?? turn.assistant.id;
    const stream = streams.get(assistantId);
    const hard = body.message.includes("[break-hard]");
    if (hard) resumeFailures.add(assistantId);
    return serveStream(req, res, stream, 0, body.message.includes("[break") ? { cutAfter: 4 } : {});
  }
  const streamMatch = /^\/api\/chat\/stream\/([^/]+)$/.exec(path);
  if (streamMatch && method === "GET") {
    const found = findMessage(user, decodeURIComponent(streamMatch[1]));
    if (!found) return fail(res, 404, "not_found", "No such message.");
    if (resumeFailures.has(found.message.id)) return fail(res, 503, "upstream_unavailable", "Resuming fails on purpose.");
    const afterId = Number(req.headers["last-event-id"] ?? "0") || 0;
    return serveStream(req, res, streams.get(found.message.id), afterId);
  }
  if (path === "/api/chat/stop" && method === "POST") {
    const found = findMessage(user, body.message_id);
    if (!found) return fail(res, 404, "not_found", "No such message.");
    const stream = streams.get(found.message.id);
    if (stream && !stream.done) stream.finish("stopped");
    const { id, role, content, status } = found.message;
    return send(res, 200, { message: { id, role, content, status } });
  }
  if (path === "/api/chat" && method === "POST") {
    const key = req.headers["idempotency-key"];
    const turn = startTurn(user, { ...body, message: String(body.message ?? "").replace(/\[[a-z-]+\]/g, "") || "retry" }, key);
    if (turn.error) return fail(res, ...turn.error);
    const assistantId = turn.replay ?? turn.assistant.id;
    const stream = streams.get(assistantId);
    const reply = () => {
      const found = findMessage(user, assistantId);
      const { id, role, content, status } = found.message;
      send(res, 200, { conversation_id: found.conversation.id, user_message_id: stream.events[0].payload.user_message_id, message: { id, role, content, status } });
    };
    if (stream.done) return reply();
    stream.listeners.add(function onEvent(event) {
      if (event.payload.type === "complete" || event.payload.type === "error") {
        stream.listeners.delete(onEvent);
        reply();
      }
    });
    return;
  }
  return fail(res, 404, "not_found", "No such route.");
}

const contentTypes = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".map": "application/json", ".svg": "image/svg+xml" };

async function serveStatic(res, pathname) {
  const safe = normalize(decodeURIComponent(pathname)).replace(/^(\.\.[/\\])+/, "");
  let file = join(staticRoot, safe);
  try {
    if (!(await stat(file)).isFile()) throw new Error("not a file");
  } catch {
    file = join(staticRoot, "index.html"); // client-side routes such as /c/<id>
  }
  try {
    const data = await readFile(file);
    res.writeHead(200, { "Content-Type": contentTypes[extname(file)] ?? "application/octet-stream" });
    res.end(data);
  } catch {
    res.writeHead(404).end("build the UI first: npm run build");
  }
}

createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (url.pathname.startsWith("/api/")) {
    handleApi(req, res, url).catch((error) => {
      console.error(error);
      if (!res.headersSent) fail(res, 500, "internal", "Mock server error.");
    });
  } else {
    void serveStatic(res, url.pathname);
  }
}).listen(port, "127.0.0.1", () => {
  console.log(`mock chatd on http://127.0.0.1:${port} (static files from ${staticRoot})`);
});
