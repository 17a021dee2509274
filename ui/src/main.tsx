import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router";
import { App } from "./App";
import { makeQueryClient, Providers } from "./providers";
import "./styles.css";

// The service answers every non-API path with index.html, so deep links and reloads work.
createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <BrowserRouter>
      <Providers client={makeQueryClient()}>
        <App />
      </Providers>
    </BrowserRouter>
  </StrictMode>,
);
