"use strict";
// Holds many socket.io-client sockets in one process for the Java tests. Commands arrive as JSON lines on stdin,
// reports leave as JSON lines on stdout; nothing else is written to stdout.
//
// Commands:
//   {"cmd":"connect","id":"a","url":"http://127.0.0.1:PORT/ns","options":{...}}
//   {"cmd":"emit","id":"a","event":"e","args":[...],"ack":true,"seq":7}
//   {"cmd":"disconnect","id":"a"}      client-side namespace disconnect
//   {"cmd":"close-engine","id":"a"}    abrupt close of the underlying transport
//   {"cmd":"ack-reply","id":"a","event":"e","args":[...]}   arguments that answer the server's acks of event e
//   {"cmd":"churn","id":"c","url":"...","cycles":N,"concurrency":M,"users":[{token,ticketId}],"modes":[...]}
//       runs N connect-join-send-typing-disconnect cycles, M at a time, then reports churn-done
//   {"cmd":"quit"}
// Reports (every report has "type" and "id"):
//   connect {sid, transport}, connect_error {message, data}, disconnect {reason}, event {event, args, ackable},
//   ack {seq, args}, upgrade {transport}, error {message},
//   churn-done {cycles, outcomes: {name: count}, elapsedMs}
// When the server requests an acknowledgement, the client sends the arguments set by ack-reply, by default
// {"ok":true,"echo":args}, so the server's emitWithAck always gets a response.
const { io } = require("socket.io-client");
const readline = require("readline");

const sockets = new Map();
const ackReplies = new Map();

function report(message) {
  process.stdout.write(JSON.stringify(message) + "\n");
}

function toJson(value) {
  if (ArrayBuffer.isView(value)) {
    return { _binary: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64") };
  }
  if (value instanceof ArrayBuffer) {
    return { _binary: Buffer.from(value).toString("base64") };
  }
  if (Array.isArray(value)) {
    return value.map(toJson);
  }
  if (value && typeof value === "object") {
    const copy = {};
    for (const [key, inner] of Object.entries(value)) {
      copy[key] = toJson(inner);
    }
    return copy;
  }
  return value;
}

function fromJson(value) {
  if (Array.isArray(value)) {
    return value.map(fromJson);
  }
  if (value && typeof value === "object") {
    if (typeof value._binary === "string" && Object.keys(value).length === 1) {
      return Buffer.from(value._binary, "base64");
    }
    const copy = {};
    for (const [key, inner] of Object.entries(value)) {
      copy[key] = fromJson(inner);
    }
    return copy;
  }
  return value;
}

function connect(command) {
  const options = Object.assign({ forceNew: true, reconnection: false }, command.options || {});
  const socket = io(command.url, options);
  sockets.set(command.id, socket);
  const id = command.id;
  socket.on("connect", () => {
    const engine = socket.io.engine;
    report({ type: "connect", id, sid: socket.id, transport: engine.transport.name });
    engine.once("upgrade", (transport) => report({ type: "upgrade", id, transport: transport.name }));
  });
  socket.on("connect_error", (err) => {
    report({ type: "connect_error", id, message: err.message, data: err.data === undefined ? null : toJson(err.data) });
  });
  socket.on("disconnect", (reason) => report({ type: "disconnect", id, reason }));
  socket.onAny((event, ...args) => {
    const last = args[args.length - 1];
    const ackable = typeof last === "function";
    if (ackable) {
      args.pop();
      const reply = ackReplies.get(id + "\u0000" + event);
      if (reply) {
        last(...fromJson(reply));
      } else {
        last({ ok: true, echo: toJson(args) });
      }
    }
    report({ type: "event", id, event, args: toJson(args), ackable });
  });
}

function emit(command) {
  const socket = sockets.get(command.id);
  if (!socket) {
    report({ type: "error", id: command.id, message: "unknown socket id" });
    return;
  }
  const args = fromJson(command.args || []);
  if (command.ack) {
    socket.emit(command.event, ...args, (...reply) => report({ type: "ack", id: command.id, seq: command.seq, args: toJson(reply) }));
  } else {
    socket.emit(command.event, ...args);
  }
}

// ---- churn: the socket of each cycle lives only inside the cycle, so nothing accumulates per cycle.

function waitFor(socket, event, timeoutMs) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timed out waiting for " + event)), timeoutMs);
    socket.once(event, (...args) => {
      clearTimeout(timer);
      resolve(args);
    });
  });
}

function abruptClose(socket) {
  const transport = socket.io.engine && socket.io.engine.transport;
  if (transport && transport.ws && typeof transport.ws.terminate === "function") {
    transport.ws.terminate();
  } else if (transport) {
    transport.close();
  }
}

// One cycle. Modes: "clean" (socket.disconnect()), "abrupt" (transport dropped without a DISCONNECT packet),
// "mid-join" (join_ticket sent, transport dropped before its acknowledgement).
async function churnCycle(url, user, transport, mode, index) {
  const socket = io(url, { forceNew: true, reconnection: false, transports: [transport], auth: { token: user.token } });
  try {
    await Promise.race([waitFor(socket, "connect", 10000), waitFor(socket, "connect_error", 10000).then((args) => {
      throw new Error("connect_error " + (args[0] && args[0].message));
    })]);
    const gone = waitFor(socket, "disconnect", 10000);
    if (mode === "mid-join") {
      socket.emit("join_ticket", { ticketId: user.ticketId }, () => {});
      abruptClose(socket);
      await gone;
      return "mid-join";
    }
    const joined = await socket.timeout(10000).emitWithAck("join_ticket", { ticketId: user.ticketId });
    if (!joined.ok) {
      return "join-failed:" + joined.error.code;
    }
    const sent = await socket.timeout(10000).emitWithAck("send_message",
      { ticketId: user.ticketId, content: "churn " + index, clientMessageId: "churn-" + index });
    if (!sent.ok) {
      return "send-failed:" + sent.error.code;
    }
    const typed = await socket.timeout(10000).emitWithAck("typing", { ticketId: user.ticketId, isTyping: true });
    if (!typed.ok) {
      return "typing-failed:" + typed.error.code;
    }
    if (mode === "abrupt") {
      abruptClose(socket);
    } else {
      socket.disconnect();
    }
    await gone;
    return mode;
  } catch (e) {
    return "error:" + e.message;
  } finally {
    socket.disconnect();
  }
}

async function churn(command) {
  const started = Date.now();
  const outcomes = {};
  let next = 0;
  async function worker() {
    while (next < command.cycles) {
      const index = next++;
      const user = command.users[index % command.users.length];
      const mode = command.modes[index % command.modes.length];
      const transport = Math.floor(index / command.modes.length) % 2 === 0 ? "websocket" : "polling";
      const outcome = await churnCycle(command.url, user, transport, mode, (command.offset || 0) + index);
      const key = transport + " " + outcome;
      outcomes[key] = (outcomes[key] || 0) + 1;
    }
  }
  const workers = [];
  for (let i = 0; i < command.concurrency; i++) {
    workers.push(worker());
  }
  await Promise.all(workers);
  report({ type: "churn-done", id: command.id, cycles: command.cycles, outcomes, elapsedMs: Date.now() - started });
}

function handle(command) {
  const socket = sockets.get(command.id);
  switch (command.cmd) {
    case "connect":
      connect(command);
      break;
    case "emit":
      emit(command);
      break;
    case "disconnect":
      if (socket) {
        socket.disconnect();
        sockets.delete(command.id);
      }
      break;
    case "close-engine":
      if (socket) {
        socket.io.engine.transport.close();
      }
      break;
    case "churn":
      churn(command);
      break;
    case "ack-reply":
      ackReplies.set(command.id + "\u0000" + command.event, command.args || []);
      break;
    case "quit":
      for (const open of sockets.values()) {
        open.disconnect();
      }
      process.exit(0);
      break;
    default:
      report({ type: "error", id: command.id || null, message: "unknown command " + command.cmd });
  }
}

const lines = readline.createInterface({ input: process.stdin });
lines.on("line", (line) => {
  if (!line.trim()) {
    return;
  }
  try {
    handle(JSON.parse(line));
  } catch (e) {
    report({ type: "error", id: null, message: String(e && e.message) });
  }
});
lines.on("close", () => process.exit(0));
