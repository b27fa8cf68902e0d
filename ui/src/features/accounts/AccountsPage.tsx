import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { accountsQuery, useArchiveAccount, useSetAccountPrivate, type Account } from "../../lib/ipc";
import { formatInteger } from "../../lib/format";
import { PageHeader } from "../../components/PageHeader";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Loading } from "../../components/Loading";
import { Money } from "../../components/Money";
import { AccountForm } from "./AccountForm";
import { CashPanel } from "./CashPanel";

export function AccountsPage() {
  const accounts = useQuery(accountsQuery());
  const archive = useArchiveAccount();
  const setPrivate = useSetAccountPrivate();
  const [created, setCreated] = useState<Account | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [showArchived, setShowArchived] = useState(false);
  const [cashFor, setCashFor] = useState<string | null>(null);

  const all = accounts.data ?? [];
  const archivedCount = all.filter((a) => a.archived).length;
  const shown = all.filter((a) => showArchived || !a.archived);
  const editAccount = all.find((a) => a.id === editing);
  const cashAccount = all.find((a) => a.id === cashFor);

  const toggleArchive = (a: Account) =>
    archive.mutate(
      { id: a.id, archived: !a.archived },
      {
        onSuccess: (saved) => {
          setCreated(null);
          setNotice(
            saved.archived
              ? `Archived “${saved.name}”. Its trades stay in the journal and the statistics; it is hidden from account pickers. Turn on “Show archived” to bring it back.`
              : `“${saved.name}” is active again.`,
          );
        },
      },
    );

  const togglePrivate = (a: Account, isPrivate: boolean) =>
    setPrivate.mutate(
      { id: a.id, isPrivate },
      {
        onSuccess: (saved) => {
          setCreated(null);
          setNotice(
            saved.private
              ? `“${saved.name}” is private: it and its trades are never synced with a community.`
              : `“${saved.name}” syncs with your community again (when the journal is connected).`,
          );
        },
      },
    );

  return (
    <div className="page" data-testid="page-accounts">
      <PageHeader title="Accounts" subtitle="Brokerage and prop-firm accounts. Balance = starting balance + cash movements + net P&L of closed trades. Imports create accounts too.">
        <label className="check-label">
          <input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} data-testid="accounts-show-archived" />
          Show archived{archivedCount > 0 ? ` (${archivedCount})` : ""}
        </label>
      </PageHeader>
      {created && (
        <div className="notice notice-ok" role="status" data-testid="account-saved">
          Added “{created.name}”. Import its broker export, or add trades to it by hand.
        </div>
      )}
      {notice && (
        <div className="notice notice-ok" role="status" data-testid="account-notice">
          {notice}
        </div>
      )}
      {archive.isError && <ErrorNotice error={archive.error} title="The account was not changed" />}
      {setPrivate.isError && <ErrorNotice error={setPrivate.error} title="The account's sync setting was not changed" testId="account-private-error" />}
      <section className="card">
        {accounts.isError ? (
          <ErrorNotice error={accounts.error} title="Could not load accounts" onRetry={() => void accounts.refetch()} />
        ) : accounts.isPending ? (
          <Loading />
        ) : all.length === 0 ? (
          <div className="muted pad">No accounts yet. Add one below, or import a broker export and Tradebook creates it.</div>
        ) : shown.length === 0 ? (
          <div className="muted pad">All accounts are archived. Turn on “Show archived” to see them.</div>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="accounts-table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Platform</th>
                  <th>Currency</th>
                  <th>Time zone</th>
                  <th className="r">Starting balance</th>
                  <th className="r">Trades</th>
                  <th className="r">Net P&amp;L</th>
                  <th className="r" title="Deposits, withdrawals, dividends, interest and fees outside trades">Cash</th>
                  <th className="r">Balance</th>
                  <th title="Private accounts are never synced with a community">Sync</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {shown.map((a) => (
                  <tr key={a.id} data-testid="account-row" data-account-id={a.id} data-archived={a.archived ? "true" : "false"} data-private={a.private ? "true" : "false"} className={a.archived ? "dimmed-row" : undefined}>
                    <td>
                      <div className="strong">
                        {a.name} {a.archived && <span className="badge" data-testid="account-archived-badge">archived</span>}
                      </div>
                      {a.broker_account_id && <div className="muted small mono">{a.broker_account_id}</div>}
                    </td>
                    <td>{a.platform}</td>
                    <td>{a.currency}</td>
                    <td>{a.timezone}</td>
                    <td className="r">
                      <Money value={a.starting_balance} currency={a.currency} />
                    </td>
                    <td className="r num">{formatInteger(a.trade_count)}</td>
                    <td className="r">
                      <Money value={a.net_pnl} currency={a.currency} pnl />
                    </td>
                    <td className="r" data-testid="account-cash" data-value={a.cash}>
                      <Money value={a.cash} currency={a.currency} />
                    </td>
                    <td className="r strong" data-testid="account-balance" data-value={a.balance}>
                      <button
                        type="button"
                        className="link-button"
                        onClick={() => setCashFor(a.id)}
                        title="Cash movements, and the balance reconciled with the broker's"
                        data-testid="account-cash-open"
                      >
                        <Money value={a.balance} currency={a.currency} />
                      </button>
                    </td>
                    <td className="nowrap">
                      <label className="check-label" title="A private account and its trades stay on this computer: they are never sent to a community server.">
                        <input
                          type="checkbox"
                          checked={a.private}
                          disabled={setPrivate.isPending}
                          onChange={(e) => togglePrivate(a, e.target.checked)}
                          data-testid="account-private"
                        />
                        Private
                      </label>
                    </td>
                    <td className="r nowrap">
                      <button
                        type="button"
                        className="btn btn-small"
                        onClick={() => {
                          setEditing(a.id);
                          setNotice(null);
                        }}
                        data-testid="account-edit"
                      >
                        Edit
                      </button>{" "}
                      <button type="button" className="btn btn-small btn-ghost" disabled={archive.isPending} onClick={() => toggleArchive(a)} data-testid={a.archived ? "account-unarchive" : "account-archive"}>
                        {a.archived ? "Unarchive" : "Archive"}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {cashAccount && <CashPanel key={cashAccount.id} account={cashAccount} onClose={() => setCashFor(null)} />}
      {editAccount && (
        <AccountForm
          key={editAccount.id}
          account={editAccount}
          onCreated={(a) => {
            setEditing(null);
            setCreated(null);
            setNotice(`Saved “${a.name}”.`);
          }}
          onCancel={() => setEditing(null)}
        />
      )}
      <AccountForm
        onCreated={(a) => {
          setNotice(null);
          setCreated(a);
        }}
      />
    </div>
  );
}
