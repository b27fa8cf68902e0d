import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { pickImageFile, screenshotQuery, useAddScreenshot, useRemoveScreenshot, type Screenshot } from "../../lib/ipc";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Dialog } from "../../components/Dialog";

/** Chart screenshots of a trade: copied into the data folder, shown as thumbnails; click to enlarge. */
export function Screenshots({ tradeId, screenshots }: { tradeId: string; screenshots: Screenshot[] }) {
  const add = useAddScreenshot();
  const [pickError, setPickError] = useState<unknown>(null);
  const [viewing, setViewing] = useState<Screenshot | null>(null);

  const choose = async () => {
    setPickError(null);
    try {
      const path = await pickImageFile();
      if (path) add.mutate({ tradeId, path });
    } catch (e) {
      setPickError(e);
    }
  };

  return (
    <section className="card" data-testid="screenshots">
      <div className="card-head">
        <h2>Screenshots</h2>
        <span className="muted">copied into the data folder</span>
        <button type="button" className="btn btn-small" onClick={() => void choose()} disabled={add.isPending} data-testid="screenshot-add">
          {add.isPending ? "Adding…" : "Add screenshot…"}
        </button>
      </div>
      {screenshots.length === 0 ? (
        <div className="muted pad">No screenshots. Add a chart image (PNG, JPEG, GIF or WebP) to remember how the trade looked.</div>
      ) : (
        <div className="thumbs">
          {screenshots.map((s) => (
            <Thumb key={s.id} shot={s} onOpen={() => setViewing(s)} />
          ))}
        </div>
      )}
      {(pickError != null || add.isError) && <ErrorNotice error={pickError ?? add.error} title="The screenshot was not added" />}
      {viewing && (
        <Dialog title={viewing.file_name} onClose={() => setViewing(null)} testId="screenshot-viewer">
          <ShotImage id={viewing.id} alt={viewing.file_name} className="shot-large" />
        </Dialog>
      )}
    </section>
  );
}

function ShotImage({ id, alt, className }: { id: string; alt: string; className: string }) {
  const data = useQuery(screenshotQuery(id));
  if (data.isError) return <div className="thumb-missing" title={data.error.message}>Image missing</div>;
  if (!data.data) return <div className="thumb-missing">…</div>;
  return <img src={data.data} alt={alt} className={className} />;
}

function Thumb({ shot, onOpen }: { shot: Screenshot; onOpen: () => void }) {
  const remove = useRemoveScreenshot();
  const [confirm, setConfirm] = useState(false);
  return (
    <figure className="thumb" data-testid="screenshot" data-screenshot-id={shot.id}>
      <button type="button" className="thumb-img" onClick={onOpen} title="Enlarge" data-testid="screenshot-open">
        <ShotImage id={shot.id} alt={shot.file_name} className="thumb-pic" />
      </button>
      <figcaption>
        <span className="ellipsis small" title={shot.file_name}>
          {shot.file_name}
        </span>
        {confirm ? (
          <button type="button" className="btn btn-danger btn-small" disabled={remove.isPending} onClick={() => remove.mutate(shot.id)} data-testid="screenshot-remove-confirm">
            Remove
          </button>
        ) : (
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setConfirm(true)} data-testid="screenshot-remove">
            ×
          </button>
        )}
      </figcaption>
      {remove.isError && <ErrorNotice error={remove.error} title="Not removed" />}
    </figure>
  );
}
