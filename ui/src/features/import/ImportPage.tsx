/** Upload an IMDb "Your Ratings" export or a Letterboxd ratings.csv; show progress and what happened to each row. */
import { useState, type ChangeEvent, type DragEvent } from "react";
import { Link } from "react-router";
import { useImport } from "../../api/queries";
import type { UnknownRow } from "../../api/types";
import { ErrorMessage } from "../../components/Status";

const MAX_BYTES = 10 * 1024 * 1024;

function describeUnknown(row: UnknownRow): string {
  const name = row.title ?? row.tconst ?? "Untitled";
  return `Row ${row.row}: ${name}${row.year ? ` (${row.year})` : ""}`;
}

function sourceLabel(source: string): string {
  if (source.startsWith("imdb")) return "IMDb export";
  if (source.startsWith("letterboxd")) return "Letterboxd export";
  return source;
}

export function ImportPage() {
  const upload = useImport();
  const [progress, setProgress] = useState(0);
  const [localError, setLocalError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);

  const start = (file: File | undefined) => {
    setLocalError(null);
    if (!file) return;
    if (!file.name.toLowerCase().endsWith(".csv")) return setLocalError("Please choose a .csv file (IMDb or Letterboxd export).");
    if (file.size > MAX_BYTES) return setLocalError("That file is larger than 10 MB — is it the right export?");
    setProgress(0);
    upload.mutate({ file, onProgress: setProgress });
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    start(event.dataTransfer.files[0]);
  };

  const summary = upload.data;
  return (
    <main className="page narrow">
      <h1>Import your ratings</h1>
      <p className="muted">
        Bring your history from IMDb (Your Ratings → ⋯ → Export) or Letterboxd (Settings → Import &amp; Export →
        ratings.csv). Importing the same file again changes nothing.
      </p>
      <div className={dragging ? "dropzone dragging" : "dropzone"} onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
        onDragLeave={() => setDragging(false)} onDrop={onDrop}>
        <label className="button primary">
          Choose a CSV file
          <input type="file" accept=".csv,text/csv" className="visually-hidden" aria-label="Ratings CSV file"
            onChange={(e: ChangeEvent<HTMLInputElement>) => { start(e.target.files?.[0]); e.target.value = ""; }}
            disabled={upload.isPending} />
        </label>
        <p className="muted small">…or drop it here.</p>
      </div>

      {upload.isPending && (
        <div className="progress-block" role="status">
          <progress max={1} value={progress < 1 ? progress : undefined} aria-label="Import progress" />
          <p>{progress < 1 ? `Uploading… ${Math.round(progress * 100)}%` : "Matching your titles…"}</p>
        </div>
      )}
      {localError && <p className="error-box" role="alert">{localError}</p>}
      {upload.isError && <ErrorMessage error={upload.error} />}
      {summary && (
        <section className="panel import-summary" aria-labelledby="summary-heading" role="status">
          <h2 id="summary-heading">Import finished{summary.source ? ` — ${sourceLabel(summary.source)}` : ""}</h2>
          <dl className="summary-numbers">
            <div><dt>Imported</dt><dd>{summary.imported}</dd></div>
            <div><dt>Skipped</dt><dd>{summary.skipped}</dd></div>
            <div><dt>Not found</dt><dd>{summary.unknown.length}</dd></div>
          </dl>
          {summary.duplicate_file && <p className="notice">You had already imported this file — nothing changed.</p>}
          {summary.skipped > 0 && <p className="muted small">Skipped rows were already imported or had no rating.</p>}
          {summary.errors.length > 0 && (
            <details>
              <summary>Rows we couldn't read ({summary.errors.length})</summary>
              <ul className="plain-list">
                {summary.errors.slice(0, 200).map((e) => <li key={e.row}>Row {e.row}: {e.message}</li>)}
              </ul>
            </details>
          )}
          {summary.warnings.length > 0 && (
            <details>
              <summary>Imported without a date ({summary.undated})</summary>
              <ul className="plain-list">
                {summary.warnings.slice(0, 200).map((w) => <li key={w.row}>Row {w.row}: {w.message}</li>)}
              </ul>
            </details>
          )}
          {summary.unknown.length > 0 && (
            <details>
              <summary>Titles we couldn't match ({summary.unknown.length})</summary>
              <ul className="plain-list">
                {summary.unknown.slice(0, 200).map((row) => <li key={row.row}>{describeUnknown(row)}</li>)}
              </ul>
            </details>
          )}
          <p><Link to="/" className="button primary">See your updated feed</Link></p>
        </section>
      )}
    </main>
  );
}
