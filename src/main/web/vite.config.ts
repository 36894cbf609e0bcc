import { defineConfig } from "vite";

// The server serves these files from its classpath under web/, so the build writes straight into Maven's
// output folder. Hashed names under assets/ let the server cache them for a year.
export default defineConfig({
  build: {
    outDir: process.env.TICKETCHAT_WEB_OUT ?? "../../../target/classes/web",
    emptyOutDir: true,
    assetsDir: "assets",
    sourcemap: false,
  },
  server: {
    proxy: {
      "/api": "http://127.0.0.1:8080",
      "/socket.io": { target: "http://127.0.0.1:8080", ws: true },
    },
  },
});
