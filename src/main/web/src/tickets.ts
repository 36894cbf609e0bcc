// The ticket list shared by the customer view and the agent console, with unread counts.

import { latestMessages, listTickets, Message, Ticket } from "./api";
import { formatTime, h, replaceChildren } from "./dom";
import { badge } from "./chat";
import type { Session } from "./session";

/** How far back the unread count looks: one history page, the server's maximum. */
const UNREAD_WINDOW = 200;
const REFRESH_MS = 15_000;

/**
 * Counts the messages after the user's last read point: the newest message they marked read or wrote
 * themselves. System messages do not count. Returns the count and whether it may be higher than the window.
 */
export function countUnread(messages: Message[], hasMore: boolean, userId: string): { count: number;
    capped: boolean } {
  let count = 0;
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message.sender._id === userId || message.readBy.some((read) => read.userId === userId)) {
      return { count, capped: false };
    }
    if (message.messageType !== "system") {
      count += 1;
    }
  }
  return { count, capped: hasMore };
}

export interface TicketListOptions {
  session: Session;
  showAssignee: boolean;
  staffName: (id: string) => string | null;
  onSelect: (ticket: Ticket) => void;
}

export class TicketList {
  readonly element: HTMLElement;
  private tickets: Ticket[] = [];
  private nextCursor: string | null = null;
  private status = "";
  private selectedId: string | null = null;
  private readonly unread = new Map<string, { activity: string; text: string }>();
  private readonly list = h("ul", { class: "ticket-list", attrs: { "aria-label": "Tickets" } });
  private readonly moreButton = h("button", { class: "link-button", attrs: { type: "button", hidden: true } },
    "Load more tickets");
  private readonly errorLine = h("p", { class: "form-error", attrs: { role: "alert" } });
  private timer = 0;

  constructor(private readonly options: TicketListOptions) {
    this.moreButton.addEventListener("click", () => void this.load(true));
    this.element = h("div", { class: "ticket-list-wrap" }, this.list, this.moreButton, this.errorLine);
  }

  start(): void {
    void this.load(false);
    this.timer = window.setInterval(() => void this.load(false), REFRESH_MS);
  }

  stop(): void {
    window.clearInterval(this.timer);
  }

  setStatusFilter(status: string): void {
    this.status = status;
    void this.load(false);
  }

  select(id: string | null): void {
    this.selectedId = id;
    if (id) {
      this.unread.delete(id);
    }
    this.render();
  }

  find(id: string): Ticket | undefined {
    return this.tickets.find((ticket) => ticket.id === id);
  }

  /** Applies a ticket_updated event at once: replaces the row, or adds it when it matches the filter. */
  update(ticket: Ticket): void {
    const index = this.tickets.findIndex((candidate) => candidate.id === ticket.id);
    if (index >= 0 && this.tickets[index].updatedAt > ticket.updatedAt) {
      return;
    }
    if (index >= 0) {
      this.tickets.splice(index, 1);
    }
    if (!this.status || ticket.status === this.status) {
      this.tickets.unshift(ticket);
    }
    this.render();
    void this.refreshUnread();
  }

  add(ticket: Ticket): void {
    this.update(ticket);
  }

  async load(more: boolean): Promise<void> {
    try {
      const page = await listTickets(this.options.session.token, this.status, more ? this.nextCursor : null);
      this.tickets = more ? this.tickets.concat(page.tickets) : page.tickets;
      this.nextCursor = page.nextCursor;
      this.errorLine.textContent = "";
      this.render();
      await this.refreshUnread();
    } catch (error) {
      this.errorLine.textContent = error instanceof Error ? `Tickets could not be loaded: ${error.message}` : "";
    }
  }

  /** Recounts unread messages of the tickets whose activity changed since the last count. */
  private async refreshUnread(): Promise<void> {
    const stale = this.tickets.filter((ticket) => ticket.id !== this.selectedId
      && this.unread.get(ticket.id)?.activity !== ticket.lastActivityAt);
    for (const ticket of stale) {
      try {
        const page = await latestMessages(this.options.session.token, ticket.id, UNREAD_WINDOW);
        const result = countUnread(page.messages, page.hasMore, this.options.session.user.id);
        const text = result.count === 0 ? "" : `${result.count}${result.capped ? "+" : ""}`;
        this.unread.set(ticket.id, { activity: ticket.lastActivityAt, text });
      } catch {
        this.unread.delete(ticket.id);
      }
    }
    if (stale.length > 0) {
      this.render();
    }
  }

  private render(): void {
    this.moreButton.hidden = this.nextCursor === null;
    if (this.tickets.length === 0) {
      replaceChildren(this.list, h("li", { class: "empty" }, this.status ? `No ${this.status} tickets.`
        : "No tickets yet."));
      return;
    }
    replaceChildren(this.list, ...this.tickets.map((ticket) => this.renderRow(ticket)));
  }

  private renderRow(ticket: Ticket): HTMLElement {
    const unread = ticket.id === this.selectedId ? "" : this.unread.get(ticket.id)?.text ?? "";
    const assignee = ticket.assigneeId ? this.options.staffName(ticket.assigneeId) ?? "assigned" : "unassigned";
    const link = h("a", { class: "ticket-row", attrs: { href: `#/ticket/${encodeURIComponent(ticket.id)}`,
      "aria-current": ticket.id === this.selectedId ? "page" : undefined } },
      h("span", { class: "ticket-subject" }, ticket.subject),
      unread ? h("span", { class: "unread", attrs: { "aria-label": `${unread} unread` } }, unread) : null,
      h("span", { class: "ticket-line" },
        badge("status", ticket.status), " ", badge("priority", ticket.priority),
        this.options.showAssignee ? h("span", { class: "assignee" }, assignee) : null,
        h("time", { attrs: { datetime: ticket.lastActivityAt } }, formatTime(ticket.lastActivityAt))));
    link.addEventListener("click", () => this.options.onSelect(ticket));
    return h("li", {}, link);
  }
}
