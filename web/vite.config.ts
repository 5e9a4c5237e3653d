import { resolve } from "node:path";
import { defineConfig } from "vite";

// Two pages, each its own entry; everything (Chart.js included) bundled, nothing fetched from elsewhere.
export default defineConfig({
  build: {
    outDir: "dist",
    emptyOutDir: true,
    rollupOptions: {
      input: {
        dashboard: resolve(import.meta.dirname, "dashboard/index.html"),
        counter: resolve(import.meta.dirname, "counter/index.html"),
      },
    },
  },
});
