// The agent console: all tickets with a status filter and unread counts, the chat, ticket controls and the
// staff list with live presence.

import { Agent, ApiError, describeError, getTicket, listAgents, Ticket, updateTicket } from "./api";
import { ChatView } from "./chat";
import { backLink } from "./customer";
import { field, h, replaceChildren, select } from "./dom";
import { Connection, PresenceUpdate, Session } from "./session";
import { TicketList } from "./tickets";
import { topbar } from "./topbar";

const STATUSES = ["open", "pending", "resolved", "closed"] as const;
const PRIORITIES = ["low", "normal", "high", "urgent"] as const;

export class AgentApp {
  private readonly list: TicketList;
  private readonly content = h("div", { class: "content" });
  private readonly details = h("section", { class: "panel", attrs: { "aria-labelledby": "details-title" } });
  private readonly staffList = h("ul", { class: "staff-list", attrs: { "aria-labelledby": "staff-title" } });
  private readonly myStatus = select(["online", "away", "busy"], "online", "my-status");
  private readonly myStatusError = h("span", { class: "form-error", attrs: { role: "alert" } });
  private agents: Agent[] = [];
  private chat: ChatView | null = null;
  private ticket: Ticket | null = null;
  private readonly offs: (() => void)[] = [];

  constructor(root: HTMLElement, private readonly session: Session, private readonly connection: Connection,
      signOut: () => void) {
    this.list = new TicketList({ session, showAssignee: true, staffName: (id) => this.staffName(id),
      onSelect: () => undefined });
    const filter = select(["all", ...STATUSES], "all", "status-filter");
    filter.addEventListener("change", () => this.list.setStatusFilter(filter.value === "all" ? "" : filter.value));
    this.myStatus.addEventListener("change", () => void this.setMyStatus());
    const statusField = h("div", { class: "inline-field" },
      h("label", { attrs: { for: "my-status" } }, "My status"), this.myStatus, this.myStatusError);
    this.myStatus.id = "my-status";
    root.replaceChildren(topbar(session, signOut, statusField),
      h("main", { class: "layout agent", attrs: { id: "main" } },
        h("aside", { class: "sidebar", attrs: { "aria-labelledby": "tickets-title" } },
          h("div", { class: "sidebar-head" }, h("h2", { attrs: { id: "tickets-title" } }, "Tickets"),
            field("Show", filter)),
          this.list.element),
        this.content,
        h("aside", { class: "side-panels" }, this.details,
          h("section", { class: "panel", attrs: { "aria-labelledby": "staff-title" } },
            h("h2", { attrs: { id: "staff-title" } }, "Staff"), this.staffList))));
    this.offs.push(connection.onPresence((update) => this.applyPresence(update)));
    this.offs.push(connection.onTicketUpdated((ticket) => this.applyTicket(ticket)));
    // Presence events only report changes, so the list is read again after every (re)connect.
    this.offs.push(connection.onConnect(() => void this.loadAgents()));
    void this.loadAgents();
    this.list.start();
    this.renderDetails();
  }

  async route(ticketId: string | null): Promise<void> {
    this.chat?.destroy();
    this.chat = null;
    this.ticket = null;
    this.list.select(ticketId);
    document.body.classList.toggle("has-ticket", ticketId !== null);
    this.renderDetails();
    if (!ticketId) {
      replaceChildren(this.content, h("p", { class: "placeholder" }, "Choose a ticket to read and answer it."));
      return;
    }
    try {
      this.ticket = this.list.find(ticketId) ?? (await getTicket(this.session.token, ticketId)).ticket;
      this.chat = new ChatView(this.connection, this.session, this.ticket, {
        staffName: (id) => this.staffName(id),
        onTicket: (ticket) => {
          this.ticket = ticket;
          this.renderDetails();
        },
      });
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
    this.offs.forEach((off) => off());
  }

  private staffName(id: string): string | null {
    return this.agents.find((agent) => agent.id === id)?.name ?? null;
  }

  private async loadAgents(): Promise<void> {
    try {
      this.agents = (await listAgents(this.session.token)).agents;
      for (const agent of this.agents) {
        this.connection.presence.set(agent.id, { userId: agent.id, userName: agent.name, status: agent.status,
          timestamp: agent.lastSeenAt ?? "" });
      }
      const me = this.agents.find((agent) => agent.id === this.session.user.id);
      if (me && me.status !== "offline") {
        this.myStatus.value = me.status;
      }
      this.renderStaff();
      this.renderDetails();
    } catch (error) {
      replaceChildren(this.staffList, h("li", { class: "form-error" },
        error instanceof ApiError ? describeError(error.code, error.message) : "Staff could not be loaded."));
    }
  }

  private applyPresence(update: PresenceUpdate): void {
    const agent = this.agents.find((candidate) => candidate.id === update.userId);
    if (agent) {
      agent.status = update.status;
      if (update.status === "offline") {
        agent.lastSeenAt = update.timestamp;
      }
    } else {
      void this.loadAgents();
    }
    if (update.userId === this.session.user.id && update.status !== "offline") {
      this.myStatus.value = update.status;
    }
    this.renderStaff();
  }

  private applyTicket(ticket: Ticket): void {
    this.list.update(ticket);
    if (this.ticket?.id === ticket.id && ticket.updatedAt >= this.ticket.updatedAt) {
      this.ticket = ticket;
      this.renderDetails();
    }
  }

  private async setMyStatus(): Promise<void> {
    this.myStatusError.textContent = "";
    try {
      const ack = await this.connection.socket.timeout(10_000).emitWithAck("set_status",
        { status: this.myStatus.value });
      if (!ack.ok) {
        this.myStatusError.textContent = describeError(ack.error.code, ack.error.message);
      }
    } catch {
      this.myStatusError.textContent = describeError("timeout", "");
    }
  }

  private renderStaff(): void {
    const sorted = [...this.agents].sort((a, b) => a.name.localeCompare(b.name));
    replaceChildren(this.staffList, ...sorted.map((agent) => h("li", {},
      h("span", { class: "staff-name" }, agent.id === this.session.user.id ? `${agent.name} (you)` : agent.name),
      " ", h("span", { class: `presence presence-${agent.status}` }, agent.status))));
  }

  private renderDetails(): void {
    const ticket = this.ticket;
    if (!ticket) {
      replaceChildren(this.details, h("h2", { attrs: { id: "details-title" } }, "Ticket"),
        h("p", { class: "muted" }, "No ticket selected."));
      return;
    }
    const status = select(STATUSES, ticket.status, "status");
    const priority = select(PRIORITIES, ticket.priority, "priority");
    const assignee = h("select", { attrs: { name: "assignee" } }, h("option", { attrs: { value: "" } }, "Unassigned"),
      ...this.agents.map((agent) => h("option", { attrs: { value: agent.id } }, agent.name)));
    assignee.value = ticket.assigneeId ?? "";
    const error = h("p", { class: "form-error", attrs: { role: "alert" } });
    const change = async (body: Parameters<typeof updateTicket>[2]) => {
      error.textContent = "";
      try {
        this.applyTicket((await updateTicket(this.session.token, ticket.id, body)).ticket);
      } catch (failure) {
        error.textContent = failure instanceof ApiError ? describeError(failure.code, failure.message)
          : "The change was not saved.";
      }
    };
    status.addEventListener("change", () => void change({ status: status.value as Ticket["status"] }));
    priority.addEventListener("change", () => void change({ priority: priority.value as Ticket["priority"] }));
    assignee.addEventListener("change", () => void change({ assigneeId: assignee.value || null }));
    const assignMe = h("button", { attrs: { type: "button" } }, "Assign to me");
    assignMe.hidden = ticket.assigneeId === this.session.user.id;
    assignMe.addEventListener("click", () => void change({ assigneeId: this.session.user.id }));
    replaceChildren(this.details, h("h2", { attrs: { id: "details-title" } }, "Ticket"),
      field("Status", status), field("Priority", priority), field("Assignee", assignee), assignMe, error);
  }
}
