/** Everything a user can say about a title: rating, like/dislike, not interested (not now / never), lists.
 * Buttons show the current state (pressed) and a second click undoes it. */
import { useState } from "react";
import { messageOf } from "../../api/client";
import { useFeedback, useMyFeedback, useRate, useRatings } from "../../api/queries";
import { NOT_NOW_DAYS, type Feedback, type FeedbackKind } from "../../api/types";
import { Icon, type IconName } from "../../components/Icon";
import { RatingPicker } from "./RatingPicker";

interface Action {
  label: string;
  done: string;
  undone: string;
  icon: IconName;
  feedback: Omit<Feedback, "tconst">;
}

const ACTIONS: Action[] = [
  { label: "Like", done: "Liked — we'll find more like it.", undone: "Like removed.", icon: "up", feedback: { kind: "like" } },
  { label: "Dislike", done: "Disliked — we'll show less like it.", undone: "Dislike removed.", icon: "down", feedback: { kind: "dislike" } },
  { label: "Watchlist", done: "Added to your watchlist.", undone: "Removed from your watchlist.", icon: "bookmark", feedback: { kind: "watchlist" } },
  { label: "Watched", done: "Marked as watched.", undone: "No longer marked as watched.", icon: "check", feedback: { kind: "watched" } },
];

const NOT_INTERESTED: Action[] = [
  { label: "Not now", done: `Hidden from your feed for ${NOT_NOW_DAYS} days.`, undone: "", icon: "hide", feedback: { kind: "not_interested", snooze_days: NOT_NOW_DAYS } },
  { label: "Never", done: "You won't see this again.", undone: "", icon: "hide", feedback: { kind: "not_interested" } },
];

export function TitleActions({ tconst, loggedIn }: { tconst: string; loggedIn: boolean }) {
  const ratings = useRatings();
  const mine = useMyFeedback();
  const rate = useRate();
  const feedback = useFeedback();
  const [message, setMessage] = useState<string | null>(null);
  const [shown, setShown] = useState<number | null>(null);

  if (!loggedIn) return <p className="notice">Log in to rate this, like it or add it to your watchlist.</p>;

  const current = ratings.data?.items.find((r) => r.tconst === tconst)?.rating ?? null;
  const value = rate.isPending ? shown : current;
  const active = new Set<FeedbackKind>(mine.data?.items.filter((f) => f.tconst === tconst).map((f) => f.kind) ?? []);

  const onRate = (rating: number | null) => {
    setShown(rating);
    rate.mutate(
      { tconst, rating },
      { onSuccess: () => setMessage(rating ? `Rated ${rating}/10. Your feed is updated.` : "Rating cleared.") },
    );
  };
  const act = (action: Action, undo: boolean) =>
    feedback.mutate({ tconst, ...action.feedback, undo }, { onSuccess: () => setMessage(undo ? action.undone : action.done) });

  const error = rate.error ?? feedback.error;
  return (
    <section className="title-actions" aria-label="Your actions">
      <div className="action-group">
        <span className="action-label">Your rating</span>
        <RatingPicker value={value} onRate={onRate} disabled={rate.isPending} />
      </div>
      <div className="action-buttons" role="group" aria-label="Feedback">
        {ACTIONS.map((action) => {
          const pressed = active.has(action.feedback.kind);
          return (
            <button key={action.label} type="button" className={pressed ? "button pressed" : "button"} aria-pressed={pressed}
              disabled={feedback.isPending} onClick={() => act(action, pressed)}>
              <Icon name={action.icon} /> {action.label}
            </button>
          );
        })}
      </div>
      <div className="action-buttons" role="group" aria-label="Not interested">
        <span className="action-label inline">Not interested:</span>
        {NOT_INTERESTED.map((action) => (
          <button key={action.label} type="button" className="button small" disabled={feedback.isPending}
            aria-label={`Not interested: ${action.label.toLowerCase()}`} onClick={() => act(action, false)}>
            {action.label}
          </button>
        ))}
        {active.has("not_interested") && (
          <button type="button" className="button small ghost" onClick={() => act({ ...NOT_INTERESTED[1], undone: "Shown in your feed again." }, true)}>
            Show it again
          </button>
        )}
      </div>
      <p className="action-status" role="status" aria-live="polite">
        {error ? `Couldn't save: ${messageOf(error)}` : message}
      </p>
    </section>
  );
}
