// Starts GOV.UK Frontend components (error summary focus, header menu, ...) on every page.
import { initAll } from "/static/govuk/govuk-frontend.min.js";

initAll();
