// What the user should do next, per error kind. Decisions branch on
// `kind` only; messages from Rust are shown as they are, never parsed.

import { IpcError, toAppError, type AppError, type ErrorCode } from "../lib/ipc";

export function asAppError(e: unknown): AppError {
  return e instanceof IpcError ? e.error : toAppError(e);
}

/** Human label for a field name sent by Rust ("entry_price" → "Entry price"). */
export function fieldLabel(field: string): string {
  const s = field.replace(/_/g, " ");
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function errorTitle(err: AppError): string {
  switch (err.kind) {
    case "NotFound":
      return "Not found";
    case "Validation":
      return `Check “${fieldLabel(err.data.field)}”`;
    case "Conflict":
      return "Already exists";
    case "Busy":
      return "The journal is busy";
    case "Cancelled":
      return "Cancelled";
    case "NotConnected":
      return "Not connected to a community";
    case "Io":
      return "Could not read or write a file";
    case "Import":
      return err.data.line != null ? `Import failed at line ${err.data.line}` : "Import failed";
    case "Unreachable":
      return "The community server does not answer";
    case "SignedOut":
      return "Signed out of the community";
    case "Keyring":
      return "The OS keyring refused";
    case "Remote":
      return remoteTitle(err.data.code);
    case "ServerAnswer":
      return "The community server answered something unexpected";
    case "Internal":
      return "Something went wrong";
  }
}

export function errorAdvice(err: AppError): string {
  switch (err.kind) {
    case "NotFound":
      return "It may have been removed in the meantime. Go back to the list and pick it again.";
    case "Validation":
      return `Correct the field “${fieldLabel(err.data.field)}” and try again.`;
    case "Conflict":
      return "Choose a different name, or use the existing one.";
    case "Busy":
      return "Wait for the import or the other program's change to finish, then try again.";
    case "Cancelled":
      return "Nothing was changed. Start it again when you are ready.";
    case "NotConnected":
      return "Connect this journal to a community in Settings → Community.";
    case "Io":
      return "Check that the file exists, that the path is complete (absolute), and that you may read it; then try again.";
    case "Import":
      return "Check that the file is an unmodified export from your broker. If the format was detected wrongly, pick it under “Format” and preview again.";
    case "Unreachable":
      return "Your changes stay queued on this computer and sync when the server answers. Check the address and your connection.";
    case "SignedOut":
      return "Open Settings → Community and connect again with your email and password.";
    case "Keyring":
      return "Tradebook keeps the community session in the OS keyring: unlock it (or start your desktop's keyring service) and try again.";
    case "Remote":
      return remoteAdvice(err.data.code);
    case "ServerAnswer":
      return "The server may run another version of Tradebook's API. Update Tradebook, or ask the community's admin which version the server runs.";
    case "Internal":
      return "Try again. If it keeps happening, restart Tradebook and report the message above.";
  }
}

/** The Validation message for `field`, if `error` is one. */
export function fieldError(error: unknown, field: string): string | null {
  if (error == null) return null;
  const err = asAppError(error);
  return err.kind === "Validation" && err.data.field === field ? err.data.message : null;
}

/** Title of a refusal by the community server, per the contract's error code. */
function remoteTitle(code: ErrorCode): string {
  switch (code) {
    case "forbidden":
      return "Your role does not allow this";
    case "community_suspended":
      return "The community is suspended";
    case "not_found":
      return "Not found on the server";
    case "unauthorized":
      return "Wrong email or password";
    case "email_taken":
    case "already_member":
    case "conflict":
      return "Already exists";
    case "last_admin":
      return "The community needs an admin";
    case "rate_limited":
      return "Too many requests";
    case "validation":
    case "bad_request":
      return "The server refused the values";
    default:
      return "The community server refused";
  }
}

/** What to do next after a refusal by the community server. */
function remoteAdvice(code: ErrorCode): string {
  switch (code) {
    case "forbidden":
      return "An admin of the community can change your role.";
    case "community_suspended":
      return "The platform operator suspended this community; its admins know when it comes back.";
    case "not_found":
      return "It is gone from the server (removed in the meantime). Refresh the list.";
    case "unauthorized":
      return "Check the email and the password, then try again.";
    case "last_admin":
      return "Make another member an admin first.";
    case "rate_limited":
      return "Wait a minute, then try again.";
    case "internal":
      return "The server had a problem. Try again later; if it keeps happening, tell the community's admin.";
    default:
      return "Read the message above and correct what it names, then try again.";
  }
}
