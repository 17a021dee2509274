/** A toggle chip (aria-pressed) for picking genres and names. */
interface Props {
  label: string;
  pressed: boolean;
  onToggle: () => void;
}

export function ChipToggle({ label, pressed, onToggle }: Props) {
  return (
    <button type="button" className={pressed ? "chip toggle on" : "chip toggle"} aria-pressed={pressed} onClick={onToggle}>
      {label}
    </button>
  );
}

export function toggled<T>(list: T[], value: T): T[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}
