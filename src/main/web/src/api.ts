// REST calls and the shapes the server sends. Field names follow the server's JSON.

export type Role = "customer" | "agent" | "manager" | "admin";
export type TicketStatus = "open" | "pending" | "resolved" | "closed";
export type TicketPriority = "low" | "normal" | "high" | "urgent";
export type Presence = "online" | "away" | "busy" | "offline";

export interface User {
  id: string;
  name: string;
  email: string;
  role: Role;
}

export interface Agent {
  id: string;
  name: string;
  role: Role;
  status: Presence;
  lastSeenAt: string | null;
}

export interface Ticket {
  id: string;
  subject: string;
  description: string;
  status: TicketStatus;
  priority: TicketPriority;
  customerId: string;
  assigneeId: string | null;
  createdAt: string;
  updatedAt: string;
  lastActivityAt: string;
}

export interface Attachment {
  url: string;
  name?: string;
  size?: number;
  mimeType?: string;
}

export interface Message {
  _id: string;
  ticketId: string;
  sender: { _id: string; name: string; role: Role | "system" };
  content: string;
  messageType: "text" | "image" | "file" | "system";
  attachments: Attachment[];
  createdAt: string;
  isRead: boolean;
  readBy: { userId: string; readAt: string }[];
  clientMessageId?: string | null;
}

export interface ErrorBody {
  code: string;
  message: string;
}

/** A failed REST call or acknowledgement, with the server's error code. */
export class ApiError extends Error {
  constructor(readonly code: string, message: string, readonly status = 0) {
    super(message);
  }
}

export const STAFF_ROLES: readonly Role[] = ["agent", "manager", "admin"];

export function isStaff(role: string): boolean {
  return (STAFF_ROLES as readonly string[]).includes(role);
}

/** Calls the REST API with the signed-in user's token and returns the parsed JSON body. */
export async function request<T>(method: string, path: string, token: string | null, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (token) {
    headers.Authorization = `Bearer ${token}`;
  }
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
  }
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError("network", "The server cannot be reached. Check the connection and try again.");
  }
  const text = await response.text();
  const json = text ? JSON.parse(text) : {};
  if (!response.ok) {
    const error: ErrorBody = json.error ?? { code: "internal", message: response.statusText };
    throw new ApiError(error.code, error.message, response.status);
  }
  return json as T;
}

export interface AuthResult {
  token: string;
  user: User;
}

export function login(email: string, password: string): Promise<AuthResult> {
  return request("POST", "/api/auth/login", null, { email, password });
}

export function register(name: string, email: string, password: string): Promise<AuthResult> {
  return request("POST", "/api/auth/register", null, { name, email, password });
}

export function listTickets(token: string, status: string, cursor: string | null): Promise<{
  tickets: Ticket[];
  nextCursor: string | null;
}> {
  const query = new URLSearchParams({ limit: "50" });
  if (status) {
    query.set("status", status);
  }
  if (cursor) {
    query.set("cursor", cursor);
  }
  return request("GET", `/api/tickets?${query}`, token);
}

export function openTicket(token: string, subject: string, description: string, priority: TicketPriority):
    Promise<{ ticket: Ticket }> {
  return request("POST", "/api/tickets", token, { subject, description, priority });
}

export function getTicket(token: string, id: string): Promise<{ ticket: Ticket }> {
  return request("GET", `/api/tickets/${encodeURIComponent(id)}`, token);
}

export function updateTicket(token: string, id: string, change: Partial<Pick<Ticket, "status" | "priority" |
    "assigneeId">>): Promise<{ ticket: Ticket }> {
  return request("PATCH", `/api/tickets/${encodeURIComponent(id)}`, token, change);
}

export function latestMessages(token: string, id: string, limit: number): Promise<{
  messages: Message[];
  hasMore: boolean;
}> {
  return request("GET", `/api/tickets/${encodeURIComponent(id)}/messages?limit=${limit}`, token);
}

export function listAgents(token: string): Promise<{ agents: Agent[] }> {
  return request("GET", "/api/agents", token);
}

/** Returns the plain-words text for a server error code, shown next to the control that caused it. */
export function describeError(code: string, fallback: string): string {
  switch (code) {
    case "message_too_long":
      return "This message is too long: the limit is 10,000 characters. Shorten it and send again.";
    case "rate_limited":
      return "You are sending too fast. Wait a moment, then try again.";
    case "forbidden":
      return "You are not allowed to do this here. A closed ticket takes no more messages from customers.";
    case "ticket_not_found":
      return "This ticket does not exist or you cannot see it.";
    case "unauthorized":
      return "Your sign-in has expired. Sign in again.";
    case "conflict":
      return "An account with this email address already exists. Sign in instead.";
    case "limit_exceeded":
      return "Too many open windows or tickets. Close some and try again.";
    case "overloaded":
      return "The server is busy. Try again in a moment.";
    case "timeout":
      return "The server did not answer in time. The message was not confirmed: retry it.";
    case "network":
      return "The server cannot be reached. Check the connection and try again.";
    default:
      return fallback || "Something went wrong. Try again.";
  }
}
