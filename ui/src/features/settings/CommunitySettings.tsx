import { useState, type FormEvent } from "react";
import { useQuery } from "@tanstack/react-query";
import { syncStatusQuery, useSyncConnect, useSyncDisconnect, useSyncNow, type SyncStatus } from "../../lib/ipc";
import { formatDateTime, formatRelativeTime } from "../../lib/format";
import { useNow } from "../../lib/hooks";
import { useNavigate } from "../../lib/nav";
import { ROLE_LABELS, isStaff } from "../../lib/community";
import { Field } from "../../components/Field";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Loading } from "../../components/Loading";
import { Dialog } from "../../components/Dialog";
import { asAppError, fieldError } from "../../components/errors";
import { pendingLabel } from "../../components/SyncIndicator";


/** Settings → Community: connect the journal to a community server, or see and manage the connection. */
export function CommunitySettings() {
  const status = useQuery(syncStatusQuery());
  return (
    <section className="card" id="settings-community" data-testid="settings-community" aria-labelledby="settings-community-title">
      <div className="card-head">
        <h2 id="settings-community-title">Community</h2>
        <span className="muted">optional: sync this journal with your community's server</span>
      </div>
      {status.isError ? (
        <ErrorNotice error={status.error} title="Could not read the community connection" onRetry={() => void status.refetch()} />
      ) : !status.data ? (
        <Loading />
      ) : status.data.connected ? (
        <Connected status={status.data} />
      ) : (
        <ConnectForm />
      )}
    </section>
  );
}

type Form = {
  server_url: string;
  email: string;
  password: string;
  invite: string;
  community: string;
  register: boolean;
  register_name: string;
};

const EMPTY: Form = { server_url: "", email: "", password: "", invite: "", community: "", register: false, register_name: "" };

function ConnectForm() {
  const connect = useSyncConnect();
  const navigate = useNavigate();
  const [form, setForm] = useState<Form>(EMPTY);
  const [nameMissing, setNameMissing] = useState(false);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    if (k === "register_name" || k === "register") setNameMissing(false);
  };

  const err = connect.error ? asAppError(connect.error) : null;
  // Where each error goes: Validation next to its field ("community" covers the invitation
  // too: next to whichever the user filled); a wrong password next to the password; a taken
  // email next to the email; anything else above the button.
  const communityMsg = fieldError(connect.error, "community");
  const inviteError = communityMsg && form.invite.trim() ? communityMsg : null;
  const communityError = communityMsg && !form.invite.trim() ? communityMsg : null;
  const remote = err?.kind === "Remote" ? err.data : null;
  const passwordError = fieldError(connect.error, "password") ?? (remote?.code === "unauthorized" ? "Wrong email or password: check both, or tick “Create an account” if you have no account on this server." : null);
  const emailError = fieldError(connect.error, "email") ?? (remote?.code === "email_taken" ? `${remote.message}. Untick “Create an account” to sign in with it.` : null);
  const serverError = fieldError(connect.error, "server_url");
  const placed = serverError || emailError || passwordError || communityMsg;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (form.register && !form.register_name.trim()) {
      setNameMissing(true);
      return;
    }
    const blank = (s: string) => (s.trim() ? s.trim() : null);
    connect.mutate({
      server_url: form.server_url.trim(),
      email: form.email.trim(),
      password: form.password,
      invite: blank(form.invite),
      community: blank(form.community),
      register_name: form.register ? blank(form.register_name) : null,
    });
  };

  return (
    <form className="form" onSubmit={submit} noValidate data-testid="community-connect-form">
      <p className="muted">
        Your journal keeps working offline; connected, it syncs both ways with the community (accounts, fills, notes) and you see its leaderboard and
        signals. Accounts marked private on the{" "}
        <button type="button" className="link-button" onClick={() => navigate("accounts")}>
          Accounts
        </button>{" "}
        page are never synced.
      </p>
      <div className="form-grid">
        <Field label="Server address" htmlFor="community-server-url" error={serverError} hint="The address your community gave you, e.g. https://journal.example.com (http:// only for a server on this computer).">
          <input
            id="community-server-url"
            type="url"
            value={form.server_url}
            onChange={(e) => set("server_url", e.target.value)}
            autoComplete="url"
            spellCheck={false}
            placeholder="https://"
            aria-invalid={serverError ? true : undefined}
            data-testid="community-server-url"
          />
        </Field>
        <Field label="Email" htmlFor="community-email" error={emailError}>
          <input
            id="community-email"
            type="email"
            value={form.email}
            onChange={(e) => set("email", e.target.value)}
            autoComplete="email"
            spellCheck={false}
            aria-invalid={emailError ? true : undefined}
            data-testid="community-email"
          />
        </Field>
        <Field label="Password" htmlFor="community-password" error={passwordError} hint="Sent to the server only; the session it returns is kept in the OS keyring.">
          <input
            id="community-password"
            type="password"
            value={form.password}
            onChange={(e) => set("password", e.target.value)}
            autoComplete={form.register ? "new-password" : "current-password"}
            aria-invalid={passwordError ? true : undefined}
            data-testid="community-password"
          />
        </Field>
        <Field label="Invitation (optional)" htmlFor="community-invite" error={inviteError} hint="To join a community: paste the whole invitation, COMMUNITY_ID/CODE, as its admin shared it.">
          <input
            id="community-invite"
            value={form.invite}
            onChange={(e) => set("invite", e.target.value)}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={inviteError ? true : undefined}
            data-testid="community-invite"
          />
        </Field>
        <Field label="Community (optional)" htmlFor="community-community" error={communityError} hint="Its name or id, when your account belongs to several communities.">
          <input
            id="community-community"
            value={form.community}
            onChange={(e) => set("community", e.target.value)}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={communityError ? true : undefined}
            data-testid="community-community"
          />
        </Field>
        <div className="field">
          <label className="check-label">
            <input type="checkbox" checked={form.register} onChange={(e) => set("register", e.target.checked)} data-testid="community-register" />
            Create an account on this server first
          </label>
          {form.register && (
            <Field
              label="Display name"
              htmlFor="community-register-name"
              error={nameMissing ? "Enter the name other members will see." : null}
              hint="What other members see (the leaderboard can show an alias instead)."
            >
              <input
                id="community-register-name"
                value={form.register_name}
                onChange={(e) => set("register_name", e.target.value)}
                autoComplete="nickname"
                aria-invalid={nameMissing ? true : undefined}
                data-testid="community-register-name"
              />
            </Field>
          )}
        </div>
      </div>
      {connect.isError && !placed && <ErrorNotice error={connect.error} title="Not connected" testId="community-connect-error" />}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={connect.isPending} data-testid="community-connect">
          {connect.isPending ? "Connecting…" : form.register ? "Create account and connect" : "Connect"}
        </button>
        {connect.isPending && <span className="muted">Signing in{form.invite.trim() ? " and joining" : ""}…</span>}
      </div>
    </form>
  );
}

function Connected({ status: s }: { status: SyncStatus }) {
  const syncNow = useSyncNow();
  const disconnect = useSyncDisconnect();
  const navigate = useNavigate();
  const now = useNow(30_000);
  const [confirming, setConfirming] = useState(false);

  return (
    <div data-testid="community-status">
      <dl className="facts community-facts">
        <div>
          <dt>Community</dt>
          <dd className="strong" data-testid="community-name">
            {s.community_name}
          </dd>
        </div>
        <div>
          <dt>Your role</dt>
          <dd data-testid="community-role" data-role={s.role ?? ""}>
            <span className="badge">{ROLE_LABELS[s.role ?? ""] ?? s.role}</span>
          </dd>
        </div>
        <div>
          <dt>Signed in as</dt>
          <dd data-testid="community-email-shown">{s.email}</dd>
        </div>
        <div>
          <dt>Server</dt>
          <dd className="mono" data-testid="community-server">
            {s.server_url}
          </dd>
        </div>
        <div>
          <dt>Changes waiting</dt>
          <dd data-testid="community-pending" data-value={s.pending}>
            {s.pending > 0 ? pendingLabel(s.pending) : "None: everything is on the server"}
          </dd>
        </div>
        <div>
          <dt>Last sync</dt>
          <dd data-testid="community-last-sync" data-value={s.last_sync_at ?? ""} title={s.last_sync_at ? formatDateTime(s.last_sync_at) : undefined}>
            {s.syncing ? "Syncing now…" : s.last_sync_at ? `${formatRelativeTime(s.last_sync_at, now)} (${formatDateTime(s.last_sync_at, false)})` : "Not yet"}
          </dd>
        </div>
        <div>
          <dt>Session</dt>
          <dd data-testid="community-keyring">
            Session kept in the OS keyring{s.keyring ? <> ({s.keyring})</> : null}; never in the journal file.
          </dd>
        </div>
      </dl>
      {s.syncing && (
        <div className="progress-wrap">
          <div className="progress progress-indeterminate" role="progressbar" aria-label="Syncing">
            <div className="progress-fill" />
          </div>
        </div>
      )}
      {s.last_error && (
        <div className="notice notice-error" role="alert" data-testid="community-last-error">
          <div className="notice-title">The last sync failed</div>
          <div className="notice-body">{s.last_error}</div>
          <div className="notice-advice">
            Your changes stay queued on this computer. Do what the message says, then press “Sync now”. If you were signed out, disconnect and connect again
            with your password.
          </div>
        </div>
      )}
      {/* A failed sync is recorded in the status (shown above); other failures are shown here. */}
      {syncNow.isError && !s.last_error && <ErrorNotice error={syncNow.error} title="The sync did not run" testId="community-sync-error" />}
      {disconnect.isError && <ErrorNotice error={disconnect.error} title="Still connected" />}
      <div className="form-actions">
        <button type="button" className="btn btn-primary" onClick={() => syncNow.mutate()} disabled={s.syncing || syncNow.isPending} data-testid="sync-now">
          {s.syncing || syncNow.isPending ? "Syncing…" : "Sync now"}
        </button>
        <button type="button" className="btn" onClick={() => navigate("community")}>
          Open the Community page
        </button>
        {isStaff(s.role) && (
          <button type="button" className="btn" onClick={() => navigate("admin")}>
            Open Admin
          </button>
        )}
        <div className="toolbar-spacer" />
        <button type="button" className="btn btn-danger-outline" onClick={() => setConfirming(true)} disabled={disconnect.isPending} data-testid="community-disconnect">
          Disconnect…
        </button>
      </div>
      {confirming && (
        <Dialog
          title="Disconnect from the community?"
          onClose={() => !disconnect.isPending && setConfirming(false)}
          testId="community-disconnect-dialog"
          actions={
            <>
              <button type="button" className="btn" onClick={() => setConfirming(false)} disabled={disconnect.isPending}>
                Stay connected
              </button>
              <button
                type="button"
                className="btn btn-danger"
                disabled={disconnect.isPending}
                onClick={() => disconnect.mutate(undefined, { onSettled: () => setConfirming(false) })}
                data-testid="community-disconnect-confirm"
              >
                {disconnect.isPending ? "Disconnecting…" : "Disconnect"}
              </button>
            </>
          }
        >
          <p>
            This journal stops syncing with <strong>{s.community_name}</strong> and the session is removed from the OS keyring. Everything stays on this
            computer; what was already synced stays on the server.
          </p>
          {s.pending > 0 && (
            <p className="neg" data-testid="community-disconnect-pending">
              {pendingLabel(s.pending)} will not be sent. Press “Sync now” first to send them.
            </p>
          )}
        </Dialog>
      )}
    </div>
  );
}
