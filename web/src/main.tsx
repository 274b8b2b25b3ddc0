import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./components/App";
import { createAppQueryClient } from "./query-client";
import "./styles/app.css";
import "./styles/highlight.css";

const rootElement = document.getElementById("root");
if (!rootElement) throw new Error("index.html has no #root element");

createRoot(rootElement).render(
  <StrictMode>
    <QueryClientProvider client={createAppQueryClient()}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
