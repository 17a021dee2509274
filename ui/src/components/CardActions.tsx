/** Quick feedback on a card: like, dislike, hide (not now / never), watchlist. The feed updates at once. */
import { useState } from "react";
import { NOT_NOW_DAYS, type FeedbackKind, type Title } from "../api/types";
import { useFeedback } from "../api/queries";
import { Icon } from "./Icon";

export function CardActions({ title }: { title: Title }) {
  const feedback = useFeedback();
  const [done, setDone] = useState<string | null>(null);
  const [hideOpen, setHideOpen] = useState(false);

  const send = (kind: FeedbackKind, label: string, snoozeDays?: number) => {
    setHideOpen(false);
    const body = { tconst: title.tconst, kind, ...(snoozeDays ? { snooze_days: snoozeDays } : {}) };
    feedback.mutate(body, { onSuccess: () => setDone(label) });
  };

  return (
    <div className="card-actions">
      <button type="button" className="icon-button" onClick={() => send("like", "Liked")} aria-label={`Like ${title.title}`} title="Like">
        <Icon name="up" />
      </button>
      <button type="button" className="icon-button" onClick={() => send("dislike", "Disliked")} aria-label={`Dislike ${title.title}`} title="Dislike">
        <Icon name="down" />
      </button>
      <button type="button" className="icon-button" onClick={() => send("watchlist", "On your watchlist")} aria-label={`Add ${title.title} to watchlist`} title="Watchlist">
        <Icon name="bookmark" />
      </button>
      <div className="menu-wrap">
        <button
          type="button"
          className="icon-button"
          aria-haspopup="menu"
          aria-expanded={hideOpen}
          onClick={() => setHideOpen((open) => !open)}
          aria-label={`Not interested in ${title.title}`}
          title="Not interested"
        >
          <Icon name="hide" />
        </button>
        {hideOpen && (
          <div className="menu" role="menu" onKeyDown={(e) => e.key === "Escape" && setHideOpen(false)}>
            <button type="button" role="menuitem" autoFocus onClick={() => send("not_interested", "Hidden for now", NOT_NOW_DAYS)}>
              Not now
            </button>
            <button type="button" role="menuitem" onClick={() => send("not_interested", "Never shown again")}>
              Never show again
            </button>
          </div>
        )}
      </div>
      <span className="card-action-status" role="status">
        {feedback.isError ? "Couldn't save — try again" : done}
      </span>
    </div>
  );
}
