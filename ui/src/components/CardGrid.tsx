/** A grid of cards navigable with the arrow keys (focus moves between the cards' links). */
import type { KeyboardEvent, ReactNode } from "react";
import type { Title } from "../api/types";
import { TitleCard } from "./TitleCard";

const NEXT = new Set(["ArrowRight", "ArrowDown"]);
const PREVIOUS = new Set(["ArrowLeft", "ArrowUp"]);

export function moveCardFocus(event: KeyboardEvent<HTMLElement>): void {
  if (!NEXT.has(event.key) && !PREVIOUS.has(event.key)) return;
  const links = Array.from(event.currentTarget.querySelectorAll<HTMLElement>("[data-card-link]"));
  const index = links.indexOf(document.activeElement as HTMLElement);
  if (index < 0) return;
  const target = links[index + (NEXT.has(event.key) ? 1 : -1)];
  if (target) {
    event.preventDefault();
    target.focus();
  }
}

interface Props {
  titles: Title[];
  actions?: boolean;
  label: string;
  variant?: "grid" | "row";
  footer?: ReactNode;
}

export function CardGrid({ titles, actions, label, variant = "grid", footer }: Props) {
  return (
    <div className={variant === "row" ? "card-row" : "card-grid"} role="list" aria-label={label} onKeyDown={moveCardFocus}>
      {titles.map((title) => (
        <div role="listitem" key={title.tconst}>
          <TitleCard title={title} actions={actions} />
        </div>
      ))}
      {footer}
    </div>
  );
}
