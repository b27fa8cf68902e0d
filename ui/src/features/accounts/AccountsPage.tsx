import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { accountsQuery, type Account } from "../../lib/ipc";
import { formatInteger } from "../../lib/format";
import { PageHeader } from "../../components/PageHeader";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Loading } from "../../components/Loading";
import { Money } from "../../components/Money";
import { AccountForm } from "./AccountForm";

export function AccountsPage() {
  const accounts = useQuery(accountsQuery());
  const [created, setCreated] = useState<Account | null>(null);

  return (
    <div className="page" data-testid="page-accounts">
      <PageHeader title="Accounts" subtitle="Brokerage and prop-firm accounts. Imports create accounts too." />
      {created && (
        <div className="notice notice-ok" role="status">
          Added “{created.name}”. Import its broker export, or add trades to it by hand.
        </div>
      )}
      <section className="card">
        {accounts.isError ? (
          <ErrorNotice error={accounts.error} title="Could not load accounts" onRetry={() => void accounts.refetch()} />
        ) : accounts.isPending ? (
          <Loading />
        ) : accounts.data.length === 0 ? (
          <div className="muted pad">No accounts yet. Add one below, or import a broker export and Tradebook creates it.</div>
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
                  <th className="r">Balance</th>
                </tr>
              </thead>
              <tbody>
                {accounts.data.map((a) => (
                  <tr key={a.id} data-testid="account-row">
                    <td>
                      <div className="strong">{a.name}</div>
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
                    <td className="r strong">
                      <Money value={a.balance} currency={a.currency} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <AccountForm onCreated={setCreated} />
    </div>
  );
}
