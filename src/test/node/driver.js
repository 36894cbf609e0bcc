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
//   {"cmd":"quit"}
// Reports (every report has "type" and "id"):
//   connect {sid, transport}, connect_error {message, data}, disconnect {reason}, event {event, args, ackable},
//   ack {seq, args}, upgrade {transport}, error {message}
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
