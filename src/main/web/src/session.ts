// The signed-in user and the one Socket.IO connection of this tab.

import { io, Socket } from "socket.io-client";
import type { Presence, Ticket, User } from "./api";

const STORAGE_KEY = "ticketchat.session";

export interface Session {
  token: string;
  user: User;
}

/** Reads the session of this tab. sessionStorage keeps one sign-in per tab, so two users can share a browser. */
export function loadSession(): Session | null {
  const raw = sessionStorage.getItem(STORAGE_KEY);
  if (!raw) {
    return null;
  }
  try {
    return JSON.parse(raw) as Session;
  } catch {
    sessionStorage.removeItem(STORAGE_KEY);
    return null;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

export interface PresenceUpdate {
  userId: string;
  userName: string;
  status: Presence;
  timestamp: string;
}

type Listener<T> = (value: T) => void;

/**
 * The tab's Socket.IO connection and the events every view shares: connection state, presence and ticket
 * updates. Views subscribe and unsubscribe; the chat view talks to the socket directly.
 */
export class Connection {
  readonly socket: Socket;
  /** Last known presence by user id, from agent_status_update events and the agent list. */
  readonly presence = new Map<string, PresenceUpdate>();
  private readonly presenceListeners = new Set<Listener<PresenceUpdate>>();
  private readonly ticketListeners = new Set<Listener<Ticket>>();
  private readonly connectListeners = new Set<Listener<void>>();

  constructor(token: string, private readonly onUnauthorized: () => void) {
    // Same origin as the page, so the CSP's connect-src 'self' covers both polling and WebSocket.
    this.socket = io({ auth: { token }, reconnectionDelay: 500, reconnectionDelayMax: 3000 });
    this.socket.on("connect", () => {
      showBanner(null);
      this.connectListeners.forEach((listener) => listener());
    });
    this.socket.on("disconnect", (reason) => {
      if (reason !== "io client disconnect") {
        showBanner("Connection lost. Reconnecting…");
      }
    });
    this.socket.io.on("reconnect_attempt", (attempt) => {
      showBanner(`Connection lost. Reconnecting (attempt ${attempt})…`);
    });
    this.socket.on("connect_error", (error) => {
      if (error.message === "unauthorized") {
        this.onUnauthorized();
      } else if (!this.socket.active) {
        showBanner("Cannot connect to the server. Reload the page to try again.");
      } else {
        showBanner("Cannot reach the server. Reconnecting…");
      }
    });
    this.socket.on("agent_status_update", (update: PresenceUpdate) => {
      this.presence.set(update.userId, update);
      this.presenceListeners.forEach((listener) => listener(update));
    });
    this.socket.on("ticket_updated", (payload: { ticket: Ticket }) => {
      this.ticketListeners.forEach((listener) => listener(payload.ticket));
    });
  }

  onPresence(listener: Listener<PresenceUpdate>): () => void {
    this.presenceListeners.add(listener);
    return () => this.presenceListeners.delete(listener);
  }

  onTicketUpdated(listener: Listener<Ticket>): () => void {
    this.ticketListeners.add(listener);
    return () => this.ticketListeners.delete(listener);
  }

  /** Calls the listener after every connect, including each reconnect, so views can reload what they missed. */
  onConnect(listener: Listener<void>): () => void {
    this.connectListeners.add(listener);
    return () => this.connectListeners.delete(listener);
  }

  close(): void {
    this.socket.disconnect();
    showBanner(null);
  }
}

/** Shows or hides the connection banner at the top of the page. */
export function showBanner(text: string | null): void {
  const banner = document.getElementById("status-banner");
  if (!banner) {
    return;
  }
  banner.textContent = text ?? "";
  banner.hidden = text === null;
  document.body.classList.toggle("offline", text !== null);
}
