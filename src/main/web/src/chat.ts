// The chat of one ticket: history with older pages on scroll, live messages, typing, read receipts, active
// users and presence, and a composer that survives reconnects.

import { ApiError, describeError, isStaff, Message, Ticket } from "./api";
import { formatTime, h, replaceChildren, safeHttpUrl, uniqueId } from "./dom";
import type { Connection, Session } from "./session";

const PAGE_SIZE = 50;
const ACK_TIMEOUT_MS = 10_000;
const MAX_MESSAGE_CODE_POINTS = 10_000;
/** The server ends a typing state after 10 s without a new isTyping: true, so a typist repeats it sooner. */
const TYPING_REPEAT_MS = 4_000;
const TYPING_IDLE_MS = 3_000;
const TYPING_DISPLAY_MS = 12_000;
const NEAR_TOP_PX = 60;
const NEAR_BOTTOM_PX = 80;

interface ActiveUser {
  userId: string;
  userName: string;
  role: string;
}

/** A message shown in the list: a stored one, or one of ours that the server has not confirmed yet. */
interface Entry {
  message: Message;
  state: "stored" | "sending" | "failed";
}

interface Ack<T> {
  ok: boolean;
  error?: { code: string; message: string };
  [key: string]: unknown;
  result?: T;
}

export interface ChatOptions {
  /** Called when the ticket changes, from ticket_updated or a reload. */
  onTicket?: (ticket: Ticket) => void;
  /** Returns the display name of a staff user id, for the header's assignee. */
  staffName?: (id: string) => string | null;
}

export class ChatView {
  readonly element: HTMLElement;
  private ticket: Ticket;
  private entries: Entry[] = [];
  private hasMore = false;
  private loadingOlder = false;
  private activeUsers: ActiveUser[] = [];
  private readonly typists = new Map<string, { name: string; timer: number }>();
  private lastMarkedId: string | null = null;
  private typingSentAt = 0;
  private typingIdleTimer = 0;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly socketHandlers: [string, (...args: any[]) => void][] = [];

  private readonly header = h("header", { class: "chat-header" });
  private readonly activeList = h("p", { class: "active-users", attrs: { "aria-live": "polite" } });
  private readonly olderButton = h("button", { class: "link-button", attrs: { type: "button", hidden: true } },
    "Load older messages");
  private readonly list = h("ol", { class: "messages", attrs: { "aria-label": "Messages" } });
  private readonly scroller = h("div", { class: "message-scroller", attrs: { role: "log", tabindex: "0",
    "aria-label": "Conversation" } }, this.olderButton, this.list);
  private readonly typingLine = h("p", { class: "typing", attrs: { "aria-live": "polite" } });
  private readonly input = h("textarea", { attrs: { rows: "2", name: "message", maxlength: "20000",
    "aria-describedby": "" } });
  private readonly errorLine = h("p", { class: "composer-error", attrs: { role: "alert" } });
  private readonly sendButton = h("button", { class: "primary", attrs: { type: "submit" } }, "Send");

  constructor(private readonly connection: Connection, private readonly session: Session, ticket: Ticket,
      private readonly options: ChatOptions = {}) {
    this.ticket = ticket;
    const inputId = uniqueId("message");
    const errorId = uniqueId("message-error");
    const hintId = uniqueId("message-hint");
    this.input.id = inputId;
    this.errorLine.id = errorId;
    this.input.setAttribute("aria-describedby", `${hintId} ${errorId}`);
    const composer = h("form", { class: "composer", on: { submit: (event: Event) => {
      event.preventDefault();
      this.sendFromInput();
    } } },
      h("label", { class: "visually-hidden", attrs: { for: inputId } }, "Message"),
      h("div", { class: "composer-row" }, this.input, this.sendButton),
      h("p", { class: "hint", attrs: { id: hintId } }, "Enter sends, Shift+Enter starts a new line."),
      this.errorLine);
    this.element = h("section", { class: "chat", attrs: { "aria-label": "Ticket chat" } },
      this.header, this.activeList, this.scroller, this.typingLine, composer);
    this.wireInput();
    this.wireSocket();
    this.renderHeader();
  }

  /** Joins the ticket and loads the latest page; after each reconnect it does both again. */
  start(): void {
    this.unsubscribe.push(this.connection.onConnect(() => void this.sync()));
    if (this.connection.socket.connected) {
      void this.sync();
    }
  }

  destroy(): void {
    this.unsubscribe.forEach((off) => off());
    for (const [event, handler] of this.socketHandlers) {
      this.connection.socket.off(event, handler);
    }
    this.stopTyping();
    this.typists.forEach((typist) => window.clearTimeout(typist.timer));
    if (this.connection.socket.connected) {
      this.connection.socket.emit("leave_ticket", { ticketId: this.ticket.id });
    }
  }

  focusInput(): void {
    this.input.focus();
  }

  private on(event: string, handler: (...args: any[]) => void): void {
    this.connection.socket.on(event, handler);
    this.socketHandlers.push([event, handler]);
  }

  private wireSocket(): void {
    this.on("new_message", (message: Message) => {
      if (message.ticketId === this.ticket.id) {
        this.addMessage(message);
      }
    });
    this.on("active_users", (payload: { ticketId: string; users: ActiveUser[] }) => {
      if (payload.ticketId === this.ticket.id) {
        this.activeUsers = payload.users;
        this.renderActiveUsers();
      }
    });
    this.on("user_typing", (payload: { ticketId: string; userId: string; userName: string; isTyping: boolean }) => {
      if (payload.ticketId === this.ticket.id && payload.userId !== this.session.user.id) {
        this.setTypist(payload.userId, payload.userName, payload.isTyping);
      }
    });
    this.on("messages_read", (payload: { ticketId: string; userId: string; upToMessageId: string;
        readAt: string }) => {
      if (payload.ticketId === this.ticket.id) {
        this.applyReceipt(payload.userId, payload.upToMessageId, payload.readAt);
      }
    });
    this.unsubscribe.push(this.connection.onTicketUpdated((ticket) => {
      if (ticket.id === this.ticket.id && ticket.updatedAt >= this.ticket.updatedAt) {
        this.ticket = ticket;
        this.renderHeader();
      }
    }));
    this.unsubscribe.push(this.connection.onPresence(() => {
      this.renderActiveUsers();
      this.renderMessages(false);
    }));
    const onVisible = () => this.markRead();
    document.addEventListener("visibilitychange", onVisible);
    this.unsubscribe.push(() => document.removeEventListener("visibilitychange", onVisible));
  }

  private wireInput(): void {
    this.input.addEventListener("keydown", (event: KeyboardEvent) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.sendFromInput();
      }
    });
    this.input.addEventListener("input", () => this.noteTyping());
    this.input.addEventListener("blur", () => this.stopTyping());
    this.olderButton.addEventListener("click", () => void this.loadOlder());
    this.scroller.addEventListener("scroll", () => {
      if (this.scroller.scrollTop < NEAR_TOP_PX) {
        void this.loadOlder();
      }
      this.markRead();
    });
  }

  private async call<T>(event: string, payload: unknown): Promise<T> {
    let ack: Ack<T>;
    try {
      ack = await this.connection.socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, payload);
    } catch {
      throw new ApiError("timeout", "The server did not respond in time");
    }
    if (!ack.ok) {
      throw new ApiError(ack.error?.code ?? "internal", ack.error?.message ?? "");
    }
    return ack as unknown as T;
  }

  /** Joins the room and merges the latest page, which also fills in what arrived while disconnected. */
  private async sync(): Promise<void> {
    const ticketId = this.ticket.id;
    try {
      const joined = await this.call<{ activeUsers: ActiveUser[] }>("join_ticket", { ticketId });
      this.activeUsers = joined.activeUsers;
      this.renderActiveUsers();
      const page = await this.call<{ messages: Message[]; hasMore: boolean }>("get_ticket_messages",
        { ticketId, limit: PAGE_SIZE });
      this.mergeLatest(page.messages, page.hasMore);
      this.resendPending();
    } catch (error) {
      this.showError(error);
    }
  }

  private mergeLatest(page: Message[], pageHasMore: boolean): void {
    const stored = this.entries.filter((entry) => entry.state === "stored");
    const pending = this.entries.filter((entry) => entry.state !== "stored");
    const overlap = page.length === 0 ? -1 : stored.findIndex((entry) => entry.message._id === page[0]._id);
    let merged: Entry[];
    if (overlap >= 0) {
      merged = stored.slice(0, overlap).concat(page.map(storedEntry));
    } else {
      // No overlap: more was missed than one page holds, so older pages are fetched again on scroll.
      merged = page.map(storedEntry);
      this.hasMore = pageHasMore;
    }
    if (stored.length === 0) {
      this.hasMore = pageHasMore;
    }
    const confirmed = new Set(merged.map((entry) => entry.message.clientMessageId).filter(Boolean));
    this.entries = merged.concat(pending.filter((entry) => !confirmed.has(entry.message.clientMessageId)));
    this.renderMessages(true);
  }

  private async loadOlder(): Promise<void> {
    const first = this.entries.find((entry) => entry.state === "stored");
    if (!this.hasMore || this.loadingOlder || !first) {
      return;
    }
    this.loadingOlder = true;
    try {
      const page = await this.call<{ messages: Message[]; hasMore: boolean }>("get_ticket_messages",
        { ticketId: this.ticket.id, limit: PAGE_SIZE, before: first.message._id });
      const known = new Set(this.entries.map((entry) => entry.message._id));
      const older = page.messages.filter((message) => !known.has(message._id)).map(storedEntry);
      this.hasMore = page.hasMore;
      const fromBottom = this.scroller.scrollHeight - this.scroller.scrollTop;
      this.entries = older.concat(this.entries);
      this.renderMessages(false);
      this.scroller.scrollTop = this.scroller.scrollHeight - fromBottom;
    } catch (error) {
      this.showError(error);
    } finally {
      this.loadingOlder = false;
    }
  }

  private addMessage(message: Message): void {
    const existing = this.entries.findIndex((entry) => entry.message._id === message._id
      || (message.clientMessageId && entry.message.clientMessageId === message.clientMessageId
        && entry.message.sender._id === message.sender._id));
    if (existing >= 0) {
      this.entries[existing] = storedEntry(message);
    } else {
      const firstPending = this.entries.findIndex((entry) => entry.state !== "stored");
      const at = firstPending < 0 ? this.entries.length : firstPending;
      this.entries.splice(at, 0, storedEntry(message));
    }
    if (message.sender._id !== this.session.user.id) {
      this.setTypist(message.sender._id, message.sender.name, false);
    }
    this.renderMessages(this.isNearBottom() || message.sender._id === this.session.user.id);
  }

  private sendFromInput(): void {
    const content = this.input.value;
    if (content.trim() === "") {
      return;
    }
    if ([...content].length > MAX_MESSAGE_CODE_POINTS) {
      this.errorLine.textContent = describeError("message_too_long", "");
      return;
    }
    this.input.value = "";
    this.stopTyping();
    const clientMessageId = crypto.randomUUID();
    const message: Message = {
      _id: `pending-${clientMessageId}`,
      ticketId: this.ticket.id,
      sender: { _id: this.session.user.id, name: this.session.user.name, role: this.session.user.role },
      content,
      messageType: "text",
      attachments: [],
      createdAt: new Date().toISOString(),
      isRead: false,
      readBy: [],
      clientMessageId,
    };
    this.entries.push({ message, state: "sending" });
    this.renderMessages(true);
    void this.send(message);
  }

  /** Sends one of our messages; a retry reuses its clientMessageId, so the server stores it once. */
  private async send(pending: Message): Promise<void> {
    this.errorLine.textContent = "";
    this.setPendingState(pending.clientMessageId!, "sending");
    try {
      const ack = await this.call<{ message: Message }>("send_message", {
        ticketId: this.ticket.id,
        content: pending.content,
        clientMessageId: pending.clientMessageId,
      });
      this.addMessage(ack.message);
    } catch (error) {
      this.setPendingState(pending.clientMessageId!, "failed");
      this.showError(error);
    }
  }

  private resendPending(): void {
    for (const entry of this.entries) {
      if (entry.state === "failed") {
        void this.send(entry.message);
      }
    }
  }

  private setPendingState(clientMessageId: string, state: "sending" | "failed"): void {
    const entry = this.entries.find((candidate) => candidate.state !== "stored"
      && candidate.message.clientMessageId === clientMessageId);
    if (entry) {
      entry.state = state;
      this.renderMessages(false);
    }
  }

  private showError(error: unknown): void {
    const code = error instanceof ApiError ? error.code : "internal";
    const message = error instanceof ApiError ? error.message : "";
    this.errorLine.textContent = describeError(code, message);
  }

  private noteTyping(): void {
    if (this.errorLine.textContent) {
      this.errorLine.textContent = "";
    }
    window.clearTimeout(this.typingIdleTimer);
    if (this.input.value.trim() === "") {
      this.stopTyping();
      return;
    }
    const now = Date.now();
    if (now - this.typingSentAt > TYPING_REPEAT_MS) {
      this.typingSentAt = now;
      this.connection.socket.emit("typing", { ticketId: this.ticket.id, isTyping: true });
    }
    this.typingIdleTimer = window.setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  private stopTyping(): void {
    window.clearTimeout(this.typingIdleTimer);
    if (this.typingSentAt !== 0) {
      this.typingSentAt = 0;
      this.connection.socket.emit("typing", { ticketId: this.ticket.id, isTyping: false });
    }
  }

  private setTypist(userId: string, name: string, isTyping: boolean): void {
    const current = this.typists.get(userId);
    if (current) {
      window.clearTimeout(current.timer);
      this.typists.delete(userId);
    }
    if (isTyping) {
      // The server also sends isTyping: false after its timeout; this only covers a lost event.
      const timer = window.setTimeout(() => this.setTypist(userId, name, false), TYPING_DISPLAY_MS);
      this.typists.set(userId, { name, timer });
    }
    const names = [...this.typists.values()].map((typist) => typist.name);
    this.typingLine.textContent = names.length === 0 ? ""
      : `${names.join(", ")} ${names.length === 1 ? "is" : "are"} typing…`;
  }

  private applyReceipt(userId: string, upToMessageId: string, readAt: string): void {
    const upTo = this.entries.findIndex((entry) => entry.message._id === upToMessageId);
    if (upTo < 0) {
      return;
    }
    for (const entry of this.entries.slice(0, upTo + 1)) {
      const message = entry.message;
      if (message.sender._id !== userId && !message.readBy.some((read) => read.userId === userId)) {
        message.readBy.push({ userId, readAt });
        message.isRead = true;
      }
    }
    this.renderMessages(false);
  }

  /** Marks the newest message from someone else as read while the page is visible. */
  private markRead(): void {
    if (document.visibilityState !== "visible" || !this.connection.socket.connected) {
      return;
    }
    const latest = [...this.entries].reverse().find((entry) => entry.state === "stored"
      && entry.message.sender._id !== this.session.user.id);
    if (!latest || latest.message._id === this.lastMarkedId
        || latest.message.readBy.some((read) => read.userId === this.session.user.id)) {
      return;
    }
    this.lastMarkedId = latest.message._id;
    this.connection.socket.emit("mark_read", { ticketId: this.ticket.id, messageId: latest.message._id },
      (ack: Ack<unknown>) => {
        if (!ack.ok) {
          this.lastMarkedId = null;
        }
      });
  }

  private isNearBottom(): boolean {
    const scroller = this.scroller;
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < NEAR_BOTTOM_PX;
  }

  private renderHeader(): void {
    const ticket = this.ticket;
    const assignee = ticket.assigneeId ? this.options.staffName?.(ticket.assigneeId) : null;
    replaceChildren(this.header,
      h("h2", { attrs: { id: "chat-title" } }, ticket.subject),
      h("p", { class: "ticket-meta" },
        badge("status", ticket.status), " ", badge("priority", ticket.priority),
        ` ${assigneeText(ticket.assigneeId, assignee ?? null)}`),
      ticket.description ? h("p", { class: "ticket-description" }, ticket.description) : null);
    this.options.onTicket?.(ticket);
  }

  private renderActiveUsers(): void {
    if (this.activeUsers.length === 0) {
      replaceChildren(this.activeList);
      return;
    }
    const items = this.activeUsers.map((user) => h("span", { class: "active-user" },
      user.userName, isStaff(user.role) ? this.presenceBadge(user.userId) : null));
    const parts: (Node | string)[] = ["In this ticket now: "];
    items.forEach((item, index) => {
      if (index > 0) {
        parts.push(", ");
      }
      parts.push(item);
    });
    replaceChildren(this.activeList, ...parts);
  }

  private presenceBadge(userId: string): HTMLElement | null {
    const known = this.connection.presence.get(userId);
    if (!known && !this.activeUsers.some((user) => user.userId === userId)) {
      return null;
    }
    const status = known?.status ?? "online";
    return h("span", { class: `presence presence-${status}` }, status);
  }

  private renderMessages(scrollToBottom: boolean): void {
    this.olderButton.hidden = !this.hasMore;
    const ownId = this.session.user.id;
    const lastSeenOwn = [...this.entries].reverse().find((entry) => entry.message.sender._id === ownId
      && entry.message.isRead);
    const items = this.entries.map((entry) => this.renderEntry(entry, entry === lastSeenOwn));
    replaceChildren(this.list, ...items);
    if (this.entries.length === 0) {
      this.list.append(h("li", { class: "empty" }, "No messages yet. Write the first one below."));
    }
    if (scrollToBottom) {
      this.scroller.scrollTop = this.scroller.scrollHeight;
    }
    this.markRead();
  }

  private renderEntry(entry: Entry, isLastSeen: boolean): HTMLElement {
    const message = entry.message;
    if (message.messageType === "system") {
      return h("li", { class: "message system" }, h("span", { class: "content" }, message.content), " ",
        h("time", { attrs: { datetime: message.createdAt } }, formatTime(message.createdAt)));
    }
    const own = message.sender._id === this.session.user.id;
    const sender = message.sender;
    const item = h("li", { class: `message ${own ? "own" : "other"}`, attrs: { "data-id": message._id } },
      h("p", { class: "message-head" },
        h("span", { class: "sender" }, own ? "You" : sender.name),
        isStaff(sender.role) && !own ? h("span", { class: "role" }, sender.role) : null,
        isStaff(sender.role) && !own ? this.presenceBadge(sender._id) : null,
        h("time", { attrs: { datetime: message.createdAt } }, formatTime(message.createdAt))),
      // textContent only: message content is never parsed as HTML.
      h("p", { class: "content" }, message.content));
    if (message.attachments.length > 0) {
      item.append(h("ul", { class: "attachments", attrs: { "aria-label": "Attachments" } },
        ...message.attachments.map(renderAttachment)));
    }
    if (own) {
      item.append(this.renderOwnState(entry, isLastSeen));
    }
    return item;
  }

  private renderOwnState(entry: Entry, isLastSeen: boolean): HTMLElement {
    if (entry.state === "sending") {
      return h("p", { class: "delivery" }, "Sending…");
    }
    if (entry.state === "failed") {
      return h("p", { class: "delivery failed" }, "Not sent. ",
        h("button", { class: "link-button", attrs: { type: "button" },
          on: { click: () => void this.send(entry.message) } }, "Retry"));
    }
    if (!entry.message.isRead) {
      return h("p", { class: "delivery" }, "Sent");
    }
    // Only the newest read message says "Seen", so the receipt does not repeat under every message.
    return h("p", { class: "delivery" }, isLastSeen ? "Seen" : "");
  }
}

function assigneeText(assigneeId: string | null, name: string | null): string {
  if (!assigneeId) {
    return "Not assigned yet";
  }
  return name ? `Assigned to ${name}` : "Assigned";
}

function storedEntry(message: Message): Entry {
  return { message, state: "stored" };
}

function renderAttachment(attachment: { url: string; name?: string; size?: number }): HTMLElement {
  const name = attachment.name || attachment.url;
  const size = attachment.size ? ` (${formatBytes(attachment.size)})` : "";
  const href = safeHttpUrl(attachment.url);
  if (!href) {
    return h("li", {}, `${name}${size} (link not shown: only http and https links open)`);
  }
  return h("li", {}, h("a", { attrs: { href, target: "_blank", rel: "noopener noreferrer nofollow" } }, name),
    size);
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) {
    return `${bytes} B`;
  }
  if (bytes < 1024 * 1024) {
    return `${(bytes / 1024).toFixed(1)} KB`;
  }
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function badge(kind: string, value: string): HTMLElement {
  return h("span", { class: `badge ${kind}-${value}` }, h("span", { class: "visually-hidden" }, `${kind}: `),
    value);
}
