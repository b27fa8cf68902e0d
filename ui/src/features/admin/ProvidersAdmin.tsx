import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { providersQuery, useCreateProvider, useUpdateProvider } from "../../lib/community";
import type { ProviderView } from "../../lib/ipc";
import { formatInteger, formatPercent } from "../../lib/format";
import { Field } from "../../components/Field";
import { Loading } from "../../components/Loading";
import { Money } from "../../components/Money";
import { CommunityError } from "../../components/CommunityError";

/** The server's limits (providers.rs `check_name`, `check_description`). */
const nameProblem = (name: string) => (name.trim() === "" ? "Enter a name." : [...name.trim()].length > 100 ? "At most 100 characters." : null);
const descriptionProblem = (d: string) => ([...d].length > 2000 ? "At most 2,000 characters." : null);

/** Signal providers: create, edit, disable or enable; performance as the server sorts it (best win rate first). */
export function ProvidersAdmin() {
  const providers = useQuery(providersQuery());
  const update = useUpdateProvider();
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const toggle = (p: ProviderView) => {
    setNotice(null);
    update.mutate(
      { id: p.id, change: { active: !p.active } },
      {
        onSuccess: (f) =>
          setNotice(f.active ? `“${f.name}” is active again: it takes followers and signals.` : `“${f.name}” is disabled: no new followers or signals, and its signals leave the feed.`),
      },
    );
  };

  return (
    <section className="card" id="admin-providers" data-testid="admin-providers">
      <div className="card-head">
        <h2>Signal providers</h2>
        <span className="muted">performance from the trades members attributed to each provider; best win rate first</span>
      </div>
      <NewProvider />
      {notice && (
        <div className="notice notice-ok" role="status" data-testid="admin-provider-notice">
          {notice}
        </div>
      )}
      {update.isError && !editing && <CommunityError error={update.error} title="The provider was not changed" testId="admin-provider-error" />}
      {providers.isError ? (
        <CommunityError error={providers.error} title="Could not load the providers" onRetry={() => void providers.refetch()} />
      ) : !providers.data ? (
        <Loading />
      ) : providers.data.length === 0 ? (
        <div className="empty-state" data-testid="admin-providers-empty">
          <div className="empty-title">No signal providers yet</div>
          <p>Add one above; members can then follow it and attribute their trades to it.</p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="admin-providers-table">
            <thead>
              <tr>
                <th>Provider</th>
                <th>Status</th>
                <th className="r">Followers</th>
                <th className="r">Trades</th>
                <th className="r">Win rate</th>
                <th className="r">Net P&amp;L</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {providers.data.map((p) =>
                editing === p.id ? (
                  <EditRow
                    key={p.id}
                    p={p}
                    onDone={(name) => {
                      setEditing(null);
                      if (name) setNotice(`Saved “${name}”.`);
                    }}
                  />
                ) : (
                  <tr key={p.id} data-testid="admin-provider-row" data-provider-id={p.id} data-active={p.active ? "true" : "false"} className={p.active ? undefined : "dimmed-row"}>
                    <td>
                      <div className="strong">{p.name}</div>
                      {p.description && <div className="muted small">{p.description}</div>}
                    </td>
                    <td>{p.active ? <span className="badge badge-ok">active</span> : <span className="badge">disabled</span>}</td>
                    <td className="r num">{formatInteger(p.followers)}</td>
                    <td className="r num">{formatInteger(p.trades)}</td>
                    <td className="r num" data-testid="admin-provider-win-rate">
                      {formatPercent(p.win_rate)}
                    </td>
                    <td className="r">
                      <Money value={p.net_pnl} pnl signed />
                    </td>
                    <td className="r nowrap">
                      <button
                        type="button"
                        className="btn btn-small"
                        onClick={() => {
                          update.reset();
                          setNotice(null);
                          setEditing(p.id);
                        }}
                        data-testid="admin-provider-edit"
                      >
                        Edit
                      </button>{" "}
                      <button type="button" className="btn btn-small btn-ghost" disabled={update.isPending} onClick={() => toggle(p)} data-testid="admin-provider-toggle">
                        {p.active ? "Disable" : "Enable"}
                      </button>
                    </td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function NewProvider() {
  const create = useCreateProvider();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [tried, setTried] = useState(false);
  const nameError = tried ? nameProblem(name) : null;
  const descError = descriptionProblem(description);
  return (
    <form
      className="form provider-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (nameProblem(name) || descError) return;
        create.mutate(
          { name: name.trim(), description: description.trim() ? description.trim() : null },
          {
            onSuccess: () => {
              setName("");
              setDescription("");
              setTried(false);
            },
          },
        );
      }}
    >
      <div className="toolbar">
        <Field label="New provider" htmlFor="admin-provider-name" error={nameError}>
          <input
            id="admin-provider-name"
            value={name}
            placeholder="Name"
            onChange={(e) => {
              setName(e.target.value);
              create.reset();
            }}
            aria-invalid={nameError ? true : undefined}
            data-testid="admin-provider-name"
          />
        </Field>
        <Field label="Description (optional)" htmlFor="admin-provider-description" error={descError} className="grow">
          <input
            id="admin-provider-description"
            value={description}
            placeholder="What they trade, how they post"
            onChange={(e) => setDescription(e.target.value)}
            aria-invalid={descError ? true : undefined}
            data-testid="admin-provider-description"
          />
        </Field>
        <button type="submit" className="btn btn-primary invite-submit" disabled={create.isPending} data-testid="admin-provider-create">
          {create.isPending ? "Adding…" : "Add provider"}
        </button>
      </div>
      {create.isError && <CommunityError error={create.error} title="The provider was not added" testId="admin-provider-create-error" />}
      {create.isSuccess && (
        <div className="muted small" role="status" data-testid="admin-provider-created">
          Added “{create.data.name}”.
        </div>
      )}
    </form>
  );
}

function EditRow({ p, onDone }: { p: ProviderView; onDone: (savedName: string | null) => void }) {
  const update = useUpdateProvider();
  const [name, setName] = useState(p.name);
  const [description, setDescription] = useState(p.description);
  const nameError = nameProblem(name);
  const descError = descriptionProblem(description);
  const save = () => {
    if (nameError || descError) return;
    update.mutate({ id: p.id, change: { name: name.trim(), description } }, { onSuccess: (f) => onDone(f.name) });
  };
  return (
    <tr data-testid="admin-provider-row" data-provider-id={p.id} data-editing="true" className="provider-editing">
      <td colSpan={7}>
        <form
          className="toolbar"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
          onKeyDown={(e) => {
            if (e.key === "Escape") {
              e.preventDefault();
              onDone(null);
            }
          }}
        >
          <Field label="Name" htmlFor={`edit-provider-name-${p.id}`} error={nameError}>
            <input id={`edit-provider-name-${p.id}`} value={name} onChange={(e) => setName(e.target.value)} autoFocus data-testid="admin-provider-edit-name" />
          </Field>
          <Field label="Description" htmlFor={`edit-provider-desc-${p.id}`} error={descError} className="grow">
            <input id={`edit-provider-desc-${p.id}`} value={description} onChange={(e) => setDescription(e.target.value)} data-testid="admin-provider-edit-description" />
          </Field>
          <button type="submit" className="btn btn-primary btn-small invite-submit" disabled={update.isPending || nameError != null || descError != null} data-testid="admin-provider-save">
            {update.isPending ? "Saving…" : "Save"}
          </button>
          <button type="button" className="btn btn-small invite-submit" onClick={() => onDone(null)} disabled={update.isPending}>
            Cancel
          </button>
        </form>
        {update.isError && <CommunityError error={update.error} title="The provider was not saved" />}
      </td>
    </tr>
  );
}
