// What the user should do next, per error kind. Decisions branch on
// `kind` only; messages from Rust are shown as they are, never parsed.

import { IpcError, toAppError, type AppError } from "../lib/ipc";

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
    case "Io":
      return "Could not read or write a file";
    case "Import":
      return err.data.line != null ? `Import failed at line ${err.data.line}` : "Import failed";
    case "Remote":
      return err.data.code === "unreachable"
        ? "The community server does not answer"
        : err.data.code === "signed_out"
          ? "Signed out of the community"
          : "The community server refused";
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
    case "Io":
      return "Check that the file exists, that the path is complete (absolute), and that you may read it; then try again.";
    case "Import":
      return "Check that the file is an unmodified export from your broker. If the format was detected wrongly, pick it under “Format” and preview again.";
    case "Remote":
      return err.data.code === "unreachable"
        ? "Your changes stay queued on this computer and sync when the server answers. Check the address and your connection."
        : err.data.code === "signed_out"
          ? "Open Settings → Community and connect again with your email and password."
          : "Read the message above; an admin of the community can change your role or send a new invitation.";
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
