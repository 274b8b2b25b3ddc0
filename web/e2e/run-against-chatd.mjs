#!/usr/bin/env node
// Runs the browser end-to-end scenarios (e2e/*.e2e.ts) against the real chatd:
//
//   1. makes a temporary directory for chatd's database,
//   2. starts chatd on a free loopback port with its built-in demo provider (the mock
//      provider; no OPENAI_* variables reach it) serving web/dist,
//   3. waits for its "chatd listening on http://..." line (no fixed sleep),
//   4. runs the scenarios with Vitest + playwright-core against that URL, screenshots
//      going to the artifacts directory,
//   5. stops chatd with SIGTERM and checks that it exits cleanly,
//   6. exits non-zero when anything failed.
//
// Usage (from web/):
//   node e2e/run-against-chatd.mjs [--chatd PATH] [--artifacts DIR] [--static-dir DIR] [-- vitest args]
//
// Environment (flags win):
//   CHATD_E2E_CHATD       chatd binary                (default ../build/app/chatd, relative to web/)
//   CHATD_E2E_ARTIFACTS   screenshots, chatd log, JUnit report (default ../build/e2e-artifacts)
//   CHATD_E2E_STATIC_DIR  the built UI chatd serves   (default web/dist)
//   CHROMIUM_PATH         the browser                 (default /usr/bin/chromium)

import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;

function parseArgs(argv) {
  const options = { vitestArgs: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === "--") {
      options.vitestArgs = argv.slice(i + 1);
      break;
    } else if (arg === "--chatd") options.chatd = value();
    else if (arg === "--artifacts") options.artifacts = value();
    else if (arg === "--static-dir") options.staticDir = value();
    else if (arg === "--help" || arg === "-h") {
      console.log("usage: node e2e/run-against-chatd.mjs [--chatd PATH] [--artifacts DIR] [--static-dir DIR] [-- vitest args]");
      process.exit(0);
    } else throw new Error(`unknown argument: ${arg}`);
  }
  return options;
}

function log(message) {
  console.log(`[e2e] ${message}`);
}

/** chatd's environment: the caller's, minus anything that would pick a real provider or other settings. */
function chatdEnvironment() {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name.startsWith("OPENAI_") || name.startsWith("CHATD_")) delete env[name];
  }
  return env;
}

/** Starts chatd and resolves with its base URL once it prints the listening line. */
function startChatd(binary, args, cwd, logStream) {
  const child = spawn(binary, args, { cwd, env: chatdEnvironment(), stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise((resolveExit) => {
    child.on("exit", (code, signal) => resolveExit({ code, signal }));
    child.on("error", (error) => resolveExit({ code: null, signal: null, error }));
  });
  child.stderr.on("data", (chunk) => logStream.write(chunk));

  const ready = new Promise((resolveReady, rejectReady) => {
    const timer = setTimeout(() => rejectReady(new Error(`chatd printed no listening line within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
    const lines = createInterface({ input: child.stdout });
    lines.on("line", (line) => {
      logStream.write(`${line}\n`);
      const match = /^chatd listening on (http:\/\/\S+)$/.exec(line.trim());
      if (match) {
        clearTimeout(timer);
        resolveReady(match[1].replace(/\/$/, ""));
      }
    });
    void exited.then(({ code, signal, error }) => {
      clearTimeout(timer);
      rejectReady(new Error(`chatd ended before it was ready (${error ? error.message : `exit code ${code}, signal ${signal}`}); see its log`));
    });
  });
  return { child, ready, exited };
}

async function stopChatd(chatd) {
  if (chatd.child.exitCode !== null || chatd.child.signalCode !== null) return { ok: false, detail: "chatd had already ended" };
  chatd.child.kill("SIGTERM");
  let timer;
  const timeout = new Promise((resolveTimeout) => {
    timer = setTimeout(() => resolveTimeout(null), STOP_TIMEOUT_MS);
  });
  const result = await Promise.race([chatd.exited, timeout]);
  clearTimeout(timer);
  if (result === null) {
    chatd.child.kill("SIGKILL");
    await chatd.exited;
    return { ok: false, detail: `chatd did not exit within ${STOP_TIMEOUT_MS} ms of SIGTERM (killed)` };
  }
  if (result.code !== 0) return { ok: false, detail: `chatd exited with code ${result.code}, signal ${result.signal} after SIGTERM` };
  return { ok: true, detail: "chatd stopped cleanly (exit code 0)" };
}

function runVitest(baseUrl, artifactsDir, extraArgs) {
  const vitest = join(webDir, "node_modules", "vitest", "vitest.mjs");
  const args = [
    vitest,
    "run",
    "--config",
    "vitest.e2e.config.ts",
    "--reporter=default",
    "--reporter=junit",
    `--outputFile.junit=${join(artifactsDir, "junit.xml")}`,
    ...extraArgs,
  ];
  const child = spawn(process.execPath, args, {
    cwd: webDir,
    stdio: "inherit",
    env: { ...process.env, CHATD_E2E_BASE_URL: baseUrl, CHATD_E2E_ARTIFACTS: artifactsDir, CI: "true" },
  });
  return new Promise((resolveRun) => {
    child.on("exit", (code, signal) => resolveRun(code ?? (signal ? 128 : 1)));
    child.on("error", (error) => {
      console.error(`[e2e] could not run vitest: ${error.message}`);
      resolveRun(1);
    });
  });
}

async function main() {
  const started = Date.now();
  const options = parseArgs(process.argv.slice(2));
  const binary = resolve(webDir, options.chatd ?? process.env.CHATD_E2E_CHATD ?? "../build/app/chatd");
  const artifactsDir = resolve(webDir, options.artifacts ?? process.env.CHATD_E2E_ARTIFACTS ?? "../build/e2e-artifacts");
  const staticDir = resolve(webDir, options.staticDir ?? process.env.CHATD_E2E_STATIC_DIR ?? "dist");

  if (!existsSync(binary)) throw new Error(`no chatd binary at ${binary} (build the chatd_main target, or pass --chatd)`);
  if (!existsSync(join(staticDir, "index.html"))) throw new Error(`no ${join(staticDir, "index.html")} (run npm run build)`);

  // Old screenshots would pass for new ones: start from an empty screenshot folder.
  rmSync(join(artifactsDir, "screenshots"), { recursive: true, force: true });
  mkdirSync(join(artifactsDir, "screenshots"), { recursive: true });

  const workDir = mkdtempSync(join(tmpdir(), "chatd-e2e-"));
  const logPath = join(artifactsDir, "chatd.log");
  const logStream = createWriteStream(logPath);
  const args = [
    "--listen",
    "127.0.0.1:0",
    "--database",
    `sqlite://${join(workDir, "chatd.db")}`,
    "--static-dir",
    staticDir,
    "--log-level",
    "warn",
  ];
  log(`starting ${binary} ${args.join(" ")}`);
  // The working directory is the temporary one, so no config/chatd.conf of the checkout is read.
  const chatd = startChatd(binary, args, workDir, logStream);

  const onSignal = (signal) => {
    chatd.child.kill("SIGTERM");
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  let failures = [];
  try {
    const baseUrl = await chatd.ready;
    log(`chatd is ready at ${baseUrl} (${Date.now() - started} ms); artifacts go to ${artifactsDir}`);
    const code = await runVitest(baseUrl, artifactsDir, options.vitestArgs);
    if (code !== 0) failures.push(`scenarios failed (vitest exit code ${code})`);
  } catch (error) {
    failures.push(error instanceof Error ? error.message : String(error));
  } finally {
    const stopped = await stopChatd(chatd);
    log(stopped.detail);
    if (!stopped.ok) failures.push(stopped.detail);
    await new Promise((resolveEnd) => logStream.end(resolveEnd));
  }

  if (failures.length === 0) rmSync(workDir, { recursive: true, force: true });
  else log(`kept chatd's database in ${workDir}; its log is ${logPath}`);
  log(`${failures.length === 0 ? "passed" : "FAILED"} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const failure of failures) console.error(`[e2e] failure: ${failure}`);
  process.exit(failures.length === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(`[e2e] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
