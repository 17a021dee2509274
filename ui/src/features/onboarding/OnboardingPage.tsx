/** A new account's first minute: genres, people and titles you love → a useful feed straight away. */
import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { EMPTY_PREFERENCES } from "../../api/defaults";
import { usePreferences, useSavePreferences } from "../../api/queries";
import type { Title } from "../../api/types";
import { ChipToggle, toggled } from "../../components/ChipToggle";
import { GENRES } from "../../components/format";
import { ErrorMessage } from "../../components/Status";
import { TitlePicker } from "./TitlePicker";
import { useStarterPicks } from "./useStarterPicks";

const STEPS = ["Genres", "People", "Titles"] as const;

export function OnboardingPage() {
  const navigate = useNavigate();
  const current = usePreferences();
  const save = useSavePreferences();
  const [step, setStep] = useState(0);
  const [genres, setGenres] = useState<string[]>([]);
  const [people, setPeople] = useState<string[]>([]);
  const [person, setPerson] = useState("");
  const [titles, setTitles] = useState<Title[]>([]);
  const starters = useStarterPicks(genres, people);

  const addPerson = (event: FormEvent) => {
    event.preventDefault();
    const name = person.trim();
    if (name && !people.includes(name)) setPeople([...people, name]);
    setPerson("");
  };

  const finish = () => {
    const base = current.data ?? EMPTY_PREFERENCES;
    save.mutate(
      {
        ...base,
        liked_genres: genres,
        liked_people: people,
        liked_titles: titles.map((t) => t.tconst),
      },
      { onSuccess: () => navigate("/", { replace: true }) },
    );
  };

  const last = step === STEPS.length - 1;
  return (
    <main className="page onboarding">
      <h1>Let's get to know your taste</h1>
      <ol className="steps" aria-label="Steps">
        {STEPS.map((name, i) => (
          <li key={name} aria-current={i === step ? "step" : undefined} className={i === step ? "active" : i < step ? "done" : ""}>
            {i + 1}. {name}
          </li>
        ))}
      </ol>

      <section className="panel" aria-labelledby="step-heading">
        {step === 0 && (
          <>
            <h2 id="step-heading">Which genres do you enjoy?</h2>
            <p className="muted">Pick as many as you like.</p>
            <div className="chips" role="group" aria-label="Genres">
              {GENRES.map((genre) => (
                <ChipToggle key={genre} label={genre} pressed={genres.includes(genre)} onToggle={() => setGenres(toggled(genres, genre))} />
              ))}
            </div>
          </>
        )}
        {step === 1 && (
          <>
            <h2 id="step-heading">Any directors or actors you love?</h2>
            <p className="muted">Optional. Type a name and press Enter.</p>
            <form className="inline-form" onSubmit={addPerson}>
              <label className="block-label">
                Person
                <input value={person} onChange={(e) => setPerson(e.target.value)} placeholder="e.g. Hayao Miyazaki" />
              </label>
              <button type="submit" className="button" disabled={!person.trim()}>Add</button>
            </form>
            <div className="chips" aria-label="People you picked">
              {people.map((name) => (
                <button key={name} type="button" className="chip toggle on" onClick={() => setPeople(people.filter((p) => p !== name))} aria-label={`Remove ${name}`}>
                  {name} ×
                </button>
              ))}
            </div>
          </>
        )}
        {step === 2 && (
          <>
            <h2 id="step-heading">A few titles you love</h2>
            <p className="muted">Three or more gives the best start. {titles.length > 0 && <strong>{titles.length} picked.</strong>}</p>
            <TitlePicker picked={titles} suggestions={starters.titles}
              suggestionsLabel={genres.length || people.length ? "Suggestions from the genres and people you picked:" : "Popular picks:"}
              onToggle={(title) => setTitles((list) => list.some((t) => t.tconst === title.tconst) ? list.filter((t) => t.tconst !== title.tconst) : [...list, title])} />
          </>
        )}
        {save.isError && <ErrorMessage error={save.error} />}
        <div className="wizard-buttons">
          {step > 0 && <button type="button" className="button ghost" onClick={() => setStep(step - 1)}>Back</button>}
          <button type="button" className="button ghost" onClick={() => navigate("/")}>Skip for now</button>
          {last ? (
            <button type="button" className="button primary" onClick={finish} disabled={save.isPending}>
              {save.isPending ? "Saving…" : "Show my feed"}
            </button>
          ) : (
            <button type="button" className="button primary" onClick={() => setStep(step + 1)}>Next</button>
          )}
        </div>
      </section>
    </main>
  );
}
