/** Tonight mode: share your code, add friends' codes, get titles none of you has seen. */
import { useState, type FormEvent } from "react";
import { useMutation } from "@tanstack/react-query";
import { ApiError } from "../../api/client";
import { api } from "../../api/endpoints";
import { useShareCode } from "../../api/queries";
import { CardGrid } from "../../components/CardGrid";
import { CardSkeletons, EmptyState, ErrorMessage } from "../../components/Status";

/** The service names unknown codes in a 404; say what to do about it. */
function groupError(error: unknown): unknown {
  if (error instanceof ApiError && error.status === 404) {
    const codes = error.message.split(":").slice(1).join(":").trim();
    return new Error(`We don't know the share code${codes.includes(",") ? "s" : ""} ${codes || "you added"}. Check for typos (codes are case-sensitive) or ask for a fresh one.`);
  }
  return error;
}

export function TonightPage() {
  const share = useShareCode();
  const [codes, setCodes] = useState<string[]>([]);
  const [code, setCode] = useState("");
  const [copied, setCopied] = useState(false);
  const group = useMutation({ mutationFn: (list: string[]) => api.tonight(list, 24) });

  const add = (event: FormEvent) => {
    event.preventDefault();
    const value = code.trim();
    if (value && !codes.includes(value)) setCodes([...codes, value]);
    setCode("");
  };

  return (
    <main className="page">
      <h1>Tonight</h1>
      <p className="muted">Watching together? Swap share codes with your friends and get picks none of you has seen.</p>
      <div className="tonight-grid">
        <section className="panel" aria-labelledby="code-heading">
          <h2 id="code-heading">Your share code</h2>
          {share.isPending ? <p className="muted">Loading…</p> : share.isError ? <ErrorMessage error={share.error} /> : (
            <p className="share-code"><code>{share.data.code}</code>
              <button type="button" className="button small"
                onClick={() => void navigator.clipboard?.writeText(share.data.code).then(() => setCopied(true), () => setCopied(false))}>
                {copied ? "Copied" : "Copy"}
              </button>
            </p>
          )}
          <p className="muted small">Giving someone this code lets them include your taste in a group pick.</p>
        </section>
        <section className="panel" aria-labelledby="friends-heading">
          <h2 id="friends-heading">Friends</h2>
          <form className="inline-form" onSubmit={add}>
            <label className="block-label">Friend's share code
              <input value={code} onChange={(e) => setCode(e.target.value)} placeholder="Paste a friend's code" />
            </label>
            <button type="submit" className="button" disabled={!code.trim()}>Add</button>
          </form>
          <div className="chips">
            {codes.map((c) => (
              <button key={c} type="button" className="chip toggle on" aria-label={`Remove ${c}`} onClick={() => setCodes(codes.filter((x) => x !== c))}>{c} ×</button>
            ))}
          </div>
          <button type="button" className="button primary" disabled={codes.length === 0 || group.isPending} onClick={() => group.mutate(codes)}>
            {group.isPending ? "Finding…" : "Find something for all of us"}
          </button>
        </section>
      </div>
      {group.isPending && <CardSkeletons />}
      {group.isError && <ErrorMessage error={groupError(group.error)} />}
      {group.data && (group.data.items.length === 0
        ? <EmptyState title="Nothing left that none of you has seen">Try with fewer friends.</EmptyState>
        : (
          <section aria-labelledby="picks-heading">
            <h2 id="picks-heading">Picks for you and {group.variables.length === 1 ? "your friend" : `${group.variables.length} friends`}</h2>
            <CardGrid titles={group.data.items} label="Picks for tonight" />
          </section>
        ))}
    </main>
  );
}
