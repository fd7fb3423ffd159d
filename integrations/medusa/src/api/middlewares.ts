import { authenticate, defineMiddlewares } from "@medusajs/framework/http"

export default defineMiddlewares({
  routes: [
    // Standard Webhooks signs the exact bytes: keep them
    { matcher: "/peifu/webhooks", method: ["POST"], bodyParser: { preserveRawBody: true } },
    // a logged-in customer is recognised; guests prove the order with its email
    {
      matcher: "/store/peifu/*",
      middlewares: [authenticate("customer", ["session", "bearer"], { allowUnauthenticated: true })],
    },
  ],
})
