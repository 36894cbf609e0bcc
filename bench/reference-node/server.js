'use strict';
// The Node.js socket.io server that TicketChat replaces, kept as a benchmark
// opponent. It implements the events the benchmarks use (join_ticket,
// send_message, new_message, active_users) and stores messages the same way:
// SQLite in WAL mode with synchronous=FULL, committed before the ack and
// before new_message goes to the room.
//
// Settings come from the environment: PORT, HOST (default 127.0.0.1),
// JWT_SECRET (required, the same secret TicketChat uses) and DATA_DIR.
const http = require('node:http');
const path = require('node:path');
const fs = require('node:fs');
const crypto = require('node:crypto');
const { Server } = require('socket.io');
const jwt = require('jsonwebtoken');
const Database = require('better-sqlite3');

const PORT = Number(process.env.PORT || 8090);
const HOST = process.env.HOST || '127.0.0.1';
const SECRET = process.env.JWT_SECRET;
const DATA_DIR = process.env.DATA_DIR || './data';
const MAX_CONTENT_CODE_POINTS = 10000;
const ROLES = new Set(['customer', 'agent', 'manager', 'admin']);

if (!SECRET || Buffer.byteLength(SECRET) < 32) {
  console.error('JWT_SECRET must be set to at least 32 bytes');
  process.exit(2);
}
fs.mkdirSync(DATA_DIR, { recursive: true });

const db = new Database(path.join(DATA_DIR, 'reference.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = ON');
db.exec(`
  CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT, role TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS tickets (
    id TEXT PRIMARY KEY, customer_id TEXT NOT NULL REFERENCES users(id),
    subject TEXT NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS messages (
    id TEXT PRIMARY KEY, ticket_id TEXT NOT NULL REFERENCES tickets(id),
    sender_id TEXT NOT NULL REFERENCES users(id), content TEXT NOT NULL,
    message_type TEXT NOT NULL, client_message_id TEXT, created_at TEXT NOT NULL);
  CREATE UNIQUE INDEX IF NOT EXISTS messages_client_id
    ON messages(ticket_id, sender_id, client_message_id);
  CREATE INDEX IF NOT EXISTS messages_ticket ON messages(ticket_id, created_at);
`);

const upsertUser = db.prepare(`INSERT INTO users (id, name, email, role) VALUES (?, ?, ?, ?)
  ON CONFLICT(id) DO UPDATE SET name = excluded.name, email = excluded.email, role = excluded.role`);
const findUser = db.prepare('SELECT id, name, email, role FROM users WHERE id = ?');
const insertTicket = db.prepare(
  'INSERT INTO tickets (id, customer_id, subject, status, created_at) VALUES (?, ?, ?, ?, ?)');
const findTicket = db.prepare('SELECT id, customer_id FROM tickets WHERE id = ?');
const insertMessage = db.prepare(`INSERT INTO messages
  (id, ticket_id, sender_id, content, message_type, client_message_id, created_at)
  VALUES (?, ?, ?, ?, ?, ?, ?)`);
const findByClientId = db.prepare(`SELECT id, content, message_type, created_at FROM messages
  WHERE ticket_id = ? AND sender_id = ? AND client_message_id = ?`);

function verify(token) {
  if (typeof token !== 'string' || token.length === 0) return null;
  try {
    const claims = jwt.verify(token, SECRET, { algorithms: ['HS256'] });
    if (!claims.sub || !claims.exp || !ROLES.has(claims.role)) return null;
    return { id: String(claims.sub), role: claims.role, name: claims.name || '', email: claims.email || '' };
  } catch {
    return null;
  }
}

// A user seen for the first time is created from the token, and later tokens refresh it.
// Only a change is written, so a reconnect costs a read, not a commit.
function rememberUser(user) {
  const known = findUser.get(user.id);
  if (!known || known.name !== user.name || known.email !== user.email || known.role !== user.role) {
    upsertUser.run(user.id, user.name, user.email, user.role);
  }
}

function canSee(user, ticket) {
  return ticket && (user.role !== 'customer' || ticket.customer_id === user.id);
}

function failure(code, message) {
  return { ok: false, error: { code, message } };
}

function ticketIdOf(payload) {
  if (typeof payload === 'string') return payload;
  if (payload && typeof payload.ticketId === 'string') return payload.ticketId;
  return null;
}

function sendJson(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

// REST: only what a client needs to open a ticket, POST /api/tickets.
function handleHttp(req, res) {
  if (req.method !== 'POST' || req.url !== '/api/tickets') {
    sendJson(res, 404, { error: { code: 'not_found', message: 'Not found' } });
    return;
  }
  const auth = req.headers.authorization || '';
  const user = verify(auth.startsWith('Bearer ') ? auth.slice(7) : '');
  if (!user) {
    sendJson(res, 401, { error: { code: 'unauthorized', message: 'Unauthorized' } });
    return;
  }
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => {
    body += chunk;
    if (body.length > 1000000) req.destroy();
  });
  req.on('end', () => {
    let parsed;
    try {
      parsed = JSON.parse(body);
    } catch {
      sendJson(res, 400, { error: { code: 'invalid_request', message: 'Invalid JSON' } });
      return;
    }
    if (user.role !== 'customer' || typeof parsed.subject !== 'string' || !parsed.subject.trim()) {
      sendJson(res, 400, { error: { code: 'invalid_request', message: 'A customer and a subject are needed' } });
      return;
    }
    rememberUser(user);
    const ticket = { _id: crypto.randomUUID(), subject: parsed.subject.trim(), status: 'open',
      customerId: user.id, createdAt: new Date().toISOString() };
    insertTicket.run(ticket._id, user.id, ticket.subject, ticket.status, ticket.createdAt);
    sendJson(res, 201, { ticket });
  });
}

const httpServer = http.createServer(handleHttp);
const io = new Server(httpServer);

io.use((socket, next) => {
  const token = (socket.handshake.auth && socket.handshake.auth.token) || socket.handshake.query.token;
  const user = verify(token);
  if (!user) {
    next(new Error('unauthorized'));
    return;
  }
  rememberUser(user);
  socket.data.user = user;
  next();
});

function activeUsers(ticketId) {
  const seen = new Map();
  const ids = io.sockets.adapter.rooms.get(ticketId);
  if (ids) {
    for (const id of ids) {
      const user = io.sockets.sockets.get(id)?.data.user;
      if (user && !seen.has(user.id)) seen.set(user.id, { userId: user.id, userName: user.name, role: user.role });
    }
  }
  return [...seen.values()];
}

function userAlreadyIn(socket, ticketId) {
  const ids = io.sockets.adapter.rooms.get(ticketId);
  if (!ids) return false;
  for (const id of ids) {
    if (id !== socket.id && io.sockets.sockets.get(id)?.data.user.id === socket.data.user.id) return true;
  }
  return false;
}

io.on('connection', (socket) => {
  const user = socket.data.user;

  socket.on('join_ticket', (payload, ack) => {
    const reply = typeof ack === 'function' ? ack : () => {};
    const ticketId = ticketIdOf(payload);
    if (!ticketId) return reply(failure('invalid_request', 'ticketId is required'));
    if (!canSee(user, findTicket.get(ticketId))) return reply(failure('ticket_not_found', 'Ticket not found'));
    const firstOfUser = !userAlreadyIn(socket, ticketId);
    socket.join(ticketId);
    const users = activeUsers(ticketId);
    if (firstOfUser) io.to(ticketId).emit('active_users', { ticketId, users });
    reply({ ok: true, ticketId, activeUsers: users });
  });

  socket.on('send_message', (payload, ack) => {
    const reply = typeof ack === 'function' ? ack : () => {};
    const ticketId = payload && (payload.ticketId || payload.chatId);
    const content = payload && payload.content;
    if (typeof ticketId !== 'string' || typeof content !== 'string') {
      return reply(failure('invalid_request', 'ticketId and content are required'));
    }
    if ([...content].length > MAX_CONTENT_CODE_POINTS) {
      return reply(failure('message_too_long', 'Message too long (max 10000 characters)'));
    }
    if (!canSee(user, findTicket.get(ticketId))) return reply(failure('ticket_not_found', 'Ticket not found'));
    const clientMessageId = typeof payload.clientMessageId === 'string' ? payload.clientMessageId : null;
    const messageType = payload.messageType === 'image' || payload.messageType === 'file'
      ? payload.messageType : 'text';

    const message = { _id: crypto.randomUUID(), chatId: ticketId, ticketId,
      sender: { _id: user.id, name: user.name, role: user.role },
      content, messageType, attachments: [], createdAt: new Date().toISOString(),
      isRead: false, readBy: [], clientMessageId };
    try {
      // better-sqlite3 is synchronous: when run() returns, the row is committed and fsynced.
      insertMessage.run(message._id, ticketId, user.id, content, messageType, clientMessageId, message.createdAt);
    } catch (err) {
      if (err.code === 'SQLITE_CONSTRAINT_UNIQUE' && clientMessageId) {
        const original = findByClientId.get(ticketId, user.id, clientMessageId);
        return reply({ ok: true, message: { ...message, _id: original.id, createdAt: original.created_at } });
      }
      console.error('send_message failed', err.code);
      return reply(failure('internal', 'Internal error'));
    }
    io.to(ticketId).emit('new_message', message);
    reply({ ok: true, message });
  });

  socket.on('disconnecting', () => {
    for (const room of socket.rooms) {
      if (room === socket.id || userAlreadyIn(socket, room)) continue;
      const users = activeUsers(room).filter((u) => u.userId !== user.id);
      socket.to(room).emit('active_users', { ticketId: room, users });
    }
  });
});

httpServer.listen(PORT, HOST, () => {
  console.log(`reference listening on ${HOST}:${PORT} pid=${process.pid}`);
});

function shutdown() {
  io.close();
  db.close();
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
