// The customer's view: my tickets, opening a ticket, and the chat of the selected ticket.

import { ApiError, describeError, getTicket, openTicket, TicketPriority } from "./api";
import { ChatView } from "./chat";
import { field, h, replaceChildren, select } from "./dom";
import { Connection, Session } from "./session";
import { TicketList } from "./tickets";
import { topbar } from "./topbar";

export class CustomerApp {
  private readonly list: TicketList;
  private readonly content = h("div", { class: "content" });
  private readonly agents = h("p", { class: "agents-line", attrs: { "aria-live": "polite" } });
  private chat: ChatView | null = null;
  private readonly offPresence: () => void;
  private readonly offTicket: () => void;

  constructor(root: HTMLElement, private readonly session: Session, private readonly connection: Connection,
      signOut: () => void) {
    this.list = new TicketList({ session, showAssignee: false, staffName: () => null,
      onSelect: () => undefined });
    const newButton = h("button", { class: "primary", attrs: { type: "button" } }, "Open a ticket");
    newButton.addEventListener("click", () => this.showNewTicketForm());
    root.replaceChildren(topbar(session, signOut),
      h("main", { class: "layout customer", attrs: { id: "main" } },
        h("aside", { class: "sidebar", attrs: { "aria-labelledby": "my-tickets" } },
          h("div", { class: "sidebar-head" }, h("h2", { attrs: { id: "my-tickets" } }, "My tickets"), newButton),
          this.agents, this.list.element),
        this.content));
    this.offPresence = connection.onPresence(() => this.renderAgents());
    this.offTicket = connection.onTicketUpdated((ticket) => this.list.update(ticket));
    this.renderAgents();
    this.list.start();
  }

  /** Shows the ticket in the address's hash, or the placeholder. */
  async route(ticketId: string | null): Promise<void> {
    this.chat?.destroy();
    this.chat = null;
    this.list.select(ticketId);
    document.body.classList.toggle("has-ticket", ticketId !== null);
    if (!ticketId) {
      replaceChildren(this.content, h("p", { class: "placeholder" },
        "Choose a ticket on the left, or open a new one to talk to the support desk."));
      return;
    }
    try {
      const ticket = this.list.find(ticketId) ?? (await getTicket(this.session.token, ticketId)).ticket;
      this.chat = new ChatView(this.connection, this.session, ticket, { onTicket: (t) => this.list.update(t) });
      replaceChildren(this.content, backLink(), this.chat.element);
      this.chat.start();
    } catch (error) {
      replaceChildren(this.content, h("p", { class: "form-error", attrs: { role: "alert" } },
        error instanceof ApiError ? describeError(error.code, error.message) : "The ticket could not be loaded."));
    }
  }

  destroy(): void {
    this.chat?.destroy();
    this.list.stop();
    this.offPresence();
    this.offTicket();
  }

  private renderAgents(): void {
    const known = [...this.connection.presence.values()];
    const available = known.filter((agent) => agent.status === "online");
    if (known.length === 0) {
      this.agents.textContent = "";
    } else if (available.length === 0) {
      this.agents.textContent = "No agent is online right now. We reply as soon as someone is back.";
    } else {
      this.agents.textContent = `Online now: ${available.map((agent) => agent.userName).join(", ")}`;
    }
  }

  private showNewTicketForm(): void {
    this.chat?.destroy();
    this.chat = null;
    this.list.select(null);
    document.body.classList.add("has-ticket");
    const subject = h("input", { attrs: { name: "subject", required: true, maxlength: "200" } });
    const description = h("textarea", { attrs: { name: "description", rows: "4" } });
    const priority = select(["low", "normal", "high", "urgent"], "normal", "priority");
    const error = h("p", { class: "form-error", attrs: { role: "alert" } });
    const form = h("form", { class: "card new-ticket", attrs: { "aria-labelledby": "new-ticket-title" } },
      h("h2", { attrs: { id: "new-ticket-title" } }, "Open a ticket"),
      field("Subject", subject), field("What happened?", description), field("Priority", priority),
      h("button", { class: "primary", attrs: { type: "submit" } }, "Open ticket"), error);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        const { ticket } = await openTicket(this.session.token, subject.value, description.value,
          priority.value as TicketPriority);
        this.list.add(ticket);
        location.hash = `#/ticket/${encodeURIComponent(ticket.id)}`;
      } catch (failure) {
        error.textContent = failure instanceof ApiError ? describeError(failure.code, failure.message)
          : "The ticket could not be opened.";
      }
    });
    replaceChildren(this.content, backLink(), form);
    subject.focus();
  }
}

export function backLink(): HTMLElement {
  return h("a", { class: "back-link", attrs: { href: "#/" } }, "← All tickets");
}

