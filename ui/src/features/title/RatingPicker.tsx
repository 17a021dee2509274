/** Rate 1–10 as a radio group of buttons (arrow keys move, Enter/Space rates); shows and clears the rating. */
import type { KeyboardEvent } from "react";

interface Props {
  value: number | null;
  onRate: (rating: number | null) => void;
  disabled?: boolean;
}

export function RatingPicker({ value, onRate, disabled }: Props) {
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const delta = event.key === "ArrowRight" || event.key === "ArrowUp" ? 1 : event.key === "ArrowLeft" || event.key === "ArrowDown" ? -1 : 0;
    if (!delta) return;
    event.preventDefault();
    const buttons = Array.from(event.currentTarget.querySelectorAll<HTMLButtonElement>("button[data-rating]"));
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    buttons[Math.max(0, Math.min(buttons.length - 1, index + delta))]?.focus();
  };
  return (
    <div className="rating-picker">
      <div role="radiogroup" aria-label="Your rating, 1 to 10" onKeyDown={onKeyDown} className="rating-buttons">
        {Array.from({ length: 10 }, (_, i) => i + 1).map((n) => (
          <button
            key={n}
            type="button"
            role="radio"
            data-rating={n}
            aria-checked={value === n}
            aria-label={`Rate ${n} out of 10`}
            tabIndex={value === n || (value === null && n === 1) ? 0 : -1}
            className={value !== null && n <= value ? "rating-button on" : "rating-button"}
            disabled={disabled}
            onClick={() => onRate(n)}
          >
            {n}
          </button>
        ))}
      </div>
      {value !== null && (
        <button type="button" className="button small ghost" onClick={() => onRate(null)} disabled={disabled}>
          Clear rating
        </button>
      )}
    </div>
  );
}
