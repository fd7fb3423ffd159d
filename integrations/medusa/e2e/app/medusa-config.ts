// The throwaway store of Peifu's end-to-end test: Medusa 2 on the test's own PostgreSQL database,
// in-memory event bus/cache/workflow engine, no admin build. The connector's source (../../src) is
// linked in as the project's src/ (see tests/integration/test_medusa_e2e.py); its options come from PEIFU_* env.
import { defineConfig, loadEnv } from "@medusajs/framework/utils"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    http: {
      storeCors: "*",
      adminCors: "*",
      authCors: "*",
      jwtSecret: process.env.JWT_SECRET || "e2e-jwt-secret",
      cookieSecret: process.env.COOKIE_SECRET || "e2e-cookie-secret",
    },
  },
  admin: { disable: true },
})
