import { useEffect, useRef } from "react";

/** Calls `onVisible` when the returned sentinel element scrolls into view (a "Load more" button stays as fallback). */
export function useInfiniteScroll(onVisible: () => void, enabled: boolean) {
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = sentinel.current;
    if (!element || !enabled || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) onVisible();
    }, { rootMargin: "400px" });
    observer.observe(element);
    return () => observer.disconnect();
  }, [onVisible, enabled]);
  return sentinel;
}
